"""Time-based one-time codes for staff."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pyotp
from markupsafe import Markup, escape

from webapp.auth.models import User

ISSUER = "Family Voice"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User) -> str:
    assert user.totp_secret
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email or user.display_name, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check(user: User, code: str) -> bool:
    """Accept a current code once: a code already used (or an older one) is refused."""
    if not user.totp_secret:
        return False
    code = re.sub(r"\s", "", code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current_step = totp.timecode(datetime.now(UTC))
    for offset in (-1, 0, 1):
        step = current_step + offset
        if step > user.totp_last_step and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def qr_svg(data: str, label: str) -> Markup:
    """An inline SVG QR code, sized by CSS (no inline styles, so it passes the page's CSP)."""
    # Imported here: the QR code library and its XML writer are for the page setting up two-step sign-in only.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg)
    return Markup(svg.replace("<svg", f'<svg class="qr" role="img" aria-label="{escape(label)}"', 1))
