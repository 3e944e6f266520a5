"""How bench/quiz_load.py talks to the application: quiz set-up through the services, and the JSON attempt API
(elearn/api/quizzes.py) that a mobile client uses: start, save answers, submit."""
from __future__ import annotations

from dataclasses import dataclass

QUESTIONS = 20
CHOICES = 4  # each bench question: one right answer, three wrong ones


def make_quiz(qs, lecturer, course, title: str, open_at, close_at, attempts_allowed: int = 1) -> int:
    """A 20-question quiz, every question fixed, all on one page, no time limit (the bench decides when to submit)."""
    from sqlalchemy import select

    from elearn.courses.models import Section
    from elearn.extensions import db
    from elearn.quizzes.models import BankQuestion

    section = db.session.scalars(select(Section).where(Section.course_id == course.id)).first()
    quiz = qs.create_quiz(lecturer, course, section, qs.QuizSettings(
        title=title, open_at=open_at, close_at=close_at, attempts_allowed=attempts_allowed, questions_per_page=0,
        autosave_seconds=10))
    ids = db.session.scalars(select(BankQuestion.id).where(BankQuestion.course_id == course.id)
                             .order_by(BankQuestion.id)).all()
    qs.set_slots(lecturer, quiz, [qs.SlotSpec(question_id=i, mark=1.0) for i in ids[:QUESTIONS]])
    return quiz.id


@dataclass
class Started:
    attempt_id: int
    slots: list[int]


def start_path(quiz_id: int) -> str:
    return f"/api/v1/quizzes/{quiz_id}/attempts"


def save_path(attempt_id: int) -> str:
    return f"/api/v1/attempts/{attempt_id}/answers"


def submit_path(attempt_id: int) -> str:
    return f"/api/v1/attempts/{attempt_id}/submit"


def parse_start(body: dict) -> Started:
    """The API answers a start with the attempt: its id and how many questions it has (slots 1..n)."""
    return Started(int(body["id"]), list(range(1, int(body["questions"]) + 1)))


def save_body(slot: int, position: int, seq: int) -> dict:
    """Choose the answer shown at `position` (0..3) for `slot`, under the client sequence number `seq`."""
    return {"answers": {str(slot): position}, "seq": seq}


def save_acknowledged(body: dict, seq: int) -> bool:
    return int(body.get("seq", -1)) >= seq
