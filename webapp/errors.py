"""Error pages in plain, translated words; none ever shows a stack trace, and none needs the database."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from webapp.extensions import login_manager
from webapp.securitylog import log

# The database could not be reached, was locked past its busy timeout, or ran out of disk.
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something went wrong with that form"), _("Please go back, reload the page and try again. Nothing was changed.")),
        403: (_("You can't do that"), _("Your account doesn't allow this. Nothing was changed.")),
        # Translators: error page title.
        404: (_("Page not found"), _("We couldn't find that page. It may have moved, or you may not be able to see it.")),
        # Translators: error page title.
        405: (_("That didn't work"), _("Please go back and use the buttons on the page. Nothing was changed.")),
        413: (_("That file is too big"), _("Please choose a smaller file. Nothing was saved.")),
        # Translators: error page title after too many wrong passwords or codes.
        429: (_("Too many tries"), _("Please wait a few minutes, then try again. If you have forgotten your password, ask your worker for a new code.")),
        500: (_("Sorry, something went wrong on our side"), _("Please try again in a minute. If it keeps happening, tell your worker.")),
        # Translators: shown when the service's database is down; "Family Voice" is the service's name.
        503: (_("Family Voice can't save or show things right now"), _("Please try again in a few minutes. If it keeps happening, tell your worker.")),
    }


# Form fields never shown back on an error page: secrets, and the page's own machinery.
_NOT_SHOWN_BACK = ("csrf", "password", "login", "code", "token", "secret", "client_id")
# Buttons, choices and tick boxes: their values are not words anyone typed.
_CHOSEN_NOT_TYPED = frozenset(
    {"submit", "agree", "refuse", "feeling", "share_with_family", "score", "language", "preferred_language", "next",
     "item", "role", "age_band", "restricted", "is_safety", "keep", "offline_allowed", "lead_worker", "worker",
     "section_id", "hidden", "members", "shared_with"}
)


def _typed(name: str) -> bool:
    name = name.lower()
    # "agree-12", "sections-0-section_id" and "family_life__hidden" are named after what they hold.
    parts = set(name.replace("__", "-").split("-"))
    return not (parts & _CHOSEN_NOT_TYPED or any(secret in name for secret in _NOT_SHOWN_BACK))


def _words_sent() -> list[str]:
    """What the person typed into the form that failed, to copy: never a password, a code or a token."""
    if request.method != "POST" or request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return []
    words = []
    for name, value in request.form.items(multi=True):
        value = value.strip()
        if _typed(name) and any(character.isalpha() for character in value):
            words.append(value)
    return words


def render_error(code: int) -> tuple[str, int]:
    try:
        return _error_page(code), code
    except DATABASE_UNAVAILABLE:
        # Drawing the page asked the database who is signed in, and it is down: say that instead.
        _release_database(database_failed=True)
        code = 503
    except Exception:  # the error page itself must never fail
        logging.getLogger(__name__).exception("The error page could not be drawn; a bare one was sent")
        return _bare_page(code), code
    try:
        return _error_page(code), code
    except Exception:
        logging.getLogger(__name__).exception("The error page could not be drawn; a bare one was sent")
        return _bare_page(code), code


def _error_page(code: int) -> str:
    title, body = _messages().get(code, _messages()[500])
    return render_template("errors/error.html", title=title, body=body, code=code, words=_words_sent() if code >= 500 else [])


def _bare_page(code: int) -> str:
    """The error page without the layout, should the layout itself fail."""
    title, body = _messages().get(code, _messages()[500])
    try:
        words = _words_sent() if code >= 500 else []
    except Exception:  # noqa: BLE001 (the bare page must never fail)
        words = []
    kept = "".join(f"<textarea readonly rows='4'>{escape(w)}</textarea>" for w in words)
    return f"<!doctype html><meta charset='utf-8'><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(body)}</p>{kept}"


API_MESSAGES = {
    400: "The request is not valid.",
    401: "A valid API token is needed.",
    404: "Not found.",
    405: "That method is not allowed here.",
    429: "Too many requests.",
    503: "The service is unavailable for a while. Please try again later.",
}


def api_error(code: int) -> Any:
    """Errors from the API are JSON, in English: they are read by programs, not people."""
    response = jsonify(error=API_MESSAGES.get(code, "Something went wrong on our side."))
    response.status_code = code
    return response


def _wants_json() -> bool:
    accept = request.accept_mimetypes
    return request.is_json or (accept.accept_json and not accept.accept_html)


def _release_database(database_failed: bool) -> None:
    """Undo the failed request's writes, and keep the error page itself away from a database that failed."""
    session = g.get("db_session")
    if session is not None:
        try:
            # A failed write leaves the session unusable; after this nothing half-done is kept.
            session.rollback()
        except sa_exc.SQLAlchemyError:
            database_failed = True
    if database_failed:
        if session is not None:
            g.pop("db_session", None)
            try:
                session.close()
            except sa_exc.SQLAlchemyError:
                pass
        # Looking up who is signed in needs the database: the page is drawn as for someone signed out
        # (with Quick exit), in the language kept in the session cookie or asked for by the browser.
        g._login_user = login_manager.anonymous_user()


def _server_error(error: HTTPException) -> Any:
    original = getattr(error, "original_exception", None)
    database_failed = isinstance(original, DATABASE_UNAVAILABLE)
    _release_database(database_failed)
    code = 503 if database_failed else 500
    if request.path.startswith("/api/"):
        return api_error(code)
    if _wants_json():
        title, body = _messages()[code]
        return jsonify(error=f"{title}. {body}"), code
    return render_error(code)


def init_app(app: Flask) -> None:
    _keep_family_text_out_of_logs(app)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        log("csrf_refused", reason=error.description)
        title = _("This form has expired")
        body = _("For your safety, forms stop working after a while. Please go back, reload the page and try again. Nothing was changed.")
        return render_template("errors/error.html", title=title, body=body, code=400), 400

    # Unexpected exceptions reach this as InternalServerError (after Flask logs them).
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Any:
        if (error.code or 500) >= 500:
            return _server_error(error)
        if request.path.startswith("/api/"):
            return api_error(error.code or 500)
        return render_error(error.code or 500)


# --- Logs: where an error happened and what kind it was, never the words it carried.

# Messages that speak only of the connection ("database is locked", "Connection refused").
_CONNECTION_ERRORS = frozenset({"OperationalError", "InterfaceError", "DisconnectionError", "TimeoutError"})
_DATABASE_MODULES = ("sqlalchemy", "psycopg", "sqlite3")


def _safe_message(error: BaseException) -> str:
    kind = type(error)
    if kind.__name__ in _CONNECTION_ERRORS and kind.__module__.startswith(_DATABASE_MODULES):
        return str(error).split("\n", 1)[0]
    return "(message left out of the log: it may hold what someone wrote)"


def safe_traceback(error: BaseException) -> str:
    """A traceback with every frame and exception type but no exception message, which may quote a family's words."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ if current.__cause__ is not None else (None if current.__suppress_context__ else current.__context__)
    parts = []
    for position, link in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        kind = type(link)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {_safe_message(link)}\n")
    return "".join(parts).rstrip("\n")


class HideFamilyText(logging.Filter):
    """Formats a logged exception as safe_traceback, before any handler can format it with its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1])
        return True


def _keep_family_text_out_of_logs(app: Flask) -> None:
    # Flask logs unexpected exceptions on the app's logger; the development server and gunicorn log
    # the ones that escape the app on theirs.
    for logger in (app.logger, logging.getLogger("werkzeug"), logging.getLogger("gunicorn.error")):
        if not any(isinstance(existing, HideFamilyText) for existing in logger.filters):
            logger.addFilter(HideFamilyText())
