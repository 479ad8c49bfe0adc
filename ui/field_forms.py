"""Offline rounds on the Assess screen: download the room type's XLSForm for ODK Collect or
KoboToolbox, and upload what was collected (ODK Central's ZIP or a KoboToolbox CSV, with its photos).

`offline_round` draws the panel; the functions above it hold its logic and run without Streamlit.
The form comes from `reports.xlsform`, the import from `assessments.repository.import_submissions`,
so the screen refuses exactly what `sensory-audit import-submissions` refuses.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import streamlit as st

from assessments import repository
from assessments.db import Store
from assessments.errors import ImportProblems, StoreError
from assessments.models import Site, User
from reports.errors import ReportError
from reports.xlsform import build_xlsform
from ui import uploads
from ui.i18n import _, ngettext
from ui.text import literal

__all__ = ["FormFile", "ImportOutcome", "form_file", "import_upload", "media_of", "offline_round"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 30


@dataclass(frozen=True)
class FormFile:
    name: str
    content: bytes
    version: str


@dataclass(frozen=True)
class ImportOutcome:
    summary: str | None  # what was imported (None when refused)
    problems: tuple[str, ...] = ()


def form_file(store: Store, user: User, site: Site, room_type: str) -> FormFile | str:
    """The XLSForm of a room type for the rooms of a site, or the sentence saying why there is none."""
    with store.session() as session:
        try:
            form, content = build_xlsform(session, user, site.organisation_id, room_type, site_id=site.id)
        except ReportError as error:
            return str(error)
    return FormFile(form.file_name, content, form.form_version)


def media_of(files: Iterable[tuple[str, bytes]]) -> repository.MediaSource:
    """Photos uploaded one by one, or as a ZIP (KoboToolbox's media download), by file name."""
    media = repository.MediaSource()
    for name, content in files:
        if name.lower().endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        data = archive.read(info)
                        media.add(info.filename, lambda data=data: data)  # type: ignore[misc]
        else:
            media.add(name, lambda content=content: content)  # type: ignore[misc]
    return media


def import_upload(
    store: Store, user: User, content: bytes, media: Iterable[tuple[str, bytes]] = (), *, name: str = "submissions"
) -> ImportOutcome:
    """Import an uploaded export; every problem comes back as a line naming its row and column."""
    media = list(media)
    oversized = [
        problem
        for problem in [
            uploads.too_large("The submissions file", name, len(content), uploads.IMPORT_MB),
            *(uploads.too_large("The photo file", file, len(data), uploads.IMPORT_MB) for file, data in media),
        ]
        if problem is not None
    ]
    if oversized:
        return ImportOutcome(None, tuple(oversized))
    try:
        photos = media_of(media)
    except zipfile.BadZipFile:
        return ImportOutcome(None, ("The photos ZIP cannot be read.",))
    with store.session() as session:
        try:
            table = repository.read_submission_file(content, photos)
            result = repository.import_submissions(session, user, table)
        except ImportProblems as error:
            return ImportOutcome(None, tuple(error.problems))
        except StoreError as error:
            return ImportOutcome(None, (str(error),))
    return ImportOutcome(result.summary)


def offline_round(store: Store, user: User, site: Site, room_type: str) -> None:
    """The Assess screen's panel for offline rounds with ODK Collect or KoboToolbox."""
    with st.expander(_("Offline round with ODK Collect or KoboToolbox"), icon=":material/cloud_off:"):
        st.caption(
            _(
                "Download this room type's form, load it into ODK Central or KoboToolbox, and collect offline. "
                "Then upload ODK Central's submissions ZIP, or KoboToolbox's CSV export with its photos: each "
                "submission becomes a submitted assessment awaiting review."
            )
        )
        made = form_file(store, user, site, room_type)
        if isinstance(made, str):
            st.info(literal(made))
        else:
            st.download_button(
                _("Download the form ({name})").format(name=literal(made.name)),
                made.content,
                file_name=made.name,
                mime=XLSX_TYPE,
                icon=":material/download:",
                key=f"field_form_{site.id}_{room_type}",
            )
        upload = st.file_uploader(
            _("Submissions: ODK Central's ZIP or a KoboToolbox CSV (up to {size} MB)").format(size=uploads.IMPORT_MB),
            type=["zip", "csv"],
            key=f"field_upload_{site.id}_{room_type}",
            max_upload_size=uploads.IMPORT_MB,
        )
        photos = st.file_uploader(
            _("Photos for a KoboToolbox CSV (the media ZIP, or the photos themselves; up to {size} MB each)").format(
                size=uploads.IMPORT_MB
            ),
            type=["zip", "jpg", "jpeg", "png", "webp"],
            accept_multiple_files=True,
            key=f"field_media_{site.id}_{room_type}",
            max_upload_size=uploads.IMPORT_MB,
        )
        if upload is not None and st.button(_("Import the submissions"), key=f"field_import_{site.id}_{room_type}"):
            outcome = import_upload(
                store, user, upload.getvalue(), [(p.name, p.getvalue()) for p in photos or []], name=upload.name
            )
            if outcome.summary is not None:
                st.success(literal(outcome.summary))
            else:
                count = len(outcome.problems)
                shown = "\n".join(f"- {literal(p)}" for p in outcome.problems[:SHOWN_PROBLEMS])
                more = (
                    "\n- " + _("… and {count} more").format(count=count - SHOWN_PROBLEMS)
                    if count > SHOWN_PROBLEMS
                    else ""
                )
                said = ngettext(
                    "Nothing was imported ({count} problem):", "Nothing was imported ({count} problems):", count
                )
                st.error(f"{said.format(count=count)}\n\n{shown}{more}")
