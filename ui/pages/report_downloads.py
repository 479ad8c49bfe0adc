"""Reports: choose what a report covers (an organisation, one of its sites, or chosen rooms) and its
format, make the file while a bar shows each room being done, then download it. Below, the blank
paper checklist of any room type, for rounds without a tablet.

A file made here is kept for the browser session under everything that decides its content (scope,
format, options and the store's data version), so a rerun hands out the same bytes without making
them again, and a file made before a change in the store is never handed out after it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from assessments.models import Room, Site
from checklists.i18n import REPORT_LANGUAGES
from checklists.schema import Catalogue
from checklists.translations import language_names
from reports.api import FORMATS, Format
from reports.errors import ReportError
from ui import context, state, uploads
from ui import reports_logic as logic
from ui.i18n import N_, _, language, ngettext
from ui.text import literal

LOGO_TYPES = ["png", "jpg", "jpeg"]
SCOPES = {"organisation": N_("Whole organisation"), "site": N_("One site"), "rooms": N_("Chosen rooms")}

user = context.current_user()
store = context.store()
catalogue = context.catalogue()


def made_files() -> dict[logic.ReportRequest, logic.ReportFile]:
    return st.session_state.setdefault(state.REPORTS_FILES, {})  # type: ignore[no-any-return]


@st.cache_data(show_spinner=_("Drawing the blank checklist…"), max_entries=64)
def blank_checklist(
    setting: str, room_type: str, catalogue_version: str, _catalogue: Catalogue, locale: str = "en"
) -> bytes:
    # The catalogue version is in the cache key: a new catalogue (or an organisation's new criteria
    # version) draws new checklists.
    return logic.make_checklist(_catalogue, setting, room_type, locale)


def checklist_catalogue() -> Catalogue:
    """The criteria of the organisation chosen for the report above: its own, when it has them."""
    organisation_id = st.session_state.get(state.REPORTS_ORGANISATION)
    if organisation_id is None:
        return catalogue
    with store.session() as session:
        try:
            return repository.criteria_catalogue(session, user, int(organisation_id))
        except StoreError:
            return catalogue


# --------------------------------------------------------------------------------------------
# What the report covers
# --------------------------------------------------------------------------------------------


def choose_scope() -> tuple[logic.Scope, str, Site | None] | None:
    """The scope picked, the organisation's name and the site (for the file name); None until complete."""
    with store.session() as session:
        organisations = {o.id: o.name for o in repository.list_organisations(session, user)}
    if not organisations:
        st.info(_("You are not a member of any organisation yet; an admin adds you to one on the Admin page."))
        return None
    st.subheader(_("What the report covers"), anchor=False)
    with st.container(border=True):
        top = st.columns([2, 3], vertical_alignment="bottom")
        org_id = top[0].selectbox(
            _("Organisation"), list(organisations), format_func=organisations.__getitem__,
            key=state.REPORTS_ORGANISATION,
        )  # fmt: skip
        kind = top[1].segmented_control(
            _("Report on"), list(SCOPES), format_func=lambda k: _(SCOPES[k]), default="organisation", required=True,
            key=state.REPORTS_SCOPE,
        )  # fmt: skip
        with store.session() as session:
            sites = {s.id: s for s in repository.list_sites(session, user, org_id)}
            rooms: list[Room] = [r for r in repository.list_rooms(session, user) if r.site_id in sites]
        name = organisations[org_id]
        if not sites:
            st.caption(_("{name} has no sites yet.").format(name=literal(name)))
        if kind == "site":
            site_id = st.selectbox(
                _("Site"), list(sites), format_func=lambda i: sites[i].name, index=0 if sites else None,
                placeholder=_("No sites in this organisation"), key=state.REPORTS_SITE,
            )  # fmt: skip
            if site_id is None or site_id not in sites:
                return None
            in_site = sum(1 for r in rooms if r.site_id == site_id)
            st.caption(
                ngettext("{n} room in {site}.", "{n} rooms in {site}.", in_site).format(
                    n=in_site, site=literal(sites[site_id].name)
                )
            )
            return logic.Scope(org_id, site_id=site_id), name, sites[site_id]
        if kind == "rooms":
            labels = {r.id: f"{r.name} · {sites[r.site_id].name}" for r in rooms}
            chosen = st.multiselect(
                _("Rooms"), list(labels), format_func=labels.__getitem__, placeholder=_("Choose one or more rooms"),
                key=state.REPORTS_ROOMS,
            )  # fmt: skip
            st.caption(_("Each chosen room needs a submitted assessment (or a draft, with drafts included)."))
            return logic.Scope(org_id, room_ids=tuple(chosen)), name, None
        counted = _("{sites} and {rooms} in {name}.").format(
            sites=ngettext("{n} site", "{n} sites", len(sites)).format(n=len(sites)),
            rooms=ngettext("{n} room", "{n} rooms", len(rooms)).format(n=len(rooms)),
            name=literal(name),
        )
        st.caption(counted + " " + _("Rooms not assessed yet are listed as such."))
        return logic.Scope(org_id), name, None


def choose_options() -> tuple[Format, bool, str | None, bytes | None, bool, str]:
    """Format, drafts, the cover's name and logo, whether the logo is accepted (False while it is
    refused), and the reader's language."""
    st.subheader(_("Format and options"), anchor=False)
    with st.container(border=True):
        fmt: Format = st.segmented_control(
            _("Format"), list(FORMATS), format_func=logic.FORMAT_TITLES.__getitem__, default="pdf", required=True,
            key=state.REPORTS_FORMAT,
        )  # fmt: skip
        st.caption(_(logic.FORMAT_NOTES[fmt]))
        locale = "en"
        if fmt in logic.WORDED:
            # The reader's language, which may not be the consultant's: a French client's report.
            reader = language()
            locale = st.selectbox(
                _("Report language"), list(REPORT_LANGUAGES), format_func=REPORT_LANGUAGES.__getitem__,
                index=list(REPORT_LANGUAGES).index(reader) if reader in REPORT_LANGUAGES else 0,
                key=state.REPORTS_LANGUAGE,
                help=_("The report's words, numbers and dates are written in this language."),
            ) or "en"  # fmt: skip
        drafts = st.checkbox(
            _("Include draft assessments"),
            key=state.REPORTS_DRAFTS,
            help=_("Off: only submitted and reviewed assessments count. On: a room's newer draft is used too."),
        )
        consultant: str | None = None
        logo: bytes | None = None
        logo_ok = True
        if fmt == "pdf":
            left, right = st.columns(2)
            consultant = left.text_input(
                _("Prepared by (printed on the cover)"), value=user.name, max_chars=120,
                key=state.REPORTS_CONSULTANT,
            )  # fmt: skip
            upload = right.file_uploader(
                _("Logo for the cover (PNG or JPEG, optional)"),
                type=LOGO_TYPES,
                key=state.REPORTS_LOGO,
                max_upload_size=uploads.LOGO_MB,
            )
            if upload is not None:
                logo = upload.getvalue()
                problem = logic.check_logo(logo)
                if problem:
                    st.error(literal(problem), icon=":material/image_not_supported:")
                    logo_ok = False
    return fmt, drafts, consultant, logo, logo_ok, locale


# --------------------------------------------------------------------------------------------
# Making the file, and handing it out
# --------------------------------------------------------------------------------------------


def file_name_for(scope: logic.Scope, fmt: Format, organisation: str, site: Site | None) -> str:
    rooms = len(scope.room_ids) if scope.room_ids is not None else None
    return logic.report_file_name(
        organisation, fmt, dt.date.today(), site=None if site is None else site.name, rooms=rooms
    )


def make(request: logic.ReportRequest, file_name: str, logo: bytes | None) -> logic.ReportFile | None:
    """Make the file, with a bar saying which room is being done; an error is shown in words."""
    bar = st.progress(0.0, text=_("Starting…"))

    def show(done: int, total: int, message: str) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=literal(logic.progress_text(message)))

    try:
        made = logic.make_report(store, user, request, file_name, logo=logo, progress=show)
    except (ReportError, StoreError) as error:
        bar.empty()
        st.error(literal(str(error)), icon=":material/error:")
        return None
    bar.empty()
    logic.remember(made_files(), request, made)
    return made


def hand_out(made: logic.ReportFile, fmt: Format) -> None:
    with st.container(border=True):
        st.success(
            _("{format} report ready: {name} ({size}).").format(
                format=logic.FORMAT_TITLES[fmt], name=literal(made.name), size=made.size_text
            ),
            icon=":material/task_alt:",
        )
        st.download_button(
            _("Download the {format} report").format(format=logic.FORMAT_TITLES[fmt]),
            data=made.content,
            file_name=made.name,
            mime=made.mime,
            type="primary",
            icon=":material/download:",
            on_click="ignore",
            key=state.REPORTS_DOWNLOAD,
        )


def report_section() -> None:
    picked = choose_scope()
    if picked is None:
        return
    scope, organisation, site = picked
    fmt, drafts, consultant, logo, logo_ok, locale = choose_options()
    with store.session() as session:
        version = repository.data_version(session)
    request = logic.ReportRequest.of(
        user.id, scope, fmt, include_drafts=drafts, data_version=version, consultant=consultant, logo=logo,
        locale=locale,
    )  # fmt: skip
    ready = made_files().get(request)
    clicked = st.button(
        _("Make the {format} report").format(format=logic.FORMAT_TITLES[fmt]),
        type="secondary" if ready else "primary",
        icon=":material/description:",
        disabled=not logo_ok,
        key=state.REPORTS_MAKE,
    )
    if clicked and ready is None:
        ready = make(request, file_name_for(scope, fmt, organisation, site), logo)
    if ready is not None:
        hand_out(ready, fmt)


# --------------------------------------------------------------------------------------------
# The blank checklist
# --------------------------------------------------------------------------------------------


def checklist_section() -> None:
    st.subheader(_("Blank checklist for paper rounds"), anchor=False)
    st.caption(
        _(
            "Every question of a room type with tick boxes, blanks for readings with their targets, and room "
            "for notes. Type the answers into Assess a room afterwards."
        )
    )
    catalogue = checklist_catalogue()
    if "+org" in catalogue.version:
        st.caption(_("Under the organisation's own criteria ({version}).").format(version=literal(catalogue.version)))
    with st.container(border=True):
        columns = st.columns(3)
        setting = columns[0].selectbox(
            _("Setting"), list(catalogue.settings), format_func=catalogue.settings.__getitem__,
            key=state.REPORTS_CHECKLIST_SETTING,
        )  # fmt: skip
        titles = {rt: catalogue.checklist(setting, rt).room_type_title for rt in catalogue.room_types(setting)}
        room_type = columns[1].selectbox(
            _("Room type"), sorted(titles, key=titles.__getitem__), format_func=titles.__getitem__,
            key=state.REPORTS_CHECKLIST_ROOM_TYPE,
        )  # fmt: skip
        languages = language_names()
        reader = language()
        locale = columns[2].selectbox(
            _("Language of the questions"), list(languages), format_func=languages.__getitem__,
            index=list(languages).index(reader) if reader in languages else 0, key=state.REPORTS_CHECKLIST_LANGUAGE,
        )  # fmt: skip
        if room_type is None or room_type not in titles:
            return
        try:
            content = blank_checklist(setting, room_type, catalogue.version, catalogue, locale or "en")
        except ReportError as error:
            st.error(literal(str(error)), icon=":material/error:")
            return
        st.download_button(
            _("Download the blank checklist (PDF)"),
            data=content,
            file_name=logic.checklist_file_name(catalogue.settings[setting], titles[room_type]),
            mime="application/pdf",
            icon=":material/download:",
            on_click="ignore",
            key=state.REPORTS_CHECKLIST_DOWNLOAD,
        )


# --------------------------------------------------------------------------------------------
# The screen
# --------------------------------------------------------------------------------------------

st.title(_("Reports"))
st.caption(
    _(
        "Choose what the report covers and its format, make the file, then download it. Scores come from "
        "each room's latest submitted or reviewed assessment."
    )
)
report_section()
checklist_section()
