"""Which criteria the Criteria screen shows: the shipped catalogue, or an organisation's own criteria.

A person whose organisations include one with criteria of its own chooses between them; the choice
starts on that organisation when there is only one. Items an organisation added are its own text and
are shown escaped (`as_text`).
"""

from __future__ import annotations

import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from assessments.models import Role, User
from assessments.repository import UserLike
from checklists.schema import Catalogue, Item, RoomChecklist
from ui import context, state
from ui.i18n import _
from ui.text import literal

__all__ = ["as_text", "chosen_catalogue", "consultant_editor", "own_items_as_text"]

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
            return _("The shipped catalogue ({version})").format(version=shipped.version)
        return _("{organisation}: its own criteria, version {version}").format(
            organisation=organisations[key], version=own[key]
        )

    chosen = st.selectbox(
        _("Criteria of"), options, format_func=label, index=1 if len(own) == 1 else 0,
        key=state.CRITERIA_ORGANISATION,
        help=_("Organisations with criteria of their own score their rooms under them."),
    )  # fmt: skip
    if chosen is None:
        return shipped
    try:
        with context.store().session() as session:
            return repository.criteria_catalogue(session, user, int(chosen))
    except StoreError as error:
        st.error(literal(str(error)), icon=":material/error:")
        return shipped


def consultant_editor(user: User, shipped: Catalogue) -> None:
    """A consultant has no Admin page: the criteria of the organisations they are granted are adapted here."""
    if user.role is not Role.consultant:
        return
    from ui.admin_criteria_widgets import CriteriaDesk, criteria_editor

    with context.store().session() as session:
        organisations = {o.id: o.name for o in repository.list_organisations(session, user)}
    if not organisations:
        return
    with st.expander(_("Adapt the criteria of an organisation you advise")):
        criteria_editor(CriteriaDesk(user, context.store(), shipped, organisations))


def as_text(item: Item) -> Item:
    """The item with its words escaped for Markdown (an organisation's own item): question, guidance,
    how to fix, source, and the labels of its options and levels."""
    update: dict[str, object] = {f: literal(getattr(item, f)) for f in _TEXT_FIELDS if getattr(item, f)}
    if item.options:
        update["options"] = [o.model_copy(update={"label": literal(o.label)}) for o in item.options]
    if item.levels:
        update["levels"] = [literal(level) for level in item.levels]
    return item.model_copy(update=update)


def own_items_as_text(checklist: RoomChecklist, shipped: Catalogue) -> RoomChecklist:
    """A room type's checklist with the items an organisation added shown as typed (`as_text`)."""
    known = {item.id for item in shipped.items}
    if all(r.id in known for r in checklist.items):
        return checklist
    items = tuple(r if r.id in known else r.model_copy(update={"item": as_text(r.item)}) for r in checklist.items)
    return checklist.model_copy(update={"items": items})
