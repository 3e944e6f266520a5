"""Quiz commands: `flask --app wsgi quizzes close-overdue` closes every attempt past its time by its expiry rule
(run it from cron or a timer every minute; pages and the API also close overdue attempts when they are opened)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

quizzes_cli = AppGroup("quizzes", help="Quiz maintenance: close overdue attempts.")


@quizzes_cli.command("close-overdue")
@click.option("--quiz", "quiz_id", type=int, default=None, help="Only this quiz (id).")
def close_overdue_command(quiz_id: int | None) -> None:
    """Finish, or mark as never submitted, every open attempt whose deadline (and grace period) has passed."""
    from elearn.quizzes import quiz_services

    changed = quiz_services.close_overdue(quiz_id=quiz_id)
    click.echo(f"Closed {changed} overdue attempt(s).")


def register(app: Flask) -> None:
    app.cli.add_command(quizzes_cli)
