"""`flask --app wsgi quizzes regrade QUIZ_ID [--latest] [--apply]`: re-mark every finished attempt of a quiz.

Without --apply it is a dry run that lists the grades that would change. --latest moves every answer to the
latest version of its question first (after fixing questions in the bank), as the regrade page does.
"""
from __future__ import annotations

import click

from .quiz_cli import quizzes_cli


@quizzes_cli.command("regrade")
@click.argument("quiz_id", type=int)
@click.option("--latest", is_flag=True, help="Mark with the latest version of every question.")
@click.option("--apply", "apply_", is_flag=True, help="Write the new grades (default: a dry run).")
def regrade_command(quiz_id: int, latest: bool, apply_: bool) -> None:
    """Re-mark every finished attempt of the quiz and report the grades that change."""
    from elearn.extensions import db

    from . import grading_services as gs
    from .quiz_models import Quiz

    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        raise click.ClickException(f"No quiz {quiz_id}.")
    targets = {c.question.id: c.latest for c in gs.regrade_candidates(quiz)} if latest else {}
    report = gs.regrade(None, quiz, targets, dry_run=not apply_)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    for row in report.changed:
        click.echo(f"{row.username}\t#{row.number}\t{row.old}\t->\t{row.new}")
    verb = "changed" if report.applied else "would change (dry run)"
    click.echo(f"{report.attempts} attempt(s) re-marked; {len(report.changed)} grade(s) {verb}.")
