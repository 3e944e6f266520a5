"""Live sessions in a course's section flow (provider "live") and in its completion facts (FACT_HOOKS)."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from elearn.courses import items
from elearn.courses import services as course_services
from elearn.extensions import db
from elearn.live import domain, services
from elearn.live.models import LiveSession


class LiveProvider:
    kind = "live"

    def views(self, ref_ids: list[int]) -> dict[int, items.ItemView]:
        if not ref_ids:
            return {}
        rows = db.session.execute(select(LiveSession.id, LiveSession.title).where(LiveSession.id.in_(ref_ids))).all()
        return {row.id: items.ItemView(title=row.title, url=url_for("live.session_page", session_id=row.id),
                                       kind_label=domain.N_("Live session"), icon="live") for row in rows}

    def completed(self, ref_ids: list[int], user_id: int) -> set[int]:
        return services.attended_ids(ref_ids, user_id)

    def delete(self, ref_id: int) -> None:
        services.delete_session(ref_id)

    def copy(self, ref_id: int, new_course_id: int) -> int:
        return services.copy_session(ref_id, new_course_id)


def register() -> None:
    if items.provider(LiveProvider.kind) is None:
        items.register(LiveProvider())
    course_services.add_fact_hook(services.completion_facts, {"live_sessions"})
