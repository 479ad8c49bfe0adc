"""The Assess screen's items: one tab per section, each item its own fragment with its question,
hint, input and saved state, and what each tap on it does (every answer saved the moment it is
given, then its item and the summary rerun).

Every field shows what the store holds. A refused entry puts the saved answer back in the field
and says why beside it; only half a flicker reading, or a reading waiting for "Save anyway", stays
as typed, marked as not saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from assessments import repository
from checklists.schema import ResolvedItem, RoomChecklist
from checklists.translations import localized, shown_item, translated_hint
from ui import assess_logic as logic
from ui import state
from ui.assess_evidence import details
from ui.assess_memory import (
    Desk,
    Opened,
    _current_summary,
    _latest_saved,
    _parts,
    _rerun,
    _show_saved_if_asked,
    _widget,
    answer_version,
    checklist_of,
    clashes,
    conflicts,
    item_feedback,
    known_answers,
    on_reload,
    show_saved_next,
    stamps,
    unlikely,
    versions,
)
from ui.i18n import _, language
from ui.table_words import shown_catalogue
from ui.text import literal

# --------------------------------------------------------------------------------------------
# One item: the question, a hint, the input, the saved state, and its note and photos
# --------------------------------------------------------------------------------------------


def answer_item(desk: Desk, assessment_id: int, resolved: ResolvedItem, room_type_title: str, editable: bool) -> None:
    item = resolved.item
    control = logic.control_for(item)
    # The words in the reader's language; answers, scores and saving keep using the item itself.
    words = shown_item(desk.catalogue, item, language())
    callback: dict[str, Any] = {"on_change": on_answer, "args": (desk, assessment_id, resolved)}

    def widget(part: str) -> str:
        return _widget(assessment_id, item.id, part)

    _show_saved_if_asked(assessment_id, resolved)
    with st.container(border=True, key=state.assess_item(assessment_id, item.id)):
        if control is logic.Control.segments:
            chosen = st.segmented_control(
                words.question,
                logic.segment_options(item),
                format_func=lambda v: logic.segment_label(words, v),
                key=widget("answer"),
                disabled=not editable,
                wrap=True,
                **callback,
            )
            chosen_text = logic.selected_text(words, chosen)
            if chosen_text:
                st.caption(_("Chosen: {words}").format(words=chosen_text))
        elif control is logic.Control.readings:
            na = bool(st.session_state.get(widget("na")))
            st.text_input(
                words.question,
                placeholder=logic.reading_placeholder(resolved),
                key=widget("answer"),
                disabled=not editable or na,
                **callback,
            )
            if item.allow_na:
                st.checkbox(_("Not applicable here"), key=widget("na"), disabled=not editable, **callback)
        elif control is logic.Control.flicker:
            st.markdown(f"**{words.question}**")
            na = bool(st.session_state.get(widget("na")))
            left, right = st.columns(2)
            left.text_input(_("Percent flicker (%)"), key=widget("percent"), disabled=not editable or na, **callback)
            right.text_input(_("Main frequency (Hz)"), key=widget("frequency"), disabled=not editable or na, **callback)
            if item.allow_na:
                st.checkbox(_("Not applicable here"), key=widget("na"), disabled=not editable, **callback)
        else:
            st.text_area(words.question, key=widget("answer"), disabled=not editable, height=80, **callback)

        tip = logic.hint(words)
        good, how = translated_hint(desk.catalogue, words, language()) or (tip.good, tip.how)
        target = logic.target_text(resolved, room_type_title)
        lines = [good] + ([how] if how else []) + ([f"**{target}**"] if target else [])
        if item.critical:
            lines.append(_("**Critical item**: a failing answer caps the room's band at C."))
        st.caption("  \n".join(lines))
        saved_state(desk, assessment_id, resolved, editable)
        details(desk, assessment_id, resolved, editable)


def saved_state(desk: Desk, assessment_id: int, resolved: ResolvedItem, editable: bool) -> None:
    item_id = resolved.item.id
    feedback = item_feedback(assessment_id).get(item_id)
    with st.container(key=state.assess_item_status(assessment_id, item_id)):
        by = _given_by(assessment_id, item_id)
        if feedback is None:
            if item_id in known_answers(assessment_id):
                st.markdown(":green[:material/check_circle:] " + _("Saved") + by)
            elif editable:
                st.markdown(":gray[:material/radio_button_unchecked:] " + _("Not answered yet"))
        elif feedback.ok and _latest_saved().get(assessment_id) == item_id:
            now = _current_summary(desk, assessment_id)
            room_now = _("room now: {summary}").format(summary=now.short())
            st.markdown(f":green[:material/check_circle:] {literal(feedback.text())}{by} · {room_now}")
        elif feedback.ok:
            st.markdown(f":green[:material/check_circle:] {literal(feedback.text())}{by}")
        elif feedback.kind is logic.FeedbackKind.clash:
            st.warning(literal(feedback.message), icon=":material/group:")
            with st.container(horizontal=True):
                st.button(
                    _("Keep mine"), on_click=on_keep_mine, args=(desk, assessment_id, resolved),
                    key=_widget(assessment_id, item_id, "keep_mine"), type="primary",
                )  # fmt: skip
                st.button(
                    _("Take theirs"), on_click=on_take_theirs, args=(assessment_id, resolved),
                    key=_widget(assessment_id, item_id, "take_theirs"),
                )  # fmt: skip
        elif feedback.kind is logic.FeedbackKind.unlikely:
            st.warning(literal(feedback.message), icon=":material/help:")
            with st.container(horizontal=True):
                st.button(
                    _("Save anyway"), on_click=on_save_anyway, args=(desk, assessment_id, resolved),
                    key=_widget(assessment_id, item_id, "save_anyway"), type="primary",
                )  # fmt: skip
                st.button(
                    _("Change it"), on_click=on_change_it, args=(assessment_id, resolved),
                    key=_widget(assessment_id, item_id, "change_it"),
                )  # fmt: skip
        elif feedback.kind in (logic.FeedbackKind.pending, logic.FeedbackKind.kept):
            st.warning(literal(feedback.message), icon=":material/edit:")
        elif feedback.kind is logic.FeedbackKind.conflict:
            st.error(literal(feedback.message), icon=":material/sync_problem:")
            st.button(
                _("Reload the saved answers"),
                on_click=on_reload,
                args=(assessment_id,),
                key=_widget(assessment_id, item_id, "reload"),
            )
        else:
            st.error(literal(feedback.message), icon=":material/error:")


def _given_by(assessment_id: int, item_id: str) -> str:
    """' · by Sam Patel' after an answer: who gave it (two people may answer one assessment)."""
    stamp = stamps(assessment_id).get(item_id)
    if stamp is None or not stamp.answered_by or item_id not in known_answers(assessment_id):
        return ""
    return " · " + _("by {name}").format(name=literal(stamp.answered_by))


def sections(desk: Desk, opened: Opened, editable: bool) -> None:
    """One tab per section of the checklist, each item its own fragment."""
    checklist, assessment_id = opened.checklist, opened.assessment.id
    titles = {c.id: c for c in localized(desk.catalogue, language()).catalogue.categories}
    shown = [c for c in checklist.category_weights if any(r.item.category == c for r in checklist.items)]
    # The section shown is kept while the assessor visits other screens (the tabs' own key is not).
    kept = st.session_state.get(state.ASSESS_CHOSEN_SECTION)
    if state.ASSESS_SECTION not in st.session_state and kept in [titles[s].title for s in shown]:
        st.session_state[state.ASSESS_SECTION] = kept
    tabs = st.tabs([titles[s].title for s in shown], key=state.ASSESS_SECTION, on_change=on_section)
    for tab, section in zip(tabs, shown, strict=True):
        with tab:
            st.caption(titles[section].description)
            for resolved in checklist.items:
                if resolved.item.category == section:
                    fragment = st.fragment(answer_item, key=state.assess_item(assessment_id, resolved.id))
                    fragment(desk, assessment_id, resolved, room_type_words(desk, checklist), editable)


def room_type_words(desk: Desk, checklist: RoomChecklist) -> str:
    """The room type's name in the person's language ("classroom", "salle de classe"); an
    organisation's own room type keeps its own name."""
    try:
        return shown_catalogue(desk.catalogue).checklist(checklist.setting, checklist.room_type).room_type_title
    except KeyError:
        return checklist.room_type_title


def _remember(assessment_id: int, resolved: ResolvedItem, result: logic.SaveResult, by: str) -> bool:
    """Keep what a save (by `by`) did; returns whether the summary must follow (the answers or the conflict changed)."""
    item_id = resolved.item.id
    item_feedback(assessment_id)[item_id] = result.feedback
    if result.version is not None:
        versions()[assessment_id] = result.version
    kind = result.feedback.kind
    if kind is logic.FeedbackKind.conflict:
        conflicts()[assessment_id] = result.feedback.message
        return True
    if kind is logic.FeedbackKind.unlikely:
        unlikely(assessment_id)[item_id] = result.unlikely_raw
        return False
    if kind is logic.FeedbackKind.clash and result.clash is not None:
        clashes(assessment_id)[item_id] = result.clash
        return False
    unlikely(assessment_id).pop(item_id, None)
    clashes(assessment_id).pop(item_id, None)
    if result.changed:
        answers = known_answers(assessment_id)
        if result.answer is None:
            answers.pop(item_id, None)
            stamps(assessment_id).pop(item_id, None)
        else:
            answers[item_id] = result.answer
        if result.version is not None and result.answer is not None:
            stamps(assessment_id)[item_id] = repository.AnswerStamp(result.version, by, dt.datetime.now(dt.UTC))
        show_saved_next(assessment_id, item_id)  # '420 lx' typed shows as the store keeps it: '420'
        return True
    if kind in (logic.FeedbackKind.invalid, logic.FeedbackKind.refused):
        show_saved_next(assessment_id, item_id)
    return False


def on_answer(desk: Desk, assessment_id: int, resolved: ResolvedItem) -> None:
    item_id = resolved.item.id
    values = {part: st.session_state.get(_widget(assessment_id, item_id, part)) for part in _parts(resolved)}
    result = logic.save_item(
        desk.store, desk.user, assessment_id, resolved, values, answer_version(assessment_id, item_id),
        saved=known_answers(assessment_id).get(item_id),
        room_type_title=room_type_words(desk, checklist_of(assessment_id)),
    )  # fmt: skip
    _rerun(assessment_id, item_id, summary=_remember(assessment_id, resolved, result, desk.user.name))


def on_save_anyway(desk: Desk, assessment_id: int, resolved: ResolvedItem) -> None:
    item_id = resolved.item.id
    raw = unlikely(assessment_id).get(item_id)
    if raw is None:  # already saved or dropped (a second tap)
        _rerun(assessment_id, item_id, summary=False)
        return
    result = logic.save_unlikely(
        desk.store, desk.user, assessment_id, resolved, raw, answer_version(assessment_id, item_id),
        saved=known_answers(assessment_id).get(item_id),
    )  # fmt: skip
    _rerun(assessment_id, item_id, summary=_remember(assessment_id, resolved, result, desk.user.name))


def on_change_it(assessment_id: int, resolved: ResolvedItem) -> None:
    item_id = resolved.item.id
    raw = unlikely(assessment_id).pop(item_id, None)
    saved = known_answers(assessment_id).get(item_id)
    item_feedback(assessment_id)[item_id] = logic.kept_feedback(resolved.item, raw, saved)
    show_saved_next(assessment_id, item_id)
    _rerun(assessment_id, item_id, summary=False)


def on_keep_mine(desk: Desk, assessment_id: int, resolved: ResolvedItem) -> None:
    """After a clash: save this person's answer over the other assessor's, which they have now seen."""
    item_id = resolved.item.id
    clash = clashes(assessment_id).get(item_id)
    if clash is None:  # already chosen (a second tap)
        _rerun(assessment_id, item_id, summary=False)
        return
    result = logic.save_unlikely(
        desk.store, desk.user, assessment_id, resolved, clash.mine, clash.answer_version,
        saved=clash.theirs,
    )  # fmt: skip
    _rerun(assessment_id, item_id, summary=_remember(assessment_id, resolved, result, desk.user.name))


def on_take_theirs(assessment_id: int, resolved: ResolvedItem) -> None:
    """After a clash: the other assessor's answer counts; the field shows it, nothing is written."""
    item_id = resolved.item.id
    clash = clashes(assessment_id).pop(item_id, None)
    if clash is None:
        _rerun(assessment_id, item_id, summary=False)
        return
    answers = known_answers(assessment_id)
    if clash.theirs is None:
        answers.pop(item_id, None)
        stamps(assessment_id).pop(item_id, None)
    else:
        answers[item_id] = clash.theirs
        at = clash.at or dt.datetime.now(dt.UTC)
        stamps(assessment_id)[item_id] = repository.AnswerStamp(clash.answer_version, clash.by, at)
    who = literal(clash.by or _("the other assessor"))
    item_feedback(assessment_id)[item_id] = logic.Feedback(
        logic.FeedbackKind.taken,
        _("Took {who}'s answer: {answer}").format(who=who, answer=literal(clash.theirs_words(resolved.item))),
    )
    show_saved_next(assessment_id, item_id)
    _rerun(assessment_id, item_id, summary=True)


def on_section() -> None:
    """Another tab: remember it; rerun only the summary (every item is already drawn in its tab)."""
    st.session_state[state.ASSESS_CHOSEN_SECTION] = st.session_state.get(state.ASSESS_SECTION)
    st.rerun([state.ASSESS_SUMMARY])
