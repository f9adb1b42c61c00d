"""Family Voice: young people and parents tell their early help worker what life is like."""

from __future__ import annotations

import gc
import hashlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from flask import Flask, g, has_request_context, request, session, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from webapp import config, db, errors, filters, security, workdays
from webapp.db import MAX_ID
from webapp.extensions import babel, csrf, limiter, login_manager
from webapp.forms import CleanRequest, clean_text

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    """The signed-in user's language, else the one chosen on this browser, else the browser's."""
    if current_user and current_user.is_authenticated and current_user.locale in config.LANGUAGES:
        language = str(current_user.locale)
        # Kept in the session cookie too, for a page drawn when the database cannot say whose session it is.
        if session.get("locale") != language:
            session["locale"] = language
    elif session.get("locale") in config.LANGUAGES:
        language = str(session["locale"])
    else:
        language = request.accept_languages.best_match(list(config.LANGUAGES)) or "en"
    return config.FORMAT_LOCALES.get(language, language)


def page_translations() -> NullTranslations:
    """The catalogue of the page's language, looked up once per request (and again after a refresh or
    force_locale, which replace the request's locale), rather than once per string."""
    context = g.get("_flask_babel")
    if context is not None:
        cached = getattr(context, "fv_catalogue", None)
        if cached is not None and cached[0] is getattr(context, "babel_locale", None):
            translations: NullTranslations = cached[1]
            return translations
    translations = get_translations()
    context = g.get("_flask_babel")
    if context is not None:
        context.fv_catalogue = (getattr(context, "babel_locale", None), translations)
    return translations


def _install_page_gettext(app: Flask) -> None:
    """Templates' _(), ngettext() and pgettext(), as Flask-Babel installs them but with the catalogue found once a page."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: page_translations().ugettext(string),
        ngettext=lambda singular, plural, number: page_translations().ungettext(singular, plural, number),
        newstyle=True,
        pgettext=lambda context, string: page_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, number: page_translations().unpgettext(context, singular, plural, number),
    )


def _static_versions(static_folder: Path) -> dict[str, str]:
    """A short content hash per static file, so changed files get new URLs and old caches expire."""
    versions = {}
    for path in sorted(static_folder.rglob("*")):
        if path.is_file():
            versions[path.relative_to(static_folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return versions


# The settings of a Jinja environment that go into a template's compiled code besides its source.
_COMPILED_WITH = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string",
    "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "is_async", "finalize", "autoescape", "newstyle_gettext",
)


def _setting(value: Any) -> str:
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


class _TemplateCache(FileSystemBytecodeCache):
    """Templates compiled once and kept, so a new worker reads them rather than compiling every template
    from source at its first pages. Jinja checks each against its template's source, and the key names
    the environment's settings too, so an edited template, or one compiled under other settings (a release
    that changes them), is compiled again; a cache that cannot be written (a full disk) costs time, never a page."""

    def __init__(self, folder: Path, environment: Environment) -> None:
        super().__init__(str(folder))
        self.environment = environment

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        settings = "|".join(
            [*(_setting(getattr(self.environment, setting, None)) for setting in _COMPILED_WITH), *sorted(self.environment.extensions)]
        )
        return super().get_cache_key(f"{settings}|{name}", filename)

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _template_cache(folder: Path, environment: Environment) -> _TemplateCache | None:
    """The cache in the given folder, or none when the folder cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a folder the server may not write to: templates are compiled as before
        return None
    return _TemplateCache(folder, environment)


class _BoundedInt(IntegerConverter):
    """Ids in URLs fit the database's integer column; a larger number is simply not found (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _printable(value: Any) -> Any:
    """Every value a page shows, without control characters (text stored before input was cleaned may hold some)."""
    if isinstance(value, Markup):
        return Markup(clean_text(value))
    if isinstance(value, str):
        return clean_text(value)
    return value


def _security_log_output() -> None:
    """Sign-ins and refused access go to standard error with their time, whatever the server's own logging."""
    logger = logging.getLogger("webapp.security")
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)


def _rate_limit_log_output() -> None:
    """The rate-limit store going down or coming back is written to standard error (Flask-Limiter's own logger is silent)."""
    logger = logging.getLogger("flask-limiter")
    if not any(not isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app; tests pass their own settings in overrides."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.url_map.converters["int"] = _BoundedInt
    app.request_class = CleanRequest
    app.jinja_env.finalize = _printable
    app.config.update(config.from_environment(Path(app.instance_path)))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="fv_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session that holds it
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
    )
    app.config.update(overrides or {})
    app.jinja_env.bytecode_cache = _template_cache(Path(app.config["TEMPLATE_CACHE_FOLDER"]), app.jinja_env)
    # A region the bank-holiday calendar does not know stops the app here, not at a family's first send.
    workdays.check_region(app.config["HOLIDAYS_COUNTRY"], app.config["HOLIDAYS_SUBDIVISION"])
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    _security_log_output()
    _rate_limit_log_output()

    db.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    _install_page_gettext(app)
    # A store that does not answer within a second counts as down (limits are then kept in memory).
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)
    # Flask-Limiter keeps the key prefix of the first app it was bound to; every app built
    # here counts under its own RATELIMIT_KEY_PREFIX in a shared store such as Redis.
    limiter._key_prefix = str(app.config.get("RATELIMIT_KEY_PREFIX") or "")
    # Likewise whether the store was found down: this app's own store is tried first.
    limiter._storage_dead = False
    login_manager.init_app(app)
    _configure_login()
    errors.init_app(app)
    filters.init_app(app)

    versions = _static_versions(Path(app.static_folder or ""))
    app.extensions["static_versions"] = versions

    static_urls: dict[tuple[str, str], str] = {}

    def static_url(filename: str) -> str:
        """A static file's address with its content hash, worked out once per file rather than on every page."""
        key = (request.script_root if has_request_context() else "", filename)
        url = static_urls.get(key)
        if url is None:
            url = url_for("static", filename=filename, v=versions.get(filename, "0"))
            if len(static_urls) < 1000:  # a bound, whatever paths a server is mounted at
                static_urls[key] = url
        return url

    # What never changes between requests, so macros imported without the page's context (and
    # so compiled once, not per page) can use it too.
    app.jinja_env.globals.update(
        languages=config.LANGUAGES, rtl_languages=config.RTL_LANGUAGES, current_language=config.current_language
    )

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        language = config.current_language()
        return {
            "static_url": static_url,
            "locale": str(get_locale() or "en").replace("_", "-"),
            "language_code": language,
            "text_direction": "rtl" if language in config.RTL_LANGUAGES else "ltr",
            "quick_exit_url": app.config["QUICK_EXIT_URL"],
        }

    from webapp.health import bp as health_bp

    # First: its answers come before the other blueprints' checks of the signed-in user.
    app.register_blueprint(health_bp)
    from webapp.api.manage import bp as api_tokens_bp
    from webapp.api.views import bp as api_bp
    from webapp.assessments.views import bp as assessments_bp
    from webapp.auth.views import bp as auth_bp
    from webapp.closure.views import bp as closure_bp
    from webapp.contacts.views import bp as contacts_bp
    from webapp.dataprotection.views import bp as dataprotection_bp
    from webapp.drawings.views import bp as drawings_bp
    from webapp.entries.inbox import bp as inbox_bp
    from webapp.entries.views import bp as entries_bp
    from webapp.families.views import bp as families_bp
    from webapp.home.views import bp as home_bp
    from webapp.oversight.views import bp as oversight_bp
    from webapp.photos.views import bp as photos_bp
    from webapp.picture.views import bp as picture_bp
    from webapp.plans.views import bp as plans_bp
    from webapp.pwa.views import bp as pwa_bp
    from webapp.reviews.views import bp as reviews_bp
    from webapp.staff.views import bp as staff_bp
    from webapp.together.views import bp as together_bp
    from webapp.translations_content.views import bp as translations_bp
    from webapp.worries.views import bp as worries_bp

    blueprints = (auth_bp, home_bp, staff_bp, families_bp, entries_bp, inbox_bp, worries_bp, photos_bp, picture_bp, plans_bp, reviews_bp, assessments_bp, api_bp, api_tokens_bp, oversight_bp, dataprotection_bp, translations_bp, pwa_bp, drawings_bp, together_bp, contacts_bp, closure_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    from webapp.network.views import bp as network_bp

    app.register_blueprint(network_bp)
    from webapp.reviews.sharing_views import bp as review_sharing_bp

    app.register_blueprint(review_sharing_bp)

    from webapp.cli import register as register_cli

    register_cli(app)
    if not app.testing:
        # What was built at start lives as long as the process: the garbage collector need not walk it again.
        gc.freeze()
    return app


def _configure_login() -> None:
    from webapp.auth import guards, sessions

    login_manager.login_view = "auth.sign_in"
    login_manager.unauthorized_handler(guards.sign_in_again)
    login_manager.login_message = ""
    login_manager.session_protection = None  # our server-side sessions do this job
    login_manager.user_loader(sessions.load)
