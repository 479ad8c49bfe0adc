"""Overview: the portfolio at a glance. Bands, failed critical items, provisional scores and
completeness of the latest assessment of every room, a heatmap of rooms against categories or
principles, the rooms table, where a click on a row opens the room, and the rooms due for
re-assessment with their calendar file."""

from typing import Any

import pandas as pd
import streamlit as st
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from streamlit.delta_generator import DeltaGenerator

from reports import figures
from reports.labels import NO_SCORE
from scoring.engine import PROVISIONAL_BELOW
from ui import context, schedule_view, state, version_view
from ui import portfolio_view as view
from ui.i18n import _, language, ngettext
from ui.language_choice import worded_key
from ui.table_words import band_text, date_text, item_name, number_cells, percent_text
from ui.text import literal

HEATMAP_ROWS = 40


def month_text(month: Any) -> str:
    """'Oct 2026' in the person's language ('oct. 2026')."""
    return babel_dates.format_date(month, "MMM y", locale=language())


user = context.current_user()
catalogue = context.catalogue()
portfolio = view.cached_portfolio(user)
# The checklist's own titles (settings, room types) in the person's language; ids stay as they are.
rooms = view.titles_in_language(portfolio.rooms, catalogue)

st.title(_("Overview"))
if rooms.empty:
    st.info(
        _("There are no rooms in your organisations yet. An admin or manager adds sites and rooms on the Admin page.")
    )
    st.stop()
st.caption(
    _(
        "Each room is shown by its latest submitted or reviewed assessment (its newest draft when it has "
        "nothing else). Pick a row of the table to open the room."
    )
)

# ---- Filters -------------------------------------------------------------------------------


def narrowed(
    where: DeltaGenerator, frame: pd.DataFrame, label: str, column: str, title: str, key: str
) -> tuple[list[Any], pd.DataFrame]:
    """A filter that offers only the choices left by the filters before it; nothing chosen keeps all."""
    names = dict(zip(frame[column], frame[title], strict=False))
    chosen = where.multiselect(
        label, sorted(names, key=lambda k: str(names[k])), format_func=names.__getitem__, placeholder=_("All"),
        key=key, persist_state="session",
    )  # fmt: skip
    return chosen, frame[frame[column].isin(chosen)] if chosen else frame


with st.container(border=True):
    first = st.columns(4)
    chosen_orgs, in_orgs = narrowed(first[0], rooms, _("Organisation"), "organisation_id", "organisation_name",
                                    state.OVERVIEW_ORGANISATIONS)  # fmt: skip
    chosen_sites, in_sites = narrowed(first[1], in_orgs, _("Site"), "site_id", "site_name", state.OVERVIEW_SITES)
    chosen_settings, in_settings = narrowed(first[2], in_sites, _("Setting"), "setting", "setting_title",
                                            state.OVERVIEW_SETTINGS)  # fmt: skip
    chosen_types, _types_left = narrowed(first[3], in_settings, _("Room type"), "room_type", "room_type_title",
                               state.OVERVIEW_ROOM_TYPES)  # fmt: skip

    second = st.columns([3, 2], vertical_alignment="bottom")
    chosen_bands = second[0].pills(
        _("Band of the latest assessment"), ["A", "B", "C", "D", view.NO_BAND], selection_mode="multi",
        format_func=lambda b: _("no score yet") if b == view.NO_BAND else band_text(b),
        key=state.OVERVIEW_BANDS, persist_state="session", wrap=True,
    )  # fmt: skip
    # Months rather than a calendar: whole months are what a portfolio is read by, and the pickers
    # stay large enough to tap. None is "from the first" / "to the latest", so new work is never cut off.
    months = view.assessment_months(portfolio.assessments)
    span = second[1].columns(2)
    from_month = span[0].selectbox(
        _("Assessed from"), [None, *months], format_func=lambda m: _("the first") if m is None else month_text(m),
        key=worded_key(state.OVERVIEW_FROM), persist_state="session",
    )  # fmt: skip
    to_month = span[1].selectbox(
        _("To"), [None, *reversed(months)], format_func=lambda m: _("the latest") if m is None else month_text(m),
        key=worded_key(state.OVERVIEW_TO), persist_state="session",
    )  # fmt: skip

filters = view.Filters(
    organisations=tuple(chosen_orgs),
    sites=tuple(chosen_sites),
    settings=tuple(chosen_settings),
    room_types=tuple(chosen_types),
    bands=tuple(chosen_bands or ()),
    start=from_month,
    end=None if to_month is None else view.month_end(to_month),
)
data = view.apply_filters(portfolio, filters)
latest = view.titles_in_language(data.latest, catalogue)

# ---- Key numbers ---------------------------------------------------------------------------
numbers = st.columns(4)
assessed = _("{done} of {total}").format(done=data.rooms_assessed, total=len(data.rooms))
numbers[0].metric(_("Rooms assessed"), assessed, border=True)
numbers[1].metric(
    _("Critical failures"),
    ngettext("{count} room", "{count} rooms", data.failed_critical).format(count=data.failed_critical),
    border=True,
)
numbers[2].metric(
    _("Provisional"),
    ngettext("{count} room", "{count} rooms", data.provisional).format(count=data.provisional),
    border=True,
    help=_("Latest assessments with less than {share} of the checklist answered: their score may still move.").format(
        share=babel_numbers.format_percent(PROVISIONAL_BELOW, locale=language())
    ),
)
mean = data.mean_completeness
numbers[3].metric(
    _("Completeness"), NO_SCORE if mean is None else percent_text(mean), border=True,
    help=_("The average share of each room's checklist answered, by weight."),
)  # fmt: skip
st.caption(
    _(
        "Rooms assessed: rooms in the filters with an assessment in the date range (and in the chosen bands). "
        "Critical failures: rooms whose latest assessment fails a critical item, which caps the band at C."
    )
    + (" " + _("{count} of the rooms are shown by a draft.").format(count=data.drafts) if data.drafts else "")
)

if latest.empty:
    st.info(_("No room matches these filters. Widen them, or clear the band or the dates."))
    st.stop()
# Parts drawn by other screens' helpers sit in containers keyed "shared_part_…".
with st.container(key="shared_part_versions"):
    st.caption(version_view.versions_caption(latest, catalogue))
    own_criteria = version_view.own_criteria_note(latest)
    if own_criteria is not None:
        st.caption(literal(own_criteria) + " " + _("Compare rooms offers them under the shipped catalogue."))

left, right = st.columns([3, 2])
with left:
    st.subheader(_("Rooms by band"), anchor=False)
    bands = figures.band_distribution(latest["band"].where(latest["band"].notna(), None).to_list(), title=None)
    # Level labels broken onto short lines fit beside the list even on a tablet ("B<br>mostly<br>supportive").
    ticks = [str(x) for x in bands.data[0].x]
    lines = [t.replace("-", "-<br>").replace(" supportive", "<br>supportive") for t in ticks]
    bands.update_xaxes(tickangle=0, tickvals=ticks, ticktext=lines)
    st.plotly_chart(bands, theme=None, config={"displayModeBar": False})
with right:
    st.subheader(_("Failed critical items"), anchor=False)
    failing = latest[["assessment_id", "label", "site_name"]].merge(portfolio.failures, on="assessment_id")
    if failing.empty:
        st.write(_("No room shown fails a critical item."))
    else:
        failing = failing.assign(item_name=[item_name(catalogue, i) for i in failing["item_id"]])
        st.dataframe(
            failing[["label", "item_name", "site_name"]].rename(
                columns={"label": _("Room"), "item_name": _("Critical item"), "site_name": _("Site")}
            ),
            hide_index=True, height=300,
        )  # fmt: skip

# ---- Heatmap -------------------------------------------------------------------------------
st.subheader(_("Latest scores by room"), anchor=False)
controls = st.columns([1, 1], vertical_alignment="bottom")
kind = controls[0].segmented_control(
    _("Columns"), ["categories", "principles"], default="categories", required=True,
    format_func=lambda k: _("Categories") if k == "categories" else _("Principles"),
    key=state.OVERVIEW_HEATMAP, persist_state="session", wrap=True,
)  # fmt: skip
order = controls[1].segmented_control(
    _("Rooms"), ["lowest", "site"], default="lowest", required=True,
    format_func=lambda o: _("Lowest score first") if o == "lowest" else _("By site"),
    key=state.OVERVIEW_ORDER, persist_state="session", wrap=True,
)  # fmt: skip
if kind == "principles":
    columns = [f"principle_{p.id}" for p in catalogue.principles]
else:
    columns = [f"score_{c.id}" for c in catalogue.categories]
grid, left_out = view.heatmap_rows(latest, columns, limit=HEATMAP_ROWS, order=str(order))
grid.columns = [c.split("_", 1)[1] for c in grid.columns]
if kind == "principles":
    heatmap = figures.principle_heatmap(grid, catalogue, compact=True)
else:
    heatmap = figures.score_heatmap(grid, column_titles=view.short_category_titles(catalogue), compact=True)
st.plotly_chart(heatmap, theme=None, config={"displayModeBar": False})
if left_out:
    said = (
        _("The heatmap shows {shown} of {total} rooms (the lowest scores first).")
        if order == "lowest"
        else _("The heatmap shows {shown} of {total} rooms (by site).")
    )
    st.caption(
        said.format(shown=len(grid), total=len(latest))
        + " "
        + _("Narrow the filters to see others; the table below lists every room.")
    )

# ---- Rooms table: a click opens the room ----------------------------------------------------
st.subheader(_("Rooms"), anchor=False)
ROOM, OVERALL, BAND, COMPLETENESS = _("Room"), _("Overall"), _("Band"), _("Completeness")
CRITICAL = _("Critical failures")
table = pd.DataFrame(
    {
        ROOM: latest["label"],
        OVERALL: latest["overall"],
        BAND: latest["band"].map(lambda b: band_text(b if isinstance(b, str) else None)),
        COMPLETENESS: latest["completeness"] * 100,
        CRITICAL: latest["critical_failures"],
        _("Status"): [view.status_label(s, p) for s, p in zip(latest["status"], latest["provisional"], strict=True)],
        _("Assessed"): latest["assessed_on"].dt.date.map(date_text),
        _("Site"): latest["site_name"],
        _("Room type"): latest["room_type_title"],
    }
)
event = st.dataframe(
    number_cells(
        table.style.map(view.band_cell_style, subset=[BAND]),
        {OVERALL: 1, COMPLETENESS: 0, CRITICAL: 0},
        units={COMPLETENESS: "%"},
    ),
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key=state.OVERVIEW_TABLE,
    column_config={
        ROOM: st.column_config.TextColumn(width=180),
        OVERALL: st.column_config.NumberColumn(width=70, help=_("Overall score, 0 to 100")),
        BAND: st.column_config.TextColumn(width=170),
        COMPLETENESS: st.column_config.NumberColumn(width=110),
        CRITICAL: st.column_config.NumberColumn(width=120, help=_("Critical items failed in the latest assessment")),
    },
)

# ---- Rooms due for re-assessment, and their calendar (ui.schedule_view) ---------------------
with st.container(key="shared_part_due"):
    schedule_view.due_section(user, set(data.rooms["room_id"].astype(int)), portfolio.version)

selected = event.selection.rows if event is not None else []
if selected:
    room_id = int(latest["room_id"].iloc[selected[0]])
    st.session_state[state.ROOM_ID] = room_id
    st.switch_page("ui/pages/room.py", query_params={"room": str(room_id)})
