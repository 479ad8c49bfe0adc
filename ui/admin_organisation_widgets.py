"""The Admin page's organisations tab (admins): add an organisation, export one to a JSON file (photos
inside), and import one: the file is checked first, and if any part of it is wrong every problem is
listed and nothing is imported."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from ui import admin_forms, admin_records, admin_transfer, state, uploads
from ui.admin_screen import AdminScreen, field, remember, reset, show_outcome
from ui.i18n import _
from ui.text import literal


def on_add_organisation(screen: AdminScreen) -> None:
    outcome = admin_forms.add_organisation(screen.store, screen.user, field("new_organisation", "name") or "")
    remember("new_organisation", outcome)
    if outcome.ok:
        reset("new_organisation", name="")


def on_import(screen: AdminScreen, upload_key: str) -> None:
    upload = st.session_state.get(upload_key)
    if upload is None:
        st.session_state[state.ADMIN_IMPORT_OUTCOME] = admin_transfer.ImportOutcome(
            False, _("Organisation file: choose a .json file exported by sensory-audit first.")
        )
        return
    content = upload.getvalue()
    oversized = uploads.too_large(_("The organisation file"), upload.name, len(content), uploads.IMPORT_MB)
    if oversized is not None:
        st.session_state[state.ADMIN_IMPORT_OUTCOME] = admin_transfer.ImportOutcome(False, oversized)
        return
    outcome = admin_transfer.import_file(screen.store, screen.user, content)
    st.session_state[state.ADMIN_IMPORT_OUTCOME] = outcome
    if outcome.ok:
        # A new key gives an empty uploader: the imported file cannot be sent twice by mistake.
        st.session_state[state.ADMIN_IMPORT_NONCE] = st.session_state.get(state.ADMIN_IMPORT_NONCE, 0) + 1


def export_section(screen: AdminScreen) -> None:
    with st.container(border=True):
        st.markdown("**{}**".format(_("Export an organisation")))
        st.caption(_("One JSON file with its sites, rooms, assessments, answers and photos, to import elsewhere."))
        organisation_id = st.selectbox(
            _("Organisation to export"), list(screen.organisations), format_func=screen.organisations.__getitem__,
            key=state.ADMIN_EXPORT_ORGANISATION,
        )  # fmt: skip
        with screen.store.session() as session:
            version = repository.data_version(session)
        exports: dict[tuple[int, int, int], admin_transfer.ExportFile] = st.session_state.setdefault(
            state.ADMIN_EXPORTS, {}
        )
        ready = exports.get((screen.user.id, organisation_id, version))
        if ready is None and st.button(_("Prepare the export file"), key=state.admin_field("export", "make")):
            try:
                ready = admin_transfer.export_file(screen.store, screen.user, organisation_id, dt.date.today())
            except StoreError as error:
                st.error(literal(str(error)), icon=":material/error:")
                return
            exports.clear()  # one file at a time: an export with photos can be large
            exports[(screen.user.id, organisation_id, version)] = ready
        if ready is not None:
            st.download_button(
                _("Download {file}").format(file=literal(ready.name)), data=ready.content, file_name=ready.name,
                mime="application/json", type="primary", icon=":material/download:", on_click="ignore",
                key=state.admin_field("export", "download"),
            )  # fmt: skip


def import_section(screen: AdminScreen) -> None:
    st.subheader(_("Import an organisation"), anchor=False)
    st.caption(
        _(
            "A file exported from sensory-audit comes in as a new organisation, with its people matched by email. "
            "The whole file is checked first: if any part of it is wrong, nothing is imported."
        )
    )
    nonce = st.session_state.get(state.ADMIN_IMPORT_NONCE, 0)
    upload_key = f"{state.ADMIN_IMPORT_FILE}:{nonce}"
    with st.container(border=True):
        upload = st.file_uploader(
            _("Organisation file (.json, up to {size} MB)").format(size=uploads.IMPORT_MB),
            type=["json"],
            key=upload_key,
            max_upload_size=uploads.IMPORT_MB,
        )
        st.button(
            _("Check and import"), type="primary", on_click=on_import, args=(screen, upload_key),
            disabled=upload is None, key=state.admin_field("import", "go"),
        )  # fmt: skip
        outcome: admin_transfer.ImportOutcome | None = st.session_state.get(state.ADMIN_IMPORT_OUTCOME)
        if outcome is None:
            return
        if outcome.ok:
            st.success(literal(outcome.headline), icon=":material/check_circle:")
            return
        st.error(literal(outcome.headline), icon=":material/error:")
        if outcome.problems:
            where, what = zip(*(p.split(": ", 1) if ": " in p else ("", p) for p in outcome.shown), strict=True)
            st.dataframe(pd.DataFrame({_("Where in the file"): where, _("Problem"): what}), hide_index=True)
            if outcome.more:
                st.caption(
                    _("The first {shown} problems are listed; {more} more are not shown.").format(
                        shown=len(outcome.shown), more=outcome.more
                    )
                )


def organisations_tab(screen: AdminScreen) -> None:
    st.dataframe(admin_records.organisations_table(screen.data), hide_index=True)
    left, right = st.columns(2)
    with left, st.form("admin_new_organisation", border=True):
        st.markdown("**{}**".format(_("Add an organisation")))
        st.text_input(_("Name"), key=state.admin_field("new_organisation", "name"), max_chars=200)
        st.form_submit_button(_("Add the organisation"), type="primary", on_click=on_add_organisation, args=(screen,))
        show_outcome("new_organisation")
    with right:
        export_section(screen)
    import_section(screen)
