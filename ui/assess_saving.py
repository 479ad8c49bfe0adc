"""What a tap on the Assess screen saves, and what the screen says after it: answers, notes,
photos, submit and review, each turned into a Feedback (never an exception for anything a person
can type). Free of Streamlit.

One cohesive thing, kept whole: every save of the screen and the one way each is worded back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

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
from ui.assess_progress import Summary, _items, reason_example, reason_problem, reason_rule
from ui.i18n import N_, _, ngettext

__all__ = [
    "CONFLICT_MESSAGE",
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
]


CONFLICT_MESSAGE = N_(
    "Someone else saved this assessment since you opened it, so this answer was not saved. "
    "Reload to see their answers, then give yours again."
)
_NOTE_CONFLICT = N_(
    "Someone else saved this assessment since you opened it, so this note was not saved. "
    "Reload to see their answers, then give yours again."
)
_SUBMIT_CONFLICT = N_(
    "Someone else saved this assessment since you opened it, so it was not saved. "
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
    understood: str | None = None  # a reading as the app read it ('0.6 s'), shown with "Saved"

    @property
    def ok(self) -> bool:
        return self.kind in (FeedbackKind.saved, FeedbackKind.cleared, FeedbackKind.taken)

    @property
    def holds_typing(self) -> bool:
        """What was typed is kept in the field (beside this message), not replaced by the saved answer."""
        return self.kind in (FeedbackKind.pending, FeedbackKind.unlikely, FeedbackKind.clash)

    def text(self) -> str:
        if self.kind is FeedbackKind.saved and self.at is not None:
            time = f"{self.at:%H:%M:%S}"
            if self.understood is not None:
                return _("Saved {answer} at {time}").format(answer=self.understood, time=time)
            return f"{self.message} {time}"
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
        return _("no answer (cleared)") if self.theirs is None else describe_answer(item, self.theirs)


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
    return _("{problem}. Nothing was saved.").format(problem=text[:1].upper() + text[1:])


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
            text = _("{question} Not saved yet. {saved}").format(
                question=question, saved=_saved_words(item, saved, in_field=False)
            )
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
                return SaveResult(Feedback(FeedbackKind.cleared, _("Answer cleared."), _now()), version, None, True)
            version = repository.save_answer(
                session, user, assessment_id, item.id, raw, None, answer_version=answer_version
            )
    except AnswerConflict as error:
        return _clash(resolved, raw, error)
    except ConflictError:
        return SaveResult(Feedback(FeedbackKind.conflict, _(CONFLICT_MESSAGE)))
    except InvalidAnswer as error:
        return SaveResult(
            Feedback(FeedbackKind.invalid, refusal_message(item, values, _problem(error, item.id), saved))
        )
    except (PermissionDenied, NotFound) as error:
        return SaveResult(Feedback(FeedbackKind.refused, f"{error} {_saved_words(item, saved)}"))
    answer = parse_answer(resolved, raw)
    understood = describe_answer(item, answer) if item.kind in (ItemKind.measurement, ItemKind.flicker) else None
    return SaveResult(Feedback(FeedbackKind.saved, _("Saved"), _now(), understood), version, answer, True)


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
    who = clash.by or _("Someone else")
    at = clash.at.replace(tzinfo=clash.at.tzinfo or dt.UTC).astimezone() if clash.at is not None else None
    time = f"{at:%H:%M}" if at is not None else None
    if clash.theirs is None:
        given = (
            _("{who} cleared this item's answer at {time}, after you opened it.")
            if time
            else _("{who} cleared this item's answer after you opened it.")
        ).format(who=who, time=time)
    else:
        given = (
            _("{who} answered {answer} at {time}, after you opened it.")
            if time
            else _("{who} answered {answer} after you opened it.")
        ).format(who=who, answer=clash.theirs_words(resolved.item), time=time)
    if mine is None:
        yours = _("Clearing it is not saved yet. Which one counts?")
    else:
        yours = _("Your answer, {answer}, is not saved yet. Which one counts?").format(answer=_words(resolved, mine))
    text = f"{given} {yours}"
    return SaveResult(Feedback(FeedbackKind.clash, text), clash=clash)


def kept_feedback(item: Item, raw: object, saved: Answer | None) -> Feedback:
    """Change it: the unlikely reading is dropped; the field shows the saved answer again."""
    text = _("Not saved: {answer}. {saved}").format(answer=_readings_words(item, raw), saved=_saved_words(item, saved))
    return Feedback(FeedbackKind.kept, text)


def save_item_note(store: Store, user: User, assessment_id: int, item_id: str, note: str) -> SaveResult:
    """Save a note; the latest note on an item counts (a note never conflicts with answers)."""
    try:
        with store.session() as session:
            version = repository.save_note(session, user, assessment_id, item_id, note, None)
    except ConflictError:
        return SaveResult(Feedback(FeedbackKind.conflict, _(_NOTE_CONFLICT)))
    except InvalidAnswer as error:
        return SaveResult(Feedback(FeedbackKind.invalid, _message(error, item_id)))
    except (PermissionDenied, NotFound) as error:
        return SaveResult(Feedback(FeedbackKind.refused, str(error)))
    return SaveResult(Feedback(FeedbackKind.saved, _("Note saved"), _now()), version, changed=True)


def add_photo(store: Store, user: User, assessment_id: int, item_id: str, file_name: str, content: bytes) -> Feedback:
    """Attach a photo; the store checks it by content (JPEG, PNG, WebP, at most 10 MB) and shrinks it."""
    try:
        with store.session() as session:
            repository.add_evidence(session, user, assessment_id, item_id, file_name, content)
    except InvalidAnswer as error:
        return Feedback(FeedbackKind.invalid, f"{file_name}: {_message(error, item_id)}")
    except (PermissionDenied, NotFound) as error:
        return Feedback(FeedbackKind.refused, str(error))
    return Feedback(FeedbackKind.saved, _("Photo {name} saved").format(name=file_name), _now())


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
        return Feedback(FeedbackKind.conflict, _(_SUBMIT_CONFLICT)), None
    except (PermissionDenied, NotFound, InvalidAnswer) as error:
        return Feedback(FeedbackKind.refused, str(error)), None
    done = _("Submitted as provisional: {summary}") if given else _("Submitted: {summary}")
    return Feedback(FeedbackKind.saved, done.format(summary=summary.headline()), _now()), version


def incomplete_feedback(summary: Summary, reason: str | None = None) -> Feedback:
    """Why a submit was refused: what is unanswered (critical items named by their question), the rule
    a reason must meet, and the way out."""
    missing, critical = summary.missing, summary.critical_missing
    count, n = _items(len(missing)), len(missing)
    if critical:
        questions = " ".join(f"“{m.question}”" for m in critical)
        text = ngettext(
            "Not submitted: {items} is still unanswered, {critical} of them critical: {questions}",
            "Not submitted: {items} are still unanswered, {critical} of them critical: {questions}",
            n,
        ).format(items=count, critical=len(critical), questions=questions)
    else:
        text = ngettext(
            "Not submitted: {items} is still unanswered.", "Not submitted: {items} are still unanswered.", n
        ).format(items=count)
    problem = reason_problem(reason)
    if problem and (reason or "").strip():
        text += " " + _(
            "{problem}: give the reason above as {rule}, for example “{example}” The assessment is then "
            "provisional. Or answer them first."
        ).format(problem=problem, rule=reason_rule(), example=reason_example())
    else:
        text += " " + _(
            "Answer them, or give the reason above as {rule} (for example “{example}”); the assessment is then "
            "provisional."
        ).format(rule=reason_rule(), example=reason_example())
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
    done = _("Marked reviewed") if reviewed else _("Sent back to draft")
    return Feedback(FeedbackKind.saved, done, _now()), version
