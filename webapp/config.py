"""Settings from environment variables, with safe defaults for one machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

# The languages offered, each in its own name and script (SPEC 5: the main languages in England).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "pl": "Polski",
    "ro": "Română",
    "pt": "Português",
    "ar": "العربية",
    "ur": "اردو",
    "pa": "ਪੰਜਾਬੀ",
    "uk": "Українська",
}
RTL_LANGUAGES = frozenset({"ar", "ur"})
# Dates and numbers follow the UK for English ("22 Nov 2026", not "11/22/26") and Portugal for
# Portuguese; the catalogues are found under the language alone (pt_PT falls back to pt).
FORMAT_LOCALES: dict[str, str] = {"en": "en_GB", "pt": "pt_PT"}


def current_language() -> str:
    """The two-letter code of the language the current page is in."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "en"


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, or a random key kept in the instance folder so restarts keep sessions."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def from_environment(instance_path: Path) -> dict[str, Any]:
    """Build the app's configuration from the environment."""
    env = os.environ.get
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": env("DATABASE_URL") or f"sqlite:///{instance_path / 'familyvoice.sqlite3'}",
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI") or "memory://",
        "RATELIMIT_KEY_PREFIX": env("RATELIMIT_KEY_PREFIX", "familyvoice"),
        "SIGNIN_LIMIT_PER_ADDRESS": env("SIGNIN_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        "SIGNIN_LIMIT_PER_ACCOUNT": env("SIGNIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        # Photos one family member may send (on their own or with entries) before a 429 page.
        "PHOTO_LIMIT_PER_MEMBER": env("PHOTO_LIMIT_PER_MEMBER", "30 per hour"),
        "ACTIVATION_LIMIT_PER_ADDRESS": env("ACTIVATION_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        "ACTIVATION_LIMIT_PER_CODE": env("ACTIVATION_LIMIT_PER_CODE", "10 per hour"),
        "SMTP_HOST": env("SMTP_HOST", ""),
        "SMTP_PORT": _int("SMTP_PORT", 25),
        "SMTP_USERNAME": env("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env("SMTP_STARTTLS", "") == "1",
        "MAIL_FROM": env("MAIL_FROM", "Family Voice <no-reply@localhost>"),
        "STAFF_IDLE_MINUTES": _int("STAFF_IDLE_MINUTES", 30),
        "FAMILY_IDLE_MINUTES": _int("FAMILY_IDLE_MINUTES", 60),
        "ACTIVATION_DAYS": _int("ACTIVATION_DAYS", 14),
        "QUICK_EXIT_URL": env("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"),
        "LOCAL_HELP_NUMBER": env("LOCAL_HELP_NUMBER", ""),
        "REPLY_WORKING_DAYS": _int("REPLY_WORKING_DAYS", 3),
        # Whose bank holidays working days leave out (see webapp/workdays.py): England by default.
        "HOLIDAYS_COUNTRY": env("HOLIDAYS_COUNTRY", "GB"),
        "HOLIDAYS_SUBDIVISION": env("HOLIDAYS_SUBDIVISION", "ENG"),
        # A complaint or a request for an advocate: working days until the team manager answers
        # (10 is the first stage of the children's services complaints procedure).
        "COMPLAINT_WORKING_DAYS": _int("COMPLAINT_WORKING_DAYS", 10),
        # The local advocacy service shown to families, as LOCAL_HELP_NUMBER: its name and how to reach it.
        "LOCAL_ADVOCACY_SERVICE": env("LOCAL_ADVOCACY_SERVICE", ""),
        # How a family reaches the early help service once their plan has closed (a phone number or a web address).
        "SERVICE_CONTACT": env("SERVICE_CONTACT", ""),
        "ESCALATION_HOURS": _int("ESCALATION_HOURS", 4),
        # Weeks from the last review (or the first published plan) to the next one: 6 to 8 in the standards.
        "REVIEW_INTERVAL_WEEKS": _int("REVIEW_INTERVAL_WEEKS", 6),
        # Working days after a review is made final by which the family must have it in plain language.
        "REVIEW_SHARE_WORKING_DAYS": _int("REVIEW_SHARE_WORKING_DAYS", 10),
        # A family is flagged on the team view after this many days with no contact, or this many
        # failed attempts at contact in a row (the disengagement audit's recommendations).
        "DISENGAGEMENT_DAYS": _int("DISENGAGEMENT_DAYS", 28),
        "DISENGAGEMENT_ATTEMPTS": _int("DISENGAGEMENT_ATTEMPTS", 3),
        # Days a closed family's records are kept before `flask retention` deletes them all
        # (six years by default: the usual keeping period for early help case records).
        "RETENTION_DAYS": _int("RETENTION_DAYS", 2190),
        # Where compiled templates are kept for the next worker (see create_app): the instance folder by default.
        "TEMPLATE_CACHE_FOLDER": env("TEMPLATE_CACHE_FOLDER") or str(instance_path / "template-cache"),
        "BASE_URL": env("BASE_URL", "http://127.0.0.1:5000"),
        "INBOX_PAGE_SIZE": _int("INBOX_PAGE_SIZE", 25),
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "") == "1",
        "BEHIND_PROXY": env("BEHIND_PROXY", "") == "1",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": env("TIMEZONE", "Europe/London"),
    }
