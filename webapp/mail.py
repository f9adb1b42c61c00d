"""Email to staff: queued with the change it tells of, sent after commit, tried again until it goes.

queue() adds an OutgoingEmail to the request's unit of work. Once the request has committed, a
thread of its own sends it, so a slow or failing mail server never delays or fails the person's
request. What could not be sent waits, longer after each failure (at most an hour), for the next
try: by cron (`flask send-email`, also run by `flask escalations`).
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Sequence
from datetime import timedelta
from email.message import EmailMessage

from flask import Flask, current_app
from sqlalchemy import delete, func, select, update

from webapp.db import after_commit, db_session, utcnow
from webapp.notifications.models import OutgoingEmail

logger = logging.getLogger(__name__)

SMTP_TIMEOUT = 10  # seconds for each step of talking to the mail server
# A sender owns an email for this long while it tries it, so two senders never send it twice.
CLAIM = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=1)
KEEP_SENT = timedelta(days=30)
_QUEUED = "queued_emails"
_workers_lock = threading.Lock()


def queue(to: str, subject: str, body: str, entry_id: int | None = None) -> None:
    """Send a plain-text email (about an entry, if given) once the request's changes are committed, never if they are rolled back."""
    if not current_app.config["SMTP_HOST"]:
        logger.warning("Email not sent: SMTP_HOST is not configured")
        return
    email = OutgoingEmail(recipient=to, subject=subject, body=body, entry_id=entry_id)
    session = db_session()
    session.add(email)
    session.info.setdefault(_QUEUED, []).append(email)
    after_commit(_send_queued_in_background)


def _send_queued_in_background() -> None:
    emails: list[OutgoingEmail] = db_session().info.pop(_QUEUED, [])
    if emails:
        deliver_in_background(current_app._get_current_object(), [email.id for email in emails])  # type: ignore[attr-defined]


def deliver_in_background(app: Flask, ids: Sequence[int]) -> threading.Thread:
    """Send these emails from a thread of its own; the caller does not wait for the mail server."""
    thread = threading.Thread(target=_deliver_in, args=(app, list(ids)), name="email-delivery", daemon=True)
    with _workers_lock:
        workers: list[threading.Thread] = app.extensions.setdefault("email_workers", [])
        workers[:] = [worker for worker in workers if worker.is_alive()]
        workers.append(thread)
    thread.start()
    return thread


def _deliver_in(app: Flask, ids: list[int]) -> None:
    try:
        with app.app_context():
            deliver_due(ids)
    except Exception:  # a thread's failure must not go unseen, and cron tries again
        logger.exception("Emails to staff could not be sent now; they wait for the next try")


def wait_for_delivery(app: Flask, timeout: float = 30) -> None:
    """Wait until the app's delivery threads are done (for tests, and for a clean shutdown)."""
    with _workers_lock:
        workers = list(app.extensions.get("email_workers", []))
    for worker in workers:
        worker.join(timeout)


def deliver_due(only: Sequence[int] | None = None) -> int:
    """Send every email whose time has come (or only those given). Returns how many were sent.

    Each email is its own unit of work: claimed and committed before the mail server is asked,
    so two senders at once never send it twice, then marked sent or given its next time.
    """
    db = db_session()
    query = select(OutgoingEmail.id).where(OutgoingEmail.sent_at.is_(None), OutgoingEmail.next_attempt_at <= utcnow())
    if only is not None:
        query = query.where(OutgoingEmail.id.in_(only))
    ids = list(db.scalars(query.order_by(OutgoingEmail.id)))
    db.rollback()
    sent = 0
    for email_id in ids:
        if not _claim(email_id):
            continue
        email = db.get(OutgoingEmail, email_id)
        if email is None:
            continue
        error = _send(email.recipient, email.subject, email.body)
        if error is None:
            email.sent_at = utcnow()
            email.last_error = None
            sent += 1
        else:
            email.next_attempt_at = utcnow() + _wait_after(email.attempts)
            email.last_error = error[:255]
            logger.warning("Email %s to staff not sent (try %s); it is tried again later: %s", email.id, email.attempts, error)
        db.commit()
    db.execute(delete(OutgoingEmail).where(OutgoingEmail.sent_at < utcnow() - KEEP_SENT))
    db.commit()
    return sent


def waiting() -> int:
    """How many emails are not sent yet."""
    return db_session().scalar(select(func.count(OutgoingEmail.id)).where(OutgoingEmail.sent_at.is_(None))) or 0


def _claim(email_id: int) -> bool:
    db = db_session()
    now = utcnow()
    claimed = db.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == email_id, OutgoingEmail.sent_at.is_(None), OutgoingEmail.next_attempt_at <= now)
        .values(attempts=OutgoingEmail.attempts + 1, next_attempt_at=now + CLAIM)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _wait_after(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after each failed try, at most an hour."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 6)), LONGEST_WAIT)


def _send(to: str, subject: str, body: str) -> str | None:
    """Hand one plain-text email to the mail server. Returns why it failed, or None once it is accepted."""
    config = current_app.config
    if not config["SMTP_HOST"]:
        return "SMTP_HOST is not configured"
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    except Exception as error:  # noqa: BLE001 (whatever went wrong, the email waits for its next try)
        return f"{type(error).__name__}: {error}"
    return None
