"""View decorators: who may open a page at all. Which records they see is policy.py's job."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required, login_url
from werkzeug.wrappers import Response

from webapp.securitylog import log

F = TypeVar("F", bound=Callable[..., Any])


def staff_required(view: F) -> F:
    """Staff only, and only once they have a new password and TOTP set up."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_staff:
            log("refused", account=current_user.id, reason="not staff")
            abort(404)
        if current_user.must_change_password:
            return redirect(url_for("auth.settings"))
        if not current_user.has_totp:
            return redirect(url_for("staff.totp_setup"))
        return view(*args, **kwargs)

    wrapped.returns_after_sign_in = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def manager_required(view: F) -> F:
    @wraps(view)
    @staff_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_manager:
            log("refused", account=current_user.id, reason="not manager")
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def member_required(view: F) -> F:
    """Young people and parents/carers only."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_family or current_user.member is None:
            log("refused", account=current_user.id, reason="not a family member")
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def sign_in_again() -> Response:
    """Where a signed-out visit goes: staff come back to their page after signing in, anyone else starts afresh.

    A family member's page is never named in the sign-in address: after Quick exit or a timeout, Back
    and the history must not show someone else on a shared phone where they were.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "returns_after_sign_in", False):
        return redirect(login_url("auth.sign_in", next_url=request.url))
    return redirect(url_for("auth.sign_in"))
