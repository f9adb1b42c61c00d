"""Extension objects, bound to an app in create_app."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect


def client_address() -> str:
    """The address a request came from (ProxyFix has already applied a trusted proxy's header)."""
    return request.remote_addr or "unknown"


login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# When the shared store (Redis) is down, limits are counted in this process's memory meanwhile,
# and Flask-Limiter logs the switch once: signing in keeps working, and keeps being limited.
limiter = Limiter(client_address, default_limits=[], headers_enabled=False, in_memory_fallback_enabled=True)
