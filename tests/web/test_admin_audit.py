"""The audit log page: newest first, readable before/after, filters by actor, action, target and local dates."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from elearn.accounts import services
from elearn.core import clock
from tests.conftest import csrf_token
from tests.web.test_admin_people import in_english

ROW_RE = re.compile(r'<tr class="audit-row" data-action="([^"]+)">(.*?)</tr>', re.S)


def rows(html: str) -> list[tuple[str, str]]:
    """(action, row html) of each entry shown, in page order."""
    return ROW_RE.findall(html)


@pytest.fixture
def admin(factory):
    return factory.admin()


@pytest.fixture
def as_admin(client, login, admin):
    login(admin)
    return client


def test_non_admin_is_refused(client, login, factory):
    login(factory.user("hocvien"))
    assert client.get("/admin/audit").status_code == 403


def test_actions_done_in_the_pages_are_listed_newest_first_with_before_and_after(as_admin, factory):
    province = factory.province()
    commune = factory.unit("Xã Minh Quang", "commune", province)
    person = factory.user("doi.ten", full_name="Lý Văn Đổi", unit=commune)
    token = csrf_token(as_admin, "/admin/units")
    as_admin.post(f"/admin/units/{commune.id}/edit", data={"name": "Xã Minh Quang Mới", "csrf_token": token})
    as_admin.post(f"/admin/people/{person.id}/active", data={"active": "0", "csrf_token": token})

    in_english(as_admin)
    html = as_admin.get("/admin/audit").get_data(as_text=True)
    shown = rows(html)
    assert [action for action, _ in shown] == ["user.disable", "unit.rename"]
    disable, rename = shown[0][1], shown[1][1]
    assert "Xã Minh Quang → Xã Minh Quang Mới" in rename
    assert "Active</strong>: yes → no" in disable
    assert "doi.ten" in disable and f'href="/admin/people/{person.id}/edit"' in disable
    assert "Trần Thị Quản Trị" in disable and "127.0.0.1" in disable  # who, and from where


def test_person_update_shows_unit_names_and_labels(as_admin, factory, admin):
    province = factory.province()
    old = factory.unit("Xã Cũ", "commune", province)
    new = factory.unit("Xã Mới", "commune", province)
    person = factory.user("chuyen", unit=old)
    services.update_user(admin, person, full_name=person.full_name, email=None, roles={"learner", "lecturer"},
                         profile=services.domain.ProfileData(unit_id=new.id, gender="male", ethnicity="Kinh",
                                                             birth_year=1985, theory_level="elementary",
                                                             categories={"in_planning"}))
    in_english(as_admin)
    (action, row), = rows(as_admin.get("/admin/audit").get_data(as_text=True))
    assert action == "user.update"
    assert "Unit</strong>: Xã Cũ → Xã Mới" in row
    assert "Roles</strong>: Learner → Learner, Lecturer" in row
    assert "Management categories</strong>: — → In cadre planning" in row


def test_filter_by_action_actor_and_target_type(as_admin, factory, admin):
    other_admin = factory.admin("qt2", full_name="Phạm Quản Trị Hai")
    province = factory.province()
    person = factory.user("bi.khoa", unit=province)
    services.set_active(admin, person, False)
    services.create_unit(other_admin, code="XA-1", name="Xã Một", kind="commune", parent_id=province.id)
    services.set_active(other_admin, person, True)

    def actions(query: str) -> list[str]:
        return [a for a, _ in rows(as_admin.get("/admin/audit" + query).get_data(as_text=True))]

    assert actions("?action=user.disable") == ["user.disable"]
    assert actions("?actor=qt2") == ["user.enable", "unit.create"]
    assert actions("?actor=pham+quan") == ["user.enable", "unit.create"]  # by name, diacritics ignored
    assert actions("?target_type=unit") == ["unit.create"]
    assert actions("?actor=qt2&action=unit.create") == ["unit.create"]
    page = as_admin.get("/admin/audit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="action"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'value="([^"]*)"', select) == ["", "unit.create", "user.disable", "user.enable"]


def test_filter_by_local_dates(as_admin, factory, admin):
    """Dates are Vietnam dates: 17:30 UTC on 1 March is already 2 March in Hà Nội (UTC+7)."""
    province = factory.province()
    with clock.freeze(datetime(2025, 3, 1, 16, 30, tzinfo=UTC)):  # 23:30 on 1 March, local
        services.create_unit(admin, code="XA-1", name="Xã Một", kind="commune", parent_id=province.id)
    with clock.freeze(datetime(2025, 3, 1, 17, 30, tzinfo=UTC)):  # 00:30 on 2 March, local
        services.create_unit(admin, code="XA-2", name="Xã Hai", kind="commune", parent_id=province.id)
    with clock.freeze(datetime(2025, 3, 5, 3, 0, tzinfo=UTC)):
        services.create_unit(admin, code="XA-3", name="Xã Ba", kind="commune", parent_id=province.id)

    def labels(query: str) -> list[str]:
        html = as_admin.get("/admin/audit?action=unit.create" + query).get_data(as_text=True)
        return [re.search(r"XA-\d", row).group(0) for _, row in rows(html)]

    assert labels("") == ["XA-3", "XA-2", "XA-1"]
    assert labels("&date_from=2025-03-02&date_to=2025-03-02") == ["XA-2"]
    assert labels("&date_to=2025-03-01") == ["XA-1"]
    assert labels("&date_from=2025-03-02") == ["XA-3", "XA-2"]
    html = as_admin.get("/admin/audit?date_from=2025-03-02&date_to=2025-03-02").get_data(as_text=True)
    assert "02/03/2025 00:30" in html  # shown in local time too


def test_unreadable_date_is_reported_and_ignored(as_admin, factory, admin):
    services.create_unit(admin, code="XA-1", name="Xã Một", kind="province", parent_id=None)
    in_english(as_admin)
    html = as_admin.get("/admin/audit?date_from=hom-qua").get_data(as_text=True)
    assert 'id="date_from-err"' in html and "Enter a valid date." in html
    assert len(rows(html)) == 1


def test_audit_log_is_paginated(as_admin, admin):
    for n in range(30):
        services.create_unit(admin, code=f"T{n:02d}", name=f"Tỉnh {n}", kind="province", parent_id=None)
    first = as_admin.get("/admin/audit?per_page=25").get_data(as_text=True)
    second = as_admin.get("/admin/audit?per_page=25&page=2").get_data(as_text=True)
    assert len(rows(first)) == 25 and len(rows(second)) == 5
    assert "T29" in rows(first)[0][1] and "T00" in rows(second)[-1][1]
