"""Commands on the catalogue and on assessment files: `score`, `catalogue check` and `catalogue show`.

They read files only, never the store, so they start quickly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from checklists.loader import DEFAULT_CATALOGUE_DIR
from checklists.responses import AssessmentError, parse_assessment
from checklists.schema import Catalogue, ItemKind, RoomChecklist
from checklists.translations import DEFAULT_LOCALES_DIR, available_locales, localized
from cli.common import CatalogueDir, FormatOption, Shown, catalogue_or_fail, fail, read_document
from scoring.engine import RoomScore, score_assessment

catalogue_app = typer.Typer(help="Check and show the checklist catalogue.", no_args_is_help=True)


def score(
    file: Annotated[
        Path,
        typer.Argument(
            help="Assessment file (YAML or JSON); readings are plain numbers with a point for decimals (0.6), "
            "several as a list ([420, 610]), whatever the language of the interface.",
            show_default=False,
        ),
    ],
    catalogue: CatalogueDir = DEFAULT_CATALOGUE_DIR,
    format: FormatOption = Shown.json,
) -> None:
    """Score an assessment file and print the room's score, bands and action plan.

    Readings are YAML or JSON numbers, a point marking decimals (0.6); a reading written as text ("0,6") is refused.
    """
    cat = catalogue_or_fail(catalogue)
    data = read_document(file)
    try:
        assessment = parse_assessment(cat, data)
    except AssessmentError as error:
        fail([f"{file}: {problem}" for problem in error.problems])
    result = score_assessment(cat, assessment)
    if format is Shown.json:
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
    locale: Annotated[
        list[str] | None,
        typer.Option(
            "--locale",
            help="Also check this locale's translation file (repeat for several, or 'all'): its mistakes, and "
            "the texts it leaves in English.",
        ),
    ] = None,
    translations: Annotated[
        Path, typer.Option("--translations", help="Folder of the translation files (<locale>.yaml).")
    ] = DEFAULT_LOCALES_DIR,
) -> None:
    """Validate a catalogue folder; list every problem as file:line: field: what is wrong.

    With --locale, list every mistake in the locale's translation file the same way (exit code 1),
    and every text it does not translate yet, which the screens and forms show in English, marked."""
    cat = catalogue_or_fail(folder)
    room_types = len(cat.checklists)
    typer.echo(
        f"{folder}: catalogue {cat.version} is valid: {len(cat.items)} items in {len(cat.categories)} categories, "
        f"{room_types} room types in {len(cat.settings)} settings"
    )
    locales = available_locales(translations) if locale and "all" in locale else list(locale or [])
    failed = False
    for code in locales:
        shown = localized(cat, code, translations)
        for problem in shown.problems:
            typer.echo(str(problem), err=True)
        failed = failed or bool(shown.problems)
        if not shown.missing:
            typer.echo(f"{code} ({shown.language}): every text translated")
            continue
        typer.echo(f"{code} ({shown.language}): {len(shown.missing)} texts not translated, shown in English:")
        for missing in shown.missing:
            typer.echo(f"  - {missing}")
    if failed:
        raise typer.Exit(1)


@catalogue_app.command("show")
def catalogue_show(
    setting: Annotated[str, typer.Option(help="clinic, school or workplace.")],
    room_type: Annotated[str, typer.Option("--room-type", help="A room type of that setting.")],
    catalogue: CatalogueDir = DEFAULT_CATALOGUE_DIR,
    format: FormatOption = Shown.json,
) -> None:
    """Print the resolved checklist of one room type: items, weights and targets."""
    cat = catalogue_or_fail(catalogue)
    try:
        checklist = cat.checklist(setting, room_type)
    except KeyError as error:
        fail(str(error.args[0]))
    if format is Shown.json:
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


@catalogue_app.command("diff")
def catalogue_diff(
    old: Annotated[str, typer.Argument(help="The older catalogue: a folder, or a version the store has kept.")],
    new: Annotated[str, typer.Argument(help="The newer catalogue: a folder, or a version the store has kept.")],
    format: FormatOption = Shown.text,
) -> None:
    """Print what changed between two catalogues: items added, retired and renamed; thresholds,
    targets, weights and wording. Exit code 0 when they are the same, 1 when they differ, 2 when
    one cannot be read."""
    from checklists.diff import diff_catalogues

    result = diff_catalogues(_catalogue_named(old), _catalogue_named(new))
    if format is Shown.json:
        typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo("\n".join(result.lines()))
    raise typer.Exit(0 if result.empty else 1)


def _catalogue_named(name: str) -> Catalogue:
    """A catalogue folder, or else a catalogue version kept in the store."""
    folder = Path(name)
    if folder.is_dir():
        return catalogue_or_fail(folder)
    from assessments.catalogue_versions import CatalogueVersionError, kept_catalogue
    from cli.common import store_session

    with store_session() as session:
        try:
            return kept_catalogue(session, name)
        except CatalogueVersionError as error:
            fail(f"{name}: {error}")


@catalogue_app.command("versions")
def catalogue_versions() -> None:
    """List the catalogue versions the store keeps, oldest first: each assessment is scored under its own."""
    from assessments.catalogue_versions import kept_versions
    from checklists.loader import default_catalogue
    from cli.common import store_session

    current = default_catalogue().version
    with store_session() as session:
        for kept in kept_versions(session):
            after = f", after {kept.previous}" if kept.previous else ""
            mark = "  (current)" if kept.version == current else ""
            typer.echo(f"{kept.version}{mark}: first seen {kept.first_seen_at:%Y-%m-%d}{after}")
