"""Calibration: do two assessors see the same room? A round's agreement per item, per category and
overall, and the items whose guidance needs to be clearer, with what each assessor answered."""

import streamlit as st

from ui import calibration_view as view
from ui import context

user = context.current_user()

st.title("Calibration")
st.caption(
    "Comparing rooms is only fair when different assessors rate the same room the same way. A calibration round "
    "has two or more assessors assess the same rooms independently; here is how closely they agreed."
)
choices = view.round_choices(user)
if not choices:
    st.info("No calibration round yet. A manager can mark assessments of the same rooms by different assessors as one.")
    st.stop()

round_id = st.selectbox("Round", list(choices), format_func=choices.__getitem__, key="calibration_round")
section = view.round_section(user, round_id)
summary, agreement = section.summary, section.agreement
thresholds = agreement.thresholds

with st.container(border=True):
    cols = st.columns(4)
    cols[0].metric("Rooms compared", agreement.units, help="Rooms rated by every assessor of the round")
    cols[1].metric("Assessors", len(agreement.raters))
    exact = agreement.overall_exact
    cols[2].metric("Exact agreement", "—" if exact is None else f"{100 * exact:.0f} %")
    icc = agreement.overall.icc
    cols[3].metric("Overall score ICC(2,1)", "—" if icc is None else f"{icc:.2f}")
    st.text("Assessors: " + ", ".join(agreement.raters))
    if summary.mode.value == "independent" and not summary.complete:
        st.text("Still open: each assessor sees only their own answers until every room has been submitted by all.")
    if agreement.overall.no_figure:
        st.text(f"No overall figure: {agreement.overall.no_figure}.")

st.subheader("Items to clarify", anchor=False)
st.caption(
    f"Agreement is poor below a kappa of {thresholds.kappa_poor:g} or an ICC of {thresholds.icc_poor:g}. "
    "Cost is how far a room's overall score moves between the assessors' answers to that item."
)
if not agreement.poor:
    st.text("No item has poor agreement in this round.")
for poor in agreement.poor:
    item = poor.agreement
    cost = "—" if poor.cost is None else f"{poor.cost:.1f} points"
    figure = "—" if item.figure is None else f"{item.figure:.2f}"
    with st.expander(f"{item.item_id} · {item.method} {figure} · mean cost {cost}", expanded=True):
        st.text(poor.question)
        st.caption("Guidance")
        st.text(poor.guidance)
        frame = view.poor_frame(section)
        st.dataframe(frame[frame["Item"] == item.item_id].drop(columns="Item"), hide_index=True, width="stretch")

st.subheader("Category and overall scores", anchor=False)
st.dataframe(view.scores_frame(section), hide_index=True, width="stretch")

st.subheader("Every item", anchor=False)
st.dataframe(view.items_frame(section), hide_index=True, width="stretch")
