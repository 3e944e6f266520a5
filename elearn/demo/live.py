"""Demo live classes: for the Resolution 57 course, a class held last week (attendance, chat, questions,
a poll), one tomorrow morning with slides, and an in-person class at the provincial Political School.

Idempotent: when the course already has live sessions, nothing changes.
"""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from elearn.core import clock
from elearn.courses.models import Course, Enrolment, Section
from elearn.extensions import db
from elearn.live import services
from elearn.live.models import LivePresence, LiveSession
from elearn.live.services import SessionData

COURSE_CODE = "BD-NQ57"

CHAT = ("Em chào thầy, em ở xã Minh Quang đã vào lớp.", "Mạng ở xã hơi chậm nhưng vẫn nghe rõ ạ.",
        "Thầy cho em xin tài liệu phần dữ liệu số ạ.", "Cảm ơn thầy, bài hôm nay rất thiết thực.")
QUESTIONS = ("Cấp xã cần chuẩn bị gì để triển khai Nghị quyết 57 trong năm nay?",
             "Cán bộ không chuyên trách có được cử đi học về chuyển đổi số không ạ?")


def _local(day: datetime, hour: int, minute: int = 0) -> datetime:
    local = datetime.combine(clock.to_local(day).date(), time(hour, minute), tzinfo=clock.LOCAL_TZ)
    return local.astimezone(clock.now().tzinfo)


def seed_live() -> str:
    course = db.session.scalar(select(Course).where(Course.code == COURSE_CODE))
    if course is None or not course.sections or not course.lecturer_links:
        return "Demo live sessions not added: the demo course BD-NQ57 was not found."
    if db.session.scalar(select(LiveSession.id).where(LiveSession.course_id == course.id).limit(1)) is not None:
        return "Demo live sessions already present; nothing changed."
    lecturer = course.lecturer_links[0].user
    section: Section = course.sections[-1]
    learners = list(db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id,
                                                               Enrolment.state == "active").order_by(Enrolment.id)))
    people = [e.user for e in learners]
    slides = services.slide_lessons(course)
    now = clock.now()
    rng = random.Random(57)

    past_start = _local(now - timedelta(days=7), 8)
    past = services.create_session(lecturer, course, section, SessionData(
        title="Lớp trực tuyến: Những điểm mới của Nghị quyết 57-NQ/TW", starts_at=past_start,
        ends_at=past_start + timedelta(minutes=90), threshold_percent=75,
        description="<p>Giảng viên trình bày, học viên hỏi đáp trực tiếp.</p>"))
    with clock.freeze(past_start + timedelta(minutes=5)):
        for text, person in zip(CHAT, people, strict=False):
            services.chat(past, person, text)
        for text, person in zip(QUESTIONS, people[4:], strict=False):
            services.ask(past, person, text)
        poll = services.open_poll(past, lecturer, "Đơn vị đồng chí đã có kế hoạch chuyển đổi số năm nay chưa?",
                                  ["Đã có", "Đang xây dựng", "Chưa có"])
        for person in people[:20]:
            services.vote(past, person, poll.ack["id"], rng.choice([0, 1, 1, 2]))
        services.close_poll(past, lecturer, poll.ack["id"])
    present = 0
    for person in people:
        fate = rng.random()
        if fate < 0.15:
            continue  # absent
        arrive = rng.choice([0, 2, 5, 8, 14, 25]) if fate < 0.9 else 40
        leave = 90 if fate < 0.8 else rng.choice([50, 70])
        db.session.add(LivePresence(session_id=past.id, user_id=person.id, sid="demo",
                                    joined_at=past_start + timedelta(minutes=arrive - 3),
                                    left_at=past_start + timedelta(minutes=leave),
                                    seen_at=past_start + timedelta(minutes=leave)))
        present += 1
    db.session.commit()

    tomorrow = _local(now + timedelta(days=1), 8)
    services.create_session(lecturer, course, section, SessionData(
        title="Lớp trực tuyến: Dữ liệu số và chính quyền số cấp xã", starts_at=tomorrow,
        ends_at=tomorrow + timedelta(minutes=90), slide_lesson_id=slides[0].id if slides else None,
        description="<p>Học viên vào lớp bằng điện thoại; có trình chiếu tài liệu và thăm dò ý kiến.</p>"))
    hall = _local(now + timedelta(days=7), 7, 30)
    services.create_session(lecturer, course, section, SessionData(
        title="Lớp trực tiếp tại Trường Chính trị tỉnh", starts_at=hall, ends_at=hall + timedelta(hours=4),
        in_person=True, location="Hội trường A, Trường Chính trị tỉnh", threshold_percent=80, late_after_minutes=15))
    return (f"Demo live sessions: 3 in {COURSE_CODE} (one held last week with {present} of {len(people)} "
            "learners attending, one tomorrow, one in person next week).")
