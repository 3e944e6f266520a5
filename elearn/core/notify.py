"""Send notifications: always in-app; by e-mail too when SMTP is configured."""
from __future__ import annotations

import smtplib
import threading
from collections.abc import Iterable
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from elearn.core.notifications import Notification
from elearn.extensions import db


def send(user_ids: Iterable[int], *, kind: str, title: str, body: str = "", url: str = "",
         email: bool = True) -> int:
    """Add one notification per person to the unit of work (the caller commits); e-mail after commit.

    `email=False`: in-app only (e.g. forum posts, which reach people by e-mail in the daily digest)."""
    ids = sorted(set(user_ids))
    for uid in ids:
        db.session.add(Notification(user_id=uid, kind=kind, title=title[:300], body=body[:5000], url=url[:500]))
    if ids and email and current_app.config.get("SMTP_HOST"):
        from elearn.accounts.models import User

        emails = [e for e in db.session.scalars(select(User.email).where(User.id.in_(ids), User.active.is_(True))) if e]
        _mail_later(current_app._get_current_object(), emails, title, body, url)
    return len(ids)


def _mail_later(app, emails: list[str], subject: str, body: str, url: str) -> None:
    if not emails:
        return
    base = app.config.get("SITE_URL", "").rstrip("/")

    def work():
        try:
            with smtplib.SMTP(app.config["SMTP_HOST"], app.config.get("SMTP_PORT", 25), timeout=30) as smtp:
                if app.config.get("SMTP_STARTTLS"):
                    smtp.starttls()
                if app.config.get("SMTP_USER"):
                    smtp.login(app.config["SMTP_USER"], app.config.get("SMTP_PASSWORD", ""))
                for address in emails:
                    message = EmailMessage()
                    message["Subject"] = subject
                    message["From"] = app.config.get("MAIL_FROM", "elearn@localhost")
                    message["To"] = address
                    message.set_content(f"{body}\n\n{base}{url}" if url else body)
                    smtp.send_message(message)
        except (OSError, smtplib.SMTPException):
            app.logger.exception("sending notification e-mail failed")

    if app.config.get("RUN_JOBS_INLINE"):
        work()
    else:
        threading.Thread(target=work, daemon=True).start()


def unread_count(user_id: int) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0
