"""The `sensory-audit` command line: check and show the catalogue, score assessment files, and more.

Every failure a user can cause ends with a plain message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import yaml

from checklists.loader import DEFAULT_CATALOGUE_DIR, CatalogueError, load_catalogue
from checklists.responses import AssessmentError, parse_assessment
from checklists.schema import Catalogue, ItemKind, RoomChecklist
from scoring.engine import RoomScore, score_assessment

app = typer.Typer(
    help="Assess how sensory-friendly and trauma-informed rooms are, and what to fix first.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
catalogue_app = typer.Typer(help="Check and show the checklist catalogue.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")

CatalogueDir = Annotated[
    Path, typer.Option("--catalogue", help="Catalogue folder (default: the shipped catalogue).", show_default=False)
]


def fail(lines: list[str] | str) -> NoReturn:
    for line in [lines] if isinstance(lines, str) else lines:
        typer.echo(line, err=True)
    raise typer.Exit(2)


def _catalogue(folder: Path) -> Catalogue:
    try:
        return load_catalogue(folder)
    except CatalogueError as error:
        fail([str(p) for p in error.problems])


def read_document(path: Path) -> Any:
    """Read a YAML or JSON file; refuse unreadable, empty or malformed files with a message."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (IsADirectoryError, PermissionError) as error:
        fail(f"{path}: cannot be read ({error.strerror})")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text; save the file as UTF-8")
    if not text.strip():
        fail(f"{path}: the file is empty: expected setting, room_type and responses")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as error:
        fail(f"{path}:{error.lineno}: not valid JSON: {error.msg}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        fail(f"{where}: not valid YAML: {getattr(error, 'problem', None) or error}")


@app.command()
def score(
    file: Annotated[Path, typer.Argument(help="Assessment file (YAML or JSON).", show_default=False)],
    catalogue: CatalogueDir = DEFAULT_CATALOGUE_DIR,
    format: Annotated[str, typer.Option("--format", help="json or text.")] = "json",
) -> None:
    """Score an assessment file and print the room's score, bands and action plan."""
    if format not in ("json", "text"):
        fail(f"--format: expected json or text, got {format!r}")
    cat = _catalogue(catalogue)
    data = read_document(file)
    try:
        assessment = parse_assessment(cat, data)
    except AssessmentError as error:
        fail([f"{file}: {problem}" for problem in error.problems])
    result = score_assessment(cat, assessment)
    if format == "json":
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        typer.echo(scorecard_text(cat, result, assessment.room))


def scorecard_text(catalogue: Catalogue, result: RoomScore, room: str | None) -> str:
    """A scorecard for a person at a terminal."""
    checklist = catalogue.checklist(result.setting, result.room_type)
    titles = {c.id: c.title for c in catalogue.categories}
    principles: dict[str, str] = {p.id: p.title for p in catalogue.principles}
    questions = {r.item.id: r.item.question for r in checklist.items}
    heading = f"{room} ({checklist.room_type_title}, {checklist.setting_title})" if room else checklist.room_type_title
    lines = [heading, "=" * len(heading)]
    if result.overall is None:
        lines.append("Overall: no score yet (no scored item answered)")
    else:
        from scoring.engine import BAND_LABELS, Band

        band = Band(result.band) if result.band else None
        band_text = f"band {band.value}, {BAND_LABELS[band]}" if band else "no band"
        lines.append(f"Overall: {result.overall:.1f} / 100  ({band_text})")
    complete = f"Completeness: {result.completeness * 100:.0f} %"
    lines.append(complete + ("  PROVISIONAL: fewer than 80 % of items answered" if result.provisional else ""))
    lines += ["", "Categories"]
    for category, cat_score in result.categories.items():
        shown = "   -  " if cat_score.score is None else f"{cat_score.score:5.1f} "
        lines.append(
            f"  {titles.get(category, category):<32} {shown} ({cat_score.answered} of {cat_score.applicable} answered)"
        )
    lines += ["", "Trauma-informed principles"]
    for principle, value in result.principles.items():
        title = principles.get(principle, principle)
        lines.append(f"  {title:<48} {'   -' if value is None else f'{value:5.1f}'}")
    if result.critical_failures:
        lines += ["", "Critical items failed (band capped at C)"]
        lines += [f"  ! {item}: {questions[item]}" for item in result.critical_failures]
    if result.missing:
        lines += ["", f"Not yet answered ({len(result.missing)})"]
        lines += [f"  - {item}" for item in result.missing]
    if result.actions:
        lines += ["", "What to fix first"]
        for n, action in enumerate(result.actions[:10], start=1):
            flag = " (critical)" if action.critical else ""
            lines.append(f"  {n:>2}. +{action.gain:.1f} points, {action.effort} effort{flag}: {action.item}")
            lines.append(f"      {action.how_to_fix}")
        if len(result.actions) > 10:
            lines.append(f"  ... and {len(result.actions) - 10} more (see --format json)")
    return "\n".join(lines)


@catalogue_app.command("check")
def catalogue_check(
    folder: Annotated[Path, typer.Argument(help="Catalogue folder.")] = DEFAULT_CATALOGUE_DIR,
) -> None:
    """Validate a catalogue folder; list every problem as file:line: field: what is wrong."""
    cat = _catalogue(folder)
    room_types = len(cat.checklists)
    typer.echo(
        f"{folder}: catalogue {cat.version} is valid: {len(cat.items)} items in {len(cat.categories)} categories, "
        f"{room_types} room types in {len(cat.settings)} settings"
    )


@catalogue_app.command("show")
def catalogue_show(
    setting: Annotated[str, typer.Option(help="clinic, school or workplace.")],
    room_type: Annotated[str, typer.Option("--room-type", help="A room type of that setting.")],
    catalogue: CatalogueDir = DEFAULT_CATALOGUE_DIR,
    format: Annotated[str, typer.Option("--format", help="json or text.")] = "json",
) -> None:
    """Print the resolved checklist of one room type: items, weights and targets."""
    if format not in ("json", "text"):
        fail(f"--format: expected json or text, got {format!r}")
    cat = _catalogue(catalogue)
    try:
        checklist = cat.checklist(setting, room_type)
    except KeyError as error:
        fail(str(error.args[0]))
    if format == "json":
        typer.echo(json.dumps(checklist.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(checklist_text(checklist))


def checklist_text(checklist: RoomChecklist) -> str:
    lines = [f"{checklist.room_type_title} ({checklist.setting_title}), catalogue {checklist.catalogue_version}"]
    current = ""
    for resolved in checklist.items:
        item = resolved.item
        if item.category != current:
            current = item.category
            lines += ["", f"{current} (weight {checklist.category_weights[current]:g})"]
        extra = ""
        if item.kind is ItemKind.measurement and resolved.target is not None:
            extra = f" [{resolved.target.describe()}]"
        flags = (" critical" if item.critical else "") + (" n/a allowed" if item.allow_na else "")
        lines.append(f"  {item.id} ({item.kind.value}, weight {resolved.weight:g}{flags}){extra}")
        lines.append(f"      {item.question}")
    return "\n".join(lines)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
