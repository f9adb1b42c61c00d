"""Error pages in plain, translated words; none ever shows a stack trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.securitylog import log

def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something went wrong with that form"), _("Please go back, reload the page and try again. Nothing was changed.")),
        403: (_("You can't do that"), _("Your account doesn't allow this. Nothing was changed.")),
        404: (_("Page not found"), _("We couldn't find that page. It may have moved, or you may not be able to see it.")),
        405: (_("That didn't work"), _("Please go back and use the buttons on the page. Nothing was changed.")),
        413: (_("That file is too big"), _("Please choose a smaller file. Nothing was saved.")),
        429: (_("Too many tries"), _("Please wait a few minutes, then try again. If you have forgotten your password, ask your worker for a new code.")),
        500: (_("Sorry, something went wrong on our side"), _("Please try again in a minute. If it keeps happening, tell your worker.")),
    }


def render_error(code: int) -> tuple[str, int]:
    title, body = _messages().get(code, _messages()[500])
    return render_template("errors/error.html", title=title, body=body, code=code), code


API_MESSAGES = {
    400: "The request is not valid.",
    401: "A valid API token is needed.",
    404: "Not found.",
    405: "That method is not allowed here.",
    429: "Too many requests.",
}


def api_error(code: int) -> Any:
    """Errors from the API are JSON, in English: they are read by programs, not people."""
    response = jsonify(error=API_MESSAGES.get(code, "Something went wrong on our side."))
    response.status_code = code
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        log("csrf_refused", reason=error.description)
        title = _("This form has expired")
        body = _("For your safety, forms stop working after a while. Please go back, reload the page and try again. Nothing was changed.")
        return render_template("errors/error.html", title=title, body=body, code=400), 400

    # Unexpected exceptions reach this as InternalServerError (after Flask logs them).
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        if (error.code or 500) >= 500 and "db_session" in g:
            # A failed database write leaves the session unusable; the error page still needs it.
            g.db_session.rollback()
        if request.path.startswith("/api/"):
            return api_error(error.code or 500)
        return render_error(error.code or 500)
