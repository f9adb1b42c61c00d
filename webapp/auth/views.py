"""Signing in and out, activation with a code, TOTP step, language and password settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from webapp.auth import passwords, sessions, totp
from webapp.auth.forms import (
    ActivationCodeForm,
    ChangePasswordForm,
    ChooseAccountForm,
    ConsentForm,
    LanguageForm,
    ResetPasswordForm,
    SignInForm,
)
from webapp.auth.models import Role, User
from webapp.config import LANGUAGES, current_language
from webapp.db import db_session, utcnow
from webapp.extensions import limiter
from webapp.families import activation
from webapp.families.models import ConsentRecord, FamilyMember, MemberRole
from webapp.forms import CodeForm, add_error
from webapp.securitylog import log

bp = Blueprint("auth", __name__)

PRIVACY_NOTICE_VERSION = "2026-11"
_MFA_SECONDS = 300


def _only_failures(response: Response) -> bool:
    """Count a sign-in attempt against the limits only when it failed."""
    return response.status_code != 302


def _account_key() -> str:
    login = request.form.get("login") or str(session.get("mfa_user_id", ""))
    return "account:" + login.strip().lower()[:254]


def _address_limit() -> str:
    return str(current_app.config["SIGNIN_LIMIT_PER_ADDRESS"])


def _account_limit() -> str:
    return str(current_app.config["SIGNIN_LIMIT_PER_ACCOUNT"])


def _activation_address_limit() -> str:
    return str(current_app.config["ACTIVATION_LIMIT_PER_ADDRESS"])


def _activation_code_limit() -> str:
    return str(current_app.config["ACTIVATION_LIMIT_PER_CODE"])


def _code_key() -> str:
    return activation.limit_key(str((request.view_args or {}).get("code", "")))


def _activation_try_failed(response: Response) -> bool:
    """A code that does not work, or a form on the activation pages that did not go on."""
    return response.status_code == 404 or (request.method == "POST" and response.status_code != 302)


# Both activation pages take the code from the address bar, so a guess on either one counts
# against one budget per address; and the tries against one code count whatever the address
# (someone with a code trying the usernames of others, say, from many places).
_activation_address_tries = limiter.shared_limit(_activation_address_limit, scope="activation", deduct_when=_activation_try_failed)
_activation_code_tries = limiter.shared_limit(
    _activation_code_limit, scope="activation-code", key_func=_code_key, deduct_when=_activation_try_failed
)


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths are followed after sign-in, never another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") and "\\" not in target:
            return target
    return default


def _after_sign_in(user: User) -> Response:
    default = url_for("staff.caseload") if user.is_staff else url_for("home.member_home")
    return redirect(safe_next(request.args.get("next"), default))


def _find_account(login: str) -> User | None:
    login = login.lower()
    return db_session().scalar(select(User).where(or_(func.lower(User.username) == login, func.lower(User.email) == login)))


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_only_failures)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_only_failures)
def sign_in() -> Any:
    if current_user.is_authenticated:
        return _after_sign_in(current_user)
    form = SignInForm()
    if form.validate_on_submit():
        user = _find_account(form.login.data or "")
        ok = passwords.verify_password(user.password_hash if user else None, form.password.data or "")
        if user is None or not ok or not user.is_active:
            log("signin_failed", login=form.login.data)
            add_error(form.password, _("That username or password is not right. Please try again."))
            return render_template("auth/sign_in.html", form=form, language_form=_language_form())
        if user.password_hash and passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(form.password.data or "")
        if user.is_staff and user.has_totp:
            session.clear()
            session["mfa_user_id"] = user.id
            session["mfa_started"] = utcnow().timestamp()
            log("signin_password_ok", account=user.id)
            return redirect(url_for("auth.sign_in_code", next=request.args.get("next")))
        sessions.start(user)
        log("signin_ok", account=user.id)
        return _after_sign_in(user)
    return render_template("auth/sign_in.html", form=form, language_form=_language_form())


@bp.route("/signin/code", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_only_failures)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_only_failures)
def sign_in_code() -> Any:
    user_id = session.get("mfa_user_id")
    started = float(session.get("mfa_started", 0))
    user = db_session().get(User, user_id) if user_id else None
    if user is None or not user.is_active or utcnow().timestamp() - started > _MFA_SECONDS:
        session.clear()
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if totp.check(user, form.code.data or ""):
            sessions.start(user)
            log("signin_ok", account=user.id, factor="totp")
            return _after_sign_in(user)
        log("signin_failed", account=user.id, factor="totp")
        add_error(form.code, _("That code is not right. Check the newest code in your app and try again."))
    return render_template("auth/sign_in_code.html", form=form)


@bp.route("/signout", methods=["POST"])
def sign_out() -> Response:
    if current_user.is_authenticated:
        log("signout", account=current_user.id)
        sessions.end_current(current_user)
    response = redirect(url_for("auth.sign_in", signed_out=1))
    # Phones are shared in families: drop this site's cookies, caches, drafts and storage.
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@bp.route("/quick-exit", methods=["POST"])
def quick_exit() -> Response:
    """Sent by the Quick exit button as it leaves: the session ends, so Back shows the sign-in page, not the family's.

    Drafts kept on the phone stay (unlike signing out): they are the member's unsent words.
    """
    if current_user.is_authenticated:
        log("quick_exit", account=current_user.id)
        sessions.end_current(current_user)
    return Response(status=204)


def _language_form() -> LanguageForm:
    form = LanguageForm()
    form.language.data = current_language()
    return form


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    form = LanguageForm()
    back = safe_next(request.form.get("next"), url_for("auth.sign_in"))
    if form.validate_on_submit() and form.language.data in LANGUAGES:
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            if current_user.member is not None:
                # A family member's chosen language is the one they read their worker's words in too,
                # so the worker sees which translations this member needs.
                current_user.member.preferred_language = form.language.data
    return redirect(back)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    password_form = ChangePasswordForm(prefix="pw")
    if password_form.submit.data and password_form.validate_on_submit():
        user: User = current_user
        if not passwords.verify_password(user.password_hash, password_form.current.data or ""):
            add_error(password_form.current, _("That is not your password now."))
        else:
            first_password = user.must_change_password
            user.password_hash = passwords.hash_password(password_form.password.data or "")
            user.must_change_password = False
            sessions.end_all(user, except_current=True)
            log("password_changed", account=user.id)
            flash(_("Your password is changed. Anyone else signed in as you has been signed out."), "success")
            # A new staff account goes straight on to its next step (two-step sign-in set-up).
            return redirect(url_for("home.index") if first_password else url_for("auth.settings"))
    return render_template("auth/settings.html", password_form=password_form, language_form=_language_form())


# --- Activation: a member sets up their sign-in with the code from their worker.


@bp.route("/activate", methods=["GET", "POST"])
@limiter.limit(_activation_address_limit, methods=["POST"])
def activate_start() -> Any:
    form = ActivationCodeForm()
    if form.validate_on_submit():
        return redirect(url_for("auth.activate", code=activation.normalise(form.code.data or "")))
    return render_template("auth/activate_start.html", form=form, language_form=_language_form())


def _code_not_usable(code: str) -> tuple[str, int]:
    log("activation_code_refused", code_length=len(code))
    return render_template("auth/activate_invalid.html", language_form=_language_form()), 404


@bp.route("/activate/<code>", methods=["GET", "POST"])
@_activation_address_tries
@_activation_code_tries
def activate(code: str) -> Any:
    row = activation.usable(code)
    if row is None:
        return _code_not_usable(code)
    member: FamilyMember = row.member
    if "locale" not in session and member.preferred_language in LANGUAGES:
        # The language their worker noted for them, until they pick another on the page.
        session["locale"] = member.preferred_language
        refresh()
    form = ConsentForm()
    if form.validate_on_submit():
        if not (form.agree.data or form.refuse.data):
            flash(_("Please choose one of the two buttons."), "error")
            return redirect(url_for("auth.activate", code=code))
        record = ConsentRecord(
            member_id=member.id, agreed=bool(form.agree.data), notice_version=PRIVACY_NOTICE_VERSION, locale=current_language()
        )
        db_session().add(record)
        log("consent_recorded", member=member.id, agreed=record.agreed)
        if not record.agreed:
            return render_template("auth/activate_refused.html", language_form=_language_form())
        session["activation_code_id"] = row.id
        return redirect(url_for("auth.activate_account", code=code))
    return render_template(
        "auth/privacy_notice.html",
        member=member,
        is_young_person=member.role == MemberRole.YOUNG_PERSON,
        code=code,
        form=form,
        language_form=_language_form(),
    )


@bp.route("/activate/<code>/account", methods=["GET", "POST"])
@_activation_address_tries
@_activation_code_tries
def activate_account(code: str) -> Any:
    row = activation.usable(code)
    if row is None:
        return _code_not_usable(code)
    if session.get("activation_code_id") != row.id:
        # Nobody chooses a password before agreeing to the privacy notice.
        return redirect(url_for("auth.activate", code=code))
    member: FamilyMember = row.member
    existing = member.user
    form: ChooseAccountForm | ResetPasswordForm = ResetPasswordForm() if existing else ChooseAccountForm()
    if form.validate_on_submit():
        db = db_session()
        if existing is None:
            assert isinstance(form, ChooseAccountForm)
            username = (form.username.data or "").lower()
            taken = db.scalar(select(User.id).where(or_(func.lower(User.username) == username, func.lower(User.email) == username)))
            if taken:
                add_error(form.username, _("Somebody already has that username. Please choose another one."))
                return render_template("auth/activate_account.html", form=form, member=member, existing=None)
            user = User(
                # The account's role is the member's: young person, parent or carer, or network member.
                role=Role(member.role),
                display_name=member.display_name,
                username=username,
                locale=session.get("locale") or member.preferred_language,
            )
            db.add(user)
            db.flush()
            member.user_id = user.id
            member.activated_at = utcnow()
        else:
            user = existing
            sessions.end_all(user)
        user.password_hash = passwords.hash_password(form.password.data or "")
        row.used_at = utcnow()
        session.pop("activation_code_id", None)
        log("activation_used", account=user.id, member=member.id, reset=existing is not None)
        sessions.start(user)
        flash(_("You're all set. Welcome to Family Voice!"), "success")
        return redirect(url_for("home.member_home"))
    return render_template("auth/activate_account.html", form=form, member=member, existing=existing)
