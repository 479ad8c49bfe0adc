"""An assessment re-scored under a newer catalogue version: what its score would be under today's criteria.

Stored scores never move (each assessment is scored under the version it was taken with); this is
the other view, always labelled as such on the screens and in the reports. Answers carry over by the
newer versions' `changes:` sections (`checklists.versions.carry_over`): a renamed item's answer
counts for its new id; a retired item's answer, or one the newer version no longer accepts, is
shown as retired and counts as not answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from checklists.schema import Catalogue
from checklists.stored_answers import RetiredAnswer, decode_stored
from checklists.versions import carry_over
from scoring.engine import RoomScore, evaluate, room_score

__all__ = ["Rescored", "rescore"]


@dataclass(frozen=True)
class Rescored:
    """One assessment under `score.catalogue_version`, with the answers that did not carry over."""

    score: RoomScore
    retired: tuple[RetiredAnswer, ...]


def rescore(
    current: Catalogue,
    known: Mapping[str, Catalogue],
    from_version: str,
    setting: str,
    room_type: str,
    raw: Mapping[str, object],
) -> Rescored | None:
    """Score stored answers (assessment-file form, taken under `from_version`) under `current`;
    None when the current catalogue has no checklist for the room type."""
    checklist = current.checklists.get((setting, room_type))
    if checklist is None:
        return None
    carried = carry_over(raw, from_version, current, known)
    decoded = decode_stored(current, checklist, carried)
    evaluation = evaluate(checklist, decoded.answers, tuple(p.id for p in current.principles))
    return Rescored(room_score(evaluation), decoded.retired)
