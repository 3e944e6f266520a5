"""Who grades what: units and the unit heads delegated to grade their cadres, and the grading queue.

A unit head is a person a course's lecturer names as grader (GradingDelegate); they grade the cadres of their
own unit (from their profile) and of the units below it, in that course only. core/authz.py asks these lookups.
"""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.accounts.models import Profile, Unit, User
from elearn.assignments.domain import State
from elearn.assignments.models import Assignment, GradingDelegate, Submission
from elearn.assignments.services import _fail
from elearn.core import audit, notify
from elearn.courses.messages import N_
from elearn.courses.models import Course
from elearn.extensions import db


def _unit_chain(unit_id: int | None) -> list[int]:
    chain: list[int] = []
    while unit_id is not None and unit_id not in chain:
        chain.append(unit_id)
        unit_id = db.session.scalar(select(Unit.parent_id).where(Unit.id == unit_id))
    return chain


def subtree(unit_ids) -> set[int]:
    """The units and every unit below them."""
    found, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        frontier = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def delegated_units(user_id: int, course_id: int) -> set[int]:
    return set(db.session.scalars(select(GradingDelegate.unit_id).where(GradingDelegate.user_id == user_id,
                                                                        GradingDelegate.course_id == course_id)))


def is_delegate(user_id: int, course_id: int) -> bool:
    return bool(delegated_units(user_id, course_id))


def is_delegate_anywhere(user_id: int) -> bool:
    return db.session.scalar(select(GradingDelegate.id).where(GradingDelegate.user_id == user_id).limit(1)) is not None


def delegate_covers(user_id: int, course_id: int, author_id: int) -> bool:
    units = delegated_units(user_id, course_id)
    if not units:
        return False
    author_unit = db.session.scalar(select(Profile.unit_id).where(Profile.user_id == author_id))
    return bool(units & set(_unit_chain(author_unit)))


def delegates(course: Course) -> list[GradingDelegate]:
    return list(db.session.scalars(select(GradingDelegate).where(GradingDelegate.course_id == course.id)
                                   .order_by(GradingDelegate.id)))


def add_delegate(actor: User, course: Course, person: User) -> GradingDelegate:
    """Delegate grading of the cadres of `person`'s own unit (and the units below) to `person`."""
    if person.profile is None:
        raise _fail(N_("This person belongs to no unit."), "username")
    if person.id in course.lecturer_ids:
        raise _fail(N_("The course's lecturers grade every submission already."), "username")
    unit_id = person.profile.unit_id
    existing = db.session.scalar(select(GradingDelegate).where(
        GradingDelegate.course_id == course.id, GradingDelegate.user_id == person.id,
        GradingDelegate.unit_id == unit_id))
    if existing is not None:
        return existing
    row = GradingDelegate(course_id=course.id, user_id=person.id, unit_id=unit_id, created_by_id=actor.id)
    db.session.add(row)
    audit.record(actor, "assignment.delegate", course, after={"user_id": person.id, "unit_id": unit_id})
    notify.send([person.id], kind="grading_delegated", title=f"Được giao chấm bài: {course.title}"[:300],
                body="Anh/chị được giao chấm bài thu hoạch của cán bộ trong đơn vị.", url="/my/grading")
    db.session.commit()
    return row


def remove_delegate(actor: User, row: GradingDelegate) -> None:
    audit.record(actor, "assignment.undelegate", row, before={"user_id": row.user_id, "unit_id": row.unit_id})
    db.session.delete(row)
    db.session.commit()


def gradable_filter(actor: User, assignment: Assignment):
    """A WHERE clause over Submission: the rows `actor` may grade (None: all of them)."""
    from elearn.core import authz

    if authz.can(actor, "assignment.manage", assignment.course):
        return None
    units = subtree(delegated_units(actor.id, assignment.course_id))
    return Submission.user_id.in_(select(Profile.user_id).where(Profile.unit_id.in_(units or [0])))


QUEUE_STATUSES = ("to_grade", "graded", "draft", "all")


def queue_query(actor: User, assignment: Assignment, *, status: str = "to_grade", unit_id: int | None = None,
                late: bool | None = None):
    """Submissions for the grading queue, oldest submission first."""
    stmt = select(Submission).join(User, User.id == Submission.user_id).where(
        Submission.assignment_id == assignment.id, Submission.user_id != actor.id)
    only = gradable_filter(actor, assignment)
    if only is not None:
        stmt = stmt.where(only)
    if status == "to_grade":
        stmt = stmt.where(Submission.state == State.SUBMITTED)
    elif status in (State.GRADED, State.DRAFT):
        stmt = stmt.where(Submission.state == status)
    if unit_id is not None:
        stmt = stmt.where(Submission.user_id.in_(select(Profile.user_id).where(Profile.unit_id.in_(subtree([unit_id])))))
    if late is not None:
        stmt = stmt.where(Submission.late.is_(late))
    return stmt.order_by(Submission.submitted_at.is_(None), Submission.submitted_at, User.search_name, Submission.id)


def queue_counts(actor: User, assignment: Assignment) -> dict[str, int]:
    """Submissions per state that `actor` may grade, and "not_started": their learners with no submission yet."""
    from elearn.courses.models import Enrolment

    stmt = select(Submission.state, func.count()).where(Submission.assignment_id == assignment.id,
                                                         Submission.user_id != actor.id)
    only = gradable_filter(actor, assignment)
    if only is not None:
        stmt = stmt.where(only)
    counts = dict(db.session.execute(stmt.group_by(Submission.state)).all())
    learners = select(func.count()).select_from(Enrolment).where(
        Enrolment.course_id == assignment.course_id, Enrolment.state == "active", Enrolment.user_id != actor.id,
        Enrolment.user_id.not_in(select(Submission.user_id).where(Submission.assignment_id == assignment.id)))
    if only is not None:
        units = subtree(delegated_units(actor.id, assignment.course_id))
        learners = learners.where(Enrolment.user_id.in_(select(Profile.user_id).where(Profile.unit_id.in_(units or [0]))))
    counts["not_started"] = db.session.scalar(learners) or 0
    return counts

