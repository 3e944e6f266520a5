"""Command-line tools: `flask --app wsgi create-admin`, `seed-demo`."""
from __future__ import annotations

import getpass

import click
from flask import Flask, current_app

from elearn.accounts import domain, services
from elearn.accounts.models import user_by_username
from elearn.extensions import db
from elearn.quizzes import cli as questions_cli
from elearn.quizzes import quiz_cli


def register(app: Flask) -> None:
    questions_cli.register(app)  # `flask questions import|export`
    quiz_cli.register(app)  # `flask quizzes close-overdue`
    from elearn.forums import digest as forums_digest

    forums_digest.register(app)  # `flask forums send-digest`

    @app.cli.command("create-admin")
    @click.option("--username", prompt=True)
    @click.option("--full-name", prompt="Full name")
    @click.option("--email", default="", help="Optional e-mail address.")
    @click.option("--password", default=None, help="Prompted when omitted (recommended).")
    def create_admin(username: str, full_name: str, email: str, password: str | None) -> None:
        """Create an administrator account (or give an existing account the admin role)."""
        existing = user_by_username(username)
        if existing is not None:
            existing.set_roles(existing.role_names | {domain.Role.ADMIN})
            db.session.commit()
            click.echo(f"{existing.username} is now an administrator.")
            return
        if password is None:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Repeat password: ") != password:
                raise click.ClickException("The passwords do not match.")
        problem = domain.password_problem(password, current_app.config["PASSWORD_MIN_LENGTH"], username, full_name)
        if problem:
            raise click.ClickException(problem)
        try:
            user = services.create_user(None, username=username, full_name=full_name, email=email or None,
                                        roles={domain.Role.ADMIN}, profile=None, password=password)
        except services.ServiceError as err:
            raise click.ClickException(err.message % err.params if err.params else err.message) from None
        click.echo(f"Administrator {user.username} created.")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Fill an empty database with a demo province (idempotent)."""
        from elearn.demo import seed

        for line in seed():
            click.echo(line)
