"""The daily e-mail digest of new forum posts: `flask --app wsgi forums send-digest` (run it from cron).

Each person with an e-mail address gets one message listing the posts written since their last digest in the
threads and forums they follow (their own posts, deleted posts and posts the Q&A rule hides from them left
out). Nothing is sent and no bookmark moves when SMTP is not configured: in-app notifications are enough then.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from elearn.accounts.models import User
from elearn.core import clock, html
from elearn.extensions import db
from elearn.forums import services
from elearn.forums.models import DigestMark, Post, Subscription, Thread

MAX_POSTS = 50  # per message; the rest waits for the next day's digest


@dataclass
class Digest:
    user: User
    posts: list[Post] = field(default_factory=list)


def pending(user: User) -> list[Post]:
    """The posts this person has not received in a digest yet, oldest first."""
    subs = list(db.session.scalars(select(Subscription).where(Subscription.user_id == user.id)))
    if not subs:
        return []
    since = {(s.target, s.ref_id): s.created_at for s in subs}
    threads = [s.ref_id for s in subs if s.target == "thread"]
    forums = [s.ref_id for s in subs if s.target == "forum"]
    mark = db.session.get(DigestMark, user.id)
    stmt = (select(Post).join(Thread, Thread.id == Post.thread_id)
            .where(or_(Post.thread_id.in_(threads or [0]), Thread.forum_id.in_(forums or [0])),
                   Post.id > (mark.last_post_id if mark else 0), Post.deleted_at.is_(None),
                   Thread.deleted_at.is_(None), or_(Post.author_id.is_(None), Post.author_id != user.id))
            .order_by(Post.id).limit(MAX_POSTS * 4))
    result = []
    for post in db.session.scalars(stmt):
        started = min(t for t in (since.get(("thread", post.thread_id)), since.get(("forum", post.thread.forum_id)))
                      if t is not None)
        if post.created_at >= started and services.post_readable(user, post):
            result.append(post)
        if len(result) >= MAX_POSTS:
            break
    return result


def collect() -> list[Digest]:
    people = db.session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None), User.email != "",
                                                   User.id.in_(select(Subscription.user_id))).order_by(User.id))
    digests = []
    for user in people:
        posts = pending(user)
        if posts:
            digests.append(Digest(user, posts))
    return digests


def compose(digest: Digest) -> EmailMessage:
    base = current_app.config.get("SITE_URL", "").rstrip("/")
    with force_locale(digest.user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "vi")):
        subject = _("New posts in your course discussions (%(n)s)", n=len(digest.posts))
        lines = [_("Hello %(name)s,", name=digest.user.full_name), "",
                 _("These posts were written in the discussions you follow:"), ""]
        for post in digest.posts:
            author = post.author.full_name if post.author else ""
            lines += [f"* {post.thread.title} — {author}", "  " + html.text_only(post.body)[:300],
                      f"  {base}{services.thread_url(post.thread, post.id)}", ""]
        lines.append(_("Stop following a thread or a forum on its page to receive fewer e-mails."))
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_FROM", "elearn@localhost")
    message["To"] = digest.user.email
    message.set_content("\n".join(lines))
    return message


def send_digest() -> tuple[int, int]:
    """Mail every pending digest over one SMTP connection; returns (people mailed, posts listed)."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return 0, 0
    digests = collect()
    if not digests:
        return 0, 0
    sent = posts = 0
    with smtplib.SMTP(config["SMTP_HOST"], config.get("SMTP_PORT", 25), timeout=30) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
        for digest in digests:
            smtp.send_message(compose(digest))
            mark = db.session.get(DigestMark, digest.user.id) or DigestMark(user_id=digest.user.id, last_post_id=0)
            mark.last_post_id = max(p.id for p in digest.posts)
            mark.sent_at = clock.now()
            db.session.add(mark)
            db.session.commit()  # one person at a time: a failure later never re-sends what went out
            sent += 1
            posts += len(digest.posts)
    return sent, posts


forums_cli = AppGroup("forums", help="Course discussions.")


@forums_cli.command("send-digest")
def send_digest_command() -> None:
    """E-mail each follower the new posts since their last digest (needs SMTP_HOST)."""
    if not current_app.config.get("SMTP_HOST"):
        click.echo("SMTP_HOST is not set: no digest sent (notifications stay in-app).")
        return
    try:
        sent, posts = send_digest()
    except (OSError, smtplib.SMTPException) as err:
        raise click.ClickException(f"sending the digest failed: {err}") from None
    click.echo(f"Digest sent to {sent} people ({posts} posts).")


def register(app: Flask) -> None:
    app.cli.add_command(forums_cli)
