"""The calendar subscription on the Inbox screen: make, replace or stop one's calendar address.

The address is `/calendar/<token>.ics` on the calendar server (`sensory-audit calendar serve`,
behind the same nginx as the app). It is shown once, right after it is made: the store keeps only
the token's hash. SENSORY_AUDIT_CALENDAR_URL names the server's address when it is not the app's
own address with /calendar/ (e.g. a server on another port or host).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

from assessments import repository
from assessments.calendar_feed import calendar_path
from assessments.models import User
from ui import context
from ui.dates import format_day
from ui.i18n import _

__all__ = ["CALENDAR_URL_ENV", "calendar_address", "subscription"]

CALENDAR_URL_ENV = "SENSORY_AUDIT_CALENDAR_URL"
# The address just made, shown on the next run and then forgotten.
_NEW_ADDRESS = "calendar_new_address"
_MAKE, _STOP = "calendar_make", "calendar_stop"


def calendar_address(app_url: str, token: str) -> str:
    """The full address of a token: under SENSORY_AUDIT_CALENDAR_URL when set, else the app's own
    address (scheme and host) with /calendar/<token>.ics."""
    base = os.environ.get(CALENDAR_URL_ENV, "").strip()
    if base:
        return base.rstrip("/").removesuffix("/calendar") + calendar_path(token)
    parts = urlsplit(app_url or "")
    root = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return root + calendar_path(token)


def _make(user: User) -> None:
    with context.store().session() as session:
        token = repository.create_calendar_token(session, user)
    st.session_state[_NEW_ADDRESS] = calendar_address(st.context.url or "", token)


def _stop(user: User) -> None:
    with context.store().session() as session:
        repository.revoke_calendar_token(session, user)
    st.session_state.pop(_NEW_ADDRESS, None)


def subscription(user: User) -> None:
    """The section: the address just made (once), or when the current one was made, and the buttons."""
    st.subheader(_("Calendar subscription"), anchor=False)
    st.caption(
        _(
            "A private address your calendar app can subscribe to: it lists the re-assessments of the rooms "
            "you may see, on the days they are due, and follows every change. Anyone with the address can "
            "read it, so keep it to yourself; make a new one if it is shared by mistake."
        )
    )
    new = st.session_state.pop(_NEW_ADDRESS, None)
    with context.store().session() as session:
        current = repository.calendar_since(session, user)
    if new:
        st.success(_("Your calendar address is ready. Copy it now: it is shown only this once."))
        st.code(new, language=None, wrap_lines=True)
    elif current is not None:
        made, used = current
        if used:
            said = _("You have a calendar address, made on {made}, last read by a calendar app on {read}.").format(
                made=format_day(made.date()), read=format_day(used.date())
            )
        else:
            said = _("You have a calendar address, made on {made}, not read yet.").format(made=format_day(made.date()))
        st.write(said)
    columns = st.columns(2)
    columns[0].button(
        _("Make a new address") if current is not None else _("Make my calendar address"),
        key=_MAKE, on_click=_make, args=(user,), icon=":material/calendar_add_on:",
        help=_("The address is shown once; a new one stops the old one.") if current is not None else None,
    )  # fmt: skip
    if current is not None:
        columns[1].button(
            _("Stop my calendar address"), key=_STOP, on_click=_stop, args=(user,), icon=":material/event_busy:"
        )
