"""Assignments in a course's flow (section items) and in its completion rules (FACT_HOOKS)."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from elearn.assignments import grade_source  # noqa: F401  (registers assignments with the course gradebook)
from elearn.assignments.domain import TEMPLATE_LABELS
from elearn.assignments.models import Assignment, Grade, Submission
from elearn.courses import items
from elearn.courses import services as course_services
from elearn.extensions import db


class AssignmentProvider:
    kind = "assignment"

    def views(self, ref_ids: list[int]) -> dict[int, items.ItemView]:
        if not ref_ids:
            return {}
        rows = db.session.execute(select(Assignment.id, Assignment.title, Assignment.template)
                                  .where(Assignment.id.in_(ref_ids))).all()
        return {row.id: items.ItemView(title=row.title, url=url_for("assignments.show", assignment_id=row.id),
                                       kind_label=TEMPLATE_LABELS.get(row.template, row.template), icon="assignment")
                for row in rows}

    def completed(self, ref_ids: list[int], user_id: int) -> set[int]:
        """An assignment counts as done once it is graded as passed."""
        if not ref_ids:
            return set()
        return set(db.session.scalars(
            select(Submission.assignment_id).join(Grade, Grade.submission_id == Submission.id)
            .where(Submission.user_id == user_id, Submission.assignment_id.in_(ref_ids), Grade.passed.is_(True))))

    def delete(self, ref_id: int) -> None:
        """The assignment goes with its submissions, grades and pairs (database cascade) and their files."""
        from elearn.core.files import delete_stored

        assignment = db.session.get(Assignment, ref_id)
        if assignment is None:
            return
        files = []
        for submission in db.session.scalars(select(Submission).where(Submission.assignment_id == ref_id)).all():
            files += [link.file for link in submission.files]
            db.session.delete(submission)  # its file links and grade go with it
        db.session.flush()
        for file in files:
            delete_stored(file)
        db.session.delete(assignment)

    def copy(self, ref_id: int, new_course_id: int) -> int:
        src = db.session.get(Assignment, ref_id)
        skip = {"id", "course_id", "similarity_checked_at", "created_at"}
        clone = Assignment(course_id=new_course_id, **{c.key: getattr(src, c.key)
                                                       for c in Assignment.__table__.columns if c.key not in skip})
        db.session.add(clone)
        db.session.flush()
        return clone.id


def _facts(course, user_id: int) -> dict:
    from elearn.assignments.services import completion_facts

    return completion_facts(course, user_id)


items.register(AssignmentProvider())
course_services.add_fact_hook(_facts, {"assignments_passed", "course_assignment_ids"})
