"""The audit log of admin actions: who, what, when, before and after."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.core import clock
from elearn.core.db import UTCDateTime
from elearn.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)  # e.g. "user.disable"
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[int | None] = mapped_column(Integer)
    target_label: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    ip: Mapped[str] = mapped_column(String(64), default="")

    actor = relationship("User", foreign_keys=[actor_id])


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Keep only the keys whose value changed."""
    keys = sorted(set(before) | set(after))
    changed = [k for k in keys if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


def record(actor, action: str, target=None, *, before: dict | None = None, after: dict | None = None,
           label: str = "", ip: str = "") -> AuditEntry:
    """Add an audit entry to the current unit of work (committed with it)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=getattr(target, "id", None),
        target_label=label or _label(target),
        before=before,
        after=after,
        ip=ip,
    )
    db.session.add(entry)
    return entry


def _label(target) -> str:
    if target is None:
        return ""
    for attr in ("username", "code", "name"):
        value = getattr(target, attr, None)
        if value:
            return str(value)[:200]
    return ""
