"""Signing in: passwords (argon2), server-side sessions, throttling of failures, invite and reset links.

- Passwords have at least 12 characters and are not on the list of common passwords; nothing else
  is asked of them (NIST SP 800-63B). They are kept as argon2 hashes.
- A session lives in the store (`user_sessions`); the browser holds a random token whose sha256 is
  all the store keeps. A session ends when the user signs out, after `idle` without use, after its
  absolute `lifetime`, and at once when the user is disabled or their role, organisations or
  password change.
- Failed sign-ins are counted per email address, whether or not an account has that address, so
  the answer never tells whether it exists: after a few failures each attempt must wait longer,
  then the address is locked for a while. Every sign-in, failure and lock is in the audit trail.
- An admin hands a new user an invite link, and anyone who forgot their password a reset link:
  one-time, expiring, and the person sets the password themself (`assessments.account_links`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assessments.access import Actor
from assessments.audit import _audit, _writing
from assessments.errors import InvalidAnswer
from assessments.models import SignInThrottle, User, UserSession, memberships, utcnow
from checklists.i18n import N_, _, ngettext

__all__ = [
    "IDLE_HOURS_ENV",
    "LIFETIME_DAYS_ENV",
    "LOCK_MINUTES_ENV",
    "MIN_PASSWORD_LENGTH",
    "Policy",
    "SignInError",
    "check_password",
    "hash_password",
    "open_session",
    "session_actor",
    "sign_in",
    "sign_out",
]

IDLE_HOURS_ENV = "SENSORY_AUDIT_SESSION_IDLE_HOURS"
LIFETIME_DAYS_ENV = "SENSORY_AUDIT_SESSION_DAYS"
LOCK_MINUTES_ENV = "SENSORY_AUDIT_LOCK_MINUTES"

MIN_PASSWORD_LENGTH = 12
# Failures allowed before attempts must wait; the wait then doubles with every failure, up to
# MAX_WAIT_SECONDS; at LOCK_AFTER failures the address is locked for the policy's lock time.
FREE_FAILURES = 3
MAX_WAIT_SECONDS = 60
LOCK_AFTER = 6
# How often a session's last use is written (reading it on every page view stays cheap).
TOUCH_EVERY = dt.timedelta(minutes=1)

# English here; told in the person's language with _(WRONG).
WRONG = N_("The email address or the password is not right.")
# The demo accounts' addresses (assessments.demo); their password `demo` only works in demo mode.
DEMO_DOMAIN = "@demo.sensory-audit.test"

# Argon2id with the memory of RFC 9106's low-memory profile (64 MiB) and two passes in one lane: one
# verify takes about 150 ms of one core. The profile's own four lanes and three passes cost half as
# much again and gain nothing on a small server, where the lanes wait for the same one or two cores
# and sign-ins queue behind each other. Hashes made with other parameters (argon2-cffi's default,
# the RFC profile itself) still verify, and are made again with these at the next sign-in.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_LANES = 1
_HASHER = PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES)
# Verified against when no account has the email, so both answers take as long.
_DUMMY_HASH = _HASHER.hash("not a password anyone has: " + secrets.token_hex(8))
_COMMON = Path(__file__).with_name("common_passwords.txt")


def _number(raw: str, name: str, default: float) -> float:
    raw = raw.strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be more than 0, not {raw!r}")
    return value


@dataclass(frozen=True)
class Policy:
    """How long sessions last and how long a lock holds."""

    idle: dt.timedelta = dt.timedelta(hours=8)
    lifetime: dt.timedelta = dt.timedelta(days=7)
    lock: dt.timedelta = dt.timedelta(minutes=15)

    @classmethod
    def from_env(cls) -> Policy:
        """SENSORY_AUDIT_SESSION_IDLE_HOURS, SENSORY_AUDIT_SESSION_DAYS and SENSORY_AUDIT_LOCK_MINUTES."""
        return cls(
            idle=dt.timedelta(hours=_number(os.environ.get(IDLE_HOURS_ENV, ""), IDLE_HOURS_ENV, 8)),
            lifetime=dt.timedelta(days=_number(os.environ.get(LIFETIME_DAYS_ENV, ""), LIFETIME_DAYS_ENV, 7)),
            lock=dt.timedelta(minutes=_number(os.environ.get(LOCK_MINUTES_ENV, ""), LOCK_MINUTES_ENV, 15)),
        )


class SignInError(Exception):
    """A sign-in that did not succeed; the message is what the person is told, the same whether or
    not an account has the email. `wait_seconds` is how long before the next attempt is heard."""

    def __init__(self, message: str, wait_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.message = message
        self.wait_seconds = wait_seconds


# --------------------------------------------------------------------------------------------
# Passwords
# --------------------------------------------------------------------------------------------


def _common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


_COMMON_PASSWORDS = _common_passwords()


def check_password(password: str, email: str = "") -> None:
    """Refuse a password that is too short, common, or made from the email address (InvalidAnswer)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidAnswer(
            _("A password needs at least {count} characters; a few words make a good one.").format(
                count=MIN_PASSWORD_LENGTH
            ),
            field="password",
        )
    lowered = password.lower()
    local = email.split("@")[0].lower()
    from_email = (len(local) >= 4 and local in lowered) or (bool(email) and email.lower() in lowered)
    if lowered in _COMMON_PASSWORDS or len(set(lowered)) <= 2 or from_email:
        raise InvalidAnswer(
            _("That password is too easy to guess (it is a common one, or made from your email address)."),
            field="password",
        )


def hash_password(password: str, email: str = "") -> str:
    check_password(password, email)
    return _HASHER.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# --------------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user_id: int, method: str = "password", *, policy: Policy | None = None) -> str:
    """Start a session for an active user who has just proved who they are; returns the browser's token.

    Only for the sign-in paths (password, demo account, single sign-on): it checks no password.
    """
    policy = policy or Policy.from_env()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with _writing(session):
        target = session.get(User, user_id)
        if target is None or not target.active:
            raise SignInError(_(WRONG))
        session.add(
            UserSession(
                token_hash=_digest(token),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + policy.lifetime,
                method=method,
            )
        )
        _audit(session, Actor.of(target), None, "sign_in", "users", user_id, None, {"method": method})
    return token


def session_actor(session: Session, token: str | None, *, policy: Policy | None = None) -> Actor | None:
    """Who holds this session token now, or None when it is unknown, expired, or its user disabled."""
    if not token:
        return None
    policy = policy or Policy.from_env()
    now = utcnow()
    row = session.execute(
        select(UserSession, User)
        .join(User, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _digest(token))
    ).one_or_none()
    if row is None:
        session.rollback()
        return None
    held, user = row
    if not user.active or held.expires_at <= now or held.last_seen_at + policy.idle <= now:
        with _writing(session):
            session.execute(delete(UserSession).where(UserSession.id == held.id))
        return None
    orgs = session.scalars(select(memberships.c.organisation_id).where(memberships.c.user_id == user.id)).all()
    actor = Actor(id=user.id, name=user.name, email=user.email, role=user.role, organisation_ids=frozenset(orgs))
    if now - held.last_seen_at >= TOUCH_EVERY:
        with _writing(session):
            held.last_seen_at = now
    else:
        session.rollback()
    return actor


def sign_out(session: Session, token: str | None) -> None:
    if not token:
        return
    with _writing(session):
        held = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
        if held is not None:
            user = session.get(User, held.user_id)
            session.delete(held)
            if user is not None:
                _audit(session, Actor.of(user), None, "sign_out", "users", user.id)


def _end_sessions(session: Session, user_id: int) -> None:
    """End every session of a user (inside a write: disabled, role or password changed)."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))


# --------------------------------------------------------------------------------------------
# Signing in with a password
# --------------------------------------------------------------------------------------------


def _clean(email: str) -> str:
    return email.strip().lower()


def _wait(throttle: SignInThrottle | None, now: dt.datetime) -> float:
    """Seconds before the next attempt for this address is heard (0: now)."""
    if throttle is None:
        return 0.0
    if throttle.locked_until is not None and throttle.locked_until > now:
        return (throttle.locked_until - now).total_seconds()
    if throttle.failures < FREE_FAILURES or (throttle.locked_until is not None and throttle.locked_until <= now):
        return 0.0
    delay = min(2.0 ** (throttle.failures - FREE_FAILURES), MAX_WAIT_SECONDS)
    return max(0.0, (throttle.last_failure_at + dt.timedelta(seconds=delay) - now).total_seconds())


def _refusal(throttle: SignInThrottle, now: dt.datetime) -> SignInError:
    wait = _wait(throttle, now)
    if throttle.locked_until is not None and throttle.locked_until > now:
        minutes = max(1, round(wait / 60))
        return SignInError(
            ngettext(
                "Too many failed attempts: signing in with this email address is locked for about {minutes} "
                "minute. An administrator can also reset the password.",
                "Too many failed attempts: signing in with this email address is locked for about {minutes} "
                "minutes. An administrator can also reset the password.",
                minutes,
            ).format(minutes=minutes),
            wait,
        )
    if wait > 0:
        seconds = int(wait + 0.999)
        # WRONG, then how long to wait (the same words in English whatever the number).
        said = ngettext(
            "The email address or the password is not right. Wait {seconds} seconds before the next attempt.",
            "The email address or the password is not right. Wait {seconds} seconds before the next attempt.",
            seconds,
        )
        return SignInError(said.format(seconds=seconds), wait)
    return SignInError(_(WRONG))


def sign_in(session: Session, email: str, password: str, *, policy: Policy | None = None, demo: bool = False) -> str:
    """Check an email and password; returns a session token, or raises SignInError.

    The refusal is the same for an unknown address, a disabled account and a wrong password, and
    attempts made during a wait or a lock are not checked at all. The demo accounts sign in only
    when `demo` is true (the app is in demo mode).
    """
    policy = policy or Policy.from_env()
    clean = _clean(email)
    now = utcnow()
    throttle = session.get(SignInThrottle, clean)
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until <= now:
        # The lock is over: start counting again.
        with _writing(session):
            throttle.failures, throttle.locked_until = 0, None
    waiting = _wait(throttle, now)
    if waiting > 0:
        assert throttle is not None
        session.rollback()
        raise _refusal(throttle, now)
    user = session.scalar(select(User).where(User.email == clean))
    good = _verify(None if user is None else user.password_hash, password)
    if not demo and clean.endswith(DEMO_DOMAIN):
        good = False
    if good and user is not None and user.active:
        with _writing(session):
            if throttle is not None:
                session.delete(throttle)
            if user.password_hash is not None and _HASHER.check_needs_rehash(user.password_hash):
                # The same password, kept with the current parameters (not a change: sessions stay).
                user.password_hash = _HASHER.hash(password)
        return open_session(session, user.id, "password", policy=policy)
    with _writing(session):
        throttle = session.get(SignInThrottle, clean)
        if throttle is None:
            throttle = SignInThrottle(email=clean, failures=0)
            session.add(throttle)
        throttle.failures += 1
        throttle.last_failure_at = now
        user_id = None if user is None else user.id
        _audit(session, None, None, "sign_in_failed", "users", user_id, None, {"email": clean})
        if throttle.failures >= LOCK_AFTER:
            throttle.locked_until = now + policy.lock
            _audit(session, None, None, "sign_in_locked", "users", user_id, None, {"email": clean})
        refusal = _refusal(throttle, now)
    raise refusal


# --------------------------------------------------------------------------------------------
# Invite and reset links, and the first administrator
