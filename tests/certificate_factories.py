"""Certificate test data, built through the real services: a published course, a template, learners who
completed it (by viewing its one required lesson), and certificates."""
from __future__ import annotations

from sqlalchemy import select

from elearn.certificates import services
from elearn.courses import services as course_services
from elearn.courses.models import Enrolment, Lesson, SectionItem
from elearn.extensions import db
from tests.course_factories import lecturer_of, make_course

VN_NAME = "Nguyễn Thị Hồng Nhung"
VN_COURSE = "Học tập, quán triệt Nghị quyết Đại hội XIV của Đảng về chuyển đổi số"


def course_with_template(factory, admin, *, title: str = VN_COURSE, auto_issue: bool = False,
                         min_final_grade: float | None = None, valid_months: int | None = None, code: str = "TQ"):
    course = make_course(factory, title=title, publish=True, hours=24)
    template = services.save_template(admin, None, services.TemplateData(
        name=f"Mẫu {course.code}", title="GIẤY CHỨNG NHẬN", issuer_name="Trường Chính trị tỉnh Tuyên Quang",
        issuer_code=code, wording="Đã hoàn thành chương trình bồi dưỡng", signer_name="Trần Văn Bình",
        signer_title="Hiệu trưởng", place="Tuyên Quang", course_id=course.id, auto_issue=auto_issue,
        min_final_grade=min_final_grade, valid_months=valid_months))
    return course, template


def enrol(factory, course, user=None, **user_fields) -> Enrolment:
    user = user or factory.user(**user_fields)
    return course_services.enrol_person(lecturer_of(course), course, user)


def complete(enrolment: Enrolment) -> Enrolment:
    """View every lesson of the course as the learner (the default rule: every required lesson done)."""
    course = enrolment.course
    items = db.session.scalars(select(SectionItem).join(SectionItem.section)
                               .where(SectionItem.kind == "lesson")).all()
    for item in items:
        if item.section.course_id != course.id:
            continue
        lesson = db.session.get(Lesson, item.ref_id)
        course_services.record_view(enrolment.user, enrolment, lesson, item)
    db.session.refresh(enrolment)
    return enrolment


def completed_learner(factory, course, **user_fields) -> Enrolment:
    return complete(enrol(factory, course, **user_fields))


def issued(factory, admin, course, **user_fields):
    enrolment = completed_learner(factory, course, **user_fields)
    cert, _created = services.issue(admin, enrolment)
    return cert
