"""Data for bench/quiz_load.py: N learners with API tokens, enrolled in one course that has a 20-question quiz.

Run inside the application (`python -m bench.quiz_seed --learners N --out FILE` with the benchmark's
DATABASE_URL): people, tokens and enrolments are bulk-inserted (creating 5,000 accounts one by one through
the services would take minutes of Argon2 hashing and is not what is measured); the course, the questions
and the quizzes go through the real services. Writes {"tokens": [...], "quiz_id", "saturation_quiz_id",
"course_id"} as JSON.
"""
from __future__ import annotations

import argparse
import json
import secrets
from datetime import timedelta

QUESTIONS = 20


def _learners(n: int) -> list[str]:
    from sqlalchemy import insert, select

    from elearn.accounts.models import ApiToken, User
    from elearn.core import clock, tokens
    from elearn.extensions import db

    now = clock.now()
    db.session.execute(insert(User), [
        {"username": f"bench{i:05d}", "full_name": f"Học viên thử tải {i}", "search_name": f"hoc vien thu tai {i}",
         "password_hash": None, "active": True, "created_at": now} for i in range(n)])
    ids = db.session.scalars(select(User.id).where(User.username.like("bench%")).order_by(User.username)).all()
    secrets_ = [tokens.new_token("elt_") for _ in ids]
    db.session.execute(insert(ApiToken), [
        {"user_id": uid, "name": "bench", "prefix": s[:10], "token_hash": tokens.digest(s), "created_at": now,
         "last_used_at": now} for uid, s in zip(ids, secrets_, strict=True)])
    db.session.commit()
    return secrets_


def _course(learner_tokens: list[str]):
    from sqlalchemy import insert, select

    from elearn.accounts import services as accounts
    from elearn.accounts.models import ApiToken
    from elearn.core import clock, tokens
    from elearn.courses import services
    from elearn.courses.catalog import CourseState, LessonKind
    from elearn.courses.models import Enrolment
    from elearn.extensions import db

    lecturer = accounts.create_user(None, username=f"bench_lecturer_{secrets.token_hex(3)}",
                                    full_name="Giảng viên thử tải", email=None, roles={"lecturer"}, profile=None)
    course = services.create_course(lecturer, services.CourseData(code=f"BENCH{secrets.token_hex(3).upper()}",
                                                                  title="Khoá học thử tải bài kiểm tra"))
    section = services.add_section(lecturer, course, "Phần 1")
    services.add_lesson(lecturer, section, services.LessonData(title="Bài đọc", kind=LessonKind.PAGE,
                                                               body="<p>Nội dung.</p>"))
    services.set_state(lecturer, course, CourseState.PUBLISHED)
    hashes = [tokens.digest(s) for s in learner_tokens]
    user_ids = db.session.scalars(select(ApiToken.user_id).where(ApiToken.token_hash.in_(hashes))).all()
    now = clock.now()
    db.session.execute(insert(Enrolment), [{"course_id": course.id, "user_id": uid, "method": "manual",
                                            "enrolled_at": now, "in_target": True, "state": "active",
                                            "progress": 0.0, "outside_reason": ""} for uid in user_ids])
    db.session.commit()
    return lecturer, course


def _questions(lecturer, course) -> None:
    from elearn.quizzes import services as bank

    text = "\n\n".join(
        f"::Câu {i + 1}:: Câu hỏi thử tải số {i + 1}: chọn đáp án đúng. {{=Đúng ~Sai một ~Sai hai ~Sai ba}}"
        for i in range(QUESTIONS))
    counts = bank.import_confirm(lecturer, course, text.encode(), "bench.gift", "gift")
    assert counts.imported == QUESTIONS, counts


def _quizzes(lecturer, course, duration_seconds: int) -> tuple[int, int]:
    from elearn.core import clock
    from elearn.quizzes import quiz_services as qs

    from .quiz_api import make_quiz

    now = clock.now()
    main = make_quiz(qs, lecturer, course, "Bài kiểm tra thử tải", now, now + timedelta(seconds=duration_seconds))
    saturation = make_quiz(qs, lecturer, course, "Bài kiểm tra đo thông lượng", now,
                           now + timedelta(seconds=duration_seconds))
    return main, saturation


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, required=True)
    parser.add_argument("--duration", type=int, default=3600, help="how long the quizzes stay open (s)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from elearn import create_app

    app = create_app()
    with app.app_context():
        learner_tokens = _learners(args.learners)
        lecturer, course = _course(learner_tokens)
        _questions(lecturer, course)
        quiz_id, saturation_id = _quizzes(lecturer, course, args.duration)
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump({"tokens": learner_tokens, "quiz_id": quiz_id, "saturation_quiz_id": saturation_id,
                       "course_id": course.id}, fh)


if __name__ == "__main__":
    main()
