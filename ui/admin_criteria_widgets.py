"""The Admin page's Criteria tab: an organisation's own criteria, as an override file to upload or edit.

Checking the file shows every problem (file:line: field: problem) or, before anything is saved, what it
changes against the shipped catalogue and how each room's latest assessment would score under it.
Saving asks why, and keeps the file as the organisation's next criteria version
(`ui.admin_criteria` works it out; the store checks who may save).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.db import Store
from assessments.errors import StoreError
from assessments.models import User
from assessments.roles import allowed
from checklists.schema import Catalogue
from ui import admin_criteria, state, uploads
from ui.admin_criteria import Preview
from ui.admin_forms import Outcome
from ui.admin_screen import AdminScreen
from ui.i18n import _
from ui.text import literal

_DISPLAY = "criteria.yaml"


@dataclass(frozen=True)
class CriteriaDesk:
    """What the criteria editor works with: who is acting, the store, the current catalogue and the
    organisations offered (the Admin page's, or a consultant's granted ones on the Criteria screen)."""

    user: User
    store: Store
    catalogue: Catalogue
    organisations: dict[int, str]

    @classmethod
    def of(cls, screen: AdminScreen) -> CriteriaDesk:
        return cls(screen.user, screen.store, screen.catalogue, screen.organisations)


def _on_upload(organisation_id: int) -> None:
    upload = st.session_state.get(state.admin_criteria(organisation_id, "upload"))
    if upload is None:
        return
    content = upload.getvalue()
    oversized = uploads.too_large(_("The criteria file"), upload.name, len(content), uploads.CRITERIA_MB)
    if oversized is not None:
        st.session_state[state.ADMIN_CRITERIA_OUTCOME] = (organisation_id, Outcome(False, oversized))
        return
    try:
        st.session_state[state.admin_criteria(organisation_id, "text")] = content.decode("utf-8")
    except UnicodeDecodeError:
        st.session_state[state.ADMIN_CRITERIA_OUTCOME] = (
            organisation_id,
            Outcome(False, _("{file}: not UTF-8 text; save the file as UTF-8.").format(file=upload.name)),
        )  # fmt: skip


def _on_check(screen: CriteriaDesk, organisation_id: int) -> None:
    text = st.session_state.get(state.admin_criteria(organisation_id, "text")) or ""
    try:
        result = admin_criteria.preview(screen.store, screen.user, organisation_id, text, screen.catalogue, _DISPLAY)
    except StoreError as error:
        result = Preview(problems=(str(error),))
    st.session_state[state.ADMIN_CRITERIA_PREVIEW] = (organisation_id, text, result)
    st.session_state.pop(state.ADMIN_CRITERIA_OUTCOME, None)


def _on_save(screen: CriteriaDesk, organisation_id: int, expected_number: int) -> None:
    text = st.session_state.get(state.admin_criteria(organisation_id, "text")) or ""
    reason = st.session_state.get(state.admin_criteria(organisation_id, "reason")) or ""
    outcome = admin_criteria.save(screen.store, screen.user, organisation_id, text, reason, expected_number, _DISPLAY)
    st.session_state[state.ADMIN_CRITERIA_OUTCOME] = (organisation_id, outcome)
    if outcome.ok:
        st.session_state.pop(state.ADMIN_CRITERIA_PREVIEW, None)
        st.session_state[state.admin_criteria(organisation_id, "reason")] = ""


def _problems(lines: tuple[str, ...]) -> None:
    st.error(_("The file was not saved: fix these problems, then check it again."), icon=":material/error:")
    split = [line.split(": ", 2) for line in lines]
    rows = [(p[0], p[1], p[2]) if len(p) == 3 else ("", "", lines[n]) for n, p in enumerate(split)]
    st.dataframe(
        pd.DataFrame(rows, columns=[_("Where"), _("Field"), _("Problem")]), hide_index=True,
        key=state.admin_field("criteria", "problems"),
    )  # fmt: skip


def _preview(result: Preview) -> None:
    st.markdown(
        "**{}** {}".format(
            _("What changes against the shipped catalogue"),
            _("(it would be saved as {version})").format(version=literal(result.version)),
        )
    )
    st.code("\n".join(result.changes), language=None, wrap_lines=True)
    st.markdown("**{}**".format(_("How each room's latest assessment would score under it")))
    if result.scores.empty:
        st.caption(_("No room of this organisation has a finished assessment yet."))
    else:
        st.dataframe(result.scores, hide_index=True, key=state.admin_field("criteria", "scores"))


def criteria_tab(screen: AdminScreen) -> None:
    st.subheader(_("Organisation criteria"), anchor=False)
    criteria_editor(CriteriaDesk.of(screen))


def criteria_editor(screen: CriteriaDesk) -> None:
    """The organisation's kept criteria versions, the editor, its preview and the save."""
    st.caption(
        _(
            "Adapt the criteria for one organisation: thresholds per room type, weights, items switched off, made "
            "critical or added. Finished assessments keep the criteria they were taken with; new ones and drafts "
            "use the newest. See docs/organisation-criteria.md for the file's fields."
        )
    )
    organisation_id = int(
        st.selectbox(
            _("Organisation"),
            list(screen.organisations),
            format_func=screen.organisations.__getitem__,
            key=state.ADMIN_CRITERIA_ORGANISATION,
        )
    )
    with screen.store.session() as session:
        kept = repository.criteria_versions(session, screen.user, organisation_id)
    latest = kept[-1] if kept else None
    if latest is None:
        st.info(_("This organisation uses the catalogue as shipped."), icon=":material/info:")
    else:
        st.markdown(
            _("In use: **criteria version {number}** ({version}), saved by {who} on {day}.").format(
                number=latest.number, version=literal(latest.version), who=literal(latest.saved_by),
                day=literal(latest.saved_at[:10]),
            )
        )  # fmt: skip
        st.dataframe(
            pd.DataFrame(
                {
                    _("Version"): [k.number for k in kept],
                    _("Saved at (UTC)"): [k.saved_at.replace("T", " ")[:16] for k in kept],
                    _("Saved by"): [k.saved_by for k in kept],
                    _("Why"): [k.reason for k in kept],
                }
            ),
            hide_index=True, key=state.admin_field("criteria", "versions"),
        )  # fmt: skip
    text_key = state.admin_criteria(organisation_id, "text")
    if text_key not in st.session_state:
        st.session_state[text_key] = latest.content if latest is not None else ""
    may_save = screen.user.role in allowed("set_criteria")
    st.file_uploader(
        _("Load an override file (.yaml, up to {size} MB) into the editor").format(size=uploads.CRITERIA_MB),
        type=["yaml", "yml"],
        key=state.admin_criteria(organisation_id, "upload"), on_change=_on_upload, args=(organisation_id,),
        max_upload_size=uploads.CRITERIA_MB,
    )  # fmt: skip
    st.text_area(_("Override file (YAML)"), key=text_key, height=320, disabled=not may_save)
    st.button(
        _("Check and preview"), on_click=_on_check, args=(screen, organisation_id),
        key=state.admin_criteria(organisation_id, "check"),
    )  # fmt: skip
    outcome = st.session_state.get(state.ADMIN_CRITERIA_OUTCOME)
    if outcome is not None and outcome[0] == organisation_id:
        shown: Outcome = outcome[1]
        (st.success if shown.ok else st.error)(literal(shown.message))
    previewed = st.session_state.get(state.ADMIN_CRITERIA_PREVIEW)
    if previewed is None or previewed[0] != organisation_id:
        return
    _organisation, checked_text, result = previewed
    if not result.ok:
        _problems(result.problems)
        return
    _preview(result)
    if checked_text != st.session_state.get(text_key):
        st.warning(_("The file changed since it was checked: check it again before saving."), icon=":material/warning:")
        return
    if not may_save:
        return
    with st.container(border=True):
        reason_key = state.admin_criteria(organisation_id, "reason")
        st.text_input(_("Why the criteria change (kept in the record of changes)"), key=reason_key, max_chars=2000)
        st.button(
            _("Save as criteria version {number}").format(number=1 if latest is None else latest.number + 1),
            type="primary",
            on_click=_on_save, args=(screen, organisation_id, 0 if latest is None else latest.number),
            key=state.admin_criteria(organisation_id, "save"),
        )  # fmt: skip
