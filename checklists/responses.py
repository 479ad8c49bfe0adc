"""What an assessor's answers are, and how raw answers are checked against the catalogue.

A raw answer comes from an assessment file, a form field or the store; `parse_answer` turns it
into a typed `Answer` or raises `AnswerError` with a sentence naming what is allowed. Every way
into the product (CLI, import, the Assess screen) goes through here, so they refuse the same things.
How an answer is kept in the store and read back against a later catalogue is
`checklists.stored_answers`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language
from checklists.schema import Catalogue, ItemKind, ResolvedItem, RoomChecklist

__all__ = [
    "NA",
    "Answer",
    "AnswerError",
    "AnswerSheet",
    "AssessmentError",
    "Flicker",
    "answer_to_json",
    "parse_answer",
    "parse_assessment",
    "reading_name",
]

NA = "n/a"
_NA_WORDS = frozenset({"n/a", "na", "not applicable"})
# The top-level keys an assessment file may carry besides `responses`.
_ASSESSMENT_KEYS = frozenset(
    {"setting", "room_type", "room", "site", "organisation", "assessor", "date", "status",
     "catalogue_version", "notes", "responses"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Flicker:
    percent: float
    frequency_hz: float


# A typed answer: n/a is the string "n/a"; yes_no a bool; choice the option value; rating an int;
# measurement a tuple of readings; flicker a Flicker; text and photo a string.
Answer = str | bool | int | tuple[float, ...] | Flicker


class AnswerError(ValueError):
    """A raw answer that does not fit its item; the message names what is allowed."""


@dataclass(frozen=True)
class AnswerSheet:
    """One room's answers in one assessment, validated against the catalogue: what the engine scores.

    Read from an assessment file (`parse_assessment`) or built from the store (the stored
    assessment itself is `assessments.models.Assessment`, with its assessor, date and status)."""

    setting: str
    room_type: str
    answers: Mapping[str, Answer]
    room: str | None = None
    notes: Mapping[str, str] | None = None


# The name this class had before the store's assessment took it; kept so notebooks written
# against it still run. New code says AnswerSheet.
Assessment = AnswerSheet


class AssessmentError(ValueError):
    """An assessment document with problems; `problems` holds one sentence per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


_ORDINALS = (
    N_("the first reading"), N_("the second reading"), N_("the third reading"), N_("the fourth reading"),
    N_("the fifth reading"), N_("the sixth reading"), N_("the seventh reading"), N_("the eighth reading"),
    N_("the ninth reading"), N_("the tenth reading"),
)  # fmt: skip


def reading_name(n: int, count: int) -> str:
    """How a message names the n-th of `count` readings: 'reading' alone, else 'the second reading'
    (in the language in force).

    In words, so a number never stands next to the reading's value ('reading 2 234 s' read as a
    misread 2234).
    """
    if count == 1:
        return _("reading")
    if n <= len(_ORDINALS):
        return _(_ORDINALS[n - 1])
    if language() != DEFAULT_LANGUAGE:
        return _("reading number {n}").format(n=n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {n}{suffix} reading"


def _figure(value: float) -> str:
    """A number inside a message: '0.5', '100000' ('0,5' in French); never a thousands separator."""
    if language() == DEFAULT_LANGUAGE:
        return f"{value:g}"
    return format_decimal(value, locale=language(), group_separator=False)


def is_na(raw: object) -> bool:
    return isinstance(raw, str) and raw.strip().lower() in _NA_WORDS


def _number(raw: object, what: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise AnswerError(_("{what} must be a number, got {value}").format(what=what, value=_show(raw)))
    value = float(raw)
    if not math.isfinite(value):
        raise AnswerError(_("{what} must be a finite number, got {value}").format(what=what, value=_show(raw)))
    return value


def _show(raw: object) -> str:
    if isinstance(raw, str):
        return repr(raw) if raw else _("an empty text")
    if raw is None:
        return _("nothing")
    if isinstance(raw, bool):
        return _("yes") if raw else _("no")
    return repr(raw)


def _check_range(value: float, valid: tuple[float | None, float | None] | None, unit: str, what: str) -> None:
    if valid is None:
        return
    lo, hi = valid
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        if lo is not None and hi is not None:
            allowed = _("{low} to {high} {unit}").format(low=_figure(lo), high=_figure(hi), unit=unit)
        elif lo is not None:
            allowed = _("at least {low} {unit}").format(low=_figure(lo), unit=unit)
        else:
            assert hi is not None
            allowed = _("at most {high} {unit}").format(high=_figure(hi), unit=unit)
        shown = f"{_figure(value)} {unit}".strip()
        # 'reading 150 dBA is ...' alone; 'the second reading, 234 s, is ...' among several.
        if what == _("reading"):
            said = _("{what} {value} is not physically possible (allowed: {allowed})")
        else:
            said = _("{what}, {value}, is not physically possible (allowed: {allowed})")
        raise AnswerError(said.format(what=what, value=shown, allowed=allowed))


def parse_answer(resolved: ResolvedItem, raw: object) -> Answer:
    """Check one raw answer against its item and return it typed; raise AnswerError if it does not fit."""
    item = resolved.item
    if is_na(raw):
        if not item.allow_na:
            raise AnswerError(_("n/a is not allowed for this item: it applies to every room of this type"))
        return NA
    kind = item.kind
    if kind is ItemKind.yes_no:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("yes", "no", "true", "false"):
            return raw.strip().lower() in ("yes", "true")
        said = _or_na(resolved, N_("expected yes or no, got {value}"), N_("expected yes or no or n/a, got {value}"))
        raise AnswerError(said.format(value=_show(raw)))
    if kind is ItemKind.choice:
        assert item.options is not None
        values = [o.value for o in item.options]
        if isinstance(raw, bool) and ("yes" if raw else "no") in values:
            return "yes" if raw else "no"
        if isinstance(raw, str) and raw.strip() in values:
            return raw.strip()
        said = _or_na(
            resolved, N_("expected one of {options}, got {value}"), N_("expected one of {options} or n/a, got {value}")
        )
        raise AnswerError(said.format(options=", ".join(values), value=_show(raw)))
    if kind is ItemKind.rating:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            said = _or_na(
                resolved,
                N_("expected a whole number from 0 to 4, got {value}"),
                N_("expected a whole number from 0 to 4 or n/a, got {value}"),
            )
            raise AnswerError(said.format(value=_show(raw)))
        if not math.isfinite(raw) or raw != int(raw) or not 0 <= raw <= 4:
            raise AnswerError(_("rating must be a whole number from 0 to 4, got {value}").format(value=_show(raw)))
        return int(raw)
    if kind is ItemKind.measurement:
        unit = item.unit or ""
        readings = raw if isinstance(raw, list | tuple) else [raw]
        if not readings:
            raise AnswerError(
                _("expected a reading in {unit} or a list of readings, got an empty list").format(unit=unit)
            )
        numbers: list[float] = []
        for n, reading in enumerate(readings, start=1):
            what = reading_name(n, len(readings))
            value = _number(reading, what)
            _check_range(value, item.valid, unit, what)
            numbers.append(value)
        return tuple(numbers)
    if kind is ItemKind.flicker:
        if not isinstance(raw, Mapping) or set(raw) != {"percent", "frequency_hz"}:
            said = _or_na(resolved, N_("expected {shape}, got {value}"), N_("expected {shape} or n/a, got {value}"))
            raise AnswerError(said.format(shape="{percent: P, frequency_hz: F}", value=_show(raw)))
        percent = _number(raw["percent"], _("percent flicker"))
        frequency = _number(raw["frequency_hz"], "frequency_hz")
        if not 0 <= percent <= 100:
            raise AnswerError(_("percent flicker must be from 0 to 100, got {value}").format(value=_figure(percent)))
        if frequency <= 0:
            raise AnswerError(_("frequency_hz must be above 0 Hz, got {value}").format(value=_figure(frequency)))
        return Flicker(percent, frequency)
    # text and photo: evidence, kept as text (a photo answer names the file or evidence record).
    if not isinstance(raw, str) or not raw.strip():
        raise AnswerError(_("expected some text, got {value}").format(value=_show(raw)))
    return raw


def _or_na(resolved: ResolvedItem, without: str, with_na: str) -> str:
    """The message that offers n/a where the item allows it, in the language in force."""
    return _(with_na if resolved.item.allow_na else without)


def answer_to_json(answer: Answer) -> Any:
    """The plain JSON/YAML form of an answer, as an assessment file writes it."""
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, tuple):
        return answer[0] if len(answer) == 1 else list(answer)
    if isinstance(answer, Flicker):
        return {"percent": answer.percent, "frequency_hz": answer.frequency_hz}
    return answer


def parse_assessment(catalogue: Catalogue, data: object) -> AnswerSheet:
    """Validate a whole assessment document (already read from YAML or JSON).

    Raises AssessmentError listing every problem, one sentence each, naming the field or item.
    """
    if data is None:
        raise AssessmentError(["the file is empty: expected setting, room_type and responses"])
    if not isinstance(data, Mapping):
        raise AssessmentError([f"expected a mapping with setting, room_type and responses, got {_show(data)}"])
    problems: list[str] = []
    for key in data:
        if key not in _ASSESSMENT_KEYS:
            problems.append(f"{key}: unknown field (allowed: {', '.join(sorted(_ASSESSMENT_KEYS))})")
    setting, room_type = data.get("setting"), data.get("room_type")
    checklist: RoomChecklist | None = None
    if not isinstance(setting, str) or not setting:
        problems.append(f"setting: missing (one of {', '.join(catalogue.settings)})")
    elif setting not in catalogue.settings:
        problems.append(f"setting: unknown setting {setting!r} (one of {', '.join(catalogue.settings)})")
    elif not isinstance(room_type, str) or not room_type:
        problems.append(f"room_type: missing (one of {', '.join(catalogue.room_types(setting))})")
    elif (setting, room_type) not in catalogue.checklists:
        known = ", ".join(catalogue.room_types(setting))
        problems.append(f"room_type: unknown room type {room_type!r} for setting {setting} (one of {known})")
    else:
        checklist = catalogue.checklist(setting, room_type)
    room = data.get("room")
    if room is not None and not isinstance(room, str | int):
        problems.append(f"room: expected a name, got {_show(room)}")
    notes = data.get("notes") or {}
    if not isinstance(notes, Mapping) or not all(isinstance(v, str) for v in notes.values()):
        problems.append("notes: expected a mapping of item id to text")
        notes = {}
    responses = data.get("responses")
    if responses is None:
        responses = {}
    if not isinstance(responses, Mapping):
        problems.append(f"responses: expected a mapping of item id to answer, got {_show(responses)}")
        responses = {}
    answers: dict[str, Answer] = {}
    if checklist is not None:
        applicable = checklist.by_id()
        known_ids = {item.id for item in catalogue.items}
        for item_id, raw in responses.items():
            key = str(item_id)
            if key not in applicable:
                if key in known_ids:
                    problems.append(f"{key}: does not apply to a {room_type} in a {setting}")
                else:
                    problems.append(f"{key}: unknown item id")
                continue
            if raw is None:
                # A blank in the file (`item:` with no value) is an item not yet answered.
                continue
            try:
                answers[key] = parse_answer(applicable[key], raw)
            except AnswerError as error:
                problems.append(f"{key}: {error}")
        for key in notes:
            if str(key) not in applicable:
                problems.append(f"notes.{key}: no such item in this room's checklist")
    if problems:
        raise AssessmentError(problems)
    assert isinstance(setting, str)
    assert isinstance(room_type, str)
    return AnswerSheet(
        setting=setting,
        room_type=room_type,
        answers=answers,
        room=None if room is None else str(room),
        notes={str(k): v for k, v in notes.items()} or None,
    )
