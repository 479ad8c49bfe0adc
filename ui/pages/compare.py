"""Compare rooms: two to six rooms, from any of your sites, side by side. Category and principle
scores as bars and a radar, then item by item each room's answer against its room type's target,
with the items where the rooms differ highlighted. Rooms of organisations with criteria of their own
are named as such, and can be compared under the shipped catalogue instead."""

import pandas as pd
import streamlit as st

from reports import figures
from reports.figures_dashboard import compare_bars
from reports.labels import principle_short
from ui import context, state, version_view
from ui import portfolio_view as view
from ui.i18n import _
from ui.table_words import band_text, date_text, number_cells, status_text
from ui.text import literal

# Cell tints of the item table: a light wash of the band D and C colours, so the text stays readable.
# The mark at the start of each cell (✓ ◐ ✗) says the same without colour.
TINT_NONE, TINT_PART = "#FBD9C6", "#FCEBC8"

user = context.current_user()
catalogue = context.catalogue()
portfolio = view.cached_portfolio(user)
latest = view.titles_in_language(portfolio.latest, catalogue).sort_values(
    ["organisation_name", "site_name", "room_name", "room_id"]
)

st.title(_("Compare rooms"))
if len(latest) < view.MIN_COMPARE:
    st.info(_("Comparing needs at least two assessed rooms in your organisations."))
    st.stop()

names = dict(zip(latest["room_id"].astype(int), latest["label"] + "  ·  " + latest["site_name"], strict=False))
if state.COMPARE_ROOMS not in st.session_state:
    # A first visit: start with the strongest and the weakest room, a comparison worth a look.
    st.session_state[state.COMPARE_ROOMS] = view.default_compare(latest)
picked = st.multiselect(
    _("Rooms to compare ({low} to {high}, from any site)").format(low=view.MIN_COMPARE, high=view.MAX_COMPARE),
    list(names), format_func=names.__getitem__, max_selections=view.MAX_COMPARE, key=state.COMPARE_ROOMS,
    persist_state="session", placeholder=_("Pick rooms"),
)  # fmt: skip
if len(picked) < view.MIN_COMPARE:
    st.info(_("Pick at least {count} rooms to compare them.").format(count=view.MIN_COMPARE))
    st.stop()

chosen = latest.set_index("room_id").loc[list(picked)]
# Rooms of organisations with criteria of their own: say so, and offer them all under the shipped catalogue.
note = version_view.own_criteria_note(chosen)
shipped = False
if note is not None:
    st.info(literal(note), icon=":material/rule:")
    shipped = st.toggle(
        _("Compare under the shipped catalogue"), key=state.COMPARE_SHIPPED,
        help=_("Scores every room under the catalogue as shipped, without any organisation's own criteria. "
               "The stored scores do not change."),
    )  # fmt: skip
    if shipped:
        st.caption(_("Re-scored under the shipped catalogue, not the stored scores."))
scored = [
    (str(row["label"]), view.cached_scored(user, int(row["assessment_id"]), portfolio.version, shipped=shipped))
    for _room_id, row in chosen.iterrows()
]

# ---- The rooms at a glance -----------------------------------------------------------------
ROOM, OVERALL, BAND = _("Room"), _("Overall"), _("Band")
summary = pd.DataFrame(
    {
        ROOM: [name for name, _score in scored],
        OVERALL: [s.score.overall for _name, s in scored],
        BAND: [band_text(s.score.band) for _name, s in scored],
        _("Critical failures"): [len(s.score.critical_failures) for _name, s in scored],
        _("Status"): [status_text(s.status, s.score.provisional) for _name, s in scored],
        _("Assessed"): [date_text(s.assessed_on) for _name, s in scored],
        _("Criteria version"): [s.score.catalogue_version for _name, s in scored],
        _("Room type"): chosen["room_type_title"].to_list(),
        _("Site"): chosen["site_name"].to_list(),
    }
)
st.dataframe(
    number_cells(summary.style.map(view.band_cell_style, subset=[BAND]), {OVERALL: 1, _("Critical failures"): 0}),
    hide_index=True,
    column_config={
        ROOM: st.column_config.TextColumn(width=170),
        OVERALL: st.column_config.NumberColumn(width="small", help=_("Overall score, 0 to 100")),
    },
)

# ---- Scores side by side -------------------------------------------------------------------
category_scores = pd.DataFrame(
    [{c.id: (s.score.categories[c.id].score if c.id in s.score.categories else None)
      for c in catalogue.categories} for _name, s in scored],
    index=[name for name, _score in scored],
).astype(float)  # fmt: skip
principle_scores = pd.DataFrame(
    [{p.id: s.score.principles.get(p.id) for p in catalogue.principles} for _name, s in scored],
    index=[name for name, _score in scored],
).astype(float)
left, right = st.columns(2)
with left:
    st.subheader(_("Categories"), anchor=False)
    st.plotly_chart(
        compare_bars(category_scores, column_titles=view.short_category_titles(catalogue), compact=True),
        theme=None, config={"displayModeBar": False},
    )  # fmt: skip
with right:
    st.subheader(_("Trauma-informed principles"), anchor=False)
    radar, bars = st.tabs([_("Radar"), _("Bars")])
    with radar:
        st.plotly_chart(
            figures.principle_radar([(name, s.score) for name, s in scored], catalogue, title=None, compact=True),
            theme=None, config={"displayModeBar": False},
        )  # fmt: skip
    with bars:
        st.plotly_chart(
            compare_bars(
                principle_scores, column_titles={p.id: principle_short(p.id) for p in catalogue.principles},
                compact=True,
            ),
            theme=None, config={"displayModeBar": False},
        )  # fmt: skip

# ---- Item by item --------------------------------------------------------------------------
st.subheader(_("Item by item"), anchor=False)
st.caption(
    _(
        "Each room's answer against the target for its room type, and the item score from 0 to 1: "
        "✓ full marks, ◐ part, ✗ none. Items where the rooms differ say so in the last column."
    )
)
only_differences = st.toggle(_("Only items where the rooms differ"), key=state.COMPARE_ONLY_DIFFERENCES)
table, values = view.compare_items(catalogue, scored, only_differences=only_differences)


def _tints(frame: pd.DataFrame) -> pd.DataFrame:
    styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for name in values.columns:
        score = values[name]
        styles[name] = [
            f"background-color: {TINT_NONE}" if v == 0 else (f"background-color: {TINT_PART}" if 0 < v < 1 else "")
            for v in score
        ]
    differs = frame.columns[-1]  # "Differs", in the person's language
    styles[differs] = ["font-weight: 700" if d else "" for d in frame[differs]]
    return styles


if table.empty:
    st.write(_("The rooms agree on every item."))
else:
    st.dataframe(
        table.style.apply(_tints, axis=None),
        hide_index=True,
        height=min(36 * (len(table) + 1) + 4, 720),
        column_config={
            table.columns[0]: st.column_config.TextColumn(width=170),
            table.columns[1]: st.column_config.TextColumn(width=110),
            **{name: st.column_config.TextColumn(width=250) for name, _score in scored},
        },
    )
