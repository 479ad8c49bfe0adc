"""The re-assessment schedule on screen: the Overview's rooms due and overdue with the calendar file,
and the Admin screen's months between assessments per room type (managers and admins).

When a room is due is the store's rule (`assessments.schedule`); the words and the calendar file are
`reports.schedule`. This module draws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from assessments.repository import UserLike
from assessments.roles import allowed
from assessments.schedule import DEFAULT_MONTHS, DUE_SOON_DAYS, MAX_MONTHS, MIN_MONTHS, DueState, RoomDue
from reports.schedule import due_calendar, schedule_rows
from ui import state
from ui.dates import format_day
from ui.i18n import _, ngettext
from ui.text import literal

# Up to this many rooms, the calendar file is made with the page rather than when the button is pressed.
CALENDAR_MADE_AT_ONCE = 50

__all__ = ["due_section", "intervals_section", "save_interval"]


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_schedule(today: dt.date, version: int, user_id: int, _user: UserLike) -> list[RoomDue]:
    from ui import context

    with context.store().session() as session:
        return repository.room_schedule(session, _user, today=today)


def due_section(user: UserLike, room_ids: Collection[int], version: int, today: dt.date | None = None) -> None:
    """Rooms in `room_ids` due within DUE_SOON_DAYS or overdue, and the calendar of all of them."""
    day = today or dt.date.today()
    wanted = set(room_ids)
    rooms = [r for r in _cached_schedule(day, version, user.id, user) if r.room_id in wanted]
    st.subheader(_("Due for re-assessment"), anchor=False)
    st.caption(
        _(
            "A room is due {months} months after its last submitted or reviewed assessment unless its "
            "organisation sets another interval for its room type (Admin screen), and as soon as its planned "
            "fixes are done. Listed: rooms overdue, and rooms due in the next {days} days."
        ).format(months=DEFAULT_MONTHS, days=DUE_SOON_DAYS)
    )
    from ui import context

    shown = [r for r in rooms if r.state is not DueState.later]
    rows = schedule_rows(context.catalogue(), shown)
    overdue = sum(r.state is DueState.overdue for r in shown)
    if rows:
        st.write(
            ngettext(
                "{overdue} overdue, {soon} due soon, of {count} room.",
                "{overdue} overdue, {soon} due soon, of {count} rooms.",
                len(rooms),
            ).format(overdue=overdue, soon=len(shown) - overdue, count=len(rooms))
        )
        st.dataframe(
            pd.DataFrame(
                {
                    _("Room"): [r.room for r in rows],
                    _("Due"): [r.state for r in rows],
                    _("Due on"): [format_day(r.due_on) for r in rows],
                    _("Last assessed"): [format_day(r.last_assessed) for r in rows],
                    _("Why"): [r.why for r in rows],
                    _("Site"): [r.site for r in rows],
                    _("Room type"): [r.room_type for r in rows],
                }
            ),
            hide_index=True,
            key=state.OVERVIEW_SCHEDULE,
            column_config={
                _("Room"): st.column_config.TextColumn(width=170),
                _("Due"): st.column_config.TextColumn(width=80),
                _("Due on"): st.column_config.TextColumn(width=100),
                _("Last assessed"): st.column_config.TextColumn(width=110),
                _("Why"): st.column_config.TextColumn(width=280),
            },
        )
    else:
        st.write(_("No room shown is overdue or due in the next {days} days.").format(days=DUE_SOON_DAYS))
    if rooms:
        st.download_button(
            _("Download the calendar (.ics)"),
            # A short calendar is made with the page (a few milliseconds), so pressing the button
            # hands it over at once; a long one (about 0.3 s for 1,000 rooms) only when pressed.
            due_calendar(rooms) if len(rooms) <= CALENDAR_MADE_AT_ONCE else (lambda: due_calendar(rooms)),
            file_name="re-assessments.ics",
            mime="text/calendar",
            key=state.OVERVIEW_CALENDAR,
            icon=":material/calendar_month:",
            help=ngettext(
                "Every room shown, on the day it is due ({count} room): import it into a calendar app.",
                "Every room shown, on the day it is due ({count} rooms): import it into a calendar app.",
                len(rooms),
            ).format(count=len(rooms)),
        )


def save_interval(user: UserLike, organisation_id: int, choice: str | None, months: object) -> tuple[bool, str]:
    """Send one interval to the store; the answer in words, naming the field when it is refused."""
    if not choice:
        return False, _("Room type: choose the room type whose interval to set.")
    setting, room_type = choice.split(":", 1)
    from ui import context

    try:
        with context.store().session() as session:
            saved = repository.set_interval(session, user, organisation_id, setting, room_type, months)
    except StoreError as error:
        where = {"months": _("Months"), "room_type": _("Room type")}.get(error.field or "", "")
        return False, f"{where}: {error}" if where else str(error)
    title = context.catalogue().checklist(setting, room_type).room_type_title
    return True, ngettext(
        "Saved: a {room_type} is due {count} month after its last assessment.",
        "Saved: a {room_type} is due {count} months after its last assessment.",
        saved,
    ).format(room_type=title.lower(), count=saved)


def _on_save(user: UserLike, organisation_id: int) -> None:
    chosen = st.session_state.get(state.admin_field("interval", "room_type"))
    months = st.session_state.get(state.admin_field("interval", "months"))
    value = int(months) if isinstance(months, float) and months.is_integer() else months
    st.session_state[state.admin_field("interval", "outcome")] = save_interval(user, organisation_id, chosen, value)


def intervals_section(user: UserLike, organisations: dict[int, str], settings_by_org: dict[int, set[str]]) -> None:
    """The Admin screen's re-assessment intervals: each room type's months, and a form to change one."""
    from ui import context

    catalogue = context.catalogue()
    st.subheader(_("Re-assessment intervals"), anchor=False)
    st.caption(
        _(
            "How many months after its last assessment a room is due again, by room type ({months} unless set "
            "here). The Overview lists rooms due and overdue, and offers them as a calendar file."
        ).format(months=DEFAULT_MONTHS)
    )
    organisation_id = st.selectbox(
        _("Organisation"), list(organisations), format_func=organisations.__getitem__,
        key=state.ADMIN_SCHEDULE_ORGANISATION,
    )  # fmt: skip
    with context.store().session() as session:
        months = repository.list_intervals(session, user, int(organisation_id))
    settings = sorted(settings_by_org.get(int(organisation_id), set())) or list(catalogue.settings)
    types = [(s, r) for s in settings for r in catalogue.room_types(s)]
    titles = {f"{s}:{r}": f"{catalogue.checklist(s, r).room_type_title} ({catalogue.settings[s]})" for s, r in types}
    st.dataframe(
        pd.DataFrame(
            {
                _("Room type"): [titles[f"{s}:{r}"] for s, r in types],
                _("Months between assessments"): [months.get((s, r), DEFAULT_MONTHS) for s, r in types],
                _("Set"): [_("here") if (s, r) in months else _("default") for s, r in types],
            }
        ),
        hide_index=True,
        key=state.admin_field("interval", "table"),
    )
    if user.role not in allowed("set_schedule"):
        st.caption(_("Managers and admins change these intervals."))
        return
    with st.container(border=True):
        columns = st.columns([2, 1], vertical_alignment="bottom")
        columns[0].selectbox(
            _("Room type"), list(titles), format_func=titles.__getitem__, index=None,
            placeholder=_("Choose a room type"), key=state.admin_field("interval", "room_type"),
        )  # fmt: skip
        columns[1].number_input(
            _("Months"), min_value=MIN_MONTHS, max_value=MAX_MONTHS, value=DEFAULT_MONTHS, step=1,
            key=state.admin_field("interval", "months"),
        )  # fmt: skip
        st.button(
            _("Save interval"), key=state.admin_field("interval", "save"), on_click=_on_save,
            args=(user, int(organisation_id)), type="primary",
        )  # fmt: skip
        outcome = st.session_state.get(state.admin_field("interval", "outcome"))
        if outcome is not None:
            ok, message = outcome
            (st.success if ok else st.error)(literal(message))
