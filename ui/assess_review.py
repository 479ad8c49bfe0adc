"""The top and the bottom of an open assessment on the Assess screen: which room, the live score
bar (rerun after every saved answer), and submit and review.
"""

from __future__ import annotations

import streamlit as st

from assessments.models import AssessmentStatus
from reports.theme import BAND_TEXT_COLOURS, band_colour
from ui import assess_logic as logic
from ui import state
from ui.assess_memory import (
    Desk,
    Opened,
    _current_summary,
    conflicts,
    decisions,
    item_feedback,
    on_reload,
    unlikely,
    versions,
)
from ui.text import literal

# The live score bar is set off from the page (tap heights are in the app's style.css).
CSS = f"""
<style>
.st-key-{state.ASSESS_BAR} {{ border-bottom: 1px solid #CBD2D9; padding: 0.35rem 0 0.5rem 0; }}
.assess-band {{ display: inline-block; min-width: 2.4rem; padding: 0.1rem 0.6rem; border-radius: 0.4rem;
  font-weight: 700; text-align: center; margin-right: 0.5rem; }}
</style>
"""


# --------------------------------------------------------------------------------------------
# The top of an open assessment: which room, the live summary
# --------------------------------------------------------------------------------------------


def opened_header(opened: Opened) -> None:
    assessment, checklist = opened.assessment, opened.checklist
    st.caption(
        f"{literal(opened.room.name)}, {literal(opened.site.name)} · {checklist.room_type_title} checklist, "
        f"{len(checklist.items)} items · {literal(logic.assessment_label(assessment))}"
    )
    if assessment.status is AssessmentStatus.draft and assessment.review_comment:
        st.warning(f"Sent back by a manager: {literal(assessment.review_comment or '')}", icon=":material/undo:")


def band_badge(band: str | None) -> str:
    ink = BAND_TEXT_COLOURS.get(band or "", "#1F2933")
    return f'<span class="assess-band" style="background:{band_colour(band)};color:{ink}">{band or "–"}</span>'


@st.fragment(key=state.ASSESS_SUMMARY)
def live_summary(desk: Desk, assessment_id: int) -> None:
    """Score, band, progress per section, failing critical items and what is left: rerun after every save."""
    summary = _current_summary(desk, assessment_id)
    conflict = conflicts().get(assessment_id)
    with st.container(key=state.ASSESS_BAR):
        st.markdown(band_badge(summary.score.band) + summary.headline(), unsafe_allow_html=True)
        if conflict:
            st.error(literal(conflict), icon=":material/sync_problem:")
            st.button("Reload the saved answers", on_click=on_reload, args=(assessment_id,), key=state.ASSESS_RELOAD)
    st.progress(summary.done / summary.total if summary.total else 0.0, text=summary.sections_line())
    for _item_id, question in summary.critical_failures:
        st.error(f"Critical item failing: {question} The band cannot be better than C.", icon=":material/error:")
    if summary.missing:
        # The label stays the same as answers come in: a new label would close an open expander.
        with st.expander("Still to answer"):
            st.markdown(
                f"{summary.missing_line()}.\n\n"
                + "\n".join(
                    f"- {m.section}: {m.question}{' **(critical)**' if m.critical else ''}" for m in summary.missing
                )
            )


# --------------------------------------------------------------------------------------------
# Submit, review
# --------------------------------------------------------------------------------------------


def on_submit(desk: Desk, assessment_id: int) -> None:
    reason = st.session_state.get(state.ASSESS_SUBMIT_REASON) or None
    summary = _current_summary(desk, assessment_id)
    feedback, version = logic.submit_assessment(
        desk.store, desk.user, assessment_id, versions()[assessment_id], reason, summary
    )
    decisions()[assessment_id] = feedback
    if feedback.kind is logic.FeedbackKind.conflict:
        conflicts()[assessment_id] = feedback.message
    if version is not None:
        item_feedback(assessment_id).clear()
        unlikely(assessment_id).clear()
        st.rerun()  # submitted: the whole page turns read-only


def on_decide(desk: Desk, assessment_id: int, reviewed: bool) -> None:
    comment = st.session_state.get(state.ASSESS_REVIEW_COMMENT) or ""
    feedback, version = logic.decide(
        desk.store, desk.user, assessment_id, versions()[assessment_id], reviewed=reviewed, comment=comment
    )
    decisions()[assessment_id] = feedback
    if version is not None:
        st.rerun()


def _left_unanswered(summary: logic.Summary) -> None:
    """For the reviewer: what the assessor left unanswered, critical items by their question."""
    if not summary.missing:
        return
    critical = summary.critical_missing
    text = f"Left unanswered: {len(summary.missing)} of {summary.total} items."
    if critical:
        text += " Critical items among them: " + " ".join(f"“{m.question}”" for m in critical)
    st.warning(text, icon=":material/rule:")


@st.fragment(key=state.ASSESS_SUBMIT_PANEL)
def submit_panel(desk: Desk, opened: Opened, editable: bool) -> None:
    assessment = opened.assessment
    assessment_id = assessment.id
    st.subheader("Submit")
    decision = decisions().get(assessment_id)
    summary = _current_summary(desk, assessment_id)
    if assessment.status is AssessmentStatus.draft and editable:
        if summary.missing:
            # The reason comes first, before the button, and says what it must be.
            critical = len(summary.critical_missing)
            st.markdown(
                f"{summary.missing_line()}. To submit now, say why without them, as {logic.REASON_RULE}: "
                "the assessment is then provisional."
                + (" A reviewer sees which critical items are unanswered." if critical else "")
            )
            st.text_area(
                "Why submit without them? (the assessment is then provisional)",
                key=state.ASSESS_SUBMIT_REASON,
                placeholder=f"For example: {logic.REASON_EXAMPLE}",
                height=80,
            )
        st.button(
            "Submit as provisional" if summary.missing else "Submit assessment",
            type="primary",
            on_click=on_submit,
            args=(desk, assessment_id),
            key=state.ASSESS_SUBMIT,
        )
        if decision is not None:
            (st.success if decision.ok else st.error)(literal(decision.message))
        return
    if decision is not None:
        (st.success if decision.ok else st.error)(literal(decision.message))
    if assessment.status is not AssessmentStatus.draft:
        when = f" on {assessment.submitted_at:%-d %b %Y}" if assessment.submitted_at else ""
        more = " A manager can send it back to draft." if assessment.status is AssessmentStatus.submitted else ""
        st.info(f"{assessment.status.value.capitalize()}{when}: read-only for staff.{more}")
        if assessment.provisional_reason:
            st.markdown(f"**Submitted as provisional because:** {literal(assessment.provisional_reason)}")
        _left_unanswered(summary)
    if logic.can_review(desk.user.role, assessment.status):
        st.text_area("Comment for the assessor", key=state.ASSESS_REVIEW_COMMENT, height=80)
        with st.container(horizontal=True):
            if assessment.status is AssessmentStatus.submitted:
                st.button(
                    "Mark reviewed", type="primary", on_click=on_decide, args=(desk, assessment_id, True),
                    key=state.ASSESS_REVIEW,
                )  # fmt: skip
            st.button(
                "Send back to draft", on_click=on_decide, args=(desk, assessment_id, False), key=state.ASSESS_SEND_BACK
            )
