"""Long-running work with progress that survives the request (imports, bulk issue, exports)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.core import clock
from elearn.core.db import UTCDateTime
from elearn.extensions import db


class Job(db.Model):
    """One background job; the page that started it polls its progress."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "people_import"
    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending/running/done/failed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # what the job works on
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # counts and messages when finished
    error: Mapped[str] = mapped_column(String(1000), default="")

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0


def start(job: Job, work: Callable[[int], None]) -> None:
    """Run work(job_id) after the job row is committed: inline in tests, in a thread otherwise.

    Work reopens the job by id, updates `done` as it goes and sets the final state itself.
    """
    db.session.commit()
    app = current_app._get_current_object()
    if app.config.get("RUN_JOBS_INLINE"):
        _run(app, job.id, work)
        return
    threading.Thread(target=_run, args=(app, job.id, work), daemon=True, name=f"job-{job.id}").start()


def _run(app: Flask, job_id: int, work: Callable[[int], None]) -> None:
    with app.app_context():
        try:
            work(job_id)
        except Exception as exc:  # the job records its failure; nothing is half-written
            db.session.rollback()
            job = db.session.get(Job, job_id)
            job.state = "failed"
            job.error = str(exc)[:1000]
            job.finished_at = clock.now()
            db.session.commit()
            app.logger.exception("job %s failed", job_id)
        finally:
            db.session.remove()
