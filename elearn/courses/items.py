"""Section items: the plug-in point for everything that appears in a course's flow.

A provider knows one `kind` of item (lesson here; quizzes, live sessions, assignments and forums register
theirs from their own packages). The course pages, progress and completion only talk to providers, so a new
kind plugs in without changing courses code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import url_for
from sqlalchemy import select

from elearn.extensions import db


@dataclass(frozen=True)
class ItemView:
    """What the course outline shows for one item."""

    title: str
    url: str
    kind_label: str  # msgid, translated by the template
    icon: str  # a short text marker, e.g. "page", "video" (CSS class)


class ItemProvider(Protocol):
    kind: str

    def views(self, ref_ids: list[int]) -> dict[int, ItemView]:
        """Outline entries for these ids (missing ids: the item's target was deleted)."""

    def completed(self, ref_ids: list[int], user_id: int) -> set[int]:
        """Which of these ids the person has completed."""

    def delete(self, ref_id: int) -> None:
        """Remove the item's own row when the item is removed from the course."""

    def copy(self, ref_id: int, new_course_id: int) -> int:
        """Copy the item's target into another course; returns the new ref id."""


_PROVIDERS: dict[str, ItemProvider] = {}


def register(provider: ItemProvider) -> None:
    _PROVIDERS[provider.kind] = provider


def provider(kind: str) -> ItemProvider | None:
    return _PROVIDERS.get(kind)


def kinds() -> list[str]:
    return sorted(_PROVIDERS)


class LessonProvider:
    kind = "lesson"

    def views(self, ref_ids: list[int]) -> dict[int, ItemView]:
        from elearn.courses.catalog import LESSON_KIND_LABELS
        from elearn.courses.models import Lesson

        if not ref_ids:
            return {}
        rows = db.session.execute(select(Lesson.id, Lesson.title, Lesson.kind, Lesson.course_id)
                                  .where(Lesson.id.in_(ref_ids))).all()
        return {
            row.id: ItemView(title=row.title,
                             url=url_for("courses.lesson", course_id=row.course_id, lesson_id=row.id),
                             kind_label=LESSON_KIND_LABELS.get(row.kind, row.kind), icon=row.kind)
            for row in rows
        }

    def completed(self, ref_ids: list[int], user_id: int) -> set[int]:
        from elearn.courses.models import LessonProgress

        if not ref_ids:
            return set()
        return set(db.session.scalars(
            select(LessonProgress.lesson_id).where(LessonProgress.user_id == user_id,
                                                   LessonProgress.lesson_id.in_(ref_ids),
                                                   LessonProgress.completed_at.is_not(None))
        ))

    def delete(self, ref_id: int) -> None:
        from elearn.courses.models import Lesson

        lesson = db.session.get(Lesson, ref_id)
        if lesson is not None:
            db.session.delete(lesson)

    def copy(self, ref_id: int, new_course_id: int) -> int:
        from elearn.courses.models import Lesson

        src = db.session.get(Lesson, ref_id)
        clone = Lesson(course_id=new_course_id, title=src.title, kind=src.kind, body=src.body, file_id=src.file_id,
                       url=src.url, completion_mode=src.completion_mode, video_threshold=src.video_threshold,
                       minutes=src.minutes)
        db.session.add(clone)
        db.session.flush()
        return clone.id


register(LessonProvider())
