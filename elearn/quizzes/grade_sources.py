"""Grade sources: the activities that feed the course gradebook register here (quizzes, assignments, ...).

A source knows its own models; the gradebook only knows the pure shapes of gradebook.py (columns, cells).
Each source registers once at import (quizzes in grading_services.py, assignments in assignments/provider.py),
and the gradebook pages, exports and the `final_grade` fact ask the registry, never a source's internals.
Columns come source by source (by the source's `order`), each source in its own order.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .gradebook import AnyColumn, GradeCell, Key


class GradeSource(Protocol):
    name: str  # the column source ("quiz", "assignment")
    order: int  # sources' columns come in this order (quizzes 10, assignments 20)

    def columns(self, course) -> list[AnyColumn]:
        """The course's graded activities of this kind, as gradebook columns."""

    def cells(self, columns: list[AnyColumn], user_ids: list[int]) -> dict[tuple[Key, int], GradeCell]:
        """(column key, user id) -> the learner's cell; a learner without any work on it may be left out."""


_SOURCES: dict[str, GradeSource] = {}


def register(source: GradeSource) -> None:
    _SOURCES[source.name] = source


def sources() -> list[GradeSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.name))


def course_columns(course) -> list[AnyColumn]:
    return [column for source in sources() for column in source.columns(course)]


def course_cells(columns: Iterable[AnyColumn], user_ids: list[int]) -> dict[tuple[Key, int], GradeCell]:
    """Every learner's cells over the given columns, each source asked once for its own columns."""
    columns = list(columns)
    out: dict[tuple[Key, int], GradeCell] = {}
    if not user_ids:
        return out
    for source in sources():
        mine = [c for c in columns if c.source == source.name]
        if mine:
            out.update(source.cells(mine, user_ids))
    return out
