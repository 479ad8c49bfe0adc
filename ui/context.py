"""What every page needs: the opened store, the catalogue, and who is acting.

The store is opened (and migrated) once per server process; in demo mode, on the first start with
an empty database, it is filled with the demo portfolio so a new user has something to look at.
Who is acting is decided by `ui.signin` on every run of the app (from the server-side session);
the pages read it here.
"""

from __future__ import annotations

import threading

import streamlit as st

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS, demo_mode, open_app_store
from assessments.models import User
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from ui import state
from ui.i18n import _

__all__ = ["catalogue", "current_user", "demo_users", "is_demo", "store"]


@st.cache_resource(show_spinner=False)
def _opened_store() -> Store:
    return open_app_store()


class _AppStore:
    """`store()`: the store, opened once per server process; the first page that opens it says so
    in the person's language while the store is migrated (and, on a first demo start, filled).
    `store.clear()` closes the cached one, so the next call opens it again."""

    def __init__(self) -> None:
        self._open = threading.Event()

    def __call__(self) -> Store:
        if self._open.is_set():
            return _opened_store()
        with st.spinner(_("Opening the assessment store…")):
            opened = _opened_store()
        self._open.set()
        return opened

    def clear(self) -> None:
        _opened_store.clear()
        self._open.clear()


store = _AppStore()


@st.cache_resource
def catalogue() -> Catalogue:
    return default_catalogue()


def is_demo() -> bool:
    return demo_mode()


def demo_users() -> list[User]:
    """The demo users present in the store, in the order of DEMO_USERS (one per role first)."""
    if not is_demo():
        return []
    with store().session() as session:
        users = [repository.get_user_by_email(session, demo.email) for demo in DEMO_USERS]
    return [u for u in users if u is not None]


def current_user() -> User:
    """The acting user, as `ui.signin` decided on this run (in demo mode a page run on its own acts
    as the first demo user)."""
    chosen = st.session_state.get(state.USER_ID)
    if chosen is None and is_demo():
        users = demo_users()
        if users:
            chosen = users[0].id
            st.session_state[state.USER_ID] = chosen
    user = None
    if chosen is not None:
        with store().session() as session:
            found = session.get(User, chosen)
            user = found if found is not None and found.active else None
    if user is None:
        st.session_state.pop(state.USER_ID, None)
        st.info(_("You are signed out. Open the app again to sign in."))
        st.stop()
    return user
