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
from checklists.responses import NA, Answer, AnswerError, Assessment, Flicker, parse_answer
from checklists.schema import Catalogue, Item, ItemKind, ResolvedItem, RoomChecklist
from scoring.engine import Band, RoomScore, score_assessment

__all__ = [
    "CONFLICT_MESSAGE",
    "Control",
    "Feedback",
    "FeedbackKind",
    "Hint",
    "Incomplete",
    "SaveResult",
    "SectionProgress",
    "Summary",
    "add_photo",
    "assessment_label",
    "can_answer",
    "can_review",
    "control_for",
    "decide",
    "format_readings",
    "hint",
    "incomplete_feedback",
    "load_answers",
    "ordered_assessments",
    "parse_readings",
    "raw_answer",
    "room_label",
    "save_item",
    "save_item_note",
    "segment_label",
    "segment_options",
    "selected_text",
    "submit_assessment",
    "summarise",
    "target_text",
    "thumbnail",
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
        raise AnswerError(f"{what} {token!r} is not a number; type the meter's reading, for example 420")
    return float(token)


def parse_readings(text: str, unit: str = "") -> list[float]:
    """'420, 610' or '420 lx; 610' -> [420.0, 610.0]; text that is not a number raises AnswerError."""
    tokens = [t for t in re.split(r"[,;\s]+", text.strip()) if t]
    numbers = [t for t in tokens if not unit or t.lower() != unit.lower()]
    if not numbers:
        raise AnswerError(f"type a reading in {unit}, or several separated by commas" if unit else "type a reading")
    return [_to_number(t, "reading" if len(numbers) == 1 else f"reading {n}") for n, t in enumerate(numbers, 1)]


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
    invalid = "invalid"  # the input does not fit: nothing saved
    pending = "pending"  # half an answer: nothing saved yet
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


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _message(error: Exception, item_id: str) -> str:
    # The store names the item ("lighting.illuminance: reading ..."); beside the item that is noise.
    text = str(error)
    prefix = f"{item_id}: "
    text = text[len(prefix) :] if text.startswith(prefix) else text
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".") + " Nothing was saved."


def save_item(
    store: Store,
    user: User,
    assessment_id: int,
    resolved: ResolvedItem,
    values: Mapping[str, Any],
    expected_version: int,
) -> SaveResult:
    """Save what an item's inputs say (or clear it); never raises for anything a person can type."""
    item = resolved.item
    try:
        raw = raw_answer(item, values)
    except Incomplete as error:
        return SaveResult(Feedback(FeedbackKind.pending, str(error)))
    except AnswerError as error:
        return SaveResult(Feedback(FeedbackKind.invalid, _message(error, item.id)))
    try:
        with store.session() as session:
            if raw is None:
                version = repository.clear_answer(session, user, assessment_id, item.id, expected_version)
                return SaveResult(Feedback(FeedbackKind.cleared, "Answer cleared.", _now()), version, None, True)
            version = repository.save_answer(session, user, assessment_id, item.id, raw, expected_version)
    except ConflictError:
        return SaveResult(Feedback(FeedbackKind.conflict, CONFLICT_MESSAGE))
    except InvalidAnswer as error:
        return SaveResult(Feedback(FeedbackKind.invalid, _message(error, item.id)))
    except (PermissionDenied, NotFound) as error:
        return SaveResult(Feedback(FeedbackKind.refused, str(error)))
    return SaveResult(Feedback(FeedbackKind.saved, "Saved", _now()), version, parse_answer(resolved, raw), True)


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
        """'72.4, band B · 31 of 48' for the line beside a saved answer."""
        scored = "no score yet" if self.band is None else f"{self.score.overall:.1f}, band {self.band.value}"
        return f"{scored} · {self.done} of {self.total} answered"

    def headline(self) -> str:
        """'Score 72.4 · Band B, mostly supportive · 31 of 48 answered' (no colour needed to read it)."""
        if self.score.overall is None or self.band is None:
            scored = "No score yet"
        else:
            scored = f"Score {self.score.overall:.1f} · Band {self.band.value}, {self.band.label}"
            if self.score.provisional:
                scored += " (provisional)"
        return f"{scored} · {self.done} of {self.total} answered"


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


def submit_assessment(
    store: Store, user: User, assessment_id: int, expected_version: int, reason: str | None
) -> tuple[Feedback, int | None]:
    """Submit a draft; with items unanswered the store wants a reason (then it is provisional)."""
    try:
        with store.session() as session:
            version = repository.submit(session, user, assessment_id, expected_version, reason)
    except IncompleteAssessment as error:
        return Feedback(FeedbackKind.invalid, str(error)), None
    except ConflictError:
        return Feedback(FeedbackKind.conflict, CONFLICT_MESSAGE.replace("this answer was", "it was")), None
    except (PermissionDenied, NotFound, InvalidAnswer) as error:
        return Feedback(FeedbackKind.refused, str(error)), None
    provisional = " as provisional" if (reason or "").strip() else ""
    return Feedback(FeedbackKind.saved, f"Submitted{provisional}", _now()), version


def incomplete_feedback(summary: Summary) -> Feedback:
    """Why a submit was refused: what is unanswered (critical items named), and the way out."""
    critical = summary.critical_missing
    text = f"{len(summary.missing)} items are still unanswered"
    if critical:
        text += ", among them critical: " + "; ".join(f"{m.question} ({m.id})" for m in critical)
    text += ". Answer them, or say above why you submit without them (the assessment is then provisional)."
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
