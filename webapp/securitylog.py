"""The security log: sign-ins and refused access, with time, account and address.

Never a password, a code, a token or anything a family member wrote. Values are escaped so
that a newline or control character in a username cannot forge a log line.
"""

from __future__ import annotations

import logging

from flask import has_request_context, request

logger = logging.getLogger("webapp.security")


def _clean(value: object) -> str:
    text = str(value)[:200]
    return text.encode("unicode_escape").decode("ascii").replace('"', '\\"')


def log(event: str, **fields: object) -> None:
    if has_request_context():
        fields.setdefault("address", request.remote_addr or "")
        fields.setdefault("path", request.path)
    parts = " ".join(f'{key}="{_clean(value)}"' for key, value in fields.items())
    logger.info("%s %s", event, parts)
