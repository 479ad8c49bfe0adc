"""What a tap on the Assess screen saves, and what the screen says after it: answers, notes,
photos, submit and review, each turned into a Feedback (never an exception for anything a person
can type). Free of Streamlit.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PIL import Image, ImageOps

from assessments import repository
from assessments.db import Store
from assessments.errors import (
    AnswerConflict,
    ConflictError,
    IncompleteAssessment,
    InvalidAnswer,
    NotFound,
    PermissionDenied,
)
from assessments.models import Assessment as StoredAssessment
from assessments.models import User
from checklists.responses import Answer, AnswerError, parse_answer
from checklists.schema import Item, ItemKind, ResolvedItem
from ui.assess_answers import (
    Incomplete,
    _readings_words,
    _saved_words,
    describe_answer,
    raw_answer,
    refusal_message,
    unlikely_reading,
)
from ui.assess_progress import REASON_EXAMPLE, REASON_RULE, Summary, _items, reason_problem

__all__ = [
    "CONFLICT_MESSAGE",
    "THUMBNAIL_SIDE",
    "Feedback",
    "FeedbackKind",
    "SaveResult",
    "add_photo",
    "decide",
    "incomplete_feedback",
    "kept_feedback",
    "load_answers",
    "save_item",
    "save_item_note",
    "save_unlikely",
    "submit_assessment",
    "thumbnail",
]


CONFLICT_MESSAGE = (
    "Someone else saved this assessment since you opened it, so this answer was not saved. "
    "Reload to see their answers, then give yours again."
)


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
    clash = "clash"  # someone else answered this item since: keep mine or take theirs
    taken = "taken"  # the person took the other assessor's answer to this item
    refused = "refused"  # not allowed (role, status, organisation)


@dataclass(frozen=True)
class Feedback:
    """What the screen says beside an item (or a panel) after a save."""

    kind: FeedbackKind
    message: str
    at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.kind in (FeedbackKind.saved, FeedbackKind.cleared, FeedbackKind.taken)

    @property
    def holds_typing(self) -> bool:
        """What was typed is kept in the field (beside this message), not replaced by the saved answer."""
        return self.kind in (FeedbackKind.pending, FeedbackKind.unlikely, FeedbackKind.clash)

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
    clash: Clash | None = None  # the other assessor's answer to this item (kind clash)


@dataclass(frozen=True)
class Clash:
    """Two answers to one item: this person's (not saved) and the one saved since they opened it."""

    mine: object | None  # the raw answer this person gave (None: they cleared it)
    theirs: Answer | None  # the answer the store holds now (None: cleared)
    by: str | None  # who gave it
    at: dt.datetime | None
    answer_version: int  # what "Keep mine" names to save over it

    def theirs_words(self, item: Item) -> str:
        return "no answer (cleared)" if self.theirs is None else describe_answer(item, self.theirs)


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
# Saving
# --------------------------------------------------------------------------------------------


def save_item(
    store: Store,
    user: User,
    assessment_id: int,
    resolved: ResolvedItem,
    values: Mapping[str, Any],
    answer_version: int,
    *,
    saved: Answer | None = None,
    room_type_title: str = "",
) -> SaveResult:
    """Save what an item's inputs say (or clear it); never raises for anything a person can type.

    `saved` is the answer the store holds now: a refusal says it still counts. `answer_version` is
    the version of this item's answer the screen shows (0: none): if someone else answered the item
    since, nothing is saved and the result carries their answer (kind clash) to choose from. A reading far outside
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
    return _store_answer(store, user, assessment_id, resolved, raw, answer_version, values, saved)


def save_unlikely(
    store: Store,
    user: User,
    assessment_id: int,
    resolved: ResolvedItem,
    raw: object | None,
    answer_version: int,
    *,
    saved: Answer | None = None,
) -> SaveResult:
    """Save anyway: save a reading the person confirmed after being asked (or, after a clash, the
    answer they chose to keep over the other assessor's, naming its version)."""
    return _store_answer(store, user, assessment_id, resolved, raw, answer_version, {}, saved)


def _store_answer(
    store: Store,
    user: User,
    assessment_id: int,
    resolved: ResolvedItem,
    raw: object | None,
    answer_version: int,
    values: Mapping[str, Any],
    saved: Answer | None,
) -> SaveResult:
    item = resolved.item
    try:
        with store.session() as session:
            if raw is None:
                version = repository.clear_answer(
                    session, user, assessment_id, item.id, None, answer_version=answer_version
                )
                return SaveResult(Feedback(FeedbackKind.cleared, "Answer cleared.", _now()), version, None, True)
            version = repository.save_answer(
                session, user, assessment_id, item.id, raw, None, answer_version=answer_version
            )
    except AnswerConflict as error:
        return _clash(resolved, raw, error)
    except ConflictError:
        return SaveResult(Feedback(FeedbackKind.conflict, CONFLICT_MESSAGE))
    except InvalidAnswer as error:
        return SaveResult(
            Feedback(FeedbackKind.invalid, refusal_message(item, values, _problem(error, item.id), saved))
        )
    except (PermissionDenied, NotFound) as error:
        return SaveResult(Feedback(FeedbackKind.refused, f"{error} {_saved_words(item, saved)}"))
    return SaveResult(Feedback(FeedbackKind.saved, "Saved", _now()), version, parse_answer(resolved, raw), True)


def _words(resolved: ResolvedItem, raw: object) -> str:
    try:
        return describe_answer(resolved.item, parse_answer(resolved, raw))
    except AnswerError:  # an answer the catalogue no longer accepts: shown as stored
        return str(raw)


def _clash(resolved: ResolvedItem, mine: object | None, error: AnswerConflict) -> SaveResult:
    """Someone else answered this item since the screen showed it: their answer, and the choice."""
    try:
        theirs = None if error.value is None else parse_answer(resolved, error.value)
    except AnswerError:
        theirs = str(error.value)
    clash = Clash(mine, theirs, error.answered_by, error.answered_at, error.answer_version)
    who = clash.by or "Someone else"
    at = clash.at.replace(tzinfo=clash.at.tzinfo or dt.UTC).astimezone() if clash.at is not None else None
    when = f" at {at:%H:%M}" if at is not None else ""
    given = "cleared this item's answer" if clash.theirs is None else f"answered {clash.theirs_words(resolved.item)}"
    yours = "Clearing it is" if mine is None else f"Your answer, {_words(resolved, mine)}, is"
    text = f"{who} {given}{when}, after you opened it. {yours} not saved yet. Which one counts?"
    return SaveResult(Feedback(FeedbackKind.clash, text), clash=clash)


def kept_feedback(item: Item, raw: object, saved: Answer | None) -> Feedback:
    """Change it: the unlikely reading is dropped; the field shows the saved answer again."""
    return Feedback(FeedbackKind.kept, f"Not saved: {_readings_words(item, raw)}. {_saved_words(item, saved)}")


def save_item_note(store: Store, user: User, assessment_id: int, item_id: str, note: str) -> SaveResult:
    """Save a note; the latest note on an item counts (a note never conflicts with answers)."""
    try:
        with store.session() as session:
            version = repository.save_note(session, user, assessment_id, item_id, note, None)
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
) -> tuple[StoredAssessment, dict[str, Answer], dict[str, str], dict[str, repository.AnswerStamp]]:
    """The assessment (with its current version), its typed answers, its notes and each answer's
    version and who gave it, read in one session."""
    with store.session() as session:
        assessment = repository.get_assessment(session, user, assessment_id)
        answers = repository.assessment_answers(session, user, assessment_id)
        notes = {r.item_id: r.note for r in repository.list_responses(session, user, assessment_id) if r.note}
        stamps = repository.answer_stamps(session, user, assessment_id)
    return assessment, answers, notes, stamps


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
