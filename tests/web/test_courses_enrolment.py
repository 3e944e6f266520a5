"""Enrolment by lecturers and admins: manual (with a reason outside the target group), everyone who
matches now, a CSV list, and withdrawal. Text assertions use the English UI."""
from __future__ import annotations

import io
import re

import pytest

from elearn.accounts.domain import Gender
from elearn.courses import domain, services
from elearn.courses.catalog import EnrolMethod
from elearn.courses.models import Enrolment
from elearn.extensions import db
from tests import course_factories as cf
from tests.conftest import csrf_token


@pytest.fixture
def sign_in(client, login):
    def do(user, locale: str = "en") -> str:
        user.locale = locale
        db.session.commit()
        login(user)
        return csrf_token(client, "/")

    return do


def post(client, token: str, path: str, data: dict | None = None, **kw):
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


def enrolment_of(user, course) -> Enrolment | None:
    db.session.expire_all()
    return services.enrolment_of(user.id, course.id)


def active_ids(course) -> set[int]:
    return set(db.session.scalars(db.select(Enrolment.user_id).where(Enrolment.course_id == course.id,
                                                                     Enrolment.state == "active")))


@pytest.fixture
def women_course(factory):
    """A published course for women cadres of one commune (and its sub-units)."""
    province = factory.province()
    commune = factory.unit("Xã Hùng Lợi", "commune", parent=province)
    lecturer = factory.lecturer()
    rules = [domain.AudienceRule(unit_ids=frozenset({commune.id}), gender=Gender.FEMALE)]
    course = cf.make_course(factory, lecturer, title="Bồi dưỡng cán bộ nữ", audience=rules, publish=True)
    return course, lecturer, province, commune


def test_manual_enrolment_outside_the_target_needs_a_reason_which_is_recorded(client, factory, sign_in,
                                                                              women_course):
    course, lecturer, province, commune = women_course
    inside = factory.user(full_name="Hoàng Thị Mai", unit=commune, gender=Gender.FEMALE)
    outside = factory.user(full_name="Trần Văn Nam", unit=commune, gender=Gender.MALE)
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/enrolment"

    # Search ignores diacritics and shows who is outside the target group, and why.
    html = client.get(f"{path}?q=tran+van").get_data(as_text=True)
    assert "Trần Văn Nam" in html and "Hoàng Thị Mai" not in html
    assert "Outside the target group" in html and "This course is for women cadres." in html

    # Without a reason: refused, the reasons are shown and a reason is asked for.
    response = post(client, token, f"{path}/person", {"user_id": str(outside.id), "reason": "  ", "q": "tran van"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and enrolment_of(outside, course) is None
    assert 'id="pending"' in html and 'name="reason"' in html
    assert "Trần Văn Nam is outside this course&#39;s target group" in html
    assert "This course is for women cadres." in html

    response = post(client, token, f"{path}/person", {"user_id": str(outside.id),
                                                      "reason": "Cán bộ nguồn được Ban Thường vụ cử đi học"})
    assert response.status_code == 302
    e = enrolment_of(outside, course)
    assert e.state == "active" and e.in_target is False and e.method == EnrolMethod.MANUAL
    assert e.outside_reason == "Cán bộ nguồn được Ban Thường vụ cử đi học" and e.enrolled_by_id == lecturer.id

    # Inside the target group no reason is needed and none is recorded.
    assert post(client, token, f"{path}/person", {"user_id": str(inside.id), "reason": ""}).status_code == 302
    e = enrolment_of(inside, course)
    assert e.in_target is True and e.outside_reason == ""

    # Outside-target enrolments are listed with their reason and flagged.
    html = client.get(path).get_data(as_text=True)
    section = html[html.index('id="outside-h"'):]
    assert "Trần Văn Nam" in section and "Cán bộ nguồn được Ban Thường vụ cử đi học" in section
    assert "Hoàng Thị Mai" not in section[:section.index("</table>")]


def test_enrol_everyone_who_matches_shows_the_count_then_enrols_exactly_them(client, factory, sign_in,
                                                                            women_course):
    course, lecturer, province, commune = women_course
    hamlet = factory.unit("Thôn Bản Pài", "other", parent=commune)
    matching = [factory.user(unit=commune, gender=Gender.FEMALE),
                factory.user(unit=hamlet, gender=Gender.FEMALE)]
    already = factory.user(unit=commune, gender=Gender.FEMALE)
    services.enrol_person(lecturer, course, already)
    came_back = factory.user(unit=commune, gender=Gender.FEMALE)  # withdrawn earlier: matches again
    services.unenrol(lecturer, services.enrol_person(lecturer, course, came_back))
    matching.append(came_back)
    others = [factory.user(unit=commune, gender=Gender.MALE),  # wrong gender
              factory.user(unit=province, gender=Gender.FEMALE),  # unit above the commune
              factory.user(unit=commune, gender=Gender.FEMALE, active=False),  # disabled
              factory.user()]  # no cadre profile
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/enrolment/matching"

    html = client.get(path).get_data(as_text=True)
    assert '<span class="big-number">3</span>' in html
    assert active_ids(course) == {already.id}  # looking enrols nobody

    assert post(client, token, path).status_code == 302
    assert active_ids(course) == {already.id, *(p.id for p in matching)}
    for person in matching:
        e = enrolment_of(person, course)
        assert e.method == EnrolMethod.RULE and e.in_target is True
    assert not {p.id for p in others} & active_ids(course)
    assert '<span class="big-number">' not in client.get(path).get_data(as_text=True)  # nobody left


def test_enrol_everyone_refused_when_over_capacity(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1, publish=True, capacity=1)
    for _ in range(2):
        factory.user(unit=factory.province())
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/enrolment/matching"
    assert "Only 1 places are left" in client.get(path).get_data(as_text=True)
    assert post(client, token, path).status_code == 302
    assert active_ids(course) == set()


def test_csv_list_enrolment_reports_the_lines_with_errors(client, factory, sign_in, women_course):
    course, lecturer, province, commune = women_course
    inside = factory.user("hoa.nt", unit=commune, gender=Gender.FEMALE)
    outside = factory.user("nam.tv", unit=province, gender=Gender.MALE, email="nam.tv@tuyenquang.gov.vn")
    disabled = factory.user("cu.vd", unit=commune, active=False)
    already = factory.user("da.ghi", unit=commune, gender=Gender.FEMALE)
    services.enrol_person(lecturer, course, already)
    token = sign_in(lecturer)
    text = "ten dang nhap\nhoa.nt\nNAM.TV@tuyenquang.gov.vn\nkhong.ton.tai\ncu.vd\nda.ghi\n\n"
    response = post(client, token, f"/courses/{course.id}/manage/enrolment/list",
                    {"file": (io.BytesIO(("\ufeff" + text).encode()), "danh-sach.csv"),
                     "reason": "Theo Quyết định 123/QĐ-UBND"}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    errors = dict(re.findall(r'<tr><th scope="row">(\d+)</th><td>([^<]+)</td></tr>', html))
    assert errors == {"4": "No account with this username or e-mail.", "5": "This account is disabled."}
    assert active_ids(course) == {inside.id, outside.id, already.id}
    assert enrolment_of(inside, course).in_target is True
    e = enrolment_of(outside, course)
    assert e.method == EnrolMethod.CSV and e.in_target is False and e.outside_reason == "Theo Quyết định 123/QĐ-UBND"
    assert enrolment_of(disabled, course) is None


@pytest.mark.parametrize("content, problem", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "The list must be a text or CSV file"),
    (b"   \n\n", "The list must be a text or CSV file"),
    (b"a\n" * (1024 * 1024 + 1), "The list is larger than"),
])
def test_csv_list_that_is_not_a_list_is_refused(client, factory, sign_in, content, problem):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1, publish=True)
    token = sign_in(lecturer)
    response = post(client, token, f"/courses/{course.id}/manage/enrolment/list",
                    {"file": (io.BytesIO(content), "list.csv")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and problem in html and 'id="file-err"' in html
    assert active_ids(course) == set()


def test_withdrawal_asks_for_confirmation(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1, publish=True)
    learner = factory.user(full_name="Phạm Thị Lan", unit=factory.province())
    e = services.enrol_person(lecturer, course, learner)
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/enrolment/{e.id}/withdraw"
    page = client.get(path)
    assert page.status_code == 200 and "Phạm Thị Lan" in page.get_data(as_text=True)
    assert enrolment_of(learner, course).state == "active"
    assert post(client, token, path).status_code == 302
    assert enrolment_of(learner, course).state == "withdrawn"
    assert client.get(path).status_code == 404  # already withdrawn
    # Enrolling again brings the learner back.
    post(client, token, f"/courses/{course.id}/manage/enrolment/person", {"user_id": str(learner.id)})
    assert enrolment_of(learner, course).state == "active"


def test_admin_enrols_in_a_course_they_do_not_teach(client, factory, sign_in):
    course = cf.make_course(factory, lessons=1, publish=True)
    learner = factory.user(unit=factory.province())
    admin = factory.admin()
    token = sign_in(admin)
    assert post(client, token, f"/courses/{course.id}/manage/enrolment/person",
                {"user_id": str(learner.id)}).status_code == 302
    assert enrolment_of(learner, course).enrolled_by_id == admin.id


def test_enrolling_a_disabled_or_unknown_person_is_404(client, factory, sign_in):
    lecturer = factory.lecturer()
    course = cf.make_course(factory, lecturer, lessons=1, publish=True)
    disabled = factory.user(unit=factory.province(), active=False)
    token = sign_in(lecturer)
    path = f"/courses/{course.id}/manage/enrolment/person"
    assert post(client, token, path, {"user_id": str(disabled.id)}).status_code == 404
    assert post(client, token, path, {"user_id": "999999"}).status_code == 404
    assert post(client, token, path, {"user_id": "abc"}).status_code == 404
    assert active_ids(course) == set()
