"""What every tab of the Admin page shares: who is signed in, the store, what they may manage, and the
answer to the last form sent.

Each form's button sends the change from a callback, before the page is drawn again, so the tables
above a form already show what it added; the store checks every change and its refusal is shown
under the form, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from assessments.db import Store
from assessments.models import Role, User
from checklists.schema import Catalogue
from ui import admin_records, context, state
from ui.admin_forms import Outcome
from ui.admin_records import AdminData
from ui.i18n import N_
from ui.text import literal

FLOOR_HELP = N_("0 for the ground floor, 1 for the first floor, -1 for the first floor below ground.")


@dataclass(frozen=True)
class AdminScreen:
    """One run of the Admin page: the signed-in user, the store and catalogue, and what the user may manage."""

    user: User
    store: Store
    catalogue: Catalogue
    data: AdminData
    organisations: dict[int, str]  # id -> name, of the organisations the user may manage
    is_admin: bool

    @classmethod
    def load(cls) -> AdminScreen:
        user, store = context.current_user(), context.store()
        data = admin_records.read(store, user)
        organisations = {o.id: o.name for o in data.organisations}
        return cls(user, store, context.catalogue(), data, organisations, user.role is Role.admin)


def field(form: str, name: str) -> Any:
    return st.session_state.get(state.admin_field(form, name))


def remember(form: str, outcome: Outcome) -> None:
    st.session_state[state.ADMIN_OUTCOME] = (form, outcome)


def show_outcome(form: str) -> None:
    """The answer to the last form sent, under that form only."""
    last = st.session_state.get(state.ADMIN_OUTCOME)
    if last is None or last[0] != form:
        return
    outcome: Outcome = last[1]
    if outcome.ok:
        st.success(literal(outcome.message), icon=":material/check_circle:")
    else:
        st.error(literal(outcome.message), icon=":material/error:")
    if outcome.link:
        st.code(outcome.link, language=None, wrap_lines=True)


def reset(form: str, **values: Any) -> None:
    """Put inputs of a form back to empty, e.g. after it succeeded, ready for the next one.

    Assigned, not deleted: only an assignment reaches the input in the browser.
    """
    for name, value in values.items():
        st.session_state[state.admin_field(form, name)] = value
