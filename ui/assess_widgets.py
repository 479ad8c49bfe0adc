"""The Assess screen's parts and what each tap on them does (the page file, ui/pages/assess.py,
puts them in order). The wording and the rules are in ui/assess_logic.py; this module holds the
Streamlit side: widgets, callbacks, and what this browser remembers between reruns.

Three promises the parts keep:

- The room on screen is the room assessed. The open assessment (state.ASSESS_OPEN, mirrored in the
  address as ?assessment=ID) stays open across screens and reloads; choosing another site or room
  closes it and says so; "Start a new assessment" starts one of the room chosen when it is tapped.
- Every field shows what the store holds. A refused entry puts the saved answer back in the field
  and says why beside it; only half a flicker reading, or a reading waiting for "Save anyway", stays
  as typed, marked as not saved.
- The summary at the top is current. Each item is its own fragment, and every saved answer reruns
  that item and the summary fragment (state.ASSESS_SUMMARY), item first, so "Saved" shows at once
  and the score follows. Every callback names the fragments it reruns: when two changes arrive in
  one message (text typed in one field, then a tap on another item) each still reruns its own item.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

import streamlit as st

from assessments import repository
from assessments.db import Store
from assessments.errors import NotFound, PermissionDenied
from assessments.models import Assessment, AssessmentStatus, Room, Site, User
from checklists.responses import Answer
from checklists.schema import Catalogue, ResolvedItem, RoomChecklist
from reports.theme import BAND_TEXT_COLOURS, band_colour
from ui import assess_logic as logic
from ui import context, state

__all__ = [
    "CSS",
    "Desk",
    "Opened",
    "assessment_picker",
    "follow_address",
    "live_summary",
    "notice",
    "opened_header",
    "room_picker",
    "sections",
    "submit_panel",
]

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]

# The live score bar is set off from the page (tap heights are in the app's style.css).
CSS = f"""
<style>
.st-key-{state.ASSESS_BAR} {{ border-bottom: 1px solid #CBD2D9; padding: 0.35rem 0 0.5rem 0; }}
.assess-band {{ display: inline-block; min-width: 2.4rem; padding: 0.1rem 0.6rem; border-radius: 0.4rem;
  font-weight: 700; text-align: center; margin-right: 0.5rem; }}
</style>
"""


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
    """Keep a tap quick: Streamlit collects garbage after every script run, and a saved answer runs
    two (the tap's, then its item and the summary). Walking the whole heap of libraries, catalogue and
    store each time took 100 to 400 ms; those live as long as the server, so they are set aside from
    the collector once per process (gc.freeze), and each collection walks only what the runs made."""
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
    return False


# --------------------------------------------------------------------------------------------
# Which assessment is open: the address, the pickers, Start and Close
# --------------------------------------------------------------------------------------------


def _say(text: str) -> None:
    st.session_state[state.ASSESS_NOTICE] = text


def notice() -> None:
    """What the pickers last did (closed an assessment, opened another), said once."""
    text = st.session_state.pop(state.ASSESS_NOTICE, None)
    if text:
        st.info(text, icon=":material/info:")


def _open(desk: Desk, assessment_id: int) -> Assessment:
    """Make `assessment_id` the open assessment, with its site and room chosen; raises when not visible."""
    with desk.store.session() as session:
        found = repository.get_assessment(session, desk.user, assessment_id)
        room = repository.get_room(session, desk.user, found.room_id)
    st.session_state[state.ASSESS_OPEN] = found.id
    st.session_state[state.ASSESS_CHOSEN_SITE] = room.site_id
    st.session_state[state.ASSESS_CHOSEN_ROOM] = room.id
    st.query_params["assessment"] = str(found.id)
    return found


def _close() -> int | None:
    """Close the open assessment (its answers are saved); returns its id."""
    closed: int | None = st.session_state.get(state.ASSESS_OPEN)
    st.session_state[state.ASSESS_OPEN] = None
    st.query_params.pop("assessment", None)
    if closed is not None:
        item_feedback(closed).clear()
        unlikely(closed).clear()
    return closed


def _room_name(desk: Desk, assessment_id: int) -> str:
    try:
        with desk.store.session() as session:
            found = repository.get_assessment(session, desk.user, assessment_id)
            return repository.get_room(session, desk.user, found.room_id).name
    except (PermissionDenied, NotFound):
        return "the room"


def follow_address(desk: Desk) -> None:
    """Agree with the address: ?assessment=ID (a reload, a link, the browser's back) opens that
    assessment; coming back from another screen puts the open one back into the address."""
    wanted = st.query_params.get("assessment")
    opened = st.session_state.get(state.ASSESS_OPEN)
    if wanted and wanted.isdigit() and int(wanted) != opened:
        try:
            _open(desk, int(wanted))
        except (PermissionDenied, NotFound):
            st.query_params.pop("assessment", None)
            _say(f"Assessment no. {wanted} is not one you can open.")
    elif wanted is not None and not wanted.isdigit():
        st.query_params.pop("assessment", None)
    elif not wanted and opened is not None:
        st.query_params["assessment"] = str(opened)


def on_site_chosen(desk: Desk) -> None:
    site_id = st.session_state.get(state.ASSESS_SITE)
    if site_id == st.session_state.get(state.ASSESS_CHOSEN_SITE):
        return
    st.session_state[state.ASSESS_CHOSEN_SITE] = site_id
    st.session_state[state.ASSESS_CHOSEN_ROOM] = None
    opened = st.session_state.get(state.ASSESS_OPEN)
    if opened is not None:
        name = _room_name(desk, opened)
        _close()
        _say(logic.closing_notice(name, opened, None))


def on_room_chosen(desk: Desk) -> None:
    """Another room: close the open assessment, saying so, and open the new room's latest draft (if any)."""
    room_id = st.session_state.get(state.ASSESS_ROOM)
    if room_id == st.session_state.get(state.ASSESS_CHOSEN_ROOM):
        return
    st.session_state[state.ASSESS_CHOSEN_ROOM] = room_id
    opened = st.session_state.get(state.ASSESS_OPEN)
    closed_name = _room_name(desk, opened) if opened is not None else None
    _close()
    showing = None
    if room_id is not None:
        with desk.store.session() as session:
            room = repository.get_room(session, desk.user, room_id)
            found = logic.ordered_assessments(repository.list_assessments(session, desk.user, room_id))
        if found:
            _open(desk, found[0].id)
            showing = f"{room.name}: {logic.assessment_label(found[0])}"
        else:
            showing = f"{room.name}, not assessed yet"
    if opened is not None and closed_name is not None:
        _say(logic.closing_notice(closed_name, opened, showing))


def on_assessment_chosen(desk: Desk) -> None:
    chosen = st.session_state.get(state.ASSESS_ASSESSMENT)
    if chosen == st.session_state.get(state.ASSESS_OPEN):
        return
    if chosen is None:
        _close()
        return
    _close()
    _open(desk, chosen)


def on_start(desk: Desk) -> None:
    """Start an assessment of the room chosen on screen now (read when tapped, not when drawn)."""
    room_id = st.session_state.get(state.ASSESS_ROOM, st.session_state.get(state.ASSESS_CHOSEN_ROOM))
    if room_id is None:
        _say("Choose the room first, then start its assessment.")
        return
    with desk.store.session() as session:
        started = repository.start_assessment(session, desk.user, room_id)
        room = repository.get_room(session, desk.user, room_id)
    _close()
    _open(desk, started.id)
    _say(f"Started a new assessment of {room.name} (no. {started.id}).")


def on_close(desk: Desk) -> None:
    opened = st.session_state.get(state.ASSESS_OPEN)
    if opened is None:
        return
    name = _room_name(desk, opened)
    _close()
    _say(f"Closed the assessment of {name} (no. {opened}); its answers are saved. Open it again below.")


def _sync(widget_key: str, value: object) -> None:
    """Show a remembered choice in its picker (Streamlit drops the picker's own key on other screens)."""
    st.session_state[widget_key] = value


def room_picker(desk: Desk) -> tuple[Site, Room] | None:
    """The site, then the room: the room assessed is always the one shown here."""
    with desk.store.session() as session:
        sites = {s.id: s for s in repository.list_sites(session, desk.user)}
    chosen_site = st.session_state.get(state.ASSESS_CHOSEN_SITE)
    if chosen_site not in sites:
        chosen_site = None
        st.session_state[state.ASSESS_CHOSEN_SITE] = None
        st.session_state[state.ASSESS_CHOSEN_ROOM] = None
    _sync(state.ASSESS_SITE, chosen_site)
    left, right = st.columns(2)
    left.selectbox(
        "Site",
        list(sites),
        format_func=lambda i: sites[i].name,
        index=None,
        placeholder="Choose a site",
        key=state.ASSESS_SITE,
        on_change=on_site_chosen,
        args=(desk,),
    )
    if chosen_site is None:
        st.info("Choose the site, then the room you are in.")
        return None
    site = sites[chosen_site]
    with desk.store.session() as session:
        rooms = {r.id: r for r in repository.list_rooms(session, desk.user, site.id)}
    chosen_room = st.session_state.get(state.ASSESS_CHOSEN_ROOM)
    if chosen_room not in rooms:
        chosen_room = None
        st.session_state[state.ASSESS_CHOSEN_ROOM] = None
    _sync(state.ASSESS_ROOM, chosen_room)
    right.selectbox(
        "Room (type to search by name)",
        list(rooms),
        format_func=lambda i: logic.room_label(rooms[i], desk.catalogue, site.setting),
        index=None,
        placeholder="Choose or search a room",
        key=state.ASSESS_ROOM,
        on_change=on_room_chosen,
        args=(desk,),
    )
    if chosen_room is None:
        return None
    return site, rooms[chosen_room]


def assessment_picker(desk: Desk, site: Site, room: Room) -> Opened | None:
    """The room's assessments (drafts first), Start a new one, and the one open (None: none open)."""
    with desk.store.session() as session:
        found = logic.ordered_assessments(repository.list_assessments(session, desk.user, room.id))
    labels = {a.id: logic.assessment_label(a) for a in found}
    opened = st.session_state.get(state.ASSESS_OPEN)
    if opened is not None and opened not in labels:
        # Not of this room (or no longer visible to this user): it is not what the screen shows.
        _close()
        opened = None
    _sync(state.ASSESS_ASSESSMENT, opened)
    st.selectbox(
        "Assessment (drafts first)",
        list(labels),
        format_func=lambda i: labels[i],
        index=None,
        placeholder="Choose an assessment to open" if labels else "No assessments of this room yet",
        key=state.ASSESS_ASSESSMENT,
        on_change=on_assessment_chosen,
        args=(desk,),
    )
    with st.container(horizontal=True):
        if logic.can_start(desk.user.role):
            st.button(f"Start a new assessment of {room.name}", on_click=on_start, args=(desk,), key=state.ASSESS_START)
        if opened is not None:
            st.button("Close this assessment", on_click=on_close, args=(desk,), key=state.ASSESS_CLOSE,
                      icon=":material/close:")  # fmt: skip
    if opened is None:
        if not labels:
            st.info("This room has not been assessed yet: start a new assessment.")
        return None
    checklist = desk.catalogue.checklist(site.setting, room.room_type)
    st.session_state.setdefault(state.ASSESS_CHECKLIST, {})[opened] = checklist
    return Opened(site, room, load(desk, opened, checklist), checklist)


# --------------------------------------------------------------------------------------------
# Reading the assessment back from the store
# --------------------------------------------------------------------------------------------


def refresh_photos(desk: Desk, assessment_id: int) -> None:
    with desk.store.session() as session:
        evidence = repository.list_evidence(session, desk.user, assessment_id)
    by_item: dict[str, list[tuple[int, str]]] = {}
    for e in evidence:
        by_item.setdefault(e.item_id, []).append((e.id, e.file_name))
    st.session_state.setdefault(state.ASSESS_PHOTOS, {})[assessment_id] = by_item


def load(desk: Desk, assessment_id: int, checklist: RoomChecklist) -> Assessment:
    """Read the assessment and put every saved answer into its inputs (unless a conflict waits for Reload)."""
    stored, answers, notes = logic.load_answers(desk.store, desk.user, assessment_id)
    if assessment_id in conflicts():
        return stored
    versions()[assessment_id] = stored.version_id
    st.session_state.setdefault(state.ASSESS_ANSWERS, {})[assessment_id] = answers
    refresh_photos(desk, assessment_id)
    for resolved in checklist.items:
        item_id = resolved.item.id
        if not _holds_typing(assessment_id, resolved):
            show_saved(assessment_id, resolved)
        st.session_state[_widget(assessment_id, item_id, "note")] = notes.get(item_id, "")
    return stored


# --------------------------------------------------------------------------------------------
# Callbacks of the items: each saves at once, then reruns its item and (when the score moved) the summary
# --------------------------------------------------------------------------------------------


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


def _latest_saved() -> dict[int, str]:
    return st.session_state.setdefault(state.ASSESS_LATEST_SAVED, {})  # type: ignore[no-any-return]


def _remember(assessment_id: int, resolved: ResolvedItem, result: logic.SaveResult) -> bool:
    """Keep what a save did; returns whether the summary must follow (the answers or the conflict changed)."""
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
    unlikely(assessment_id).pop(item_id, None)
    if result.changed:
        answers = known_answers(assessment_id)
        if result.answer is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = result.answer
        show_saved_next(assessment_id, item_id)  # '420 lx' typed shows as the store keeps it: '420'
        return True
    if kind in (logic.FeedbackKind.invalid, logic.FeedbackKind.refused):
        show_saved_next(assessment_id, item_id)
    return False


def on_answer(desk: Desk, assessment_id: int, resolved: ResolvedItem) -> None:
    item_id = resolved.item.id
    values = {part: st.session_state.get(_widget(assessment_id, item_id, part)) for part in _parts(resolved)}
    result = logic.save_item(
        desk.store, desk.user, assessment_id, resolved, values, versions()[assessment_id],
        saved=known_answers(assessment_id).get(item_id),
        room_type_title=checklist_of(assessment_id).room_type_title,
    )  # fmt: skip
    _rerun(assessment_id, item_id, summary=_remember(assessment_id, resolved, result))


def on_save_anyway(desk: Desk, assessment_id: int, resolved: ResolvedItem) -> None:
    item_id = resolved.item.id
    raw = unlikely(assessment_id).get(item_id)
    if raw is None:  # already saved or dropped (a second tap)
        _rerun(assessment_id, item_id, summary=False)
        return
    result = logic.save_unlikely(
        desk.store, desk.user, assessment_id, resolved, raw, versions()[assessment_id],
        saved=known_answers(assessment_id).get(item_id),
    )  # fmt: skip
    _rerun(assessment_id, item_id, summary=_remember(assessment_id, resolved, result))


def on_change_it(assessment_id: int, resolved: ResolvedItem) -> None:
    item_id = resolved.item.id
    raw = unlikely(assessment_id).pop(item_id, None)
    saved = known_answers(assessment_id).get(item_id)
    item_feedback(assessment_id)[item_id] = logic.kept_feedback(resolved.item, raw, saved)
    show_saved_next(assessment_id, item_id)
    _rerun(assessment_id, item_id, summary=False)


def on_note(desk: Desk, assessment_id: int, item_id: str) -> None:
    note = st.session_state.get(_widget(assessment_id, item_id, "note")) or ""
    result = logic.save_item_note(desk.store, desk.user, assessment_id, item_id, note, versions()[assessment_id])
    item_feedback(assessment_id)[item_id] = result.feedback
    if result.version is not None:
        versions()[assessment_id] = result.version
    if result.feedback.kind is logic.FeedbackKind.conflict:
        conflicts()[assessment_id] = result.feedback.message
    _rerun(assessment_id, item_id, summary=result.feedback.kind is logic.FeedbackKind.conflict)


def on_photo(desk: Desk, assessment_id: int, item_id: str, key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    feedback = logic.add_photo(desk.store, desk.user, assessment_id, item_id, upload.name, upload.getvalue())
    item_feedback(assessment_id)[item_id] = feedback
    if feedback.ok:
        refresh_photos(desk, assessment_id)
        # A new key gives an empty uploader, ready for the next photo.
        uploads = st.session_state.setdefault(state.ASSESS_UPLOADS, {})
        uploads[(assessment_id, item_id)] = uploads.get((assessment_id, item_id), 0) + 1
    _rerun(assessment_id, item_id, summary=False)


def on_details(assessment_id: int, item_id: str) -> None:
    """Opening or closing "Note, photos and guidance" reruns its item, whatever else the tap committed."""
    _rerun(assessment_id, item_id, summary=False)


def on_section() -> None:
    """Another tab: remember it; rerun only the summary (every item is already drawn in its tab)."""
    st.session_state[state.ASSESS_CHOSEN_SECTION] = st.session_state.get(state.ASSESS_SECTION)
    st.rerun([state.ASSESS_SUMMARY])


def on_reload(assessment_id: int) -> None:
    """After a conflict: forget what this browser thought, and read everything back from the store."""
    conflicts().pop(assessment_id, None)
    item_feedback(assessment_id).clear()
    unlikely(assessment_id).clear()
    st.rerun()


@st.cache_data(max_entries=500, show_spinner=False)
def photo_thumbnail(user_id: int, evidence_id: int, _desk: Desk) -> bytes:
    # user_id is part of the cache key, so one user's thumbnails are never served to another.
    with _desk.store.session() as session:
        content = repository.evidence_content(session, _desk.user, evidence_id)
    return logic.thumbnail(content)


# --------------------------------------------------------------------------------------------
# The top of an open assessment: which room, the live summary
# --------------------------------------------------------------------------------------------


def opened_header(opened: Opened) -> None:
    assessment, checklist = opened.assessment, opened.checklist
    st.caption(
        f"{opened.room.name}, {opened.site.name} · {checklist.room_type_title} checklist, {len(checklist.items)} "
        f"items · {logic.assessment_label(assessment)}"
    )
    if assessment.status is AssessmentStatus.draft and assessment.review_comment:
        st.warning(f"Sent back by a manager: {assessment.review_comment}", icon=":material/undo:")


def band_badge(band: str | None) -> str:
    ink = BAND_TEXT_COLOURS.get(band or "", "#1F2933")
    return f'<span class="assess-band" style="background:{band_colour(band)};color:{ink}">{band or "–"}</span>'


def _current_summary(desk: Desk, assessment_id: int) -> logic.Summary:
    return logic.summarise(desk.catalogue, checklist_of(assessment_id), known_answers(assessment_id))


@st.fragment(key=state.ASSESS_SUMMARY)
def live_summary(desk: Desk, assessment_id: int) -> None:
    """Score, band, progress per section, failing critical items and what is left: rerun after every save."""
    summary = _current_summary(desk, assessment_id)
    conflict = conflicts().get(assessment_id)
    with st.container(key=state.ASSESS_BAR):
        st.markdown(band_badge(summary.score.band) + summary.headline(), unsafe_allow_html=True)
        if conflict:
            st.error(conflict, icon=":material/sync_problem:")
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
# One item: the question, a hint, the input, the saved state, and its note and photos
# --------------------------------------------------------------------------------------------


def answer_item(desk: Desk, assessment_id: int, resolved: ResolvedItem, room_type_title: str, editable: bool) -> None:
    item = resolved.item
    control = logic.control_for(item)
    callback: dict[str, Any] = {"on_change": on_answer, "args": (desk, assessment_id, resolved)}

    def widget(part: str) -> str:
        return _widget(assessment_id, item.id, part)

    _show_saved_if_asked(assessment_id, resolved)
    with st.container(border=True, key=state.assess_item(assessment_id, item.id)):
        if control is logic.Control.segments:
            chosen = st.segmented_control(
                item.question,
                logic.segment_options(item),
                format_func=lambda v: logic.segment_label(item, v),
                key=widget("answer"),
                disabled=not editable,
                wrap=True,
                **callback,
            )
            words = logic.selected_text(item, chosen)
            if words:
                st.caption(f"Chosen: {words}")
        elif control is logic.Control.readings:
            na = bool(st.session_state.get(widget("na")))
            st.text_input(
                item.question,
                placeholder=logic.reading_placeholder(resolved),
                key=widget("answer"),
                disabled=not editable or na,
                **callback,
            )
            if item.allow_na:
                st.checkbox("Not applicable here", key=widget("na"), disabled=not editable, **callback)
        elif control is logic.Control.flicker:
            st.markdown(f"**{item.question}**")
            na = bool(st.session_state.get(widget("na")))
            left, right = st.columns(2)
            left.text_input("Percent flicker (%)", key=widget("percent"), disabled=not editable or na, **callback)
            right.text_input("Main frequency (Hz)", key=widget("frequency"), disabled=not editable or na, **callback)
            if item.allow_na:
                st.checkbox("Not applicable here", key=widget("na"), disabled=not editable, **callback)
        else:
            st.text_area(item.question, key=widget("answer"), disabled=not editable, height=80, **callback)

        tip = logic.hint(item)
        target = logic.target_text(resolved, room_type_title)
        lines = [tip.good] + ([tip.how] if tip.how else []) + ([f"**{target}**"] if target else [])
        if item.critical:
            lines.append("**Critical item**: a failing answer caps the room's band at C.")
        st.caption("  \n".join(lines))
        saved_state(desk, assessment_id, resolved, editable)
        details(desk, assessment_id, resolved, editable)


def saved_state(desk: Desk, assessment_id: int, resolved: ResolvedItem, editable: bool) -> None:
    item_id = resolved.item.id
    feedback = item_feedback(assessment_id).get(item_id)
    with st.container(key=state.assess_item_status(assessment_id, item_id)):
        if feedback is None:
            if item_id in known_answers(assessment_id):
                st.markdown(":green[:material/check_circle:] Saved")
            elif editable:
                st.markdown(":gray[:material/radio_button_unchecked:] Not answered yet")
        elif feedback.ok and _latest_saved().get(assessment_id) == item_id:
            now = _current_summary(desk, assessment_id)
            st.markdown(f":green[:material/check_circle:] {feedback.text()} · room now: {now.short()}")
        elif feedback.ok:
            st.markdown(f":green[:material/check_circle:] {feedback.text()}")
        elif feedback.kind is logic.FeedbackKind.unlikely:
            st.warning(feedback.message, icon=":material/help:")
            with st.container(horizontal=True):
                st.button(
                    "Save anyway", on_click=on_save_anyway, args=(desk, assessment_id, resolved),
                    key=_widget(assessment_id, item_id, "save_anyway"), type="primary",
                )  # fmt: skip
                st.button(
                    "Change it", on_click=on_change_it, args=(assessment_id, resolved),
                    key=_widget(assessment_id, item_id, "change_it"),
                )  # fmt: skip
        elif feedback.kind in (logic.FeedbackKind.pending, logic.FeedbackKind.kept):
            st.warning(feedback.message, icon=":material/edit:")
        elif feedback.kind is logic.FeedbackKind.conflict:
            st.error(feedback.message, icon=":material/sync_problem:")
            st.button(
                "Reload the saved answers",
                on_click=on_reload,
                args=(assessment_id,),
                key=_widget(assessment_id, item_id, "reload"),
            )
        else:
            st.error(feedback.message, icon=":material/error:")


def details(desk: Desk, assessment_id: int, resolved: ResolvedItem, editable: bool) -> None:
    """Note, photos and the full guidance, drawn only when opened (fifty of them would slow the page)."""
    item = resolved.item
    photos = photos_of(assessment_id).get(item.id, [])
    note_key = _widget(assessment_id, item.id, "note")
    extras = (["note"] if st.session_state.get(note_key) else []) + (
        [f"{len(photos)} photo{'s' if len(photos) > 1 else ''}"] if photos else []
    )
    if extras:
        st.caption(f"Added: {', '.join(extras)}")
    # The label stays the same whatever was added: a new label would make a new, closed expander.
    expander = st.expander(
        "Note, photos and guidance",
        key=_widget(assessment_id, item.id, "details"),
        on_change=on_details,
        args=(assessment_id, item.id),
        icon=":material/photo_camera:",
    )
    if not expander.open:
        return
    with expander:
        if note_key not in st.session_state:
            with desk.store.session() as session:
                responses = repository.list_responses(session, desk.user, assessment_id)
            st.session_state[note_key] = next((r.note for r in responses if r.item_id == item.id and r.note), "")
        st.text_area(
            "Note",
            key=note_key,
            placeholder="What you saw, where and when",
            disabled=not editable,
            height=80,
            on_change=on_note,
            args=(desk, assessment_id, item.id),
        )
        if photos:
            columns = st.columns(3)
            for n, (evidence_id, file_name) in enumerate(photos):
                columns[n % 3].image(photo_thumbnail(desk.user.id, evidence_id, desk), caption=file_name)
        if editable:
            nonce = st.session_state.get(state.ASSESS_UPLOADS, {}).get((assessment_id, item.id), 0)
            upload_key = _widget(assessment_id, item.id, f"photo{nonce}")
            st.file_uploader(
                "Add a photo (JPEG, PNG or WebP, up to 10 MB; opens the camera on a tablet)",
                type=PHOTO_TYPES,
                key=upload_key,
                on_change=on_photo,
                args=(desk, assessment_id, item.id, upload_key),
            )
        st.markdown(f"**What good looks like, and how to check.** {item.guidance}")


def sections(desk: Desk, opened: Opened, editable: bool) -> None:
    """One tab per section of the checklist, each item its own fragment."""
    checklist, assessment_id = opened.checklist, opened.assessment.id
    titles = {c.id: c for c in desk.catalogue.categories}
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
                    fragment(desk, assessment_id, resolved, checklist.room_type_title, editable)


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
            (st.success if decision.ok else st.error)(decision.message)
        return
    if decision is not None:
        (st.success if decision.ok else st.error)(decision.message)
    if assessment.status is not AssessmentStatus.draft:
        when = f" on {assessment.submitted_at:%-d %b %Y}" if assessment.submitted_at else ""
        more = " A manager can send it back to draft." if assessment.status is AssessmentStatus.submitted else ""
        st.info(f"{assessment.status.value.capitalize()}{when}: read-only for staff.{more}")
        if assessment.provisional_reason:
            st.markdown(f"**Submitted as provisional because:** {assessment.provisional_reason}")
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
