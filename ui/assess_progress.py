"""The Assess screen's progress and its rules in words: who may answer or review, how rooms and
assessments are labelled in the pickers, the live summary (score, band, what is left), and what a
reason for submitting without every answer must be. Free of Streamlit and of the store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from babel.dates import format_date

from assessments.models import Assessment as StoredAssessment
from assessments.models import AssessmentStatus, Role, Room
from assessments.roles import allowed
from checklists.responses import Answer
from checklists.schema import Catalogue, Item, RoomChecklist
from scoring.engine import Band, RoomScore, evaluate, room_score
from ui import numbers
from ui.i18n import N_, _, language, ngettext
from ui.table_words import band_meaning, shown_catalogue

__all__ = [
    "REASON_CHARACTERS",
    "REASON_EXAMPLE",
    "REASON_RULE",
    "REASON_WORDS",
    "MissingItem",
    "SectionProgress",
    "Summary",
    "assessment_label",
    "can_answer",
    "can_review",
    "can_start",
    "closing_notice",
    "ordered_assessments",
    "reason_example",
    "reason_problem",
    "reason_rule",
    "room_label",
    "summarise",
    "unanswered_critical",
]


# --------------------------------------------------------------------------------------------
# Who may do what on screen (the store enforces the same rules; this only picks what to draw)
# --------------------------------------------------------------------------------------------


def can_answer(role: Role, status: AssessmentStatus) -> bool:
    """Those who assess (the role table's "assess": staff, managers, consultants, admins) answer drafts;
    managers and admins may also correct a submitted one; nobody a reviewed one."""
    if role not in allowed("assess") or status is AssessmentStatus.reviewed:
        return False
    return status is AssessmentStatus.draft or role in allowed("review")


def can_review(role: Role, status: AssessmentStatus) -> bool:
    return role in allowed("review") and status is not AssessmentStatus.draft


def can_start(role: Role) -> bool:
    return role in allowed("assess")


# --------------------------------------------------------------------------------------------
# Picking a room and an assessment
# --------------------------------------------------------------------------------------------


def room_label(room: Room, catalogue: Catalogue, setting: str) -> str:
    """'Year 3 classroom · classroom, floor 1'."""
    try:
        kind = catalogue.checklist(setting, room.room_type).room_type_title.lower()
    except KeyError:
        kind = room.room_type.replace("_", " ")
    if room.floor is None:
        return f"{room.name} · {kind}"
    if room.floor == 0:
        return _("{room} · {kind}, ground floor").format(room=room.name, kind=kind)
    return _("{room} · {kind}, floor {floor}").format(room=room.name, kind=kind, floor=room.floor)


def ordered_assessments(assessments: Sequence[StoredAssessment]) -> list[StoredAssessment]:
    """Drafts first (to resume), then the rest; newest first within each."""
    newest = sorted(assessments, key=lambda a: (a.assessed_on, a.id), reverse=True)
    return [a for a in newest if a.status is AssessmentStatus.draft] + [
        a for a in newest if a.status is not AssessmentStatus.draft
    ]


_STATUS_WORDS = {
    AssessmentStatus.draft: N_("Draft of {date} by {assessor} (no. {id})"),
    AssessmentStatus.submitted: N_("Submitted of {date} by {assessor} (no. {id})"),
    AssessmentStatus.reviewed: N_("Reviewed of {date} by {assessor} (no. {id})"),
}


def assessment_label(assessment: StoredAssessment) -> str:
    """'Draft of 16 Oct 2026 by Sam Patel (no. 42)': the number tells apart two drafts of one day."""
    date = format_date(assessment.assessed_on, "d MMM y", locale=language())
    return _(_STATUS_WORDS[assessment.status]).format(date=date, assessor=assessment.assessor, id=assessment.id)


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

    def _answered(self) -> str:
        return _("{done} of {total} answered").format(done=self.done, total=self.total)

    def short(self) -> str:
        """'72.4, band B · 48 of 48 answered' beside a saved answer; a band from a partly answered
        checklist always says so: '75.0, band B (provisional) · 6 of 48 answered'."""
        if self.band is None or self.score.overall is None:
            scored = _("no score yet")
        else:
            overall = numbers.format_score(self.score.overall, language())
            if self.provisional:
                scored = _("{score}, band {band} (provisional)").format(score=overall, band=self.band.value)
            else:
                scored = _("{score}, band {band}").format(score=overall, band=self.band.value)
        return f"{scored} · {self._answered()}"

    @property
    def provisional(self) -> bool:
        return self.score.provisional

    def headline(self) -> str:
        """'Score 72.4 · Band B, mostly supportive · 31 of 48 answered' (no colour needed to read it)."""
        if self.score.overall is None or self.band is None:
            scored = _("No score yet")
        else:
            overall = numbers.format_score(self.score.overall, language())
            words = {"score": overall, "band": self.band.value, "label": band_meaning(self.band)}
            if self.provisional:
                scored = _("Score {score} · Band {band}, {label} (provisional)").format(**words)
            else:
                scored = _("Score {score} · Band {band}, {label}").format(**words)
        return f"{scored} · {self._answered()}"

    def missing_line(self) -> str:
        """'Still to answer: 12 items, 2 of them critical' (or that every item is answered)."""
        if not self.missing:
            return _("Every item is answered.")
        critical = len(self.critical_missing)
        items = _items(len(self.missing))
        if critical:
            return _("Still to answer: {items}, {critical} of them critical").format(items=items, critical=critical)
        return _("Still to answer: {items}").format(items=items)


def summarise(catalogue: Catalogue, checklist: RoomChecklist, answers: Mapping[str, Answer]) -> Summary:
    """Score the answers given so far, and say per section what is done and what is missing."""
    known = checklist.by_id()
    # Scored against this checklist (an organisation's own, when it has one), not the catalogue's.
    principles = tuple(p.id for p in catalogue.principles)
    score = room_score(evaluate(checklist, {k: v for k, v in answers.items() if k in known}, principles))
    # Section titles and questions in the person's language; the scoring keeps to the checklist itself.
    shown = shown_catalogue(catalogue)
    titles = {c.id: c.title for c in shown.categories}
    questions = {i.id: i.question for i in shown.items}
    sections = []
    for category in checklist.category_weights:
        ids = [r.item.id for r in checklist.items if r.item.category == category]
        if not ids:
            continue
        done = sum(score.items[i].status != "missing" for i in ids)
        section_score = score.categories[category].score if category in score.categories else None
        sections.append(SectionProgress(category, titles.get(category, category), done, len(ids), section_score))
    missing = [
        MissingItem(
            r.item.id,
            titles.get(r.item.category, r.item.category),
            questions.get(r.item.id, r.item.question),
            r.item.critical,
        )
        for r in checklist.items
        if score.items[r.item.id].status == "missing" and r.item.scored
    ]
    done = sum(item.status != "missing" for item in score.items.values())
    failures = [(i, questions.get(i, known[i].item.question)) for i in score.critical_failures]
    return Summary(score, done, len(score.items), sections, missing, failures)


# --------------------------------------------------------------------------------------------
# Submit and review
# --------------------------------------------------------------------------------------------


def _items(n: int) -> str:
    return ngettext("{n} item", "{n} items", n).format(n=n)


def unanswered_critical(catalogue: Catalogue, score: RoomScore) -> list[Item]:
    """The critical items an assessment left unanswered, in catalogue order (the reviewer must see them)."""
    missing = set(score.missing)
    return [item for item in catalogue.items if item.critical and item.id in missing]


# A reason for submitting with items unanswered is a sentence someone else can act on, not "ok".
REASON_WORDS = 3
REASON_CHARACTERS = 15
_REASON_RULE = N_("a sentence of at least {words} words and {characters} characters")
REASON_RULE = _REASON_RULE.format(words=REASON_WORDS, characters=REASON_CHARACTERS)


def reason_rule() -> str:
    """REASON_RULE in the current language."""
    return _(_REASON_RULE).format(words=REASON_WORDS, characters=REASON_CHARACTERS)


def reason_problem(reason: str | None) -> str | None:
    """Why a reason for submitting without some answers is not enough, or None when it is."""
    text = " ".join((reason or "").split())
    if not text:
        return _("Say why you submit without them")
    words = re.findall(r"[^\W\d_]{2,}|\d+", text)
    if len(words) < REASON_WORDS or len(text) < REASON_CHARACTERS:
        return _("“{reason}” is too short to tell a reviewer why").format(reason=text)
    return None


def closing_notice(room_name: str, assessment_id: int, now_showing: str | None) -> str:
    """What the screen says when choosing another site or room closes the open assessment."""
    text = _("Closed the assessment of {room} (no. {id}); its answers are saved.")
    text = text.format(room=room_name, id=assessment_id)
    if now_showing:
        text += " " + _("Now showing {what}.").format(what=now_showing)
    return text


REASON_EXAMPLE = N_("The sound level meter was away for calibration.")


def reason_example() -> str:
    """REASON_EXAMPLE in the current language."""
    return _(REASON_EXAMPLE)
