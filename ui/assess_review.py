"""The top and the bottom of an open assessment on the Assess screen: which room, the live score
bar (rerun after every saved answer), and submit and review.
"""

from __future__ import annotations

import streamlit as st
from babel.dates import format_date

from assessments.models import AssessmentStatus
from checklists.translations import localized
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
from ui.i18n import _, language
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


def opened_header(desk: Desk, opened: Opened) -> None:
    assessment, checklist = opened.assessment, opened.checklist
    shown = localized(desk.catalogue, language()).catalogue.checklists.get((checklist.setting, checklist.room_type))
    st.caption(
        _("{room}, {site} · {room_type} checklist, {count} items · {assessment}").format(
            room=literal(opened.room.name),
            site=literal(opened.site.name),
            room_type=(shown or checklist).room_type_title,
            count=len(checklist.items),
            assessment=literal(logic.assessment_label(assessment)),
        )
    )
    if assessment.status is AssessmentStatus.draft and assessment.review_comment:
        st.warning(
            _("Sent back by a manager: {comment}").format(comment=literal(assessment.review_comment or "")),
            icon=":material/undo:",
        )


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
            st.button(_("Reload the saved answers"), on_click=on_reload, args=(assessment_id,), key=state.ASSESS_RELOAD)
    st.progress(summary.done / summary.total if summary.total else 0.0, text=summary.sections_line())
    for _item_id, question in summary.critical_failures:
        st.error(
            _("Critical item failing: {question} The band cannot be better than C.").format(question=question),
            icon=":material/error:",
        )
    if summary.missing:
        # The label stays the same as answers come in: a new label would close an open expander.
        critical = " **" + _("(critical)") + "**"
        with st.expander(_("Still to answer")):
            st.markdown(
                f"{summary.missing_line()}.\n\n"
                + "\n".join(f"- {m.section}: {m.question}{critical if m.critical else ''}" for m in summary.missing)
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
    text = _("Left unanswered: {missing} of {total} items.").format(missing=len(summary.missing), total=summary.total)
    if critical:
        text += " " + _("Critical items among them:") + " " + " ".join(f"“{m.question}”" for m in critical)
    st.warning(text, icon=":material/rule:")


@st.fragment(key=state.ASSESS_SUBMIT_PANEL)
def submit_panel(desk: Desk, opened: Opened, editable: bool) -> None:
    assessment = opened.assessment
    assessment_id = assessment.id
    st.subheader(_("Submit"))
    decision = decisions().get(assessment_id)
    summary = _current_summary(desk, assessment_id)
    if assessment.status is AssessmentStatus.draft and editable:
        if summary.missing:
            # The reason comes first, before the button, and says what it must be.
            critical = len(summary.critical_missing)
            said = _("{missing}. To submit now, say why without them, as {rule}: the assessment is then provisional.")
            st.markdown(
                said.format(missing=summary.missing_line(), rule=logic.reason_rule())
                + (" " + _("A reviewer sees which critical items are unanswered.") if critical else "")
            )
            st.text_area(
                _("Why submit without them? (the assessment is then provisional)"),
                key=state.ASSESS_SUBMIT_REASON,
                placeholder=_("For example: {example}").format(example=logic.reason_example()),
                height=80,
            )
        st.button(
            _("Submit as provisional") if summary.missing else _("Submit assessment"),
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
        status = _("Submitted") if assessment.status is AssessmentStatus.submitted else _("Reviewed")
        if assessment.submitted_at:
            when = format_date(assessment.submitted_at, "d MMM y", locale=language())
            said = _("{status} on {date}: read-only for staff.").format(status=status, date=when)
        else:
            said = _("{status}: read-only for staff.").format(status=status)
        if assessment.status is AssessmentStatus.submitted:
            said += " " + _("A manager can send it back to draft.")
        st.info(said)
        if assessment.provisional_reason:
            st.markdown("**" + _("Submitted as provisional because:") + "** " + literal(assessment.provisional_reason))
        _left_unanswered(summary)
    if logic.can_review(desk.user.role, assessment.status):
        st.text_area(_("Comment for the assessor"), key=state.ASSESS_REVIEW_COMMENT, height=80)
        with st.container(horizontal=True):
            if assessment.status is AssessmentStatus.submitted:
                st.button(
                    _("Mark reviewed"), type="primary", on_click=on_decide, args=(desk, assessment_id, True),
                    key=state.ASSESS_REVIEW,
                )  # fmt: skip
            st.button(
                _("Send back to draft"),
                on_click=on_decide,
                args=(desk, assessment_id, False),
                key=state.ASSESS_SEND_BACK,
            )
