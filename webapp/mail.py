"""Email to staff through the SMTP server named in the configuration."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

logger = logging.getLogger(__name__)


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email. Returns False (and logs why) when it could not be sent."""
    config = current_app.config
    if not config["SMTP_HOST"]:
        logger.warning("Email not sent: SMTP_HOST is not configured")
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        logger.exception("Email to staff could not be sent")
        return False
    return True
