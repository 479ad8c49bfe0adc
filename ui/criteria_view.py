"""Which criteria the Criteria screen shows: the shipped catalogue, or an organisation's own criteria.

A person whose organisations include one with criteria of its own chooses between them; the choice
starts on that organisation when there is only one. Items an organisation added are its own text and
are shown escaped (`as_text`).
"""

from __future__ import annotations

import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from assessments.repository import UserLike
from checklists.schema import Catalogue, Item
from ui import context, state
from ui.text import literal

__all__ = ["as_text", "chosen_catalogue"]

_TEXT_FIELDS = ("question", "guidance", "how_to_fix", "source", "evidence_note")


def chosen_catalogue(user: UserLike, shipped: Catalogue) -> Catalogue:
    """The catalogue chosen on the page (a select box appears only when an organisation has its own)."""
    with context.store().session() as session:
        organisations = {o.id: o.name for o in repository.list_organisations(session, user)}
        own = repository.organisations_with_criteria(session, user, list(organisations))
    if not own:
        return shipped
    options: list[int | None] = [None, *sorted(own, key=organisations.__getitem__)]

    def label(key: int | None) -> str:
        if key is None:
            return f"The shipped catalogue ({shipped.version})"
        return f"{organisations[key]}: its own criteria, version {own[key]}"

    chosen = st.selectbox(
        "Criteria of", options, format_func=label, index=1 if len(own) == 1 else 0,
        key=state.CRITERIA_ORGANISATION, help="Organisations with criteria of their own score their rooms under them.",
    )  # fmt: skip
    if chosen is None:
        return shipped
    try:
        with context.store().session() as session:
            return repository.criteria_catalogue(session, user, int(chosen))
    except StoreError as error:
        st.error(literal(str(error)), icon=":material/error:")
        return shipped


def as_text(item: Item) -> Item:
    """The item with its words escaped for Markdown (an organisation's own item)."""
    return item.model_copy(update={f: literal(getattr(item, f)) for f in _TEXT_FIELDS if getattr(item, f)})
