"""What an Assess item shows and what its inputs mean: the input an item kind gets, its labels and
hints, widget values <-> the raw answer the store checks, and a saved answer in words (for the
messages beside an item). Free of Streamlit and of the store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from checklists.responses import NA, Answer, AnswerError, Flicker, reading_name
from checklists.schema import Item, ItemKind, ResolvedItem

__all__ = [
    "Control",
    "Hint",
    "Incomplete",
    "control_for",
    "describe_answer",
    "format_readings",
    "hint",
    "parse_readings",
    "raw_answer",
    "reading_placeholder",
    "refusal_message",
    "segment_label",
    "segment_options",
    "selected_text",
    "target_text",
    "unlikely_reading",
    "widget_values",
]


class Control(StrEnum):
    """Which input an item gets: big segments to tap, readings to type, or text."""

    segments = "segments"  # yes_no, choice, rating: one tap
    readings = "readings"  # measurement: one or several numbers, "420, 610"
    flicker = "flicker"  # two numbers: percent modulation and frequency
    text = "text"  # text and photo items: written evidence


def control_for(item: Item) -> Control:
    if item.kind in (ItemKind.yes_no, ItemKind.choice, ItemKind.rating):
        return Control.segments
    if item.kind is ItemKind.measurement:
        return Control.readings
    if item.kind is ItemKind.flicker:
        return Control.flicker
    return Control.text


# --------------------------------------------------------------------------------------------
# What an item shows
# --------------------------------------------------------------------------------------------


def _short(label: str) -> str:
    # Catalogue labels read "Partly: some absorption ..."; a segment shows the word before the colon.
    return label.split(":", 1)[0].strip()


def segment_options(item: Item) -> list[str]:
    """The values of an item's segments, in order, n/a last where allowed (all strings)."""
    if item.kind is ItemKind.yes_no:
        values = ["yes", "no"]
    elif item.kind is ItemKind.choice:
        values = [o.value for o in item.options or ()]
    elif item.kind is ItemKind.rating:
        values = [str(n) for n in range(5)]
    else:
        raise ValueError(f"{item.id}: a {item.kind.value} item has no segments")
    return values + ([NA] if item.allow_na else [])


def segment_label(item: Item, value: str) -> str:
    """What a segment says: Yes, No, Partly, '3 · Good', N/A."""
    if value == NA:
        return "N/A"
    if item.kind is ItemKind.choice:
        option = next(o for o in item.options or () if o.value == value)
        return _short(option.label)
    if item.kind is ItemKind.rating:
        levels = item.levels or []
        return f"{value} · {_short(levels[int(value)])}"
    return value.capitalize()


def selected_text(item: Item, value: str | None) -> str | None:
    """The full words of the chosen option or level, shown under the segments."""
    if value is None or value == NA:
        return None
    if item.kind is ItemKind.choice:
        option = next((o for o in item.options or () if o.value == value), None)
        return None if option is None else option.label
    if item.kind is ItemKind.rating and item.levels:
        return f"{value}: {item.levels[int(value)]}"
    return None


@dataclass(frozen=True)
class Hint:
    """The short hint under a question: what good looks like, and how to measure or check."""

    good: str
    how: str | None


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)%])\.\s+(?=[A-Z])")


def _first_sentence(text: str) -> str:
    parts = _SENTENCE_END.split(text.strip(), maxsplit=1)
    sentence = parts[0].strip()
    return sentence if sentence.endswith(".") else sentence + "."


def hint(item: Item) -> Hint:
    """First sentence of 'Good: ...' and of 'How to measure: ...' (or check) from the guidance."""
    guidance = " ".join(item.guidance.split())
    match = re.search(r"How to (measure|check|recognise):", guidance)
    good_part = guidance[: match.start()] if match else guidance
    how = _first_sentence(guidance[match.start() :]) if match else None
    return Hint(good=_first_sentence(good_part), how=how)


def reading_placeholder(resolved: ResolvedItem) -> str:
    """'Reading in s; several: 0.48, 0.6': the example readings are good ones for this room type."""
    unit = resolved.item.unit or ""
    target = resolved.target
    if target is None:
        return f"Reading in {unit}; several: separate them with commas"
    lo, hi = target.ideal
    first = lo if lo is not None else (hi or 0) * 0.8
    second = hi if hi is not None else (lo or 0) * 1.2
    return f"Reading in {unit}; several: {round(first, 2):g}, {round(second, 2):g}"


_FLICKER_TARGET = "no-risk region of IEEE 1789: at most 3.3 % at 100 Hz, any depth above 3000 Hz"


def target_text(resolved: ResolvedItem, room_type_title: str) -> str | None:
    """'Target for a classroom: ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx'."""
    where = f"Target for a {room_type_title.lower()}"
    if resolved.target is not None:
        return f"{where}: {resolved.target.describe()}"
    if resolved.item.kind is ItemKind.flicker:
        return f"{where}: {_FLICKER_TARGET}"
    return None


# --------------------------------------------------------------------------------------------
# Widget values <-> raw answers
# --------------------------------------------------------------------------------------------


def format_readings(readings: Sequence[float]) -> str:
    """(420.0, 610.0) -> '420, 610'; (0.55,) -> '0.55'."""
    return ", ".join(f"{r:g}" for r in readings)


def widget_values(item: Item, answer: Answer | None) -> dict[str, Any]:
    """The value of each input of an item showing `answer` (None: unanswered), keyed by part."""
    control = control_for(item)
    na = isinstance(answer, str) and answer == NA
    if control is Control.segments:
        if answer is None:
            return {"answer": None}
        if na:
            return {"answer": NA}
        if isinstance(answer, bool):
            return {"answer": "yes" if answer else "no"}
        return {"answer": str(answer)}
    if control is Control.readings:
        readings = format_readings(answer) if isinstance(answer, tuple) else ""
        return {"answer": readings, "na": na}
    if control is Control.flicker:
        if isinstance(answer, Flicker):
            return {"percent": f"{answer.percent:g}", "frequency": f"{answer.frequency_hz:g}", "na": False}
        return {"percent": "", "frequency": "", "na": na}
    return {"answer": answer if isinstance(answer, str) and not na else ""}


class Incomplete(ValueError):  # noqa: N818 (a state, not a failure)
    """Half an answer (a flicker percent without its frequency): nothing to save yet."""


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _to_number(token: str, what: str) -> float:
    if not _NUMBER.match(token):
        named = f"{what}, {token!r}," if what.startswith("the ") else f"{what} {token!r}"
        raise AnswerError(f"{named} is not a number; type the meter's reading, for example 420")
    return float(token)


def parse_readings(text: str, unit: str = "") -> list[float]:
    """'420, 610' or '420 lx; 610' -> [420.0, 610.0]; text that is not a number raises AnswerError."""
    tokens = [t for t in re.split(r"[,;\s]+", text.strip()) if t]
    numbers = [t for t in tokens if not unit or t.lower() != unit.lower()]
    if not numbers:
        raise AnswerError(f"type a reading in {unit}, or several separated by commas" if unit else "type a reading")
    return [_to_number(t, reading_name(n, len(numbers))) for n, t in enumerate(numbers, 1)]


def _readings_of(item: Item, values: Mapping[str, Any]) -> list[float] | None:
    """The numbers in a reading field, when it holds numbers only (for the wording of a refusal)."""
    if control_for(item) is not Control.readings:
        return None
    try:
        return parse_readings(str(values.get("answer") or ""), item.unit or "")
    except AnswerError:
        return None


def raw_answer(item: Item, values: Mapping[str, Any]) -> object | None:
    """The raw answer the store checks, from an item's input values; None clears the answer.

    Raises AnswerError for text that is not a number and Incomplete for half a flicker reading.
    """
    control = control_for(item)
    if control is Control.segments:
        value = values.get("answer")
        if value is None:
            return None
        if value == NA:
            return NA
        return int(value) if item.kind is ItemKind.rating else value
    if values.get("na"):
        return NA
    if control is Control.readings:
        text = str(values.get("answer") or "").strip()
        if not text:
            return None
        if text.lower() in ("n/a", "na"):
            return NA
        readings = parse_readings(text, item.unit or "")
        return readings[0] if len(readings) == 1 else readings
    if control is Control.flicker:
        percent = str(values.get("percent") or "").strip()
        frequency = str(values.get("frequency") or "").strip()
        if not percent and not frequency:
            return None
        if not percent or not frequency:
            missing = "percent flicker" if not percent else "frequency"
            raise Incomplete(f"Type the {missing} too; nothing is saved until both are given.")
        return {
            "percent": _to_number(percent.rstrip("%").strip(), "percent flicker"),
            "frequency_hz": _to_number(re.sub(r"(?i)hz$", "", frequency).strip(), "frequency"),
        }
    text = str(values.get("answer") or "").strip()
    return text or None


# --------------------------------------------------------------------------------------------
# What a saved answer is, in words
# --------------------------------------------------------------------------------------------


def _unit(value: float, unit: str) -> str:
    return f"{value:g} {unit}".strip()


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe_answer(item: Item, answer: Answer) -> str:
    """A saved answer as the screen says it: '0.6 s', '420 lx and 610 lx', '4 % at 100 Hz', 'Partly'."""
    if isinstance(answer, str) and answer == NA:
        return "not applicable"
    if isinstance(answer, tuple):
        return _and([_unit(r, item.unit or "") for r in answer])
    if isinstance(answer, Flicker):
        return f"{answer.percent:g} % at {answer.frequency_hz:g} Hz"
    if control_for(item) is Control.segments:
        return segment_label(item, widget_values(item, answer)["answer"])
    text = str(answer)
    return f"“{text}”" if len(text) <= 40 else f"“{text[:37]}…”"


def _saved_words(item: Item, saved: Answer | None, *, in_field: bool = True) -> str:
    """What still counts after a refusal, and (in_field) that the field shows it again."""
    if saved is None:
        return "Nothing is saved for this item yet."
    what = "reading" if control_for(item) in (Control.readings, Control.flicker) else "answer"
    if isinstance(saved, tuple) and len(saved) > 1:
        what = "readings"
    where = " and is back in the field" if in_field else ""
    return f"The saved {what}, {describe_answer(item, saved)}, still counts{where}."


def _readings_words(item: Item, raw: object) -> str:
    """A raw measurement answer (a number or a list of numbers) in words: '99999 lx'."""
    given = raw if isinstance(raw, list | tuple) else [raw]
    numbers = [float(n) for n in given if isinstance(n, int | float) and not isinstance(n, bool)]
    return describe_answer(item, tuple(numbers)) if numbers and len(numbers) == len(given) else str(raw)


def _split_by_spaces(item: Item, values: Mapping[str, Any], readings: list[float] | None) -> str:
    """'“1 234” reads as two readings, 1 s and 234 s ...' when spaces alone split the text."""
    text = str(values.get("answer") or "").strip()
    if readings is None or len(readings) < 2 or re.search(r"[,;]", text):
        return ""
    count = {2: "two", 3: "three", 4: "four"}.get(len(readings), str(len(readings)))
    shown = _and([_unit(r, item.unit or "") for r in readings])
    return f"“{text}” reads as {count} readings, {shown} (a point marks decimals, commas separate readings): "


def refusal_message(item: Item, values: Mapping[str, Any], problem: str, saved: Answer | None) -> str:
    """Why nothing was saved, and what the field shows now (the saved answer, which still counts)."""
    why = _split_by_spaces(item, values, _readings_of(item, values)) + problem
    return f"Nothing was saved: {why}. {_saved_words(item, saved)}"


# --------------------------------------------------------------------------------------------
# Readings far outside what the room can have
# --------------------------------------------------------------------------------------------


def unlikely_reading(resolved: ResolvedItem, readings: Sequence[float], room_type_title: str) -> str | None:
    """The question to ask before saving a reading far past the target's limit, or None when plausible.

    A reading is unlikely above limit x factor or below limit / factor (the item's `plausible_factor`,
    else the catalogue's default); an open limit end (null) is never questioned. Such a reading is
    possible (a meter in direct sun, a mistyped zero), so the person may still save it.
    """
    target = resolved.target
    if target is None:
        return None
    factor = resolved.item.unlikely_factor
    low, high = target.limit
    unit = target.unit
    where = f"a {room_type_title.lower()}"
    for n, value in enumerate(readings, start=1):
        if high is not None and value > high * factor:
            side = f"far above what {where} can have (limit {_unit(high, unit)})"
        elif low is not None and value < low / factor:
            side = f"far below what {where} can have (limit {_unit(low, unit)})"
        else:
            continue
        # '99999 lx is far above ...' alone; 'The second reading, 99999 lx, is far above ...' among several.
        name = reading_name(n, len(readings))
        shown = _unit(value, unit) if name == "reading" else f"{name[:1].upper()}{name[1:]}, {_unit(value, unit)},"
        return f"{shown} is {side}. Save it anyway?"
    return None
