"""The yardstick of bench/quiz_load.py: a bare Flask + SQLAlchemy "save an answer" endpoint.

One indexed read (the attempt by its primary key, checking it belongs to the caller and is open) and one
upsert of the answer (INSERT ... ON CONFLICT DO UPDATE), committed before the answer is acknowledged:
the least any real save endpoint has to do. Served by gunicorn like the application:

    BARE_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/elearn_bench \
        .venv/bin/gunicorn -k gevent -w 2 bench.bare_app:app

Its two tables (bare_attempt, bare_answer) live in the benchmark's own database, next to the application's.
"""
from __future__ import annotations

import os

from flask import Flask, abort, jsonify, request
from sqlalchemy import Boolean, ForeignKey, Integer, String, create_engine, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class BareAttempt(Base):
    __tablename__ = "bare_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    open: Mapped[bool] = mapped_column(Boolean, default=True)


class BareAnswer(Base):
    __tablename__ = "bare_answer"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("bare_attempt.id", ondelete="CASCADE"), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    response: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(Integer, default=0)


def make_engine(url: str):
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def prepare(url: str, attempts: int) -> None:
    """(Re)create the two tables with `attempts` open attempts, ids 1..attempts, user_key "u<id>"."""
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(BareAttempt.__table__.insert(), [{"id": i, "user_key": f"u{i}", "open": True}
                                                     for i in range(1, attempts + 1)])
    engine.dispose()


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    engine = make_engine(url or os.environ["BARE_DATABASE_URL"])
    Session = sessionmaker(engine)

    @app.post("/bare/attempts/<int:attempt_id>/answers")
    def save(attempt_id: int):
        data = request.get_json(silent=True) or {}
        slot, response, seq = data.get("slot"), data.get("response"), data.get("seq", 0)
        if not isinstance(slot, int) or not isinstance(seq, int):
            abort(422)
        with Session() as session:
            attempt = session.scalar(select(BareAttempt).where(BareAttempt.id == attempt_id))
            if attempt is None or not attempt.open or attempt.user_key != request.headers.get("X-User", ""):
                abort(404)
            stmt = insert(BareAnswer).values(attempt_id=attempt_id, slot=slot, response=str(response)[:200], seq=seq)
            session.execute(stmt.on_conflict_do_update(
                index_elements=[BareAnswer.attempt_id, BareAnswer.slot],
                set_={"response": stmt.excluded.response, "seq": stmt.excluded.seq}))
            session.commit()
        return jsonify(saved=True, slot=slot)

    return app


app = create_app() if os.environ.get("BARE_DATABASE_URL") else None
