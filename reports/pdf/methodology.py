"""The methodology appendix, generated from the criteria catalogue and the scoring engine so it always states
the rules the scores were computed with: scoring in plain words, evidence grades, principles, every criterion."""

from __future__ import annotations

from collections.abc import Sequence

from checklists.describe import FLICKER_SCORING
from checklists.overrides import parse_override_version
from checklists.schema import EFFORT_COST, Catalogue, ItemKind
from reports.data import ReportData
from reports.labels import EVIDENCE_GRADES, item_label, principle_short
from reports.pdf.document import Document
from reports.pdfkit import FONT, line_count
from reports.theme import INK, MUTED_INK
from reports.versions import versions_sentence
from scoring.engine import BAND_LABELS, BAND_THRESHOLDS, CRITICAL_FAIL_BELOW, PROVISIONAL_BELOW, Band

__all__ = ["methodology", "methodology_sections", "scoring_rules"]


def methodology_sections(data: ReportData) -> list[str]:
    """The appendix topics, as they appear in the contents."""
    room_types = _room_types(data)
    return ["How rooms are scored", "Evidence grades and principles"] + [
        f"Criteria: {c.title}" for c in data.catalogue.categories if _items_of(data.catalogue, c.id, room_types)
    ]


def methodology(doc: Document, data: ReportData) -> None:
    """The appendix: scoring rules, evidence grades and principles, then the criteria of each category."""
    pdf = doc.pdf
    catalogue = data.catalogue
    doc.section("Methodology", 0)
    doc.text(
        f"This appendix is generated from the criteria catalogue ({catalogue.title}, version "
        f"{catalogue.version}) and the scoring engine, so it always describes the rules the scores above were "
        "computed with."
    )
    doc.text(versions_sentence(data.assessments, catalogue), size=9)
    own = parse_override_version(catalogue.version)
    if own is not None:
        doc.text(
            f"{data.organisation_name} uses criteria of its own (version {own.number}), adapting the shipped catalogue "
            f"{own.base}: the targets, weights and items described here are the organisation's.",
            size=9,
        )
    pdf.ln(1)
    pdf.start_section("How rooms are scored", level=1)
    doc.subheading("How rooms are scored", keep=40)
    for paragraph in scoring_rules():
        doc.text("• " + paragraph, size=9)
        pdf.ln(1)

    pdf.start_section("Evidence grades and principles", level=1)
    doc.subheading("Evidence grades", keep=30)
    doc.table(["Grade", "Meaning"], [[g, m] for g, m in EVIDENCE_GRADES.items()], (10, 90))
    doc.subheading("Trauma-informed principles", keep=30)
    doc.table(
        ["Principle", "What it means for a room"],
        [[p.title, p.description] for p in catalogue.principles],
        (32, 68),
    )

    room_types = _room_types(data)
    for category in catalogue.categories:
        item_ids = _items_of(catalogue, category.id, room_types)
        if not item_ids:
            continue
        title = f"Criteria: {category.title}"
        pdf.running = title
        pdf.add_page()
        pdf.start_section(title, level=1)
        doc.heading(title, size=14, space_after=1)
        doc.text(category.description, colour=MUTED_INK, size=9)
        pdf.ln(2)
        for item_id in item_ids:
            _criterion(doc, catalogue, item_id, room_types)


def _room_types(data: ReportData) -> list[tuple[str, str]]:
    """The (setting, room type) pairs of the rooms in the report, in catalogue order."""
    present = {(r.setting, r.room_type) for r in data.assessed_rooms}
    return [key for key in data.catalogue.checklists if key in present]


def _items_of(catalogue: Catalogue, category: str, room_types: Sequence[tuple[str, str]]) -> list[str]:
    """Items of a category that apply to at least one of `room_types`, in catalogue order."""
    applying = {r.item.id for key in room_types for r in catalogue.checklists[key].items}
    return [i.id for i in catalogue.items if i.category == category and i.id in applying]


def _criterion(doc: Document, catalogue: Catalogue, item_id: str, room_types: Sequence[tuple[str, str]]) -> None:
    """One criterion: its question, how it scores, its source and evidence grade, effort and principles."""
    pdf = doc.pdf
    item = catalogue.item(item_id)
    lines = [f"How it scores: {_how_it_scores(catalogue, item_id, room_types)}"]
    lines.append(f"Source: {item.source.strip()}")
    grade = f"Evidence: {item.evidence.value}, {EVIDENCE_GRADES[item.evidence.value]}"
    if item.evidence_note:
        grade += f". {item.evidence_note.strip()}"
    lines.append(grade)
    flags = [
        f"{item.effort.value} effort to fix",
        "principles: " + ", ".join(principle_short(p).lower() for p in item.principles),
    ]
    if item.critical:
        flags.insert(0, "critical: a failure caps the room at band C")
    if item.allow_na:
        flags.append("may be not applicable")
    lines.append(" · ".join(flags))
    pdf.set_font(FONT, "", 8.3)
    needed = 6 + sum(line_count(pdf, pdf.epw, 3.9, line) * 3.9 for line in lines)
    if pdf.will_page_break(min(needed, 80)):
        pdf.add_page()
    doc.text(f"{item_label(item.id)}: {item.question}", size=9.2, style="B", height=4.6)
    for n, line in enumerate(lines):
        doc.text(line, size=8.3, height=3.9, colour=INK if n == 0 else MUTED_INK)
    pdf.ln(2.2)


def scoring_rules() -> list[str]:
    """The scoring rules in plain words, with the engine's own thresholds."""
    bands = (
        "; ".join(f"{band.value} ({BAND_LABELS[band]}) from {threshold:g}" for band, threshold in BAND_THRESHOLDS)
        + f"; {Band.D.value} ({BAND_LABELS[Band.D]}) below {BAND_THRESHOLDS[-1][1]:g}"
    )
    costs = ", ".join(f"{effort.value} {cost:g}" for effort, cost in EFFORT_COST.items())
    return [
        "Each checklist item scores from 0 to 1. A yes/no question scores 1 for the good answer and 0 otherwise; "
        "a choice scores what its option is worth; a rating from 0 to 4 scores a quarter per level; a measurement "
        "scores 1 inside its ideal range, 0 beyond its limit and in proportion in between (several readings score "
        "the mean of their scores); flicker scores 1 in the IEEE 1789 no-risk region, 0.5 in the low-risk region "
        "and 0 in the high-risk region. Notes and photos are evidence and are not scored.",
        "A category score is the weighted mean of its answered items, times 100. The room profile of each room "
        "type sets the weights. The overall score is the weighted mean of the category scores.",
        "A principle score is the weighted mean, times 100, of the answered items tagged with that principle.",
        "Items answered 'not applicable' leave the calculation: they neither help nor hurt. Unanswered items are "
        "never counted as passed: they are listed as open and lower the completeness.",
        f"Completeness is the share of the checklist's weight that has been answered. Below "
        f"{PROVISIONAL_BELOW * 100:.0f} % the score is marked provisional.",
        f"Bands come from the overall score: {bands}. A critical item scoring below {CRITICAL_FAIL_BELOW:g} "
        "is a failure and caps the room at band C.",
        f"The action plan lists every answered item scoring below 1. Its gain is the rise in the overall score if "
        f"that item alone scored 1. Failed critical items come first, then gain per effort (effort costs: {costs}), "
        "then gain.",
        "Scores are rounded to one decimal only when shown; every calculation uses the exact values.",
    ]


def _how_it_scores(catalogue: Catalogue, item_id: str, room_types: Sequence[tuple[str, str]]) -> str:
    """How an item's answer becomes its score; a measurement lists its target in each room type of the report."""
    item = catalogue.item(item_id)
    kind = item.kind
    if kind is ItemKind.yes_no:
        good = "yes" if item.good_answer else "no"
        return f"answer {good} scores 1, {'no' if item.good_answer else 'yes'} scores 0."
    if kind is ItemKind.choice:
        return "; ".join(f"{o.label} scores {o.score:g}" for o in item.options or ()) + "."
    if kind is ItemKind.rating:
        levels = item.levels or []
        return "rating 0 to 4, a quarter point per level: " + "; ".join(f"{n}: {t}" for n, t in enumerate(levels))
    if kind is ItemKind.flicker:
        return f"percent flicker at its frequency, scored by the {FLICKER_SCORING}."
    if kind is ItemKind.measurement:
        targets: dict[str, list[str]] = {}
        for key in room_types:
            resolved = catalogue.checklists[key].by_id().get(item_id)
            if resolved is not None and resolved.target is not None:
                title = catalogue.checklists[key].room_type_title
                setting = catalogue.settings.get(key[0], key[0]).lower()
                targets.setdefault(resolved.target.describe(), []).append(f"{title.lower()} ({setting})")
        if not targets:
            return f"a reading in {item.unit}." + (f" Default target: {item.target.describe()}." if item.target else "")
        return " ".join(f"{', '.join(rooms).capitalize()}: {target}." for target, rooms in targets.items())
    return "not scored (evidence)."
