"""An organisation's own criteria on the Admin page: check an override file, preview it, save it. No Streamlit here.

The preview is what the person saving needs to see first: every problem of the file (file:line: field:
problem), or what it changes against the shipped catalogue (`checklists.diff`) and how each room's
latest finished assessment would score under it, before -> after. Saving keeps it as the
organisation's next criteria version with the reason (`assessments.org_criteria`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from assessments import repository
from assessments.catalogue_versions import CatalogueChooser
from assessments.db import Store
from assessments.errors import StoreError
from assessments.models import AssessmentStatus
from assessments.repository import UserLike
from checklists.diff import diff_catalogues
from checklists.overrides import apply_override, override_version
from checklists.schema import Catalogue
from scoring.portfolio import score_portfolio
from scoring.portfolio_versions import score_portfolio_versions
from ui.admin_forms import Outcome
from ui.i18n import N_, _

__all__ = ["Preview", "preview", "save"]

BEFORE, AFTER, CHANGE = N_("Score now"), N_("Under these criteria"), N_("Change")


@dataclass(frozen=True)
class Preview:
    """What an override file would do: its problems, or its changes and the scores before and after."""

    problems: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    version: str = ""  # the version it would be saved as, e.g. "2026.1+org7.3"
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return not self.problems


def preview(
    store: Store, user: UserLike, organisation_id: int, text: str, catalogue: Catalogue, display: str = "criteria.yaml"
) -> Preview:
    """Check `text` against the current catalogue and say what saving it would change.

    Raises StoreError when the user may not see the organisation."""
    with store.session() as session:
        repository.get_organisation(session, user, organisation_id)
        try:
            override = repository.check_criteria(text, catalogue, display)
        except repository.InvalidCriteria as error:
            return Preview(problems=tuple(str(p) for p in error.problems))
        current = repository.current_criteria(session, user, organisation_id)
        number = 1 if current is None else current.number + 1
        version = override_version(catalogue.version, organisation_id, number)
        proposed = apply_override(catalogue, override, version)
        heads, answers = repository.load_portfolio_frames(
            session, user, org_ids=[organisation_id],
            statuses=[AssessmentStatus.submitted, AssessmentStatus.reviewed], latest_only=True,
        )  # fmt: skip
        now = score_portfolio_versions(catalogue, heads, answers, CatalogueChooser(session, catalogue)).summary()
    diff = diff_catalogues(catalogue, proposed)
    changes = tuple(diff.lines()[1:]) or (_("No change against the shipped catalogue."),)
    if heads.empty:
        return Preview(changes=changes, version=version)
    after = score_portfolio(proposed, heads, answers).summary()
    table = pd.DataFrame(
        {
            _("Site"): now["site_name"],
            _("Room"): now["room_name"],
            _("Assessed on"): pd.to_datetime(now["assessed_on"]).dt.date,
            _(BEFORE): [_score(o, b) for o, b in zip(now["overall"], now["band"], strict=True)],
            _(AFTER): [_score(o, b) for o, b in zip(after["overall"], after["band"], strict=True)],
            _(CHANGE): [_change(b, a) for b, a in zip(now["overall"], after["overall"], strict=True)],
        }
    ).sort_values([_("Site"), _("Room")], ignore_index=True)
    return Preview(changes=changes, version=version, scores=table)


def _score(overall: float | None, band: object) -> str:
    if overall is None or pd.isna(overall):
        return _("no score")
    return f"{overall:.1f} ({band})" if isinstance(band, str) and band else f"{overall:.1f}"


def _change(before: float | None, after: float | None) -> str:
    if before is None or after is None or pd.isna(before) or pd.isna(after):
        return "–"
    delta = round(after - before, 1)
    return _("no change") if delta == 0 else f"{delta:+.1f}"


def save(
    store: Store, user: UserLike, organisation_id: int, text: str, reason: str, expected_number: int, display: str
) -> Outcome:
    """Save the file as the organisation's next criteria version; the outcome says which, or why not."""
    with store.session() as session:
        try:
            saved = repository.save_criteria(
                session, user, organisation_id, text, reason, expected_number=expected_number, display=display
            )
        except StoreError as error:
            return Outcome(False, str(error))
    return Outcome(
        True,
        _(
            "Saved as criteria version {number} ({version}). New assessments and drafts of this organisation use "
            "it; finished assessments keep the criteria they were taken with."
        ).format(number=saved.number, version=saved.version),
    )
