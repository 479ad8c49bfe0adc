"""Single sign-on through the organisation's OpenID Connect provider, when `.streamlit/secrets.toml`
configures one (an `[auth]` section as Streamlit's `st.login` reads it).

The provider proves who the person is; the app then matches the address it confirmed to an account
and opens its own server-side session for it, exactly as a password sign-in does, so signing out,
disabling the account and changing its role end it alike. Streamlit keeps the provider's answer in a
cookie for weeks and does not check its age, so the app takes it only when the sign-in at the
provider happened a few minutes ago: an older one, or one in a tab whose session has just ended,
asks the person to sign in with the provider again.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from assessments import repository
from ui import context, state
from ui.i18n import N_, _
from ui.text import literal

__all__ = ["FRESH_SECONDS", "Provider", "providers", "sign_in_buttons", "sign_out", "signed_on_token"]

# How recent a sign-in at the provider must be for the app to open a session from it.
FRESH_SECONDS = 10 * 60
# The provider's answer already tried in this tab (its subject and time), so a refusal is not repeated.
TRIED = "sso_tried"


@dataclass(frozen=True)
class Provider:
    # The name given to st.login: None for the provider configured in [auth] itself.
    key: str | None
    label: str


def _auth_section() -> Mapping[str, object] | None:
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        section = st.secrets.get("auth")
    except Exception:  # an unreadable secrets file means no single sign-on, not a broken sign-in screen
        return None
    return section if isinstance(section, Mapping) else None


def providers() -> list[Provider]:
    """The OpenID Connect providers `.streamlit/secrets.toml` configures, in its order."""
    auth = _auth_section()
    if not auth or "redirect_uri" not in auth or "cookie_secret" not in auth:
        return []
    found = []
    if "server_metadata_url" in auth and "client_id" in auth:
        found.append(Provider(None, N_("your organisation's account")))
    for name, value in auth.items():
        if isinstance(value, Mapping) and "server_metadata_url" in value and "client_id" in value:
            found.append(Provider(name, name.replace("-", " ").title()))
    return found


def sign_in_buttons(found: list[Provider]) -> None:
    """A "Sign in with …" button per provider; a tap takes the person to the provider."""
    for provider in found:
        key = provider.key or "default"
        # The default provider's label is the app's words; a named provider's is its own name.
        label = _(provider.label) if provider.key is None else provider.label
        if st.button(
            _("Sign in with {provider}").format(provider=literal(label)), key=f"signin_sso_{key}", type="primary"
        ):
            st.session_state.pop(TRIED, None)
            if provider.key is None:
                st.login()
            else:
                st.login(provider.key)


def _claims() -> dict[str, object]:
    try:
        return dict(st.user.to_dict())
    except Exception:  # no script context or no auth configured: nobody signed on
        return {}


def signed_on_token() -> str | None:
    """A session token for the person the provider has just signed in, or None.

    None when no provider is configured, nobody is signed in at the provider, that sign-in is
    older than FRESH_SECONDS, or this tab's session has just ended. A refusal (no account with
    that address, address not confirmed, account disabled) is left in SIGNIN_MESSAGE for the
    sign-in screen.
    """
    if not providers() or st.session_state.get(state.SIGNED_OUT):
        return None
    claims = _claims()
    if claims.get("is_logged_in") is not True:
        return None
    issued = claims.get("iat")
    if not isinstance(issued, int | float) or time.time() - float(issued) > FRESH_SECONDS:
        return None
    tried = (claims.get("sub"), issued)
    if st.session_state.get(TRIED) == tried:
        return None
    st.session_state[TRIED] = tried
    email = claims.get("email")
    name = claims.get("name")
    with context.store().session() as session:
        try:
            return repository.sign_on(
                session,
                email if isinstance(email, str) else None,
                claims.get("email_verified"),
                name if isinstance(name, str) else None,
                provider=str(claims.get("provider") or "default"),
            )
        except repository.SignInError as refused:
            st.session_state[state.SIGNIN_MESSAGE] = refused.message
            return None


def sign_out() -> None:
    """Also sign out at Streamlit and the provider when the person came through single sign-on."""
    if _claims().get("is_logged_in") is True:
        st.logout()
        st.stop()
