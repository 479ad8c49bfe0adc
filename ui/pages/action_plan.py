"""Action plan: every fix across the rooms in scope, from each room's latest assessment, ranked as the
engine ranks one room's plan (failed critical items first, then points gained per unit of effort),
filterable by site, category, effort and critical items, so a manager can pick this quarter's work.

Beside the fixes, the planned actions: who owns each, by when, and where it stands; managers,
consultants and admins turn a fix into an action here and change actions."""

import datetime as dt

import pandas as pd
import streamlit as st

from reports.figures_dashboard import plan_bars
from reports.labels import format_gains
from reports.tabular import frame_csv
from ui import actions_view, context, state
from ui import portfolio_view as view
from ui.i18n import N_, _
from ui.table_words import number_cells, shown_catalogue

TOP_FIXES = 15
# The table lists this many fixes at most (a quarter's work is at the top); the download has them all.
TABLE_ROWS = 500
# The catalogue's effort levels, in words.
EFFORTS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}

user = context.current_user()
catalogue = context.catalogue()
portfolio = view.cached_portfolio(user)

st.title(_("Action plan"))
st.caption(
    _(
        "The fixes of every room's latest assessment. Gain is how many points the room's overall score would rise "
        "if the item scored full marks; effort is the catalogue's estimate. Failed critical items come first: each "
        "caps its room's band at C until it is fixed."
    )
)
planned = actions_view.read_actions(user)
if portfolio.actions.empty and not planned:
    st.info(_("Nothing to fix yet: no assessed room has an item short of full marks."))
    st.stop()

actions = portfolio.actions
# One row per site, not per fix: the plan can hold tens of thousands of fixes.
site_rows = actions[["site_id", "site_name"]].drop_duplicates("site_id")
sites = dict(zip(site_rows["site_id"].to_list(), site_rows["site_name"].to_list(), strict=True))
categories = {c.id: c.title for c in shown_catalogue(catalogue).categories}
with st.container(border=True):
    top = st.columns([1, 1, 1], vertical_alignment="bottom")
    chosen_sites = top[0].multiselect(
        _("Site"), sorted(sites, key=sites.__getitem__), format_func=sites.__getitem__, placeholder=_("All"),
        key=state.ACTIONS_SITES, persist_state="session",
    )  # fmt: skip
    chosen_categories = top[1].multiselect(
        _("Category"), list(categories), format_func=categories.__getitem__, placeholder=_("All"),
        key=state.ACTIONS_CATEGORIES, persist_state="session",
    )  # fmt: skip
    chosen_efforts = top[2].pills(
        _("Effort"), ["low", "medium", "high"], format_func=lambda effort: _(EFFORTS[effort]),
        selection_mode="multi", key=state.ACTIONS_EFFORTS,
        persist_state="session", wrap=True,
    )  # fmt: skip
    critical_only = st.toggle(
        _("Critical items only"), key=state.ACTIONS_CRITICAL, persist_state="session",
        help=_("Items that cap a room's band at C when they fail."),
    )  # fmt: skip

plan = view.action_plan(
    portfolio,
    sites=chosen_sites,
    categories=chosen_categories,
    efforts=chosen_efforts or (),
    critical_only=critical_only,
)
plan = actions_view.with_action_states(plan, planned)
today = dt.date.today()
numbers = st.columns(4)
numbers[0].metric(_("Fixes"), f"{len(plan):,}", border=True)
numbers[1].metric(_("Unplanned"), f"{int((plan['action'] == '').sum()):,}", border=True)
numbers[2].metric(_("Critical failures"), f"{int(plan['failed_critical'].sum()):,}", border=True)
numbers[3].metric(_("Overdue actions"), f"{sum(a.overdue(today) for a in planned):,}", border=True)

# ---- Planned actions -------------------------------------------------------------------------
st.subheader(_("Planned actions"), anchor=False)
in_scope = [a for a in planned if not chosen_sites or a.site_id in chosen_sites]
if in_scope:
    actions_view.actions_table(in_scope, today=today)
else:
    st.write(_("No fix is planned yet."))
if actions_view.may_plan(user):
    forms = st.columns(2)
    with forms[0]:
        actions_view.plan_action_form(user, plan.head(TABLE_ROWS), planned)
    with forms[1]:
        actions_view.change_action_form(user, in_scope)

if plan.empty:
    st.info(_("No fix matches these filters."))
    st.stop()

first = min(TOP_FIXES, len(plan))
# One fix, or several (every shipped language says more than one in its plural form).
st.subheader(_("The first fix") if first == 1 else _("The first {count} fixes").format(count=first), anchor=False)
st.plotly_chart(plan_bars(plan, limit=TOP_FIXES, compact=True), theme=None, config={"displayModeBar": False})

st.subheader(_("Every fix"), anchor=False)
if st.toggle(
    _("Unplanned fixes only"), key=state.ACTIONS_UNPLANNED, help=_("Leave out the fixes someone has taken on.")
):
    plan = plan[plan["action"] == ""]


def _table(plan: pd.DataFrame) -> pd.DataFrame:
    # Each word translated once, then looked up row by row.
    efforts = {effort: _(word) for effort, word in EFFORTS.items()}
    failed, yes = _("failed"), _("yes")
    return pd.DataFrame(
        {
            "#": plan["rank"],
            _("Room"): plan["label"],
            _("Item"): plan["question"],
            _("Gain"): format_gains(plan["gain"].to_list()),
            _("Effort"): [efforts.get(e, str(e)) for e in plan["effort"].to_list()],
            _("Critical"): [
                failed if failed_critical else (yes if critical else "")
                for failed_critical, critical in zip(
                    plan["failed_critical"].to_list(), plan["critical"].to_list(), strict=True
                )
            ],
            _("Action"): actions_view.status_titles(plan["action"].to_list()),
            _("How to fix"): plan["how_to_fix"],
            _("Category"): plan["category"].map(categories),
            _("Site"): plan["site_name"],
            _("Gain per effort"): plan["gain_per_effort"],
        }
    )


if len(plan) > TABLE_ROWS:
    st.caption(
        _("The first {shown} of {total} fixes; the download has every one.").format(
            shown=TABLE_ROWS, total=f"{len(plan):,}"
        )
    )
st.dataframe(
    number_cells(_table(plan.head(TABLE_ROWS)), {_("Gain per effort"): 2}),
    hide_index=True,
    column_config={
        "#": st.column_config.NumberColumn(width="small"),
        _("Item"): st.column_config.TextColumn(width="large"),
        _("Critical"): st.column_config.TextColumn(
            help=_("failed: the room fails this critical item (band capped at C)")
        ),
        _("Action"): st.column_config.TextColumn(help=_("The state of the planned action, or unplanned")),
        _("How to fix"): st.column_config.TextColumn(width="large"),
        _("Gain per effort"): st.column_config.NumberColumn(help=_("Gain over effort (low 1, medium 2, high 4)")),
    },
)
st.download_button(
    _("Download these fixes (CSV)"),
    lambda: frame_csv(_table(plan)),  # made only when clicked
    file_name="action-plan.csv",
    mime="text/csv",
    icon=":material/download:",
)
