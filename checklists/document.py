"""The criteria page of the docs, docs/criteria.md, written from the catalogue so it cannot drift from it.

    python -m checklists.document docs/criteria.md    (what `make docs` runs; no file: print it)

It uses the wording of the app's Criteria screen (checklists.describe) and nothing outside
checklists/, so it runs without the store, the screens or the report libraries.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from checklists.describe import GRADE_TEXT, KIND_TEXT, TargetRow, answer_options, target_rows
from checklists.loader import default_catalogue
from checklists.schema import Catalogue, Grade, Item, ItemKind

__all__ = ["criteria_markdown", "item_markdown", "main", "where_it_applies"]

# Where the page says it comes from, so a reader knows to change the catalogue instead.
GENERATED_NOTE = (
    "Generated from the checklist catalogue (`checklists/data/`) by `make docs`: change the catalogue, "
    "then run `make docs`; do not edit this page by hand (a test fails when the two differ)."
)


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _anchor(title: str) -> str:
    """The anchor a markdown renderer gives a heading: 'Noise and acoustics' -> 'noise-and-acoustics'."""
    kept = "".join(ch for ch in title.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def where_it_applies(rows: Sequence[TargetRow]) -> list[str]:
    """Markdown table lines of an item's weight and target per room type.

    Room types of one setting that share a weight and a target share a row:
      Clinic | Waiting room, Corridor | 1 | ideal 100 to 300 lx; ...
    """
    groups: dict[tuple[str, float, str], list[str]] = {}
    for row in rows:
        groups.setdefault((row.setting, row.weight, row.text), []).append(row.room_type)
    lines = ["| Setting | Room types | Weight | Target |", "|---|---|---:|---|"]
    for (setting, weight, text), room_types in groups.items():
        lines.append(f"| {setting} | {', '.join(room_types)} | {weight:g} | {_cell(text) or '–'} |")
    return lines


def _answers(item: Item) -> list[str]:
    """How the item is answered: its kind in words, then the answers and what each scores."""
    kind = f"`{item.kind.value}`, {KIND_TEXT[item.kind]}"
    if item.kind is ItemKind.measurement:
        kind += f"; unit {item.unit}"
        if item.valid is not None:
            lo, hi = item.valid
            accepted = f"{'any' if lo is None else f'{lo:g}'} to {'any' if hi is None else f'{hi:g}'} {item.unit}"
            kind += f" (readings accepted: {accepted})"
    lines = [f"- **Kind**: {kind}"]
    if item.kind is ItemKind.rating and item.levels:
        lines.append("- **Levels**:")
        lines += [f"  - {n}: {text}" for n, text in enumerate(item.levels)]
    elif item.kind in (ItemKind.yes_no, ItemKind.choice):
        lines.append(f"- **Answers**: {answer_options(item)}")
    return lines


def item_markdown(catalogue: Catalogue, item: Item) -> list[str]:
    """One item: its question, guidance, how to fix it, its facts, and its weight and target per room type."""
    principles = {p.id: p.title for p in catalogue.principles}
    critical = "yes (see [the critical cap](scoring.md#bands-and-the-critical-cap))" if item.critical else "no"
    evidence = GRADE_TEXT[item.evidence] + (f". {item.evidence_note}" if item.evidence_note else "")
    rows = target_rows(catalogue, item.id)
    lines = [
        f"### {item.id}",
        "",
        f"**{item.question}**",
        "",
        f"**What good looks like, and how to check.** {item.guidance}",
        "",
        f"**How to fix.** {item.how_to_fix}",
        "",
        *_answers(item),
        f"- **Critical**: {critical}",
        f"- **n/a allowed**: {_yes_no(item.allow_na)}",
        f"- **Effort to fix**: {item.effort.value}",
        f"- **Module**: {item.module.value}",
        f"- **Principles**: {' · '.join(principles[p] for p in item.principles)}",
        f"- **Source**: {item.source}",
        f"- **Evidence**: {evidence}",
        "",
    ]
    if rows:
        lines += ["Where it applies, with its weight and target there:", "", *where_it_applies(rows)]
    else:
        lines.append("No room type of this catalogue includes this item.")
    return [*lines, ""]


def _room_types(catalogue: Catalogue) -> list[str]:
    """Per setting, its room types with their category weights and how many items apply."""
    titles = [c.title for c in catalogue.categories]
    lines = [
        "## Settings and room types",
        "",
        "Each room type has a profile: which items apply, each item's weight (1 unless the profile says "
        "otherwise), the targets of its measurements, and the weight of each category in the overall score.",
        "",
    ]
    for setting, setting_title in catalogue.settings.items():
        lines += [
            f"### {setting_title} (`{setting}`)",
            "",
            "| Room type | Items that apply | " + " | ".join(f"{t} weight" for t in titles) + " |",
            "|---|---:|" + "---:|" * len(titles),
        ]
        for room_type in catalogue.room_types(setting):
            checklist = catalogue.checklist(setting, room_type)
            weights = " | ".join(f"{checklist.category_weights[c.id]:g}" for c in catalogue.categories)
            lines.append(f"| {checklist.room_type_title} (`{room_type}`) | {len(checklist.items)} | {weights} |")
        lines.append("")
    return lines


def criteria_markdown(catalogue: Catalogue | None = None) -> str:
    """The whole criteria page for a catalogue (the shipped one by default)."""
    catalogue = catalogue or default_catalogue()
    by_grade = {grade: sum(item.evidence is grade for item in catalogue.items) for grade in Grade}
    lines = [
        "# Criteria",
        "",
        f"> {GENERATED_NOTE}",
        "",
        f"Catalogue {catalogue.version}, *{catalogue.title}*: {len(catalogue.items)} items in "
        f"{len(catalogue.categories)} categories, profiled for {len(catalogue.checklists)} room types in "
        f"{len(catalogue.settings)} settings. The app's Criteria screen shows the same items. How answers "
        "become scores is in [scoring.md](scoring.md).",
        "",
        "- [Evidence grades](#evidence-grades)",
        "- [Trauma-informed principles](#trauma-informed-principles)",
        "- [Settings and room types](#settings-and-room-types)",
        *(f"- [{c.title}](#{_anchor(c.title)})" for c in catalogue.categories),
        "",
        "## Evidence grades",
        "",
        "Every item names its source and how firm the evidence behind it is. Standards are cited and "
        "paraphrased, never quoted.",
        "",
        *(f"- {GRADE_TEXT[grade]} ({by_grade[grade]} items)" for grade in Grade),
        "",
        "## Trauma-informed principles",
        "",
        "Every item is tagged with one or more principles, and every room gets a score per principle.",
        "",
        "| Principle | Id | What it means for a room | Items |",
        "|---|---|---|---:|",
    ]
    for principle in catalogue.principles:
        tagged = sum(principle.id in item.principles for item in catalogue.items)
        lines.append(f"| {principle.title} | `{principle.id}` | {_cell(principle.description)} | {tagged} |")
    lines += ["", *_room_types(catalogue)]
    for category in catalogue.categories:
        items = [item for item in catalogue.items if item.category == category.id]
        lines += [f"## {category.title}", "", category.description, ""]
        for item in items:
            lines += item_markdown(catalogue, item)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1:
        print("usage: python -m checklists.document [FILE]", file=sys.stderr)
        return 2
    text = criteria_markdown()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
