"""Assess a room: pick a site and a room, answer its checklist section by section on a tablet (every
answer saved the moment it is given), watch the live score, add notes and photos, then submit;
a manager marks the assessment reviewed or sends it back.

Speed: each item is its own fragment, so a tap reruns that one item, not the fifty on the page;
the item's saved line carries the room's new score at once. The summary panel at the top is its
own fragment, refreshed when the assessor switches section (asking Streamlit to rerun a second
fragment from a callback costs about 130 ms per tap, so taps do not do it). Every full run reads
the assessment back from the store, so what the screen shows is what is saved (except while a save
conflict waits for the person to press Reload).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessments import repository
from assessments.errors import NotFound, PermissionDenied
from assessments.models import Assessment, AssessmentStatus, Room, Site, User
from checklists.responses import Answer
from checklists.schema import ResolvedItem, RoomChecklist
from reports.theme import BAND_TEXT_COLOURS, band_colour
from ui import assess_logic as logic
from ui import context, state

SUMMARY = "assess_summary"  # the live summary's fragment key: switching sections reruns it
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]

# The live score bar is set off from the page (tap heights are in the app's style.css).
_CSS = """
<style>
.st-key-assess_bar { border-bottom: 1px solid #CBD2D9; padding: 0.35rem 0 0.5rem 0; }
.assess-band { display: inline-block; min-width: 2.4rem; padding: 0.1rem 0.6rem; border-radius: 0.4rem;
  font-weight: 700; text-align: center; margin-right: 0.5rem; }
</style>
"""

catalogue = context.catalogue()
store = context.store()
user = context.current_user()


def item_key(assessment_id: int, item_id: str) -> str:
    """The fragment and container key of one item (also the CSS class st-key-... the tests find it by)."""
    return f"assess_item_{assessment_id}_{item_id}".replace(".", "-")


def versions() -> dict[int, int]:
    return st.session_state.setdefault(state.ASSESS_VERSION, {})  # type: ignore[no-any-return]


def known_answers(assessment_id: int) -> dict[str, Answer]:
    return st.session_state.setdefault(state.ASSESS_ANSWERS, {}).setdefault(assessment_id, {})  # type: ignore[no-any-return]


def item_feedback(assessment_id: int) -> dict[str, logic.Feedback]:
    return st.session_state.setdefault(state.ASSESS_FEEDBACK, {}).setdefault(assessment_id, {})  # type: ignore[no-any-return]


def checklist_of(assessment_id: int) -> RoomChecklist:
    return st.session_state[state.ASSESS_CHECKLIST][assessment_id]  # type: ignore[no-any-return]


def conflicts() -> dict[int, str]:
    return st.session_state.setdefault(state.ASSESS_CONFLICT, {})  # type: ignore[no-any-return]


def photos_of(assessment_id: int) -> dict[str, list[tuple[int, str]]]:
    """{item_id: [(evidence id, file name), ...]} as this browser last read or added them."""
    return st.session_state.setdefault(state.ASSESS_PHOTOS, {}).setdefault(assessment_id, {})  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------
# Callbacks: each saves at once; the item's fragment then reruns by itself
# --------------------------------------------------------------------------------------------


def remember(assessment_id: int, item_id: str, result: logic.SaveResult) -> None:
    item_feedback(assessment_id)[item_id] = result.feedback
    if result.version is not None:
        versions()[assessment_id] = result.version
    if result.feedback.kind is logic.FeedbackKind.conflict:
        conflicts()[assessment_id] = result.feedback.message


def on_answer(assessment_id: int, resolved: ResolvedItem, acting: User) -> None:
    item_id = resolved.item.id
    values = {
        part: st.session_state.get(state.assess_widget(assessment_id, item_id, part))
        for part in ("answer", "na", "percent", "frequency")
    }
    result = logic.save_item(store, acting, assessment_id, resolved, values, versions()[assessment_id])
    remember(assessment_id, item_id, result)
    if result.feedback.kind is logic.FeedbackKind.conflict:
        # Rare, and the whole page must say so: the summary at the top shows the Reload button too.
        st.rerun([item_key(assessment_id, item_id), SUMMARY])
    if result.changed:
        answers = known_answers(assessment_id)
        if result.answer is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = result.answer


def on_note(assessment_id: int, item_id: str, acting: User) -> None:
    note = st.session_state.get(state.assess_widget(assessment_id, item_id, "note")) or ""
    result = logic.save_item_note(store, acting, assessment_id, item_id, note, versions()[assessment_id])
    remember(assessment_id, item_id, result)


def on_photo(assessment_id: int, item_id: str, key: str, acting: User) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    feedback = logic.add_photo(store, acting, assessment_id, item_id, upload.name, upload.getvalue())
    item_feedback(assessment_id)[item_id] = feedback
    if feedback.ok:
        refresh_photos(assessment_id, acting)
        # A new key gives an empty uploader, ready for the next photo.
        uploads = st.session_state.setdefault(state.ASSESS_UPLOADS, {})
        uploads[(assessment_id, item_id)] = uploads.get((assessment_id, item_id), 0) + 1


def on_reload(assessment_id: int) -> None:
    """After a conflict: forget what this browser thought, and read everything back from the store."""
    conflicts().pop(assessment_id, None)
    item_feedback(assessment_id).clear()
    st.rerun()


def on_submit(assessment_id: int, acting: User, checklist: RoomChecklist) -> None:
    reason = st.session_state.get(state.ASSESS_SUBMIT_REASON) or None
    feedback, version = logic.submit_assessment(store, acting, assessment_id, versions()[assessment_id], reason)
    if feedback.kind is logic.FeedbackKind.invalid:
        summary = logic.summarise(catalogue, checklist, known_answers(assessment_id))
        feedback = logic.incomplete_feedback(summary)
    st.session_state.setdefault(state.ASSESS_DECISION, {})[assessment_id] = feedback
    if feedback.kind is logic.FeedbackKind.conflict:
        conflicts()[assessment_id] = feedback.message
    if version is not None:
        summary = logic.summarise(catalogue, checklist, known_answers(assessment_id))
        st.session_state[state.ASSESS_DECISION][assessment_id] = logic.Feedback(
            feedback.kind, f"{feedback.message}: {summary.headline()}", feedback.at
        )
        item_feedback(assessment_id).clear()
        st.rerun()  # submitted: the whole page turns read-only


def on_decide(assessment_id: int, acting: User, reviewed: bool) -> None:
    comment = st.session_state.get(state.ASSESS_REVIEW_COMMENT) or ""
    feedback, version = logic.decide(
        store, acting, assessment_id, versions()[assessment_id], reviewed=reviewed, comment=comment
    )
    st.session_state.setdefault(state.ASSESS_DECISION, {})[assessment_id] = feedback
    if version is not None:
        st.rerun()


def on_start(room_id: int, acting: User) -> None:
    with store.session() as session:
        started = repository.start_assessment(session, acting, room_id)
    st.session_state[state.ASSESS_ASSESSMENT] = started.id


def on_site_change() -> None:
    st.session_state.pop(state.ASSESS_ROOM, None)
    st.session_state.pop(state.ASSESS_ASSESSMENT, None)


def on_room_change() -> None:
    st.session_state.pop(state.ASSESS_ASSESSMENT, None)


def refresh_photos(assessment_id: int, acting: User) -> None:
    with store.session() as session:
        evidence = repository.list_evidence(session, acting, assessment_id)
    by_item: dict[str, list[tuple[int, str]]] = {}
    for e in evidence:
        by_item.setdefault(e.item_id, []).append((e.id, e.file_name))
    st.session_state.setdefault(state.ASSESS_PHOTOS, {})[assessment_id] = by_item


@st.cache_data(max_entries=500, show_spinner=False)
def photo_thumbnail(user_id: int, evidence_id: int, _acting: User) -> bytes:
    # user_id is part of the cache key, so one user's thumbnails are never served to another.
    with store.session() as session:
        content = repository.evidence_content(session, _acting, evidence_id)
    return logic.thumbnail(content)


# --------------------------------------------------------------------------------------------
# Choosing the room and the assessment
# --------------------------------------------------------------------------------------------


def reopen_from_url() -> None:
    """A reloaded tab (a new session) comes back to the assessment named in the URL (?assessment=ID)."""
    wanted = st.query_params.get("assessment")
    if not wanted or not wanted.isdigit() or st.session_state.get(state.ASSESS_ASSESSMENT) is not None:
        return
    try:
        with store.session() as session:
            found = repository.get_assessment(session, user, int(wanted))
            room = repository.get_room(session, user, found.room_id)
    except (PermissionDenied, NotFound):
        return
    st.session_state[state.ASSESS_SITE] = room.site_id
    st.session_state[state.ASSESS_ROOM] = room.id
    st.session_state[state.ASSESS_ASSESSMENT] = found.id


def choose_room() -> tuple[Site, Room] | None:
    with store.session() as session:
        sites = {s.id: s for s in repository.list_sites(session, user)}
    left, right = st.columns(2)
    site_id = left.selectbox(
        "Site",
        list(sites),
        format_func=lambda i: sites[i].name,
        index=None,
        placeholder="Choose a site",
        key=state.ASSESS_SITE,
        on_change=on_site_change,
    )
    if site_id is None or site_id not in sites:
        st.info("Choose the site, then the room you are in.")
        return None
    site = sites[site_id]
    with store.session() as session:
        rooms = {r.id: r for r in repository.list_rooms(session, user, site.id)}
    room_id = right.selectbox(
        "Room (type to search by name)",
        list(rooms),
        format_func=lambda i: logic.room_label(rooms[i], catalogue, site.setting),
        index=None,
        placeholder="Choose or search a room",
        key=state.ASSESS_ROOM,
        on_change=on_room_change,
    )
    if room_id is None or room_id not in rooms:
        return None
    return site, rooms[room_id]


def choose_assessment(room: Room) -> int | None:
    with store.session() as session:
        found = logic.ordered_assessments(repository.list_assessments(session, user, room.id))
    labels = {a.id: logic.assessment_label(a) for a in found}
    if st.session_state.get(state.ASSESS_ASSESSMENT) not in labels:
        st.session_state[state.ASSESS_ASSESSMENT] = found[0].id if found else None
    chosen: int | None = st.selectbox(
        "Assessment (drafts first)",
        list(labels),
        format_func=lambda i: labels[i],
        placeholder="No assessments of this room yet",
        key=state.ASSESS_ASSESSMENT,
    )
    if logic.can_start(user.role):
        st.button("Start a new assessment", on_click=on_start, args=(room.id, user), key="assess_start")
    if chosen is None:
        st.query_params.pop("assessment", None)
    else:
        st.query_params["assessment"] = str(chosen)
    return chosen


# --------------------------------------------------------------------------------------------
# Reading the assessment back from the store
# --------------------------------------------------------------------------------------------


def load(assessment_id: int, checklist: RoomChecklist) -> Assessment:
    """Read the assessment and put every saved answer into its inputs (unless a conflict waits for Reload)."""
    stored, answers, notes = logic.load_answers(store, user, assessment_id)
    if assessment_id in conflicts():
        return stored
    versions()[assessment_id] = stored.version_id
    st.session_state.setdefault(state.ASSESS_ANSWERS, {})[assessment_id] = answers
    refresh_photos(assessment_id, user)
    feedback = item_feedback(assessment_id)
    for resolved in checklist.items:
        item_id = resolved.item.id
        waiting = feedback.get(item_id)
        if waiting is not None and waiting.kind in (logic.FeedbackKind.invalid, logic.FeedbackKind.pending):
            continue  # keep what the person typed beside its message
        for part, value in logic.widget_values(resolved.item, answers.get(item_id)).items():
            st.session_state[state.assess_widget(assessment_id, item_id, part)] = value
        st.session_state[state.assess_widget(assessment_id, item_id, "note")] = notes.get(item_id, "")
    return stored


# --------------------------------------------------------------------------------------------
# The live summary: score, band, progress per section, critical items failing, what is missing
# --------------------------------------------------------------------------------------------


def band_badge(band: str | None) -> str:
    ink = BAND_TEXT_COLOURS.get(band or "", "#1F2933")
    return f'<span class="assess-band" style="background:{band_colour(band)};color:{ink}">{band or "–"}</span>'


@st.fragment(key=SUMMARY)
def live_summary(assessment_id: int, checklist: RoomChecklist) -> None:
    summary = logic.summarise(catalogue, checklist, known_answers(assessment_id))
    conflict = conflicts().get(assessment_id)
    with st.container(key="assess_bar"):
        st.markdown(band_badge(summary.score.band) + summary.headline(), unsafe_allow_html=True)
        if conflict:
            st.error(conflict, icon=":material/sync_problem:")
            st.button("Reload the saved answers", on_click=on_reload, args=(assessment_id,), key="assess_reload")
    st.progress(summary.done / summary.total if summary.total else 0.0, text=summary.sections_line())
    for _item_id, question in summary.critical_failures:
        st.error(f"Critical item failing: {question} The band cannot be better than C.", icon=":material/error:")
    if summary.missing:
        with st.expander(f"Still to answer: {len(summary.missing)} items"):
            st.markdown(
                "\n".join(
                    f"- {m.section}: {m.question}{' **(critical)**' if m.critical else ''}" for m in summary.missing
                )
            )


# --------------------------------------------------------------------------------------------
# One item: the question, a hint, the input, the saved state, and its note and photos
# --------------------------------------------------------------------------------------------


def answer_item(assessment_id: int, resolved: ResolvedItem, room_type_title: str, editable: bool) -> None:
    item = resolved.item
    control = logic.control_for(item)
    callback: dict[str, Any] = {"on_change": on_answer, "args": (assessment_id, resolved, user)}

    def widget(part: str) -> str:
        return state.assess_widget(assessment_id, item.id, part)

    with st.container(border=True, key=item_key(assessment_id, item.id)):
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
                f"{item.question} ({item.unit})",
                placeholder=f"Reading in {item.unit}; several: 420, 610",
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
        saved_state(assessment_id, item.id, editable)
        details(assessment_id, resolved, editable)


def saved_state(assessment_id: int, item_id: str, editable: bool) -> None:
    feedback = item_feedback(assessment_id).get(item_id)
    with st.container(key=f"assess_status_{item_key(assessment_id, item_id)}"):
        if feedback is None:
            if item_id in known_answers(assessment_id):
                st.markdown(":green[:material/check_circle:] Saved")
            elif editable:
                st.markdown(":gray[:material/radio_button_unchecked:] Not answered yet")
        elif feedback.ok:
            now = logic.summarise(catalogue, checklist_of(assessment_id), known_answers(assessment_id))
            st.markdown(f":green[:material/check_circle:] {feedback.text()} · room now: {now.short()}")
        elif feedback.kind is logic.FeedbackKind.pending:
            st.warning(feedback.message, icon=":material/edit:")
        elif feedback.kind is logic.FeedbackKind.conflict:
            st.error(feedback.message, icon=":material/sync_problem:")
            st.button(
                "Reload the saved answers",
                on_click=on_reload,
                args=(assessment_id,),
                key=f"assess_reload_{item_key(assessment_id, item_id)}",
            )
        else:
            st.error(feedback.message, icon=":material/error:")


def details(assessment_id: int, resolved: ResolvedItem, editable: bool) -> None:
    """Note, photos and the full guidance, drawn only when opened (fifty of them would slow the page)."""
    item = resolved.item
    photos = photos_of(assessment_id).get(item.id, [])
    note_key = state.assess_widget(assessment_id, item.id, "note")
    extras = (["note"] if st.session_state.get(note_key) else []) + (
        [f"{len(photos)} photo{'s' if len(photos) > 1 else ''}"] if photos else []
    )
    if extras:
        st.caption(f"Added: {', '.join(extras)}")
    # The label stays the same whatever was added: a new label would make a new, closed expander.
    expander = st.expander(
        "Note, photos and guidance",
        key=state.assess_widget(assessment_id, item.id, "details"),
        on_change="rerun",
        icon=":material/photo_camera:",
    )
    if not expander.open:
        return
    with expander:
        if note_key not in st.session_state:
            with store.session() as session:
                responses = repository.list_responses(session, user, assessment_id)
            st.session_state[note_key] = next((r.note for r in responses if r.item_id == item.id and r.note), "")
        st.text_area(
            "Note",
            key=note_key,
            placeholder="What you saw, where and when",
            disabled=not editable,
            height=80,
            on_change=on_note,
            args=(assessment_id, item.id, user),
        )
        if photos:
            columns = st.columns(3)
            for n, (evidence_id, file_name) in enumerate(photos):
                columns[n % 3].image(photo_thumbnail(user.id, evidence_id, user), caption=file_name)
        if editable:
            nonce = st.session_state.get(state.ASSESS_UPLOADS, {}).get((assessment_id, item.id), 0)
            upload_key = state.assess_widget(assessment_id, item.id, f"photo{nonce}")
            st.file_uploader(
                "Add a photo (JPEG, PNG or WebP, up to 10 MB; opens the camera on a tablet)",
                type=PHOTO_TYPES,
                key=upload_key,
                on_change=on_photo,
                args=(assessment_id, item.id, upload_key, user),
            )
        st.markdown(f"**What good looks like, and how to check.** {item.guidance}")


def show_item(assessment_id: int, resolved: ResolvedItem, room_type_title: str, editable: bool) -> None:
    fragment = st.fragment(answer_item, key=item_key(assessment_id, resolved.item.id))
    fragment(assessment_id, resolved, room_type_title, editable)


# --------------------------------------------------------------------------------------------
# Submit, review
# --------------------------------------------------------------------------------------------


@st.fragment
def submit_panel(assessment: Assessment, checklist: RoomChecklist, editable: bool) -> None:
    assessment_id = assessment.id
    st.subheader("Submit")
    decision = st.session_state.get(state.ASSESS_DECISION, {}).get(assessment_id)
    if decision is not None:
        (st.success if decision.ok else st.error)(decision.text())
    if assessment.status is AssessmentStatus.draft and editable:
        st.text_area(
            "If items are still unanswered: why submit without them? (the assessment is then provisional)",
            key=state.ASSESS_SUBMIT_REASON,
            placeholder="For example: the sound level meter was away for calibration.",
            height=80,
        )
        st.button(
            "Submit assessment",
            type="primary",
            on_click=on_submit,
            args=(assessment_id, user, checklist),
            key="assess_do_submit",
        )
    elif assessment.status is not AssessmentStatus.draft:
        when = f" on {assessment.submitted_at:%-d %b %Y}" if assessment.submitted_at else ""
        more = " A manager can send it back to draft." if assessment.status is AssessmentStatus.submitted else ""
        st.info(f"{assessment.status.value.capitalize()}{when}: read-only for staff.{more}")
        if assessment.provisional_reason:
            st.markdown(f"**Submitted as provisional because:** {assessment.provisional_reason}")
    if logic.can_review(user.role, assessment.status):
        st.text_area("Comment for the assessor", key=state.ASSESS_REVIEW_COMMENT, height=80)
        with st.container(horizontal=True):
            if assessment.status is AssessmentStatus.submitted:
                st.button(
                    "Mark reviewed", type="primary", on_click=on_decide, args=(assessment_id, user, True),
                    key="assess_do_review",
                )  # fmt: skip
            st.button(
                "Send back to draft", on_click=on_decide, args=(assessment_id, user, False), key="assess_do_send_back"
            )


# --------------------------------------------------------------------------------------------
# The screen
# --------------------------------------------------------------------------------------------


def screen() -> None:
    st.html(_CSS)
    st.title("Assess a room")
    reopen_from_url()
    picked = choose_room()
    assessment_id = choose_assessment(picked[1]) if picked else None
    if picked is not None and assessment_id is None:
        st.info("This room has not been assessed yet: start a new assessment.")
    if picked is not None and assessment_id is not None:
        site, room = picked
        checklist = catalogue.checklist(site.setting, room.room_type)
        st.session_state.setdefault(state.ASSESS_CHECKLIST, {})[assessment_id] = checklist
        assessment = load(assessment_id, checklist)
        editable = logic.can_answer(user.role, assessment.status)
        st.caption(
            f"{room.name}, {site.name} · {checklist.room_type_title} checklist, {len(checklist.items)} items · "
            f"{logic.assessment_label(assessment)}"
        )
        if assessment.status is AssessmentStatus.draft and assessment.review_comment:
            st.warning(f"Sent back by a manager: {assessment.review_comment}", icon=":material/undo:")
        live_summary(assessment_id, checklist)
        titles = {c.id: c for c in catalogue.categories}
        sections = [c for c in checklist.category_weights if any(r.item.category == c for r in checklist.items)]
        tabs = st.tabs(
            [titles[s].title for s in sections], key=state.ASSESS_SECTION, on_change=lambda: st.rerun([SUMMARY])
        )
        for tab, section in zip(tabs, sections, strict=True):
            with tab:
                st.caption(titles[section].description)
                for resolved in checklist.items:
                    if resolved.item.category == section:
                        show_item(assessment_id, resolved, checklist.room_type_title, editable)
        submit_panel(assessment, checklist, editable)


screen()
