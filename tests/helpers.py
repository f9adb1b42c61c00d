"""Small helpers that several test files share."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask

from .conftest import Auth, FormClient


# Run a rate-limit test with the in-memory store and again with Redis (see conftest's rate_limit_store).
RATE_LIMIT_STORES = pytest.mark.parametrize(
    "rate_limit_store", ["memory", pytest.param("redis", marks=pytest.mark.redis)], indirect=True
)


def signed_in(app: Flask, user: Any) -> FormClient:
    """A browser of its own, signed in as user."""
    browser: FormClient = app.test_client()  # type: ignore[assignment]
    Auth(browser).sign_in(user)
    return browser


def text(response: Any) -> str:
    """The page as a person reads it: HTML entities turned back into characters, no <bdi> tags."""
    return html.unescape(re.sub(r"</?bdi\b[^>]*>", "", response.get_data(as_text=True)))
