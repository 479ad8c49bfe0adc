"""The methodology appendix, generated from the criteria catalogue and the scoring engine so it always states
the rules the scores were computed with: scoring in plain words, evidence grades, principles, every criterion."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce

from checklists.describe import flicker_scoring
from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language
from checklists.overrides import parse_override_version
from checklists.schema import EFFORT_COST, Catalogue, Effort, ItemKind
from reports.data import ReportData
from reports.labels import EVIDENCE_GRADES, format_number, format_percent, item_label, principle_short, value_text
from reports.pdf.document import Document
from reports.pdfkit import FONT, line_count
from reports.theme import INK, MUTED_INK
from reports.versions import versions_sentence
from scoring.engine import BAND_LABELS, BAND_THRESHOLDS, CRITICAL_FAIL_BELOW, PROVISIONAL_BELOW, Band

__all__ = ["methodology", "methodology_sections", "scoring_rules"]

# How much work a fix takes, as a criterion's line says it (one message each, so every language can
# agree the effort with its noun).
_EFFORT_TO_FIX = {
    Effort.low: N_("low effort to fix"),
    Effort.medium: N_("medium effort to fix"),
    Effort.high: N_("high effort to fix"),
}


def _english() -> bool:
    return language() == DEFAULT_LANGUAGE


def _semicolons(parts: Iterable[str]) -> str:
    """Parts joined as a list after a semicolon each: 'a; b; c' ('a ; b ; c' in French); '' for none."""
    listed = list(parts)
    if not listed:
        return ""
    return reduce(lambda first, second: _("{first}; {second}").format(first=first, second=second), listed)


def _lower(text: str) -> str:
    """A title inside a sentence: lower case, except in German, whose nouns keep their capital."""
    return text if language() == "de" else text.lower()


def _capitalized(text: str) -> str:
    """A sentence's first word with its capital (in English, as `str.capitalize` writes it)."""
    return text.capitalize() if _english() else text[:1].upper() + text[1:]


def methodology_sections(data: ReportData) -> list[str]:
    """The appendix topics, as they appear in the contents."""
    room_types = _room_types(data)
    return [_("How rooms are scored"), _("Evidence grades and principles")] + [
        _("Criteria: {title}").format(title=c.title)
        for c in data.catalogue.categories
        if _items_of(data.catalogue, c.id, room_types)
    ]


def methodology(doc: Document, data: ReportData) -> None:
    """The appendix: scoring rules, evidence grades and principles, then the criteria of each category."""
    pdf = doc.pdf
    catalogue = data.catalogue
    doc.section(_("Methodology"), 0)
    doc.text(
        _(
            "This appendix is generated from the criteria catalogue ({title}, version {version}) and the scoring "
            "engine, so it always describes the rules the scores above were computed with."
        ).format(title=catalogue.title, version=catalogue.version)
    )
    doc.text(versions_sentence(data.assessments, catalogue), size=9)
    own = parse_override_version(catalogue.version)
    if own is not None:
        doc.text(
            _(
                "{organisation} uses criteria of its own (version {number}), adapting the shipped catalogue "
                "{base}: the targets, weights and items described here are the organisation's."
            ).format(organisation=data.organisation_name, number=own.number, base=own.base),
            size=9,
        )
    pdf.ln(1)
    scored = _("How rooms are scored")
    pdf.start_section(scored, level=1)
    doc.subheading(scored, keep=40)
    for paragraph in scoring_rules():
        doc.text("• " + paragraph, size=9)
        pdf.ln(1)

    pdf.start_section(_("Evidence grades and principles"), level=1)
    doc.subheading(_("Evidence grades"), keep=30)
    doc.table([_("Grade"), _("Meaning")], [[g, _(m)] for g, m in EVIDENCE_GRADES.items()], (10, 90))
    doc.subheading(_("Trauma-informed principles"), keep=30)
    doc.table(
        [_("Principle"), _("What it means for a room")],
        [[p.title, p.description] for p in catalogue.principles],
        (32, 68),
    )

    room_types = _room_types(data)
    for category in catalogue.categories:
        item_ids = _items_of(catalogue, category.id, room_types)
        if not item_ids:
            continue
        title = _("Criteria: {title}").format(title=category.title)
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
    lines = [_("How it scores: {rule}").format(rule=_how_it_scores(catalogue, item_id, room_types))]
    lines.append(_("Source: {source}").format(source=item.source.strip()))
    grade = _("Evidence: {grade}, {meaning}").format(
        grade=item.evidence.value, meaning=_(EVIDENCE_GRADES[item.evidence.value])
    )
    if item.evidence_note:
        grade += f". {item.evidence_note.strip()}"
    lines.append(grade)
    flags = [
        _(_EFFORT_TO_FIX[item.effort]),
        _("principles: {principles}").format(principles=", ".join(_lower(principle_short(p)) for p in item.principles)),
    ]
    if item.critical:
        flags.insert(0, _("critical: a failure caps the room at band C"))
    if item.allow_na:
        flags.append(_("may be not applicable"))
    lines.append(" · ".join(flags))
    pdf.set_font(FONT, "", 8.3)
    needed = 6 + sum(line_count(pdf, pdf.epw, 3.9, line) * 3.9 for line in lines)
    if pdf.will_page_break(min(needed, 80)):
        pdf.add_page()
    doc.text(
        _("{item}: {question}").format(item=item_label(item.id), question=item.question),
        size=9.2,
        style="B",
        height=4.6,
    )
    for n, line in enumerate(lines):
        doc.text(line, size=8.3, height=3.9, colour=INK if n == 0 else MUTED_INK)
    pdf.ln(2.2)


def scoring_rules() -> list[str]:
    """The scoring rules in plain words, with the engine's own thresholds (in the language in force)."""
    bands = _semicolons(
        [
            *(
                _("{band} ({label}) from {threshold}").format(
                    band=band.value, label=_(BAND_LABELS[band]), threshold=format_number(threshold)
                )
                for band, threshold in BAND_THRESHOLDS
            ),
            _("{band} ({label}) below {threshold}").format(
                band=Band.D.value, label=_(BAND_LABELS[Band.D]), threshold=format_number(BAND_THRESHOLDS[-1][1])
            ),
        ]
    )
    costs = ", ".join(f"{value_text(effort.value)} {format_number(cost)}" for effort, cost in EFFORT_COST.items())
    return [
        _(
            "Each checklist item scores from 0 to 1. A yes/no question scores 1 for the good answer and 0 otherwise; "
            "a choice scores what its option is worth; a rating from 0 to 4 scores a quarter per level; a "
            "measurement scores 1 inside its ideal range, 0 beyond its limit and in proportion in between (several "
            "readings score the mean of their scores); flicker scores 1 in the IEEE 1789 no-risk region, 0.5 in the "
            "low-risk region and 0 in the high-risk region. Notes and photos are evidence and are not scored."
        ),
        _(
            "A category score is the weighted mean of its answered items, times 100. The room profile of each room "
            "type sets the weights. The overall score is the weighted mean of the category scores."
        ),
        _("A principle score is the weighted mean, times 100, of the answered items tagged with that principle."),
        _(
            "Items answered 'not applicable' leave the calculation: they neither help nor hurt. Unanswered items "
            "are never counted as passed: they are listed as open and lower the completeness."
        ),
        _(
            "Completeness is the share of the checklist's weight that has been answered. Below {percent} the score "
            "is marked provisional."
        ).format(percent=format_percent(PROVISIONAL_BELOW)),
        _(
            "Bands come from the overall score: {bands}. A critical item scoring below {critical} is a failure and "
            "caps the room at band C."
        ).format(bands=bands, critical=format_number(CRITICAL_FAIL_BELOW)),
        _(
            "The action plan lists every answered item scoring below 1. Its gain is the rise in the overall score "
            "if that item alone scored 1. Failed critical items come first, then gain per effort (effort costs: "
            "{costs}), then gain."
        ).format(costs=costs),
        _("Scores are rounded to one decimal only when shown; every calculation uses the exact values."),
    ]


def _how_it_scores(catalogue: Catalogue, item_id: str, room_types: Sequence[tuple[str, str]]) -> str:
    """How an item's answer becomes its score; a measurement lists its target in each room type of the report."""
    item = catalogue.item(item_id)
    kind = item.kind
    if kind is ItemKind.yes_no:
        return _("answer yes scores 1, no scores 0.") if item.good_answer else _("answer no scores 1, yes scores 0.")
    if kind is ItemKind.choice:
        options = [
            _("{option} scores {score}").format(option=o.label, score=format_number(o.score))
            for o in item.options or ()
        ]
        return _semicolons(options) + "."
    if kind is ItemKind.rating:
        levels = [_("{n}: {level}").format(n=n, level=t) for n, t in enumerate(item.levels or [])]
        return _("rating 0 to 4, a quarter point per level: {levels}").format(levels=_semicolons(levels))
    if kind is ItemKind.flicker:
        return _("percent flicker at its frequency, scored by the {scoring}.").format(scoring=flicker_scoring())
    if kind is ItemKind.measurement:
        targets: dict[str, list[str]] = {}
        for key in room_types:
            resolved = catalogue.checklists[key].by_id().get(item_id)
            if resolved is not None and resolved.target is not None:
                title = catalogue.checklists[key].room_type_title
                setting = _lower(catalogue.settings.get(key[0], key[0]))
                targets.setdefault(resolved.target.describe(), []).append(f"{_lower(title)} ({setting})")
        if not targets:
            reading = _("a reading in {unit}.").format(unit=item.unit)
            if item.target:
                reading += " " + _("Default target: {target}.").format(target=item.target.describe())
            return reading
        return " ".join(
            _("{rooms}: {target}.").format(rooms=_capitalized(", ".join(rooms)), target=target)
            for target, rooms in targets.items()
        )
    return _("not scored (evidence)") + "."
