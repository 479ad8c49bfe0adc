"""The Inbox entry of the navigation names how many notifications the signed-in person has not read.

The count is read on every run of the app, before the navigation is drawn, so it follows each read.
The title says "Inbox (3 unread)": the words are the link's visible text and what a screen reader
says, so nobody is left with a bare number. The Inbox screen reruns the app once when its own count
differs from the one the navigation showed (e.g. a reminder landed while it opened).
"""

from __future__ import annotations

import streamlit as st

from assessments import repository
from assessments.models import User
from ui import context
from ui.i18n import _, ngettext

__all__ = ["SHOWN_KEY", "inbox_title", "navigation_titles", "sync"]

# The unread count the navigation was drawn with on this run.
SHOWN_KEY = "inbox_unread_shown"


def inbox_title(unread: int) -> str:
    """The navigation's title of the Inbox screen: 'Inbox', or 'Inbox (3 unread)'."""
    if unread <= 0:
        return _("Inbox")
    return ngettext("Inbox ({count} unread)", "Inbox ({count} unread)", unread).format(count=unread)


def navigation_titles(user: User) -> dict[str, str]:
    """Screen titles that depend on the signed-in person (page file name -> title)."""
    with context.store().session() as session:
        unread = repository.unread_count(session, user)
    st.session_state[SHOWN_KEY] = unread
    return {"inbox": inbox_title(unread)}


def sync(unread: int) -> None:
    """Rerun the app when the navigation shows another count than `unread` (the count just read)."""
    shown = st.session_state.get(SHOWN_KEY)
    if shown is not None and shown != unread:
        st.rerun()
