"""Files a worker downloads: an attachment response, and text made safe for a spreadsheet."""

from __future__ import annotations

from flask import Response

from webapp.forms import clean_text


def attachment(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_safe(value: str) -> str:
    """Stop a spreadsheet treating someone's words as a formula (or tripping on a control character)."""
    value = clean_text(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
