"""Commitments as data: the action plan of a submitted reflection essay kept as the cadre's list of commitments
(one row per item), queryable per cadre, so that a follow-up evaluation at work can show them to their unit head.
"""
from __future__ import annotations

import re

from sqlalchemy import delete, select

from elearn.accounts.models import User
from elearn.assignments import domain
from elearn.assignments.grading import delegate_covers
from elearn.assignments.models import Assignment, Commitment, Submission
from elearn.core import clock, html
from elearn.courses.models import Course
from elearn.extensions import db

_BLOCK_END = re.compile(r"</(?:li|p|h[2-4]|blockquote|pre|td|tr)>|<br\s*/?>", re.IGNORECASE)


def _blocks(stored_html: str) -> list[str]:
    """The visible text of each block (list item, paragraph, line) of sanitised HTML."""
    return [html.text_only(part) for part in _BLOCK_END.split(stored_html or "")]


def store_commitments(assignment: Assignment, submission: Submission) -> list[Commitment]:
    """Keep the action plan of a submitted reflection essay as the cadre's commitments (replacing earlier ones)."""
    db.session.execute(delete(Commitment).where(Commitment.submission_id == submission.id))
    lines = domain.commitment_lines(_blocks((submission.sections or {}).get("commitments", "")))
    rows = [Commitment(user_id=submission.user_id, submission_id=submission.id, course_id=assignment.course_id,
                       position=n, text=text, created_at=submission.submitted_at or clock.now())
            for n, text in enumerate(lines, 1)]
    db.session.add_all(rows)
    return rows


def commitments_of(user_id: int) -> list[Commitment]:
    """A cadre's commitments, newest essay first, in the order written."""
    return list(db.session.scalars(select(Commitment).where(Commitment.user_id == user_id)
                                   .order_by(Commitment.created_at.desc(), Commitment.submission_id.desc(),
                                             Commitment.position)))


def may_see_commitments(viewer: User, person_id: int) -> bool:
    """Besides the cadre and administrators: the graders of a course where the cadre wrote commitments
    (its lecturers, or a unit head delegated for the cadre's unit)."""
    course_ids = set(db.session.scalars(select(Commitment.course_id).where(Commitment.user_id == person_id)))
    for course_id in course_ids:
        course = db.session.get(Course, course_id)
        if viewer.id in course.lecturer_ids or delegate_covers(viewer.id, course_id, person_id):
            return True
    return False
