"""The Assess screen's logic, free of Streamlit: what each input shows, what a tap saves, and the live summary.

The page (ui/pages/assess.py) draws widgets and calls these functions; everything here can be
tested without a browser. Answers are checked by `checklists.responses.parse_answer` inside the
store, so the screen refuses exactly what the CLI and the import refuse; this module only turns
what a finger typed into the raw answer the store expects (readings text -> list of numbers).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from PIL import Image, ImageOps

from assessments import repository
from assessments.db import Store
from assessments.errors import ConflictError, IncompleteAssessment, InvalidAnswer, NotFound, PermissionDenied
from assessments.models import Assessment as StoredAssessment
from assessments.models import AssessmentStatus, Role, Room, User
from checklists.responses import NA, Answer, AnswerError, Assessment, Flicker, parse_answer, reading_name
from checklists.schema import Catalogue, Item, ItemKind, ResolvedItem, RoomChecklist
from scoring.engine import Band, RoomScore, score_assessment

__all__ = [
    "CONFLICT_MESSAGE",
    "REASON_EXAMPLE",
    "REASON_RULE",
    "Control",
    "Feedback",
    "FeedbackKind",
    "Hint",
    "Incomplete",
    "MissingItem",
    "SaveResult",
    "SectionProgress",
    "Summary",
    "add_photo",
    "assessment_label",
    "can_answer",
    "can_review",
    "closing_notice",
    "control_for",
    "decide",
    "describe_answer",
    "format_readings",
    "hint",
    "incomplete_feedback",
    "kept_feedback",
    "load_answers",
    "ordered_assessments",
    "parse_readings",
    "raw_answer",
    "reading_placeholder",
    "reason_problem",
    "refusal_message",
    "room_label",
    "save_item",
    "save_item_note",
    "save_unlikely",
    "segment_label",
    "segment_options",
    "selected_text",
    "submit_assessment",
    "summarise",
    "target_text",
    "thumbnail",
    "unanswered_critical",
    "unlikely_reading",
    "widget_values",
]

CONFLICT_MESSAGE = (
    "Someone else saved this assessment since you opened it, so this answer was not saved. "
    "Reload to see their answers, then give yours again."
)


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
# Saving
# --------------------------------------------------------------------------------------------


class FeedbackKind(StrEnum):
    saved = "saved"
    cleared = "cleared"
    invalid = "invalid"  # the input does not fit: nothing saved, the saved answer is back in the field
    kept = "kept"  # the person chose not to save what they typed: the saved answer is back in the field
    pending = "pending"  # half an answer: nothing saved yet, what was typed stays in the field
    unlikely = "unlikely"  # a reading far outside what the room can have: "Save it anyway?"
    conflict = "conflict"  # someone else saved first: reload
    refused = "refused"  # not allowed (role, status, organisation)


@dataclass(frozen=True)
class Feedback:
    """What the screen says beside an item (or a panel) after a save."""

    kind: FeedbackKind
    message: str
    at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.kind in (FeedbackKind.saved, FeedbackKind.cleared)

    @property
    def holds_typing(self) -> bool:
        """What was typed is kept in the field (beside this message), not replaced by the saved answer."""
        return self.kind in (FeedbackKind.pending, FeedbackKind.unlikely)

    def text(self) -> str:
        if self.kind is FeedbackKind.saved and self.at is not None:
            return f"{self.message} {self.at:%H:%M:%S}"
        return self.message


@dataclass(frozen=True)
class SaveResult:
    feedback: Feedback
    version: int | None = None  # the assessment's new version after a save
    answer: Answer | None = None  # the saved answer (None after clearing)
    changed: bool = False  # the store changed (answers or notes)
    unlikely_raw: object | None = None  # the reading waiting for "Save anyway" (kind unlikely)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _problem(error: Exception, item_id: str) -> str:
    # The store names the item ("lighting.illuminance: reading ..."); beside the item that is noise.
    text = str(error).strip()
    prefix = f"{item_id}: "
    text = text[len(prefix) :] if text.startswith(prefix) else text
    return text.rstrip(".")


def _message(error: Exception, item_id: str) -> str:
    text = _problem(error, item_id)
    return text[:1].upper() + text[1:] + ". Nothing was saved."


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


# --------------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------------


def save_item(
    store: Store,
    user: User,
    assessment_id: int,
    resolved: ResolvedItem,
    values: Mapping[str, Any],
    expected_version: int,
    *,
    saved: Answer | None = None,
    room_type_title: str = "",
) -> SaveResult:
    """Save what an item's inputs say (or clear it); never raises for anything a person can type.

    `saved` is the answer the store holds now: a refusal says it still counts. A reading far outside
    what the room can have is not saved but asked about (kind unlikely); `save_unlikely` saves it.
    """
    item = resolved.item
    try:
        raw = raw_answer(item, values)
    except Incomplete as error:
        still = "" if saved is None else " " + _saved_words(item, saved, in_field=False)
        return SaveResult(Feedback(FeedbackKind.pending, f"{error}{still}"))
    except AnswerError as error:
        return SaveResult(
            Feedback(FeedbackKind.invalid, refusal_message(item, values, _problem(error, item.id), saved))
        )
    if item.kind is ItemKind.measurement and raw is not None:
        try:
            answer = parse_answer(resolved, raw)  # impossible readings are refused before unlikely ones are asked
        except AnswerError as error:
            problem = _problem(error, item.id)
            return SaveResult(Feedback(FeedbackKind.invalid, refusal_message(item, values, problem, saved)))
        readings = answer if isinstance(answer, tuple) else ()
        question = unlikely_reading(resolved, readings, room_type_title)
        if question is not None:
            text = f"{question} Not saved yet. {_saved_words(item, saved, in_field=False)}"
            return SaveResult(Feedback(FeedbackKind.unlikely, text), unlikely_raw=raw)
    return _store_answer(store, user, assessment_id, resolved, raw, expected_version, values, saved)


def save_unlikely(
    store: Store,
    user: User,
    assessment_id: int,
    resolved: ResolvedItem,
    raw: object,
    expected_version: int,
    *,
    saved: Answer | None = None,
) -> SaveResult:
    """Save anyway: save a reading the person confirmed after being asked."""
    return _store_answer(store, user, assessment_id, resolved, raw, expected_version, {}, saved)


def _store_answer(
    store: Store,
    user: User,
    assessment_id: int,
    resolved: ResolvedItem,
    raw: object | None,
    expected_version: int,
    values: Mapping[str, Any],
    saved: Answer | None,
) -> SaveResult:
    item = resolved.item
    try:
        with store.session() as session:
            if raw is None:
                version = repository.clear_answer(session, user, assessment_id, item.id, expected_version)
                return SaveResult(Feedback(FeedbackKind.cleared, "Answer cleared.", _now()), version, None, True)
            version = repository.save_answer(session, user, assessment_id, item.id, raw, expected_version)
    except ConflictError:
        return SaveResult(Feedback(FeedbackKind.conflict, CONFLICT_MESSAGE))
    except InvalidAnswer as error:
        return SaveResult(
            Feedback(FeedbackKind.invalid, refusal_message(item, values, _problem(error, item.id), saved))
        )
    except (PermissionDenied, NotFound) as error:
        return SaveResult(Feedback(FeedbackKind.refused, f"{error} {_saved_words(item, saved)}"))
    return SaveResult(Feedback(FeedbackKind.saved, "Saved", _now()), version, parse_answer(resolved, raw), True)


def kept_feedback(item: Item, raw: object, saved: Answer | None) -> Feedback:
    """Change it: the unlikely reading is dropped; the field shows the saved answer again."""
    return Feedback(FeedbackKind.kept, f"Not saved: {_readings_words(item, raw)}. {_saved_words(item, saved)}")


def save_item_note(
    store: Store, user: User, assessment_id: int, item_id: str, note: str, expected_version: int
) -> SaveResult:
    try:
        with store.session() as session:
            version = repository.save_note(session, user, assessment_id, item_id, note, expected_version)
    except ConflictError:
        return SaveResult(Feedback(FeedbackKind.conflict, CONFLICT_MESSAGE.replace("answer", "note")))
    except InvalidAnswer as error:
        return SaveResult(Feedback(FeedbackKind.invalid, _message(error, item_id)))
    except (PermissionDenied, NotFound) as error:
        return SaveResult(Feedback(FeedbackKind.refused, str(error)))
    return SaveResult(Feedback(FeedbackKind.saved, "Note saved", _now()), version, changed=True)


def add_photo(store: Store, user: User, assessment_id: int, item_id: str, file_name: str, content: bytes) -> Feedback:
    """Attach a photo; the store checks it by content (JPEG, PNG, WebP, at most 10 MB) and shrinks it."""
    try:
        with store.session() as session:
            repository.add_evidence(session, user, assessment_id, item_id, file_name, content)
    except InvalidAnswer as error:
        return Feedback(FeedbackKind.invalid, f"{file_name}: {_message(error, item_id)}")
    except (PermissionDenied, NotFound) as error:
        return Feedback(FeedbackKind.refused, str(error))
    return Feedback(FeedbackKind.saved, f"Photo {file_name} saved", _now())


THUMBNAIL_SIDE = 320


def thumbnail(content: bytes, side: int = THUMBNAIL_SIDE) -> bytes:
    """A small JPEG of a stored photo, so the page does not send full-size images to the tablet."""
    with Image.open(io.BytesIO(content)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def load_answers(
    store: Store, user: User, assessment_id: int
) -> tuple[StoredAssessment, dict[str, Answer], dict[str, str]]:
    """The assessment (with its current version), its typed answers and its notes, read in one session."""
    with store.session() as session:
        assessment = repository.get_assessment(session, user, assessment_id)
        answers = repository.assessment_answers(session, user, assessment_id)
        notes = {r.item_id: r.note for r in repository.list_responses(session, user, assessment_id) if r.note}
    return assessment, answers, notes


# --------------------------------------------------------------------------------------------
# Who may do what on screen (the store enforces the same rules; this only picks what to draw)
# --------------------------------------------------------------------------------------------


def can_answer(role: Role, status: AssessmentStatus) -> bool:
    """Staff answer drafts; managers and admins may also correct a submitted one; nobody a reviewed one."""
    if role is Role.consultant or status is AssessmentStatus.reviewed:
        return False
    return status is AssessmentStatus.draft or role in (Role.manager, Role.admin)


def can_review(role: Role, status: AssessmentStatus) -> bool:
    return role in (Role.manager, Role.admin) and status is not AssessmentStatus.draft


def can_start(role: Role) -> bool:
    return role is not Role.consultant


# --------------------------------------------------------------------------------------------
# Picking a room and an assessment
# --------------------------------------------------------------------------------------------


def room_label(room: Room, catalogue: Catalogue, setting: str) -> str:
    """'Year 3 classroom · classroom, floor 1'."""
    try:
        kind = catalogue.checklist(setting, room.room_type).room_type_title.lower()
    except KeyError:
        kind = room.room_type.replace("_", " ")
    floor = "" if room.floor is None else (", ground floor" if room.floor == 0 else f", floor {room.floor}")
    return f"{room.name} · {kind}{floor}"


def ordered_assessments(assessments: Sequence[StoredAssessment]) -> list[StoredAssessment]:
    """Drafts first (to resume), then the rest; newest first within each."""
    newest = sorted(assessments, key=lambda a: (a.assessed_on, a.id), reverse=True)
    return [a for a in newest if a.status is AssessmentStatus.draft] + [
        a for a in newest if a.status is not AssessmentStatus.draft
    ]


_STATUS_WORDS = {
    AssessmentStatus.draft: "Draft",
    AssessmentStatus.submitted: "Submitted",
    AssessmentStatus.reviewed: "Reviewed",
}


def assessment_label(assessment: StoredAssessment) -> str:
    """'Draft of 16 Oct 2026 by Sam Patel (no. 42)': the number tells apart two drafts of one day."""
    status = _STATUS_WORDS[assessment.status]
    return f"{status} of {assessment.assessed_on:%-d %b %Y} by {assessment.assessor} (no. {assessment.id})"


# --------------------------------------------------------------------------------------------
# The live summary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionProgress:
    id: str
    title: str
    done: int  # answered or n/a
    total: int
    score: float | None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class MissingItem:
    id: str
    section: str
    question: str
    critical: bool


@dataclass(frozen=True)
class Summary:
    """The room as the answers given so far score it."""

    score: RoomScore
    done: int
    total: int
    sections: list[SectionProgress]
    missing: list[MissingItem]
    critical_failures: list[tuple[str, str]] = field(default_factory=list)  # (item id, question)

    @property
    def band(self) -> Band | None:
        return None if self.score.band is None else Band(self.score.band)

    @property
    def critical_missing(self) -> list[MissingItem]:
        return [m for m in self.missing if m.critical]

    def sections_line(self) -> str:
        """'Lighting 13/13 (64) · Noise and acoustics 12/12 (66) · ...': progress and score per section."""
        return " · ".join(
            f"{s.title} {s.done}/{s.total}" + ("" if s.score is None else f" ({s.score:.0f})") for s in self.sections
        )

    def short(self) -> str:
        """'72.4, band B · 48 of 48 answered' beside a saved answer; a band from a partly answered
        checklist always says so: '75.0, band B (provisional) · 6 of 48 answered'."""
        if self.band is None:
            scored = "no score yet"
        else:
            scored = f"{self.score.overall:.1f}, band {self.band.value}"
            if self.provisional:
                scored += " (provisional)"
        return f"{scored} · {self.done} of {self.total} answered"

    @property
    def provisional(self) -> bool:
        return self.score.provisional

    def headline(self) -> str:
        """'Score 72.4 · Band B, mostly supportive · 31 of 48 answered' (no colour needed to read it)."""
        if self.score.overall is None or self.band is None:
            scored = "No score yet"
        else:
            scored = f"Score {self.score.overall:.1f} · Band {self.band.value}, {self.band.label}"
            if self.provisional:
                scored += " (provisional)"
        return f"{scored} · {self.done} of {self.total} answered"

    def missing_line(self) -> str:
        """'Still to answer: 12 items, 2 of them critical' (or that every item is answered)."""
        if not self.missing:
            return "Every item is answered."
        critical = len(self.critical_missing)
        return f"Still to answer: {_items(len(self.missing))}" + (f", {critical} of them critical" if critical else "")


def summarise(catalogue: Catalogue, checklist: RoomChecklist, answers: Mapping[str, Answer]) -> Summary:
    """Score the answers given so far, and say per section what is done and what is missing."""
    known = checklist.by_id()
    score = score_assessment(
        catalogue,
        Assessment(checklist.setting, checklist.room_type, {k: v for k, v in answers.items() if k in known}),
    )
    titles = {c.id: c.title for c in catalogue.categories}
    sections = []
    for category in checklist.category_weights:
        ids = [r.item.id for r in checklist.items if r.item.category == category]
        if not ids:
            continue
        done = sum(score.items[i].status != "missing" for i in ids)
        section_score = score.categories[category].score if category in score.categories else None
        sections.append(SectionProgress(category, titles.get(category, category), done, len(ids), section_score))
    missing = [
        MissingItem(r.item.id, titles.get(r.item.category, r.item.category), r.item.question, r.item.critical)
        for r in checklist.items
        if score.items[r.item.id].status == "missing" and r.item.scored
    ]
    done = sum(item.status != "missing" for item in score.items.values())
    failures = [(i, known[i].item.question) for i in score.critical_failures]
    return Summary(score, done, len(score.items), sections, missing, failures)


# --------------------------------------------------------------------------------------------
# Submit and review
# --------------------------------------------------------------------------------------------


def _items(n: int) -> str:
    return f"{n} item" + ("" if n == 1 else "s")


def unanswered_critical(catalogue: Catalogue, score: RoomScore) -> list[Item]:
    """The critical items an assessment left unanswered, in catalogue order (the reviewer must see them)."""
    missing = set(score.missing)
    return [item for item in catalogue.items if item.critical and item.id in missing]


# A reason for submitting with items unanswered is a sentence someone else can act on, not "ok".
REASON_WORDS = 3
REASON_CHARACTERS = 15
REASON_RULE = f"a sentence of at least {REASON_WORDS} words and {REASON_CHARACTERS} characters"


def reason_problem(reason: str | None) -> str | None:
    """Why a reason for submitting without some answers is not enough, or None when it is."""
    text = " ".join((reason or "").split())
    if not text:
        return "Say why you submit without them"
    words = re.findall(r"[^\W\d_]{2,}|\d+", text)
    if len(words) < REASON_WORDS or len(text) < REASON_CHARACTERS:
        return f"“{text}” is too short to tell a reviewer why"
    return None


def closing_notice(room_name: str, assessment_id: int, now_showing: str | None) -> str:
    """What the screen says when choosing another site or room closes the open assessment."""
    text = f"Closed the assessment of {room_name} (no. {assessment_id}); its answers are saved."
    return text + (f" Now showing {now_showing}." if now_showing else "")


def submit_assessment(
    store: Store, user: User, assessment_id: int, expected_version: int, reason: str | None, summary: Summary
) -> tuple[Feedback, int | None]:
    """Submit a draft. With items unanswered (`summary`, as this screen scores the answers) it needs a
    reason that meets REASON_RULE, and is then provisional; the result says so beside its band."""
    if summary.missing and reason_problem(reason) is not None:
        return incomplete_feedback(summary, reason), None
    given = " ".join(reason.split()) if summary.missing and reason else None
    try:
        with store.session() as session:
            version = repository.submit(session, user, assessment_id, expected_version, given)
    except IncompleteAssessment as error:
        return Feedback(FeedbackKind.invalid, str(error)), None
    except ConflictError:
        return Feedback(FeedbackKind.conflict, CONFLICT_MESSAGE.replace("this answer was", "it was")), None
    except (PermissionDenied, NotFound, InvalidAnswer) as error:
        return Feedback(FeedbackKind.refused, str(error)), None
    done = "Submitted as provisional" if given else "Submitted"
    return Feedback(FeedbackKind.saved, f"{done}: {summary.headline()}", _now()), version


REASON_EXAMPLE = "The sound level meter was away for calibration."


def incomplete_feedback(summary: Summary, reason: str | None = None) -> Feedback:
    """Why a submit was refused: what is unanswered (critical items named by their question), the rule
    a reason must meet, and the way out."""
    missing, critical = summary.missing, summary.critical_missing
    text = f"Not submitted: {_items(len(missing))} {'is' if len(missing) == 1 else 'are'} still unanswered"
    if critical:
        text += f", {len(critical)} of them critical: " + " ".join(f"“{m.question}”" for m in critical)
    else:
        text += "."
    problem = reason_problem(reason)
    if problem and (reason or "").strip():
        text += f" {problem}: give the reason above as {REASON_RULE}, for example “{REASON_EXAMPLE}”"
        text += " The assessment is then provisional. Or answer them first."
    else:
        text += f" Answer them, or give the reason above as {REASON_RULE} (for example “{REASON_EXAMPLE}”);"
        text += " the assessment is then provisional."
    return Feedback(FeedbackKind.invalid, text)


def decide(
    store: Store, user: User, assessment_id: int, expected_version: int, *, reviewed: bool, comment: str
) -> tuple[Feedback, int | None]:
    """A manager's decision on a submitted assessment: mark it reviewed, or send it back with a comment."""
    try:
        with store.session() as session:
            if reviewed:
                version = repository.review(session, user, assessment_id, expected_version, comment or None)
            else:
                version = repository.send_back(session, user, assessment_id, expected_version, comment)
    except ConflictError as error:
        return Feedback(FeedbackKind.conflict, str(error)), None
    except (PermissionDenied, NotFound, InvalidAnswer) as error:
        return Feedback(FeedbackKind.refused, str(error)), None
    done = "Marked reviewed" if reviewed else "Sent back to draft"
    return Feedback(FeedbackKind.saved, done, _now()), version
