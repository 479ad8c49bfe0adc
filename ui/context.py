"""What every page needs: the opened store, the catalogue, and who is acting.

The store is opened (and migrated) once per server process; on the first start with an empty
database it is filled with the demo portfolio so a new user has something to look at.
"""

from __future__ import annotations

import streamlit as st

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS, open_app_store
from assessments.models import User
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from ui import state

__all__ = ["catalogue", "current_user", "demo_users", "store"]


@st.cache_resource(show_spinner="Opening the assessment store…")
def store() -> Store:
    return open_app_store()


@st.cache_resource
def catalogue() -> Catalogue:
    return default_catalogue()


def demo_users() -> list[User]:
    """The demo users present in the store, in the order of DEMO_USERS (one per role first)."""
    with store().session() as session:
        users = [repository.get_user_by_email(session, demo.email) for demo in DEMO_USERS]
    return [u for u in users if u is not None]


def current_user() -> User:
    """The acting user: the one chosen in this browser session, else the first demo user (staff)."""
    users = demo_users()
    if not users:
        st.error("No user accounts exist yet. Run `sensory-audit demo` to load the demo portfolio.")
        st.stop()
    chosen = st.session_state.get(state.USER_ID)
    for user in users:
        if user.id == chosen:
            return user
    st.session_state[state.USER_ID] = users[0].id
    return users[0]
