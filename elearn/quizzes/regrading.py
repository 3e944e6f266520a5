"""Rules of a regrade: may finished attempts move to another version of a question, and what changed.

Pure Python: no Flask, no database. As in Moodle, a regrade re-marks the stored responses; it never
changes what the learner answered. So the new version must read those responses the same way: the same
type, the same number of answers (responses are answer indexes) and, for matching, the same number of
pairs. A new text, new fractions, new feedback, a new tolerance or new short-answer patterns are fine:
that is what "fixing a question" means.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from elearn.courses.messages import N_, Message, msg

from .questions import QType, Question

__all__ = ["GradeChange", "grade_changes", "version_problem"]

EPSILON = 1e-6


def version_problem(old: Question, new: Question, name: str = "") -> Message | None:
    """Why attempts that used `old` cannot be re-marked with `new` (question `name`); None when they can."""
    if old.type != new.type:
        return msg(N_("“%(name)s” was not regraded: its type changed (%(old)s → %(new)s), so the stored answers "
                      "cannot be re-marked."), name=name, old=str(old.type), new=str(new.type))
    if new.type in (QType.MULTICHOICE, QType.TRUEFALSE) and len(old.answers) != len(new.answers):
        return msg(N_("“%(name)s” was not regraded: the number of answers changed (%(old)s → %(new)s), so the "
                      "stored choices would point at other answers."), name=name, old=len(old.answers),
                   new=len(new.answers))
    if new.type == QType.MATCHING and len(old.subquestions) != len(new.subquestions):
        return msg(N_("“%(name)s” was not regraded: the number of pairs changed (%(old)s → %(new)s), so the "
                      "stored answers cannot be re-marked."), name=name, old=len(old.subquestions),
                   new=len(new.subquestions))
    return None


@dataclass(frozen=True)
class GradeChange:
    attempt_id: int
    old: float | None
    new: float | None


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= EPSILON


def grade_changes(before: Mapping[int, float | None], after: Mapping[int, float | None],
                  order: Iterable[int] | None = None) -> list[GradeChange]:
    """The attempts whose grade differs between `before` and `after` (by attempt id), in `order` if given."""
    ids = list(order) if order is not None else sorted(before)
    return [GradeChange(i, before.get(i), after.get(i)) for i in ids if not _same(before.get(i), after.get(i))]
