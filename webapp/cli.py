"""Command-line tasks: migrations, the first manager, demo data, and the cron jobs. Each commits its own work."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from webapp import mail
from webapp.auth import totp
from webapp.auth.models import User
from webapp.db import db_session

ROOT = Path(__file__).resolve().parent.parent

db_cli = AppGroup("db", help="Database migrations.")


def alembic_config(url: str) -> object:
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to date (or up to REVISION)."""
    from alembic import command

    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)  # type: ignore[arg-type]
    click.echo("Database is up to date." if revision == "head" else f"Database is at {_current_revision()}.")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION (by default one migration back), undoing the migrations after it.

    A migration's downgrade drops what it added, with its data: back up the database first (README).
    """
    from alembic import command

    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)  # type: ignore[arg-type]
    click.echo(f"Database is at {_current_revision()}.")


def _current_revision() -> str:
    """The revision the database is at, or "base" when no migration is applied."""
    from alembic.runtime.migration import MigrationContext

    from webapp.db import make_engine

    engine = make_engine(current_app.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision() or "base"
    finally:
        engine.dispose()


@click.command("create-manager")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--team", "team_name", required=True)
def create_manager(email: str, name: str, team_name: str) -> None:
    """Create a team manager (the first admin). Prints a one-time password to change at first sign-in."""
    from webapp.auth.models import Role
    from webapp.auth.passwords import hash_password
    from webapp.staff.models import Team

    db = db_session()
    email = email.strip().lower()
    if db.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise click.ClickException("There is already an account with that email.")
    team = db.scalar(select(Team).where(Team.name == team_name)) or Team(name=team_name)
    password = secrets.token_urlsafe(12)
    db.add(User(role=Role.MANAGER, display_name=name, email=email, password_hash=hash_password(password), must_change_password=True, team=team))
    db.commit()
    click.echo(f"Manager {email} created in team {team_name}.")
    click.echo(f"One-time password: {password}  (they choose a new one, then set up TOTP, at first sign-in)")


@click.command("demo-data")
@click.option("--quiet", is_flag=True, help="Load the demo data without printing the sign-ins.")
def demo_data(quiet: bool) -> None:
    """Load the demo team and family once, and print how to sign in."""
    from webapp import demo

    created = demo.load()
    if not quiet:
        click.echo(demo.sign_in_text(created))


@click.command("demo-totp")
@click.argument("email")
def demo_totp(email: str) -> None:
    """Print the current TOTP code of a demo staff account (refused for real accounts)."""
    user = db_session().scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_demo or not user.totp_secret:
        raise click.ClickException("Only demo staff accounts have codes shown here.")
    click.echo(totp.current_code(user.totp_secret))


@click.command("escalations")
def escalations() -> None:
    """Alert managers to urgent entries nobody acknowledged in time. Run it from cron every few minutes."""
    from webapp.notifications.services import escalate_overdue

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        escalated = escalate_overdue()
        db_session().commit()
    click.echo(f"{len(escalated)} urgent entries escalated to managers.")
    _send_waiting_email()


@click.command("visit-write-ups")
def visit_write_ups() -> None:
    """Remind workers of home visits not written up within 3 working days. Run it from cron once a day."""
    from webapp.contacts.services import remind_write_ups

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        reminded = remind_write_ups()
        db_session().commit()
    click.echo(f"{len(reminded)} {'worker reminded' if len(reminded) == 1 else 'reminders'} of home visits not written up.")


@click.command("send-email")
def send_email() -> None:
    """Send the emails to staff that are due (first tries that failed are tried again). Run it from cron every few minutes."""
    _send_waiting_email()


def _send_waiting_email() -> None:
    sent = mail.deliver_due()
    click.echo(f"{sent} {'email' if sent == 1 else 'emails'} sent, {mail.waiting()} waiting to be tried again.")


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count the families that would be deleted.")
def retention(dry_run: bool) -> None:
    """Delete every record of families closed longer than RETENTION_DAYS. Run it from cron once a day."""
    from webapp.dataprotection import services

    try:
        due = services.families_due()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if dry_run:
        click.echo(f"{len(due)} closed families are due for deletion (kept {services.retention_days()} days).")
        return
    deleted = []
    for family in due:
        # One family at a time: each deletion is kept even if a later one fails.
        deleted.append(family.id)
        services.delete_family(family)
        db_session().commit()
    click.echo(f"{len(deleted)} closed families deleted (kept {services.retention_days()} days).")


def register(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(create_manager)
    app.cli.add_command(demo_data)
    app.cli.add_command(demo_totp)
    app.cli.add_command(escalations)
    app.cli.add_command(retention)
    app.cli.add_command(send_email)
    app.cli.add_command(visit_write_ups)
