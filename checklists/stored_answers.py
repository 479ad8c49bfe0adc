"""An answer as the store keeps it, and read back: the rows of the long "answers table" (and back to
assessment-file form), and the one decoding of stored answers against the current catalogue, which
keeps an answer the catalogue no longer accepts as a `RetiredAnswer` instead of dropping it or
failing (the engine, every screen and every report read answers through `decode_stored`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checklists.i18n import N_, _
from checklists.responses import NA, Answer, AnswerError, Flicker, parse_answer
from checklists.schema import Catalogue, ItemKind, RoomChecklist

__all__ = [
    "NOT_APPLYING",
    "REFUSED_ANSWER",
    "RETIRED_ITEM",
    "AnswerRow",
    "RetiredAnswer",
    "StoredAnswers",
    "answer_rows",
    "decode_stored",
    "raw_from_rows",
]


# One row of the long "answers table" that the portfolio scorer reads and the store keeps:
# (na, num, freq, text). A measurement gives one row per reading; a flicker reading puts its
# percent in num and its frequency in freq; yes_no, choice, text and photo answers go in text.
#   lighting.illuminance: [420, 610]  ->  (False, 420.0, None, None), (False, 610.0, None, None)
#   lighting.flicker: {percent: 4, frequency_hz: 100}  ->  (False, 4.0, 100.0, None)
#   quiet_zones.walking_distance: n/a  ->  (True, None, None, None)
AnswerRow = tuple[bool, float | None, float | None, str | None]


def answer_rows(answer: Answer) -> list[AnswerRow]:
    """The answers-table rows of one typed answer (see AnswerRow)."""
    if isinstance(answer, bool):
        return [(False, None, None, "yes" if answer else "no")]
    if isinstance(answer, Flicker):
        return [(False, answer.percent, answer.frequency_hz, None)]
    if isinstance(answer, tuple):
        return [(False, float(v), None, None) for v in answer]
    if isinstance(answer, int):
        return [(False, float(answer), None, None)]
    if answer == NA:
        return [(True, None, None, None)]
    return [(False, None, None, answer)]


def raw_from_rows(rows: Sequence[AnswerRow]) -> object:
    """One answer's rows of the answers table back in assessment-file form (the inverse of answer_rows).

      (False, 420.0, None, None), (False, 610.0, None, None)  ->  [420.0, 610.0]
      (False, 4.0, 100.0, None)                               ->  {percent: 4.0, frequency_hz: 100.0}
      (True, None, None, None)                                ->  "n/a"
      (False, None, None, "yes")                              ->  "yes"
    Numbers come back as a list even when there is one (a rating or a single reading):
    `decode_stored` types them against the item.
    """
    if len(rows) > 1 and any(na or text is not None or _present(freq) for na, _, freq, text in rows):
        # Several rows are several readings; anything else in them is no answer the catalogue takes.
        return [raw_from_rows([row]) for row in rows]
    na, num, freq, text = rows[0]
    if na:
        return NA
    if isinstance(text, str):
        return text
    if _present(freq):
        return {"percent": num, "frequency_hz": freq}
    return [r[1] for r in rows]


def _present(number: float | None) -> bool:
    return number is not None and not math.isnan(number)


@dataclass(frozen=True, slots=True)
class RetiredAnswer:
    """A stored answer that the current catalogue no longer accepts: kept in the store and shown as
    such, scored as missing (an item removed or no longer applying to the room type, an option
    removed, a reading outside a range that changed)."""

    item_id: str
    value: object  # as stored, in assessment-file form
    reason: str  # a sentence: "the item is no longer in the catalogue"

    @property
    def shown_reason(self) -> str:
        """The reason in the language in force ("le critère ne figure plus dans le catalogue"); what
        the answer was refused for, after the colon, stays as the check wrote it."""
        if self.reason.startswith(f"{REFUSED_ANSWER}: "):
            return _("{reason}: {detail}").format(
                reason=_(REFUSED_ANSWER), detail=self.reason[len(REFUSED_ANSWER) + 2 :]
            )
        return _(self.reason) if self.reason in (RETIRED_ITEM, REFUSED_ANSWER, NOT_APPLYING) else self.reason

    @property
    def value_text(self) -> str:
        value = self.value
        if isinstance(value, list):
            return ", ".join(_plain(v) for v in value)
        if isinstance(value, Mapping):
            return f"{_plain(value.get('percent'))} % at {_plain(value.get('frequency_hz'))} Hz"
        return _plain(value)


def _plain(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class StoredAnswers:
    """The stored answers of one assessment typed against the current catalogue: those it accepts,
    and those it retired."""

    answers: dict[str, Answer]
    retired: tuple[RetiredAnswer, ...]


# Kept in English with the data; shown in the reader's language (RetiredAnswer.shown_reason).
RETIRED_ITEM = N_("the item is no longer in the catalogue")
REFUSED_ANSWER = N_("the answer is no longer accepted")
NOT_APPLYING = N_("the item no longer applies to this room type")


def decode_stored(catalogue: Catalogue, checklist: RoomChecklist, stored: Mapping[str, object]) -> StoredAnswers:
    """The one way stored answers become typed answers, for the engine, every screen and every report.

    An answer the current catalogue no longer accepts is never dropped silently and never breaks a
    screen: it is returned as a RetiredAnswer with the reason, and the engine counts the item as
    missing. The portfolio scorer applies the same rule to whole arrays (scoring.portfolio), and a
    test holds the two equal.
    """
    applicable = checklist.by_id()
    known = {item.id for item in catalogue.items}
    answers: dict[str, Answer] = {}
    retired: list[RetiredAnswer] = []
    for item_id, raw in stored.items():
        if raw is None:
            continue
        resolved = applicable.get(item_id)
        if resolved is None:
            retired.append(RetiredAnswer(item_id, raw, NOT_APPLYING if item_id in known else RETIRED_ITEM))
            continue
        value = raw
        if resolved.item.kind is not ItemKind.measurement and isinstance(raw, list) and len(raw) == 1:
            value = raw[0]  # a rating read back from the answers table
        if isinstance(value, float) and value.is_integer() and resolved.item.kind is ItemKind.rating:
            value = int(value)
        try:
            answers[item_id] = parse_answer(resolved, value)
        except AnswerError as error:
            retired.append(RetiredAnswer(item_id, raw, f"{REFUSED_ANSWER}: {error}"))
    order = {r.item.id: n for n, r in enumerate(checklist.items)}
    ordered = {k: answers[k] for k in sorted(answers, key=order.__getitem__)}
    return StoredAnswers(ordered, tuple(sorted(retired, key=lambda r: r.item_id)))
