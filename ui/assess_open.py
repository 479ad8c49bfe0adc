"""Which assessment the Assess screen has open: the address (?assessment=ID), the site, room and
assessment pickers, Start and Close, and reading the open assessment back from the store.

The room on screen is the room assessed. The open assessment (state.ASSESS_OPEN, mirrored in the
address) stays open across screens and reloads; choosing another site or room closes it and says
so; "Start a new assessment" starts one of the room chosen when it is tapped.
"""

from __future__ import annotations

import streamlit as st

from assessments import repository
from assessments.errors import NotFound, PermissionDenied
from assessments.models import Assessment, Room, Site
from checklists.schema import RoomChecklist
from checklists.translations import localized
from ui import assess_logic as logic
from ui import state
from ui.assess_evidence import refresh_photos
from ui.assess_memory import (
    Desk,
    Opened,
    _holds_typing,
    _widget,
    clashes,
    conflicts,
    item_feedback,
    show_saved,
    unlikely,
    versions,
)
from ui.criteria_view import own_items_as_text
from ui.i18n import _, language
from ui.text import literal

# --------------------------------------------------------------------------------------------
# Which assessment is open: the address, the pickers, Start and Close
# --------------------------------------------------------------------------------------------


def _say(text: str) -> None:
    st.session_state[state.ASSESS_NOTICE] = text


def notice() -> None:
    """What the pickers last did (closed an assessment, opened another), said once."""
    text = st.session_state.pop(state.ASSESS_NOTICE, None)
    if text:
        st.info(literal(text), icon=":material/info:")


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
        clashes(closed).clear()
    return closed


def _room_name(desk: Desk, assessment_id: int) -> str:
    try:
        with desk.store.session() as session:
            found = repository.get_assessment(session, desk.user, assessment_id)
            return repository.get_room(session, desk.user, found.room_id).name
    except (PermissionDenied, NotFound):
        return _("the room")


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
            _say(_("Assessment no. {id} is not one you can open.").format(id=wanted))
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
            showing = _("{room}, not assessed yet").format(room=room.name)
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
        _say(_("Choose the room first, then start its assessment."))
        return
    with desk.store.session() as session:
        started = repository.start_assessment(session, desk.user, room_id)
        room = repository.get_room(session, desk.user, room_id)
    _close()
    _open(desk, started.id)
    _say(_("Started a new assessment of {room} (no. {id}).").format(room=room.name, id=started.id))


def on_close(desk: Desk) -> None:
    opened = st.session_state.get(state.ASSESS_OPEN)
    if opened is None:
        return
    name = _room_name(desk, opened)
    _close()
    _say(
        _("Closed the assessment of {room} (no. {id}); its answers are saved. Open it again below.").format(
            room=name, id=opened
        )
    )


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
        _("Site"),
        list(sites),
        format_func=lambda i: sites[i].name,
        index=None,
        placeholder=_("Choose a site"),
        key=state.ASSESS_SITE,
        on_change=on_site_chosen,
        args=(desk,),
    )
    if chosen_site is None:
        st.info(_("Choose the site, then the room you are in."))
        return None
    site = sites[chosen_site]
    with desk.store.session() as session:
        rooms = {r.id: r for r in repository.list_rooms(session, desk.user, site.id)}
    chosen_room = st.session_state.get(state.ASSESS_CHOSEN_ROOM)
    if chosen_room not in rooms:
        chosen_room = None
        st.session_state[state.ASSESS_CHOSEN_ROOM] = None
    _sync(state.ASSESS_ROOM, chosen_room)
    # Worded now, in the reader's language (room types too), not each time the list is drawn.
    shown = localized(desk.catalogue, language()).catalogue
    labels = {i: logic.room_label(room, shown, site.setting) for i, room in rooms.items()}
    right.selectbox(
        _("Room (type to search by name)"),
        list(rooms),
        format_func=labels.__getitem__,
        index=None,
        placeholder=_("Choose or search a room"),
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
        _("Assessment (drafts first)"),
        list(labels),
        format_func=lambda i: labels[i],
        index=None,
        placeholder=_("Choose an assessment to open") if labels else _("No assessments of this room yet"),
        key=state.ASSESS_ASSESSMENT,
        on_change=on_assessment_chosen,
        args=(desk,),
    )
    with st.container(horizontal=True):
        if logic.can_start(desk.user.role):
            st.button(
                _("Start a new assessment of {room}").format(room=literal(room.name)),
                on_click=on_start,
                args=(desk,),
                key=state.ASSESS_START,
            )
        if opened is not None:
            st.button(_("Close this assessment"), on_click=on_close, args=(desk,), key=state.ASSESS_CLOSE,
                      icon=":material/close:")  # fmt: skip
    if opened is None:
        if not labels:
            st.info(_("This room has not been assessed yet: start a new assessment."))
        return None
    # The organisation's own criteria when it has them (their items added, switched off or critical).
    with desk.store.session() as session:
        catalogue = repository.criteria_catalogue(session, desk.user, site.organisation_id)
    checklist = own_items_as_text(catalogue.checklist(site.setting, room.room_type), desk.catalogue)
    st.session_state.setdefault(state.ASSESS_CHECKLIST, {})[opened] = checklist
    return Opened(site, room, load(desk, opened, checklist), checklist)


def load(desk: Desk, assessment_id: int, checklist: RoomChecklist) -> Assessment:
    """Read the assessment and put every saved answer into its inputs (unless a conflict waits for Reload)."""
    stored, answers, notes, stamps = logic.load_answers(desk.store, desk.user, assessment_id)
    if assessment_id in conflicts():
        return stored
    versions()[assessment_id] = stored.version_id
    st.session_state.setdefault(state.ASSESS_ANSWERS, {})[assessment_id] = answers
    # The other assessor's answers merge in here, each with who gave it.
    st.session_state.setdefault(state.ASSESS_STAMPS, {})[assessment_id] = stamps
    refresh_photos(desk, assessment_id)
    for resolved in checklist.items:
        item_id = resolved.item.id
        if not _holds_typing(assessment_id, resolved):
            show_saved(assessment_id, resolved)
        st.session_state[_widget(assessment_id, item_id, "note")] = notes.get(item_id, "")
    return stored
