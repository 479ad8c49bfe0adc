"""Which criteria version each score of a report comes from, and the history re-scored under the current one.

Every assessment is scored under the catalogue version it was taken with, so a stored score never
moves. Where a room's history holds scores of several versions, the report marks where the version
changed and gives the whole history re-scored under the current criteria, labelled as such
(`scoring.rescore`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from checklists.i18n import _
from checklists.schema import Catalogue
from reports.data import AssessmentReport, RoomReport
from reports.labels import format_date, format_score
from scoring.engine import RoomScore
from scoring.rescore import rescore

if TYPE_CHECKING:
    from assessments.catalogue_versions import CatalogueChooser

__all__ = ["history_lines", "rescored_history", "version_changes", "versions_sentence"]


def rescored_history(
    current: Catalogue,
    chooser: CatalogueChooser,
    setting: str,
    room_type: str,
    assessments: Sequence[AssessmentReport],
    raw_answers: Mapping[int, Mapping[str, object]],
) -> tuple[RoomScore | None, ...]:
    """Each assessment re-scored under `current`; None where it is already scored under it (or
    when no assessment of the room is scored under an earlier version: then nothing is re-scored)."""
    if all(a.catalogue_version == current.version for a in assessments):
        return ()
    known = chooser.known()
    out: list[RoomScore | None] = []
    for a in assessments:
        if a.catalogue_version == current.version:
            out.append(None)
            continue
        again = rescore(current, known, a.catalogue_version, setting, room_type, raw_answers.get(a.id, {}))
        out.append(None if again is None else again.score)
    return tuple(out)


def version_changes(assessments: Sequence[AssessmentReport]) -> list[tuple[int, str]]:
    """(position, version) of every assessment whose criteria version differs from the one before it."""
    return [
        (n, a.catalogue_version)
        for n, a in enumerate(assessments)
        if n > 0 and a.catalogue_version != assessments[n - 1].catalogue_version
    ]


def history_lines(room: RoomReport, current: Catalogue) -> list[str]:
    """A room's history as the scorecard prints it: stored scores with each change of criteria
    version marked, then, where versions mix, the whole history re-scored under the current one."""
    assessments = room.assessments
    changes = dict(version_changes(assessments))
    parts = []
    for n, a in enumerate(assessments):
        mark = _("[criteria {version} from here] ").format(version=changes[n]) if n in changes else ""
        band = f" ({a.score.band})" if a.score.band else ""
        parts.append(f"{mark}{format_date(a.assessed_on)}: {format_score(a.score.overall)}{band}")
    first = assessments[0].catalogue_version if assessments else current.version
    lines = [_("History (criteria {version}): ").format(version=first) + " → ".join(parts)]
    if room.rescored and (changes or first != current.version):
        again = []
        for a, score in zip(assessments, room.rescored, strict=True):
            shown = a.score if score is None else score
            band = f" ({shown.band})" if shown.band else ""
            again.append(f"{format_date(a.assessed_on)}: {format_score(shown.overall)}{band}")
        lines.append(
            _("Re-scored under the current criteria ({version}), not the stored scores: ").format(
                version=current.version
            )
            + " → ".join(again)
        )
    return lines


def versions_sentence(assessments: Sequence[AssessmentReport], current: Catalogue) -> str:
    """Which criteria versions the report's scores come from, in one sentence."""
    versions = sorted({a.catalogue_version for a in assessments})
    if not versions or versions == [current.version]:
        return _("Every score in this report comes from criteria version {version}.").format(version=current.version)
    listed = ", ".join(versions)
    return _(
        "Scores come from criteria versions {listed}: each assessment is scored under the version it was taken "
        "with, so a score never moves when the criteria change. This appendix describes the current version, "
        "{version}; where a room's history mixes versions, its scorecard also gives the history "
        "re-scored under the current version."
    ).format(listed=listed, version=current.version)
