"""Command-line import and export of a course's question bank:

    flask --app wsgi questions import FILE --course CODE [--format gift|aiken|moodlexml|json] [--dry-run]
    flask --app wsgi questions export --course CODE --format gift|moodlexml|json [--output FILE]
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from elearn.courses.models import Course
from elearn.extensions import db
from elearn.quizzes import formats, services
from elearn.quizzes.questions import ImportProblem

questions_cli = AppGroup("questions", help="Import and export a course's question bank.")


def _course(code: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.code == code))
    if course is None:
        raise click.ClickException(f"No course with the code {code!r}.")
    return course


def _problem_line(p: ImportProblem) -> str:
    where = f"line {p.line}" if p.line else "file"
    text = p.message % p.params if p.params else p.message
    kind = "warning" if p.warning else "error"
    excerpt = f"  [{p.excerpt}]" if p.excerpt else ""
    return f"  {kind}, {where}: {text}{excerpt}"


@questions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--course", "code", required=True, help="Code of the course whose bank receives the questions.")
@click.option("--format", "fmt", type=click.Choice(formats.IMPORT_FORMATS), default=None,
              help="Format of the file (guessed from its name and content when omitted).")
@click.option("--dry-run", is_flag=True, help="Only check the file and show what would be imported.")
def import_command(file: Path, code: str, fmt: str | None, dry_run: bool) -> None:
    """Import the questions of FILE into a course's question bank (bad questions are skipped and listed)."""
    course = _course(code)
    data = file.read_bytes()
    if dry_run:
        preview = services.import_preview(course, data, file.name, fmt)
        click.echo(f"Format: {preview.fmt}")
        click.echo(f"Would import {len(preview.items)} questions; {len(preview.errors)} problems, "
                   f"{len(preview.warnings)} warnings.")
        for path in preview.new_categories:
            click.echo(f"  new category: {path}")
        problems, imported = preview.problems, len(preview.items)
    else:
        counts = services.import_confirm(None, course, data, file.name, fmt)
        click.echo(f"Imported {counts.imported} questions into {course.code} "
                   f"({counts.categories_created} new categories); {counts.skipped} problems, "
                   f"{counts.warnings} warnings.")
        problems, imported = counts.problems, counts.imported
    for p in problems:
        click.echo(_problem_line(p))
    if not imported:
        raise click.exceptions.Exit(1)


@questions_cli.command("export")
@click.option("--course", "code", required=True, help="Code of the course whose bank is exported.")
@click.option("--format", "fmt", type=click.Choice(formats.EXPORT_FORMATS), required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (standard output when omitted).")
def export_command(code: str, fmt: str, output: Path | None) -> None:
    """Write a course's question bank (current versions, categories kept) as GIFT, Moodle XML or JSON."""
    text = services.export_course(_course(code), fmt)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)


def register(app: Flask) -> None:
    app.cli.add_command(questions_cli)
