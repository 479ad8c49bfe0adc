"""What an Assess item shows and what its inputs mean: the input an item kind gets, its labels and
hints, widget values <-> the raw answer the store checks, and a saved answer in words (for the
messages beside an item). Free of Streamlit and of the store.

Numbers are read and written in the person's locale (ui.numbers): "0,6" is 0.6 in French, readings
are separated by a semicolon (or, in English, a comma), and an entry that could be read two ways is
refused with the ways to type it. Every function taking `locale` uses the current language when it
is None.

One cohesive thing, kept whole: the two directions of one mapping (inputs to answers, answers to
words) read best side by side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from babel.lists import format_list

from checklists.describe import describe, flicker_target
from checklists.responses import NA, Answer, AnswerError, Flicker, reading_name
from checklists.schema import Item, ItemKind, ResolvedItem
from ui import numbers
from ui.i18n import _, language

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
    readings = "readings"  # measurement: one or several numbers, "420, 610" ("0,48; 0,6" in French)
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
        return _("N/A")
    if item.kind is ItemKind.choice:
        option = next(o for o in item.options or () if o.value == value)
        return _short(option.label)
    if item.kind is ItemKind.rating:
        levels = item.levels or []
        return f"{value} · {_short(levels[int(value)])}"
    return _("Yes") if value == "yes" else _("No") if value == "no" else value.capitalize()


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


def reading_placeholder(resolved: ResolvedItem, locale: str | None = None) -> str:
    """'Reading in s; several: 0.48, 0.6' ('0,48; 0,6' in French): the examples are good ones for this room type."""
    locale = locale or language()
    unit = resolved.item.unit or ""
    target = resolved.target
    if target is None:
        return _("Reading in {unit}; several: separate them with “{separator}”").format(
            unit=unit, separator=numbers.reading_separator(locale).strip()
        )
    lo, hi = target.ideal
    first = lo if lo is not None else (hi or 0) * 0.8
    second = hi if hi is not None else (lo or 0) * 1.2
    examples = numbers.format_numbers([round(first, 2), round(second, 2)], locale)
    return _("Reading in {unit}; several: {examples}").format(unit=unit, examples=examples)


def target_text(resolved: ResolvedItem, room_type_title: str, locale: str | None = None) -> str | None:
    """'Target for a classroom: ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx'."""
    locale = locale or language()
    # The wording of a target is the catalogue's (checklists.describe), as in the reports.
    if resolved.target is not None:
        words = describe(resolved.target, locale=locale)
    elif resolved.item.kind is ItemKind.flicker:
        words = flicker_target(locale)
    else:
        return None
    return _("Target for a {room_type}: {target}").format(room_type=room_type_title.lower(), target=words)


# --------------------------------------------------------------------------------------------
# Widget values <-> raw answers
# --------------------------------------------------------------------------------------------


def format_readings(readings: Sequence[float], locale: str | None = None) -> str:
    """(420.0, 610.0) -> '420, 610'; (0.55,) -> '0.55'; in French (0.48, 0.6) -> '0,48; 0,6'."""
    return numbers.format_numbers(readings, locale or language())


def widget_values(item: Item, answer: Answer | None, locale: str | None = None) -> dict[str, Any]:
    """The value of each input of an item showing `answer` (None: unanswered), keyed by part."""
    locale = locale or language()
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
        readings = format_readings(answer, locale) if isinstance(answer, tuple) else ""
        return {"answer": readings, "na": na}
    if control is Control.flicker:
        if isinstance(answer, Flicker):
            percent, frequency = (numbers.format_number(v, locale) for v in (answer.percent, answer.frequency_hz))
            return {"percent": percent, "frequency": frequency, "na": False}
        return {"percent": "", "frequency": "", "na": na}
    return {"answer": answer if isinstance(answer, str) and not na else ""}


class Incomplete(ValueError):  # noqa: N818 (a state, not a failure)
    """Half an answer (a flicker percent without its frequency): nothing to save yet."""


def _to_number(token: str, what: str, locale: str, unit: str = "") -> float:
    try:
        return numbers.parse_number(token, locale, unit)
    except numbers.Ambiguous as error:
        raise AnswerError(str(error)) from None
    except numbers.NotANumber:
        example = numbers.format_number(0.6, locale)
        if what == reading_name(1, 1):
            message = _("{what} “{typed}” is not a number; type the meter's reading, for example {example}")
        else:
            message = _("{what}, “{typed}”, is not a number; type the meter's reading, for example {example}")
        raise AnswerError(message.format(what=what, typed=token, example=example)) from None


def parse_readings(text: str, unit: str = "", locale: str | None = None) -> list[float]:
    """'420, 610' or '420 lx; 610' -> [420.0, 610.0]; '0,48; 0,6' in French -> [0.48, 0.6].

    Text that is not a number, or could be read two ways ('1 234', '0,6' in English), raises AnswerError
    saying how to type it.
    """
    locale = locale or language()
    tokens = numbers.split_readings(text.strip(), locale, unit)
    if not tokens:
        if unit:
            raise AnswerError(
                _("type a reading in {unit}, or several separated by “{separator}”").format(
                    unit=unit, separator=numbers.reading_separator(locale).strip()
                )
            )
        raise AnswerError(_("type a reading"))
    return [_to_number(t, reading_name(n, len(tokens)), locale, unit) for n, t in enumerate(tokens, 1)]


def raw_answer(item: Item, values: Mapping[str, Any], locale: str | None = None) -> object | None:
    """The raw answer the store checks, from an item's input values; None clears the answer.

    Raises AnswerError for text that is not a number (or is ambiguous) and Incomplete for half a
    flicker reading.
    """
    locale = locale or language()
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
        readings = parse_readings(text, item.unit or "", locale)
        return readings[0] if len(readings) == 1 else readings
    if control is Control.flicker:
        percent = str(values.get("percent") or "").strip()
        frequency = str(values.get("frequency") or "").strip()
        if not percent and not frequency:
            return None
        if not percent or not frequency:
            if not percent:
                raise Incomplete(_("Type the percent flicker too; nothing is saved until both are given."))
            raise Incomplete(_("Type the frequency too; nothing is saved until both are given."))
        return {
            "percent": _to_number(percent.rstrip("%").strip(), _("percent flicker"), locale, "%"),
            "frequency_hz": _to_number(re.sub(r"(?i)hz$", "", frequency).strip(), _("frequency"), locale, "Hz"),
        }
    text = str(values.get("answer") or "").strip()
    return text or None


# --------------------------------------------------------------------------------------------
# What a saved answer is, in words
# --------------------------------------------------------------------------------------------


def _and(parts: Sequence[str], locale: str) -> str:
    return format_list(list(parts), locale=locale)


def describe_answer(item: Item, answer: Answer, locale: str | None = None) -> str:
    """A saved answer as the screen says it: '0.6 s' ('0,6 s' in French), '420 lx and 610 lx',
    '4 % at 100 Hz', 'Partly'."""
    locale = locale or language()
    if isinstance(answer, str) and answer == NA:
        return _("not applicable")
    if isinstance(answer, tuple):
        return _and([numbers.with_unit(r, item.unit or "", locale) for r in answer], locale)
    if isinstance(answer, Flicker):
        return _("{percent} at {frequency}").format(
            percent=numbers.with_unit(answer.percent, "%", locale),
            frequency=numbers.with_unit(answer.frequency_hz, "Hz", locale),
        )
    if control_for(item) is Control.segments:
        return segment_label(item, widget_values(item, answer, locale)["answer"])
    text = str(answer)
    return f"“{text}”" if len(text) <= 40 else f"“{text[:37]}…”"


def _saved_words(item: Item, saved: Answer | None, *, in_field: bool = True) -> str:
    """What still counts after a refusal, and (in_field) that the field shows it again."""
    if saved is None:
        return _("Nothing is saved for this item yet.")
    words = describe_answer(item, saved)
    several = isinstance(saved, tuple) and len(saved) > 1
    if control_for(item) not in (Control.readings, Control.flicker):
        if in_field:
            return _("The saved answer, {answer}, still counts and is back in the field.").format(answer=words)
        return _("The saved answer, {answer}, still counts.").format(answer=words)
    if several:
        if in_field:
            return _("The saved readings, {answer}, still count and are back in the field.").format(answer=words)
        return _("The saved readings, {answer}, still count.").format(answer=words)
    if in_field:
        return _("The saved reading, {answer}, still counts and is back in the field.").format(answer=words)
    return _("The saved reading, {answer}, still counts.").format(answer=words)


def _readings_words(item: Item, raw: object) -> str:
    """A raw measurement answer (a number or a list of numbers) in words: '99999 lx'."""
    given = raw if isinstance(raw, list | tuple) else [raw]
    numbers_given = [float(n) for n in given if isinstance(n, int | float) and not isinstance(n, bool)]
    if numbers_given and len(numbers_given) == len(given):
        return describe_answer(item, tuple(numbers_given))
    return str(raw)


def refusal_message(item: Item, values: Mapping[str, Any], problem: str, saved: Answer | None) -> str:
    """Why nothing was saved, and what the field shows now (the saved answer, which still counts)."""
    return _("Nothing was saved: {problem}. {saved}").format(problem=problem, saved=_saved_words(item, saved))


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
    locale = language()
    factor = resolved.item.unlikely_factor
    low, high = target.limit
    unit = target.unit
    room_type = room_type_title.lower()
    for n, value in enumerate(readings, start=1):
        if high is not None and value > high * factor:
            side = _("far above what a {room_type} can have (limit {limit})").format(
                room_type=room_type, limit=numbers.with_unit(high, unit, locale)
            )
        elif low is not None and value < low / factor:
            side = _("far below what a {room_type} can have (limit {limit})").format(
                room_type=room_type, limit=numbers.with_unit(low, unit, locale)
            )
        else:
            continue
        # '99999 lx is far above ...' alone; 'The second reading, 99999 lx, is far above ...' among several.
        shown = numbers.with_unit(value, unit, locale)
        if len(readings) == 1:
            return _("{reading} is {why}. Save it anyway?").format(reading=shown, why=side)
        name = reading_name(n, len(readings))
        return _("{name}, {reading}, is {why}. Save it anyway?").format(
            name=name[:1].upper() + name[1:], reading=shown, why=side
        )
    return None
