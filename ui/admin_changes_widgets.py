"""The Admin page's recent changes tab: the audit trail, filtered by organisation, person, record and
days, told as who did what, and when."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui import admin_audit, state
from ui.admin_screen import AdminScreen
from ui.i18n import _
from ui.text import literal


def recent_changes(screen: AdminScreen) -> None:
    choices: list[int | None] = [None, *screen.organisations]
    organisation_id = st.selectbox(
        _("Changes in"), choices,
        format_func=lambda i: _("All organisations") if i is None else screen.organisations[i],
        key=state.ADMIN_CHANGES_ORGANISATION,
    )  # fmt: skip
    people = {u.email: u.name for u in screen.data.users}
    who_col, kind_col, id_col, from_col, to_col = st.columns([3, 2, 1, 2, 2])
    actor = who_col.selectbox(
        _("Who"), list(people), index=None, format_func=lambda e: f"{people[e]} ({e})", placeholder=_("Anyone"),
        key=state.admin_field("changes", "who"),
    )  # fmt: skip
    kind = kind_col.selectbox(
        _("Record"), list(admin_audit.RECORD_KINDS), index=None,
        format_func=lambda kind: _(admin_audit.RECORD_KINDS[kind]), placeholder=_("Any"),
        key=state.admin_field("changes", "kind"),
    )  # fmt: skip
    record_id = id_col.number_input(
        _("Its id"), min_value=1, step=1, value=None, key=state.admin_field("changes", "id"), disabled=kind is None
    )
    day_from = from_col.date_input(_("From"), value=None, key=state.admin_field("changes", "from"))
    day_to = to_col.date_input(_("To"), value=None, key=state.admin_field("changes", "to"))
    events = admin_audit.recent_events(
        screen.store, screen.user, organisation_id, actor_email=actor, entity=kind,
        entity_id=int(record_id) if kind is not None and record_id is not None else None,
        day_from=day_from if isinstance(day_from, dt.date) else None,
        day_to=day_to if isinstance(day_to, dt.date) else None,
    )  # fmt: skip
    if not events:
        st.info(_("No changes recorded that match."))
        return
    # A plain table: its lines wrap, so a long change is read whole on a tablet.
    # st.table draws its cells as Markdown: names and notes in the changes are shown as typed.
    table = admin_audit.changes_table(events, screen.data).map(lambda v: literal(v) if isinstance(v, str) else v)
    st.table(table, hide_index=True, border="horizontal")
    st.caption(
        _("The newest change. Every change is kept in the store's audit trail.")
        if len(events) == 1
        else _("The {count} newest changes. Every change is kept in the store's audit trail.").format(count=len(events))
    )
