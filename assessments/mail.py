"""Email of inbox notifications through an SMTP server named in the configuration.

Nothing is sent unless SENSORY_AUDIT_SMTP_HOST is set. A notification is always in the inbox
first; `deliver_pending` then emails those not sent yet. When the server cannot be reached or
refuses a message, the failure is logged, the notification stays in the inbox with the reason
(`email_error`), and it is tried again on the next delivery, up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.models import Notification, User, utcnow

__all__ = [
    "MAX_ATTEMPTS",
    "SMTP_FROM_ENV",
    "SMTP_HOST_ENV",
    "SMTP_PASSWORD_ENV",
    "SMTP_PORT_ENV",
    "SMTP_USER_ENV",
    "Delivery",
    "SmtpSettings",
    "deliver_pending",
    "smtp_settings",
]

log = logging.getLogger(__name__)

SMTP_HOST_ENV = "SENSORY_AUDIT_SMTP_HOST"
SMTP_PORT_ENV = "SENSORY_AUDIT_SMTP_PORT"
SMTP_FROM_ENV = "SENSORY_AUDIT_SMTP_FROM"
SMTP_USER_ENV = "SENSORY_AUDIT_SMTP_USER"
SMTP_PASSWORD_ENV = "SENSORY_AUDIT_SMTP_PASSWORD"
DEFAULT_PORT = 25
DEFAULT_FROM = "sensory-audit@localhost"
# A server that does not answer holds up the person who submitted for at most this long.
TIMEOUT_SECONDS = 10.0
# After this many failed tries a notification is only in the inbox.
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = DEFAULT_PORT
    sender: str = DEFAULT_FROM
    user: str | None = None
    password: str | None = None


def smtp_settings() -> SmtpSettings | None:
    """The SMTP settings from the environment, or None when SENSORY_AUDIT_SMTP_HOST is not set."""
    host = os.environ.get(SMTP_HOST_ENV, "").strip()
    if not host:
        return None
    raw_port = os.environ.get(SMTP_PORT_ENV, "").strip() or str(DEFAULT_PORT)
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise ValueError(f"{SMTP_PORT_ENV} is a port number from 1 to 65535, not {raw_port!r}")
    return SmtpSettings(
        host=host,
        port=int(raw_port),
        sender=os.environ.get(SMTP_FROM_ENV, "").strip() or DEFAULT_FROM,
        user=os.environ.get(SMTP_USER_ENV, "").strip() or None,
        password=os.environ.get(SMTP_PASSWORD_ENV) or None,
    )


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0


def _message(settings: SmtpSettings, to: str, notification: Notification) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = f"sensory-audit: {notification.subject}"
    message.set_content(
        f"{notification.body}\n\nThis message is also in your inbox in sensory-audit (Inbox in the navigation).\n"
    )
    return message


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.port == 465:
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    smtp.ehlo()
    if smtp.has_extn("starttls"):
        smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo()
    return smtp


def deliver_pending(session: Session, settings: SmtpSettings | None = None) -> Delivery:
    """Email every notification not sent yet (nothing when SMTP is not configured); never raises
    for a mail problem: it is logged and kept on the notification."""
    settings = settings or smtp_settings()
    if settings is None:
        return Delivery()
    if session.in_transaction():
        session.commit()
    rows = session.execute(
        select(Notification, User.email)
        .join(User, Notification.user_id == User.id)
        .where(Notification.emailed_at.is_(None), Notification.email_attempts < MAX_ATTEMPTS, User.active)
        .order_by(Notification.id)
    ).all()
    if not rows:
        session.rollback()
        return Delivery()
    sent = failed = 0
    smtp: smtplib.SMTP | None = None
    try:
        try:
            smtp = _connect(settings)
            if settings.user:
                smtp.login(settings.user, settings.password or "")
        except (OSError, smtplib.SMTPException) as error:
            reason = f"could not reach the mail server {settings.host}:{settings.port}: {error}"
            log.warning("Notifications not emailed (%d waiting in inboxes): %s", len(rows), reason)
            for notification, _ in rows:
                notification.email_attempts += 1
                notification.email_error = reason
            failed = len(rows)
        else:
            for notification, email in rows:
                try:
                    smtp.send_message(_message(settings, email, notification))
                except (OSError, smtplib.SMTPException) as error:
                    log.warning("Notification %d not emailed to %s: %s", notification.id, email, error)
                    notification.email_attempts += 1
                    notification.email_error = str(error)
                    failed += 1
                else:
                    notification.emailed_at = utcnow()
                    notification.email_error = None
                    sent += 1
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return Delivery(sent=sent, failed=failed)
