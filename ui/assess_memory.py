"""What the Assess screen works with and what this browser remembers between reruns: the desk
(catalogue, store, who is acting), the open assessment, every per-assessment memory (answers,
versions, feedback, photos; each key is named in ui/state.py), and how an item's fragment is rerun
after a tap.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

import streamlit as st

from assessments import repository
from assessments.db import Store
from assessments.models import Assessment, Room, Site, User
from checklists.responses import Answer
from checklists.schema import Catalogue, ResolvedItem, RoomChecklist
from ui import assess_logic as logic
from ui import context, state


@dataclass(frozen=True)
class Desk:
    """What every part of the screen works with: the catalogue, the store and who is acting."""

    catalogue: Catalogue
    store: Store
    user: User

    @classmethod
    def current(cls) -> Desk:
        desk = cls(context.catalogue(), context.store(), context.current_user())
        _settle_long_lived_objects()
        return desk


@st.cache_resource(show_spinner=False)
def _settle_long_lived_objects() -> bool:
    """Keep a tap quick: a full garbage collection walks the whole heap of libraries, catalogue and
    store (100 to 400 ms); those live as long as the server, so they are set aside from the collector
    once per process (gc.freeze), and each collection walks only what the runs made. (Streamlit's
    collection after every run is off too: `runner.postScriptGC` in .streamlit/config.toml.)"""
    gc.collect()
    gc.freeze()
    return True


@dataclass(frozen=True)
class Opened:
    """The assessment on screen, with its room, site and resolved checklist."""

    site: Site
    room: Room
    assessment: Assessment
    checklist: RoomChecklist


# --------------------------------------------------------------------------------------------
# What this browser remembers (every key is named in ui/state.py)
# --------------------------------------------------------------------------------------------


def _per_assessment(key: str, assessment_id: int) -> dict[Any, Any]:
    return st.session_state.setdefault(key, {}).setdefault(assessment_id, {})  # type: ignore[no-any-return]


def versions() -> dict[int, int]:
    return st.session_state.setdefault(state.ASSESS_VERSION, {})  # type: ignore[no-any-return]


def known_answers(assessment_id: int) -> dict[str, Answer]:
    return _per_assessment(state.ASSESS_ANSWERS, assessment_id)


def item_feedback(assessment_id: int) -> dict[str, logic.Feedback]:
    return _per_assessment(state.ASSESS_FEEDBACK, assessment_id)


def unlikely(assessment_id: int) -> dict[str, object]:
    """Readings waiting for "Save anyway" or "Change it", by item."""
    return _per_assessment(state.ASSESS_UNLIKELY, assessment_id)


def photos_of(assessment_id: int) -> dict[str, list[tuple[int, str]]]:
    """{item_id: [(evidence id, file name), ...]} as this browser last read or added them."""
    return _per_assessment(state.ASSESS_PHOTOS, assessment_id)


def stamps(assessment_id: int) -> dict[str, repository.AnswerStamp]:
    """Each answer's version and who gave it, as this browser last read or saved them."""
    return _per_assessment(state.ASSESS_STAMPS, assessment_id)


def answer_version(assessment_id: int, item_id: str) -> int:
    """The version of the item's answer this screen shows (0: no answer): what a save names."""
    stamp = stamps(assessment_id).get(item_id)
    return 0 if stamp is None else stamp.version


def clashes(assessment_id: int) -> dict[str, logic.Clash]:
    """Answers not saved because someone else answered the item since: waiting for a choice."""
    return _per_assessment(state.ASSESS_CLASH, assessment_id)


def conflicts() -> dict[int, str]:
    return st.session_state.setdefault(state.ASSESS_CONFLICT, {})  # type: ignore[no-any-return]


def decisions() -> dict[int, logic.Feedback]:
    return st.session_state.setdefault(state.ASSESS_DECISION, {})  # type: ignore[no-any-return]


def checklist_of(assessment_id: int) -> RoomChecklist:
    return st.session_state[state.ASSESS_CHECKLIST][assessment_id]  # type: ignore[no-any-return]


def _widget(assessment_id: int, item_id: str, part: str) -> str:
    return state.assess_widget(assessment_id, item_id, part)


def _parts(resolved: ResolvedItem) -> list[str]:
    """The inputs an item's answer is given with."""
    control = logic.control_for(resolved.item)
    if control is logic.Control.flicker:
        return ["percent", "frequency", "na"] if resolved.item.allow_na else ["percent", "frequency"]
    if control is logic.Control.readings and resolved.item.allow_na:
        return ["answer", "na"]
    return ["answer"]


def show_saved(assessment_id: int, resolved: ResolvedItem) -> None:
    """Put the answer the store holds back into the item's inputs (after a refusal, or on loading)."""
    saved = known_answers(assessment_id).get(resolved.item.id)
    for part, value in logic.widget_values(resolved.item, saved).items():
        st.session_state[_widget(assessment_id, resolved.item.id, part)] = value


def show_saved_next(assessment_id: int, item_id: str) -> None:
    """From a callback: the item's inputs show the saved answer when the item is next drawn.

    (A value set in a callback that reruns fragments by key reaches the browser only if it is set
    again while the item is drawn, so the item does it.)"""
    st.session_state.setdefault(state.ASSESS_SHOW_SAVED, {}).setdefault(assessment_id, set()).add(item_id)


def _show_saved_if_asked(assessment_id: int, resolved: ResolvedItem) -> None:
    asked: set[str] = st.session_state.get(state.ASSESS_SHOW_SAVED, {}).get(assessment_id, set())
    if resolved.item.id in asked:
        asked.discard(resolved.item.id)
        show_saved(assessment_id, resolved)


def _holds_typing(assessment_id: int, resolved: ResolvedItem) -> bool:
    """The item's inputs keep what was typed (half a flicker reading, a reading being asked about)
    while its message says so; once the inputs are gone (another screen ran), so is the typing."""
    item_id = resolved.item.id
    waiting = item_feedback(assessment_id).get(item_id)
    if waiting is None or not waiting.holds_typing:
        return False
    if all(_widget(assessment_id, item_id, part) in st.session_state for part in _parts(resolved)):
        return True
    item_feedback(assessment_id).pop(item_id, None)
    unlikely(assessment_id).pop(item_id, None)
    clashes(assessment_id).pop(item_id, None)
    return False


def _latest_saved() -> dict[int, str]:
    return st.session_state.setdefault(state.ASSESS_LATEST_SAVED, {})  # type: ignore[no-any-return]


def _rerun(assessment_id: int, item_id: str, *, summary: bool) -> None:
    """Rerun the item, then, when the score moved, the summary and the submit panel (what is left to
    answer) and the item saved before it, whose line then stops saying "room now": only the latest
    saved answer carries the room's score."""
    item = state.assess_item(assessment_id, item_id)
    if not summary:
        st.rerun([item])
    keys = [item, state.ASSESS_SUMMARY, state.ASSESS_SUBMIT_PANEL]
    feedback = item_feedback(assessment_id).get(item_id)
    if feedback is not None and feedback.ok:
        latest = _latest_saved()
        before = latest.get(assessment_id)
        latest[assessment_id] = item_id
        if before is not None and before != item_id:
            keys.append(state.assess_item(assessment_id, before))
    st.rerun(keys)


def _current_summary(desk: Desk, assessment_id: int) -> logic.Summary:
    return logic.summarise(desk.catalogue, checklist_of(assessment_id), known_answers(assessment_id))


def on_reload(assessment_id: int) -> None:
    """After a conflict: forget what this browser thought, and read everything back from the store."""
    conflicts().pop(assessment_id, None)
    item_feedback(assessment_id).clear()
    unlikely(assessment_id).clear()
    clashes(assessment_id).clear()
    st.rerun()
