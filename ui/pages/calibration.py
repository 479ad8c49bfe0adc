"""Calibration: do two assessors see the same room? A round's agreement per item, per category and
overall, and the items whose guidance needs to be clearer, with what each assessor answered."""

import streamlit as st

from ui import calibration_view as view
from ui import context
from ui.dates import format_day
from ui.i18n import _

user = context.current_user()
ROUND_KEY = "calibration_round"

st.title(_("Calibration"))
st.caption(
    _(
        "Comparing rooms is only fair when different assessors rate the same room the same way. A calibration "
        "round has two or more assessors assess the same rooms independently; here is how closely they agreed."
    )
)
if user.role in view.ORGANISERS:
    with st.expander(_("New calibration round")):
        organisations = view.organisations(user)
        organisation_id = st.selectbox(
            _("Organisation"), list(organisations), format_func=organisations.__getitem__, key="calibration_org"
        )
        options = view.round_options(user, organisation_id)
        ask, mark = st.tabs([_("Ask assessors to assess rooms"), _("Mark assessments already taken")])
        with ask, st.form("calibration_start"):
            name = st.text_input(_("Name of the round"), max_chars=200)
            rooms = st.multiselect(_("Rooms"), list(options.rooms), format_func=options.rooms.__getitem__)
            assessors = st.multiselect(
                _("Assessors (two or more)"), list(options.assessors), format_func=options.assessors.__getitem__
            )
            when = st.columns(2)
            starts_on = when[0].date_input(_("From"), key="calibration_starts_on")
            window = when[1].number_input(_("Window in days"), min_value=0, max_value=90, value=7, step=1)
            st.caption(_("Until every assessor has submitted every room, staff see only their own answers."))
            if st.form_submit_button(_("Start the round")):
                started = view.start_round(user, name, rooms, assessors, starts_on, int(window))
                if isinstance(started, str):
                    st.text(started)
                else:
                    # Show the new round below rather than the one chosen before.
                    st.session_state[ROUND_KEY] = started
                    st.success(_("Round started."))
        with mark, st.form("calibration_mark"):
            name = st.text_input(_("Name of the round"), max_chars=200, key="calibration_mark_name")
            chosen = st.multiselect(
                _("Assessments (two or more of each room, by different assessors)"),
                list(options.assessments),
                format_func=options.assessments.__getitem__,
            )
            window = st.number_input(
                _("Window in days"), min_value=0, max_value=90, value=7, step=1, key="calibration_mark_window"
            )
            if st.form_submit_button(_("Mark as a round")):
                marked = view.mark_round(user, name, chosen, int(window))
                if isinstance(marked, str):
                    st.text(marked)
                else:
                    st.session_state[ROUND_KEY] = marked
                    st.success(_("Round marked."))

choices = view.round_choices(user)
if not choices:
    st.info(
        _("No calibration round yet. A manager can mark assessments of the same rooms by different assessors as one.")
    )
    st.stop()

round_id = st.selectbox(_("Round"), list(choices), format_func=choices.__getitem__, key=ROUND_KEY)
section = view.round_section(user, round_id)
summary, agreement = section.summary, section.agreement
thresholds = agreement.thresholds

with st.container(border=True):
    cols = st.columns(4)
    cols[0].metric(_("Rooms compared"), agreement.units, help=_("Rooms rated by every assessor of the round"))
    # Before anyone has assessed, the round's assessors are those it asked.
    round_assessors = agreement.raters or summary.assessors
    cols[1].metric(_("Assessors"), len(round_assessors))
    exact = agreement.overall_exact
    cols[2].metric(_("Exact agreement"), "—" if exact is None else f"{100 * exact:.0f} %")
    icc = agreement.overall.icc
    cols[3].metric(_("Overall score ICC(2,1)"), "—" if icc is None else f"{icc:.2f}")
    st.text(_("Assessors: {names}").format(names=", ".join(round_assessors)))
    if summary.closed_on is not None:
        st.text(
            _("Closed early on {date}; assessments after that day do not count.").format(
                date=format_day(summary.closed_on, "dd MMM y")
            )
        )
    if summary.mode.value == "independent" and not summary.complete:
        st.text(
            _(
                "Still open until {date}: each assessor sees only their own answers until every room has been "
                "submitted by all, or the round closes."
            ).format(date=format_day(summary.last_day, "dd MMM y"))
        )
        if user.role in view.ORGANISERS:
            with st.popover(_("Close the round now")):
                st.text(
                    _(
                        "Every assessor will see the others' answers, and assessments taken after today will not "
                        "count in this round. Rooms not yet assessed by everyone are left out of the figures."
                    )
                )
                if st.button(_("Close the round"), type="primary", key="calibration_close"):
                    refused = view.close_round(user, round_id)
                    if refused:
                        st.text(refused)
                    else:
                        st.rerun()
    if agreement.overall.no_figure:
        st.text(_("No overall figure: {reason}.").format(reason=agreement.overall.no_figure))

st.subheader(_("Items to clarify"), anchor=False)
st.caption(
    _(
        "Agreement is poor below a kappa of {kappa} or an ICC of {icc}. Cost is how far a room's overall score "
        "moves between the assessors' answers to that item."
    ).format(kappa=f"{thresholds.kappa_poor:g}", icc=f"{thresholds.icc_poor:g}")
)
if not agreement.poor:
    st.text(_("No item has poor agreement in this round."))
for poor in agreement.poor:
    item = poor.agreement
    cost = "—" if poor.cost is None else _("{points} points").format(points=f"{poor.cost:.1f}")
    figure = "—" if item.figure is None else f"{item.figure:.2f}"
    title = _("{item} · {method} {figure} · mean cost {cost}").format(
        item=item.item_id, method=item.method, figure=figure, cost=cost
    )
    with st.expander(title, expanded=True):
        st.text(poor.question)
        st.caption(_("Guidance"))
        st.text(poor.guidance)
        frame = view.poor_frame(section)
        rows = frame[frame["Item"] == item.item_id].drop(columns="Item")
        st.dataframe(view.shown(rows), hide_index=True, width="stretch")

st.subheader(_("Category and overall scores"), anchor=False)
st.dataframe(view.scores_frame(section), hide_index=True, width="stretch")

st.subheader(_("Every item"), anchor=False)
if agreement.items:
    st.dataframe(view.items_frame(section), hide_index=True, width="stretch")
else:
    st.text(_("No room has been assessed by every assessor yet."))
