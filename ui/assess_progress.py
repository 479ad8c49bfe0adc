"""The Assess screen's progress and its rules in words: who may answer or review, how rooms and
assessments are labelled in the pickers, the live summary (score, band, what is left), and what a
reason for submitting without every answer must be. Free of Streamlit and of the store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assessments.models import Assessment as StoredAssessment
from assessments.models import AssessmentStatus, Role, Room
from assessments.roles import allowed
from checklists.responses import Answer
from checklists.schema import Catalogue, Item, RoomChecklist
from scoring.engine import Band, RoomScore, evaluate, room_score

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
    "reason_problem",
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
    # Scored against this checklist (an organisation's own, when it has one), not the catalogue's.
    principles = tuple(p.id for p in catalogue.principles)
    score = room_score(evaluate(checklist, {k: v for k, v in answers.items() if k in known}, principles))
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


REASON_EXAMPLE = "The sound level meter was away for calibration."
