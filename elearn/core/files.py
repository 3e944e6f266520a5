"""Stored files: kept outside static/ under generated names, served only through permission-checked routes."""
from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from flask import current_app, send_file
from sqlalchemy import BigInteger, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from elearn.core import clock
from elearn.core.db import UTCDateTime
from elearn.extensions import db

logger = logging.getLogger(__name__)


class StoredFile(db.Model):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random name on disk (no extension, no user input): instance/files/ab/abcdef...
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))  # sanitised display/download name
    content_type: Mapped[str] = mapped_column(String(100))  # detected from the content, not trusted from the client
    kind: Mapped[str] = mapped_column(String(20))  # document / image / video / spreadsheet / archive
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # What the file belongs to, for permission checks on download ("course", "lesson", ...).
    attached_type: Mapped[str] = mapped_column(String(30), default="")
    attached_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


# --- where stored files live, and how they are served ------------------------------------------
# Receiving an upload (type detection, limits, names) is in core/uploads.py; permission checks stay
# in each feature's route, which calls send_stored() only after authz has said yes.

_KEY_RE = re.compile(r"[0-9a-f]{40}")

# The response to a stored file can never run anything: no scripts, no plugins, no requests.
SANDBOX_CSP = "default-src 'none'; sandbox"
# Browsers show PDFs with a built-in viewer that a CSP sandbox blocks outright (Chromium and Firefox:
# "no way to enable PDF rendering while keeping sandbox on") and whose page needs inline styles. An inline
# PDF is therefore not sandboxed; it can still load nothing, and only this site may frame it.
PDF_INLINE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
INLINE_KINDS = frozenset({"image", "video"})


def files_root() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "files"


def path_of(file: StoredFile) -> Path:
    """The file's place on disk: <instance>/files/<key[:2]>/<key>. Refuses a key that is not ours."""
    key = file.storage_key or ""
    if not _KEY_RE.fullmatch(key):
        raise ValueError(f"invalid storage key {key!r}")
    return files_root() / key[:2] / key


def download_name(file: StoredFile) -> str:
    """The stored name, with the extension of the DETECTED type (never the one the client sent)."""
    from elearn.core.uploads import extension_for

    ext = extension_for(file.content_type)
    name = file.original_name or ""
    if not ext or name.lower().endswith(ext):
        return name or "tep"
    return (name.rsplit(".", 1)[0] if "." in name else name) + ext


def is_inline(file: StoredFile) -> bool:
    return file.kind in INLINE_KINDS or file.content_type == "application/pdf"


def send_stored(file: StoredFile, *, as_attachment: bool = False, max_age: int = 3600):
    """Serve a stored file (call only after the feature's permission check).

    PDF, images and video are shown inline unless `as_attachment`; anything else is always a
    download. Range requests get 206 / 416, If-None-Match gets 304 (the ETag is the SHA-256),
    the Vietnamese name travels as filename*=UTF-8''..., and caches may keep it only privately.
    """
    inline = not as_attachment and is_inline(file)
    response = send_file(
        path_of(file),
        mimetype=file.content_type,
        as_attachment=not inline,
        download_name=download_name(file),
        conditional=True,
        etag=file.sha256,
        max_age=max_age,
    )
    response.cache_control.public = False
    response.cache_control.private = True
    if inline and file.content_type == "application/pdf":
        response.headers["Content-Security-Policy"] = PDF_INLINE_CSP
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response.headers["Content-Security-Policy"] = SANDBOX_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def delete_stored(file: StoredFile) -> None:
    """Delete the row; the bytes go when the transaction commits (and stay if it rolls back)."""
    path = path_of(file)
    db.session.delete(file)
    _pending(db.session, "deleted").append(path)


# --- keeping disk and database in step ---------------------------------------------------------
# A file written by save_upload() is only kept if the transaction that adds its row commits; a file
# whose row is deleted is only removed once that deletion commits.

def track_new(session: Session, path: Path) -> None:
    _pending(session, "new").append(path)


def _pending(session: Session, what: str) -> list[Path]:
    return session.info.setdefault(f"elearn_files_{what}", [])


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # a file we cannot remove is an orphan, not an error for the person
            logger.warning("could not remove stored file %s", path, exc_info=True)


@event.listens_for(Session, "after_commit")
def _files_after_commit(session: Session) -> None:
    session.info.pop("elearn_files_new", None)
    _unlink_all(session.info.pop("elearn_files_deleted", []))


@event.listens_for(Session, "after_transaction_end")
def _files_after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is not None:  # a flush or a savepoint, not the whole transaction
        return
    # Still pending here means the transaction ended without committing (rollback or close).
    session.info.pop("elearn_files_deleted", None)
    _unlink_all(session.info.pop("elearn_files_new", []))
