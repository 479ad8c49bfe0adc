"""An item's note, photos and full guidance on the Assess screen (drawn only when opened), and
what saving a note or choosing a photo does.
"""

from __future__ import annotations

import streamlit as st

from assessments import repository
from checklists.schema import ResolvedItem
from ui import assess_logic as logic
from ui import state, uploads
from ui.assess_memory import Desk, _rerun, _widget, conflicts, item_feedback, photos_of, versions
from ui.i18n import _, ngettext
from ui.text import literal

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]

# The side of a photo's thumbnail on the Assess screen, in pixels.
THUMBNAIL_SIDE = 320


def refresh_photos(desk: Desk, assessment_id: int) -> None:
    with desk.store.session() as session:
        evidence = repository.list_evidence(session, desk.user, assessment_id)
    by_item: dict[str, list[tuple[int, str]]] = {}
    for e in evidence:
        by_item.setdefault(e.item_id, []).append((e.id, e.file_name))
    st.session_state.setdefault(state.ASSESS_PHOTOS, {})[assessment_id] = by_item


def on_details(assessment_id: int, item_id: str) -> None:
    """Opening or closing "Note, photos and guidance" reruns its item, whatever else the tap committed."""
    _rerun(assessment_id, item_id, summary=False)


def details(desk: Desk, assessment_id: int, resolved: ResolvedItem, editable: bool) -> None:
    """Note, photos and the full guidance, drawn only when opened (fifty of them would slow the page)."""
    item = resolved.item
    photos = photos_of(assessment_id).get(item.id, [])
    note_key = _widget(assessment_id, item.id, "note")
    extras = ([_("note")] if st.session_state.get(note_key) else []) + (
        [ngettext("{count} photo", "{count} photos", len(photos)).format(count=len(photos))] if photos else []
    )
    if extras:
        st.caption(_("Added: {what}").format(what=", ".join(extras)))
    # The label stays the same whatever was added: a new label would make a new, closed expander.
    expander = st.expander(
        _("Note, photos and guidance"),
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
            _("Note"),
            key=note_key,
            placeholder=_("What you saw, where and when"),
            disabled=not editable,
            height=80,
            on_change=on_note,
            args=(desk, assessment_id, item.id),
        )
        if photos:
            columns = st.columns(3)
            for n, (evidence_id, file_name) in enumerate(photos):
                small = photo_thumbnail(desk.user.id, evidence_id, desk)
                if small is None:  # kept, but not an image that can be drawn (damaged or truncated)
                    columns[n % 3].caption(
                        _("{name}: this photo cannot be shown (the file is damaged).").format(name=literal(file_name))
                    )
                else:
                    columns[n % 3].image(small, caption=literal(file_name))
        if editable:
            nonce = st.session_state.get(state.ASSESS_UPLOADS, {}).get((assessment_id, item.id), 0)
            upload_key = _widget(assessment_id, item.id, f"photo{nonce}")
            st.file_uploader(
                _("Add a photo (JPEG, PNG or WebP, up to {size} MB; opens the camera on a tablet)").format(
                    size=uploads.PHOTO_MB
                ),
                type=PHOTO_TYPES,
                key=upload_key,
                max_upload_size=uploads.PHOTO_MB,
                on_change=on_photo,
                args=(desk, assessment_id, item.id, upload_key),
            )
        st.markdown("**" + _("What good looks like, and how to check.") + "** " + item.guidance)


def on_note(desk: Desk, assessment_id: int, item_id: str) -> None:
    note = st.session_state.get(_widget(assessment_id, item_id, "note")) or ""
    result = logic.save_item_note(desk.store, desk.user, assessment_id, item_id, note)
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


@st.cache_data(max_entries=500, show_spinner=False)
def photo_thumbnail(user_id: int, evidence_id: int, _desk: Desk) -> bytes | None:
    """The store's thumbnail of a photo at this screen's size, so the page does not send full-size
    images to the tablet; None for a file that is not a readable image."""
    # user_id is part of the cache key, so one user's thumbnails are never served to another.
    with _desk.store.session() as session:
        content = repository.evidence_content(session, _desk.user, evidence_id)
    return repository.thumbnail(content, THUMBNAIL_SIDE)
