"""Assignments as a source of the course gradebook (see elearn/quizzes/grade_sources.py).

One column per assignment of the course, in outline order. A rubric or a score gives points out of the
assignment's maximum (a grade given under another maximum is rescaled to the current one); pass/fail gives no
points, only passed or not. A draft counts as not submitted; submitted work waiting for a grader is pending;
`late` comes from the last submission.
"""
from __future__ import annotations

from flask import has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.extensions import db
from elearn.quizzes import grade_sources
from elearn.quizzes.gradebook import Column, GradeCell, rescale

from . import domain
from .domain import State
from .models import Assignment, Submission

SOURCE = "assignment"


def column_of(assignment: Assignment) -> Column:
    criteria = domain.rubric_from_json(assignment.rubric) if assignment.rubric else ()
    top = domain.max_points(assignment.grading, criteria, assignment.max_score)
    url = url_for("assignments.queue", assignment_id=assignment.id) if has_request_context() else ""
    return Column(SOURCE, assignment.id, assignment.title, max_grade=top, pass_mark=assignment.pass_score, url=url)


def cell_of(submission: Submission, column: Column) -> GradeCell:
    if submission.state == State.DRAFT:
        return GradeCell(None, attempts=submission.times_submitted)
    late = bool(submission.late)
    grade = submission.grade
    if submission.state != State.GRADED or grade is None:
        return GradeCell(None, pending=True, attempts=submission.times_submitted, late=late)
    score = None if column.pass_fail else rescale(grade.score, grade.max_score, column.max_grade)
    return GradeCell(score, passed=bool(grade.passed), attempts=submission.times_submitted, graded_flag=True, late=late)


class AssignmentGradeSource:
    name = SOURCE
    order = 20  # after the quizzes

    def columns(self, course) -> list[Column]:
        from .services import course_assignments

        return [column_of(a) for a in course_assignments(course, include_hidden=True)]

    def cells(self, columns, user_ids: list[int]) -> dict:
        by_id = {c.ref_id: c for c in columns}
        rows = db.session.scalars(select(Submission).options(selectinload(Submission.grade))
                                  .where(Submission.assignment_id.in_(list(by_id)), Submission.user_id.in_(user_ids)))
        return {((SOURCE, s.assignment_id), s.user_id): cell_of(s, by_id[s.assignment_id]) for s in rows}


grade_sources.register(AssignmentGradeSource())
