"""Single sign-on: a person whom the organisation's OpenID Connect provider vouches for gets a session.

The provider tells who signed in (their email address, and whether it has confirmed that address).
A confirmed address that an active account has opens a session for that account, exactly as a
password sign-in does: signing out, disabling the account or changing its role end it alike. An
address no account has is refused with a sentence saying whom to ask, unless an admin has allowed
its domain: then the account is created on the spot, with the role and organisation the admin
chose for that domain (never admin), and the audit trail records it.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import _ADMINS, Actor, UserLike, _acting, _no_such, _require
from assessments.accounts import Policy, SignInError, _clean, open_session
from assessments.audit import _audit, _writing
from assessments.errors import InvalidAnswer, NotFound
from assessments.models import Organisation, Role, SignOnDomain, User
from checklists.i18n import N_, _

__all__ = [
    "PROVISION_ROLES",
    "list_sign_on_domains",
    "remove_sign_on_domain",
    "set_sign_on_domain",
    "sign_on",
    "unknown_address",
]

# The roles an allowed domain may hand out: an administrator is always made by another one.
PROVISION_ROLES = (Role.staff, Role.manager, Role.consultant, Role.viewer)
_DOMAIN = re.compile(r"^(?=.{3,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def unknown_address(email: str) -> str:
    """What someone whose address has no account here is told."""
    return _(
        "No account here has the address {email}. Ask the administrator of your organisation's "
        "sensory-audit to add you (or to allow your email domain), then sign in again."
    ).format(email=email)


def _unconfirmed(email: str) -> str:
    return _(
        "Your sign-in provider has not confirmed that the address {email} is yours, so it cannot be matched "
        "to an account here. Ask the administrator of your organisation's sensory-audit."
    ).format(email=email)


def _disabled(email: str) -> str:
    return _(
        "The account for {email} is disabled. Ask the administrator of your organisation's sensory-audit to enable it."
    ).format(email=email)


def _domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1]


def sign_on(
    session: Session,
    email: str | None,
    email_verified: object,
    name: str | None = None,
    *,
    provider: str = "sso",
    policy: Policy | None = None,
) -> str:
    """A session token for the account with this provider-confirmed address, or SignInError.

    `email_verified` must be exactly true (an identity token's `email_verified` claim): an
    address the provider has not confirmed is refused, since anyone can type any address into
    some providers' profiles.
    """
    clean = _clean(email or "")
    if "@" not in clean:
        raise SignInError(
            _(
                "Your sign-in provider did not say which email address you use, so it cannot be matched to an "
                "account here. Ask the administrator of your organisation's sensory-audit."
            )
        )
    if email_verified is not True:
        raise SignInError(_unconfirmed(clean))
    user = session.scalar(select(User).where(User.email == clean))
    if user is None:
        user = _provision(session, clean, name, provider)
    else:
        session.rollback()
    if not user.active:
        raise SignInError(_disabled(clean))
    return open_session(session, user.id, "sso", policy=policy)


def _provision(session: Session, email: str, name: str | None, provider: str) -> User:
    with _writing(session):
        allowed = session.get(SignOnDomain, _domain_of(email))
        if allowed is None:
            raise SignInError(unknown_address(email))
        organisation = session.get(Organisation, allowed.organisation_id)
        created = User(
            name=(name or "").strip()[:200] or email.split("@")[0],
            email=email,
            role=Role(allowed.role),
            password_hash=None,
            organisations=[] if organisation is None else [organisation],
        )
        session.add(created)
        session.flush()
        new = {
            "email": email,
            "role": allowed.role,
            "organisations": [allowed.organisation_id],
            "by": f"single sign-on ({provider}), domain {allowed.domain}",
        }
        _audit(session, Actor.of(created), allowed.organisation_id, "create", "users", created.id, None, new)
    return created


def _check_domain(domain: str) -> str:
    clean = domain.strip().lower().lstrip("@")
    if not _DOMAIN.match(clean):
        raise InvalidAnswer(
            _("{domain} is not an email domain: write the part after the @, such as clinic.example.org.").format(
                domain=repr(domain.strip())
            ),
            field="domain",
        )
    return clean


def list_sign_on_domains(session: Session, user: UserLike) -> list[SignOnDomain]:
    """The email domains whose people get an account on first sign-on (admins only)."""
    actor = _acting(session, user)
    _require(actor, _ADMINS, N_("see the single sign-on domains"))
    return list(session.scalars(select(SignOnDomain).order_by(SignOnDomain.domain)))


def set_sign_on_domain(
    session: Session, user: UserLike, *, domain: str, role: Role | str, organisation_id: int
) -> SignOnDomain:
    """Allow (or change) a domain: its people get `role` in the organisation on first sign-on (admins only)."""
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _ADMINS, N_("allow email domains for single sign-on"))
        clean = _check_domain(domain)
        try:
            chosen = Role(role)
        except ValueError:
            chosen = None
        if chosen not in PROVISION_ROLES:
            raise InvalidAnswer(
                _("A domain can give one of the roles {roles}, not {role}.").format(
                    roles=", ".join(r.value for r in PROVISION_ROLES), role=repr(role)
                ),
                field="role",
            )
        assert chosen is not None
        if session.get(Organisation, organisation_id) is None:
            raise NotFound(_no_such("organisation", organisation_id), field="organisation")
        row = session.get(SignOnDomain, clean)
        old = None if row is None else {"role": row.role, "organisation": row.organisation_id}
        if row is None:
            row = SignOnDomain(domain=clean, role=chosen.value, organisation_id=organisation_id)
            session.add(row)
        else:
            row.role, row.organisation_id = chosen.value, organisation_id
        new = {"domain": clean, "role": chosen.value, "organisation": organisation_id}
        _audit(session, actor, organisation_id, "allow_sign_on_domain", "sign_on_domains", None, old, new)
    return row


def remove_sign_on_domain(session: Session, user: UserLike, domain: str) -> None:
    """Stop creating accounts for a domain (admins only); accounts made already stay."""
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _ADMINS, N_("change the single sign-on domains"))
        clean = domain.strip().lower().lstrip("@")
        row = session.get(SignOnDomain, clean)
        if row is None:
            raise NotFound(
                _("The domain {domain} is not allowed for single sign-on.").format(domain=clean), field="domain"
            )
        old = {"domain": clean, "role": row.role, "organisation": row.organisation_id}
        session.delete(row)
        _audit(session, actor, row.organisation_id, "remove_sign_on_domain", "sign_on_domains", None, old)
