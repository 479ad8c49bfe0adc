"""The `sensory-audit` command line: check and show the catalogue, score assessment files, and more.

Every failure a user can cause ends with a plain message on stderr and exit code 2, never a traceback.
The store and report modules are imported by the commands that use them, so checking the catalogue
or scoring a file stays quick.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import yaml

from checklists.loader import DEFAULT_CATALOGUE_DIR, CatalogueError, load_catalogue
from checklists.responses import AssessmentError, parse_assessment
from checklists.schema import Catalogue, ItemKind, RoomChecklist
from scoring.engine import RoomScore, score_assessment

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from assessments.models import User

app = typer.Typer(
    help="Assess how sensory-friendly and trauma-informed rooms are, and what to fix first.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
catalogue_app = typer.Typer(help="Check and show the checklist catalogue.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


class Shown(StrEnum):
    """How a result is printed: the JSON contract, or text for a person at a terminal."""

    json = "json"
    text = "text"


FormatOption = Annotated[Shown, typer.Option("--format", help="json or text.")]
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
    format: FormatOption = Shown.json,
) -> None:
    """Score an assessment file and print the room's score, bands and action plan."""
    cat = _catalogue(catalogue)
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
    format: FormatOption = Shown.json,
) -> None:
    """Print the resolved checklist of one room type: items, weights and targets."""
    cat = _catalogue(catalogue)
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


# --- The store: demo portfolio, export and import -------------------------------------------------

ActingUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="SENSORY_AUDIT_USER",
        help="Email of the user to act as (default: the first administrator).",
        show_default=False,
    ),
]


@contextmanager
def _store_session() -> Iterator[Session]:
    """A session on the configured store (DATABASE_URL or the SQLite file), migrated to the newest schema."""
    from assessments.db import open_store

    try:
        store = open_store()
    except Exception as error:  # any failure to reach the database is reported plainly
        fail(f"cannot open the store ({database_label()}): {error}")
    try:
        with store.session() as session:
            yield session
    finally:
        store.dispose()


def database_label() -> str:
    from assessments.db import describe_database

    return describe_database()


def _acting_user(session: Session, email: str | None) -> User:
    from assessments import repository

    user = repository.command_line_user(session, email)
    if user is None:
        fail(f"--as: no active user with the email {email}" if email else "the store has no administrator yet")
    return user


@app.command()
def demo() -> None:
    """Load the demo portfolio (a clinic, a school and an office) into the store, once."""
    from assessments.demo import load_demo

    with _store_session() as session:
        loaded = load_demo(session)
    if loaded:
        typer.echo(f"Loaded {len(loaded)} demo organisations into {database_label()}.")
    else:
        typer.echo(f"The demo portfolio is already in {database_label()}; nothing to do.")


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write (JSON for --org, YAML or JSON for --assessment).")],
    org: Annotated[int | None, typer.Option("--org", help="Organisation id: export the whole organisation.")] = None,
    assessment: Annotated[
        int | None, typer.Option("--assessment", help="Assessment id: export one assessment file to score.")
    ] = None,
    photos: Annotated[
        bool,
        typer.Option(
            "--photos/--no-photos",
            help="Embed the photos (default), so the file restores into another store; --no-photos writes "
            "references only, for a store that shares this data folder.",
        ),
    ] = True,
    acting: ActingUser = None,
) -> None:
    """Export a whole organisation (for import elsewhere) or one assessment (for `score`)."""
    from assessments import repository, transfer
    from assessments.errors import StoreError

    if (org is None) == (assessment is None):
        fail("export: give exactly one of --org ID or --assessment ID")
    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            if org is not None:
                data: Any = transfer.export_organisation(session, user, org, include_photos=photos)
                text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            else:
                assert assessment is not None
                data = repository.assessment_document(session, user, assessment)
                if out.suffix.lower() == ".json":
                    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
                else:
                    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        except StoreError as error:
            fail(f"export: {error}")
    write_atomically(out, text)
    typer.echo(f"Wrote {out}")


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a failure leaves no half-written file."""
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        fail(f"{path}: the folder {folder} does not exist")
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".part") as handle:
            handle.write(text)
            temporary = Path(handle.name)
        os.replace(temporary, path)
    except OSError as error:
        fail(f"{path}: cannot be written ({error.strerror})")


# --- What the store holds, with ids: scoped to the acting user like everything else ---------------

users_app = typer.Typer(help="The user accounts: list them (the default), or create the first administrator.")
app.add_typer(users_app, name="users")


def _table(rows: list[tuple[object, ...]], empty: str) -> None:
    if not rows:
        typer.echo(empty)
        return
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@app.command()
def orgs(acting: ActingUser = None) -> None:
    """The organisations the acting user may see, with their ids."""
    from assessments import repository

    with _store_session() as session:
        user = _acting_user(session, acting)
        found = repository.list_organisations(session, user)
        _table([("id", "organisation"), *((o.id, o.name) for o in found)] if found else [], "No organisations.")


@app.command()
def sites(
    org: Annotated[int | None, typer.Option("--org", help="Organisation id (default: every one you see).")] = None,
    acting: ActingUser = None,
) -> None:
    """The sites of an organisation (or of every organisation the acting user sees), with their ids."""
    from assessments import repository
    from assessments.errors import StoreError

    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            found = repository.list_sites(session, user, organisation_id=org)
        except StoreError as error:
            fail(f"sites: {error}")
        rows = [(s.id, s.organisation_id, s.setting, s.name) for s in found]
        _table([("id", "org", "setting", "site"), *rows] if rows else [], "No sites.")


@app.command()
def rooms(
    site: Annotated[int | None, typer.Option("--site", help="Site id (default: every site you see).")] = None,
    acting: ActingUser = None,
) -> None:
    """The rooms of a site (or of every site the acting user sees), with their ids."""
    from assessments import repository
    from assessments.errors import StoreError

    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            found = repository.list_rooms(session, user, site_id=site)
        except StoreError as error:
            fail(f"rooms: {error}")
        rows = [(r.id, r.site_id, r.room_type, r.name) for r in found]
        _table([("id", "site", "room type", "room"), *rows] if rows else [], "No rooms.")


@users_app.callback(invoke_without_command=True)
def users(ctx: typer.Context, acting: ActingUser = None) -> None:
    """The user accounts the acting user may see (admins: all; managers: their organisations')."""
    if ctx.invoked_subcommand is not None:
        return
    from assessments import repository
    from assessments.errors import StoreError

    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            found = repository.list_users(session, user)
        except StoreError as error:
            fail(f"users: {error}")
        rows = [(u.id, u.role.value, "active" if u.active else "disabled", u.email, u.name) for u in found]
        _table([("id", "role", "status", "email", "name"), *rows] if rows else [], "No users.")


@users_app.command("create-admin")
def users_create_admin(
    email: Annotated[str, typer.Option("--email", help="The administrator's email address.")],
    name: Annotated[str, typer.Option("--name", help="The administrator's name.")],
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 12 characters (asked for when not given).",
        ),
    ],
) -> None:
    """Create the first administrator of an installation (refused once one exists)."""
    from assessments import repository
    from assessments.errors import StoreError

    with _store_session() as session:
        try:
            created = repository.create_first_admin(session, name=name, email=email, password=password)
        except StoreError as error:
            fail(f"users create-admin: {error}")
    typer.echo(f"Created the administrator {created.email} (user {created.id}). Sign in to the app with it.")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="An organisation file written by `sensory-audit export --org`.")],
) -> None:
    """Import an exported organisation: everything is checked first, and nothing is saved if anything is wrong."""
    from assessments.errors import ImportProblems
    from assessments.transfer import import_organisation

    data = read_document(file)
    with _store_session() as session:
        try:
            result = import_organisation(session, data)
        except ImportProblems as error:
            fail([f"{file}: {problem}" for problem in error.problems] + [f"{file}: nothing was imported"])
    typer.echo(
        f"Imported {result.organisation_name} (id {result.organisation_id}): {result.sites} sites, "
        f"{result.rooms} rooms, {result.assessments} assessments, {result.responses} answers, {result.evidence} photos."
    )


# --- Offline field rounds (ODK Collect, KoboToolbox) ----------------------------------------------------


@app.command()
def xlsform(
    org: Annotated[int, typer.Option("--org", help="Organisation id: its rooms of the type are the form's choices.")],
    room_type: Annotated[str, typer.Option("--room-type", help="A room type, e.g. classroom.")],
    out: Annotated[Path, typer.Option("--out", help="XLSForm workbook to write (.xlsx).")],
    site: Annotated[int | None, typer.Option("--site", help="Only the rooms of this site.")] = None,
    acting: ActingUser = None,
) -> None:
    """Write a room type's checklist as an XLSForm, for offline rounds with ODK Collect or KoboToolbox."""
    from reports.errors import ReportError
    from reports.xlsform import build_xlsform

    if out.suffix.lower() != ".xlsx":
        fail(f"--out: {out}: an XLSForm is an .xlsx workbook; name the file FILE.xlsx")
    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            form, content = build_xlsform(session, user, org, room_type, site_id=site)
        except ReportError as error:
            fail(f"xlsform: {error}")
    write_bytes_atomically(out, content)
    typer.echo(f"Wrote {out}: form {form.form_id}, version {form.form_version}")


def write_bytes_atomically(path: Path, content: bytes) -> None:
    """Write bytes through a temporary file in the same folder, so a failure leaves no half-written file."""
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        fail(f"{path}: the folder {folder} does not exist")
    try:
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".part") as handle:
            handle.write(content)
            temporary = Path(handle.name)
        os.replace(temporary, path)
    except OSError as error:
        fail(f"{path}: cannot be written ({error.strerror})")


@app.command("import-submissions")
def import_submissions(
    file: Annotated[
        Path, typer.Argument(help="ODK Central's submissions ZIP, or a KoboToolbox CSV export.", show_default=False)
    ],
    media: Annotated[
        Path | None, typer.Option("--media", help="Folder with the photos (KoboToolbox's media download).")
    ] = None,
    acting: ActingUser = None,
) -> None:
    """Import a field round: each submission becomes a submitted assessment awaiting review, or nothing is saved."""
    from assessments import repository
    from assessments.errors import ImportProblems, StoreError

    try:
        data = file.read_bytes()
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except (IsADirectoryError, PermissionError) as error:
        fail(f"{file}: cannot be read ({error.strerror})")
    if media is not None and not media.is_dir():
        fail(f"--media: {media}: no such folder")
    photos = repository.MediaSource.of_folder(media) if media is not None else None
    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            table = repository.read_submission_file(data, photos)
            result = repository.import_submissions(session, user, table)
        except ImportProblems as error:
            fail([f"{file}: {problem}" for problem in error.problems] + [f"{file}: nothing was imported"])
        except StoreError as error:
            fail(f"import-submissions: {error}")
    typer.echo(result.summary)


# --- Reports ------------------------------------------------------------------------------------------


class TerminalProgress:
    """Progress on stderr: one line redrawn in a terminal, a line per step of 10 % in a log."""

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty()
        self.last = -10

    def __call__(self, done: int, total: int, message: str) -> None:
        percent = int(100 * done / total) if total else 100
        if self.interactive:
            sys.stderr.write(f"\r[{percent:3d} %] {message[:70]:<70}")
            if percent >= 100:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif percent >= self.last + 10 or percent >= 100 > self.last:
            self.last = percent
            typer.echo(f"[{percent:3d} %] {message}", err=True)


@app.command()
def report(
    org: Annotated[int, typer.Option("--org", help="Organisation id.")],
    format: Annotated[str, typer.Option("--format", help="pdf, xlsx, csv or json.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    site: Annotated[int | None, typer.Option("--site", help="Only this site.")] = None,
    room: Annotated[list[int] | None, typer.Option("--room", help="Only these rooms (repeat the option).")] = None,
    consultant: Annotated[str | None, typer.Option("--consultant", help="Name on the cover.")] = None,
    logo: Annotated[Path | None, typer.Option("--logo", help="PNG or JPEG logo for the cover.")] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Use draft assessments too.")] = False,
    acting: ActingUser = None,
) -> None:
    """Write a report of an organisation, a site or chosen rooms: PDF, Excel, CSV or JSON."""
    from reports.api import FORMATS, build_report
    from reports.errors import ReportError

    if format not in FORMATS:
        fail(f"--format: expected one of {', '.join(FORMATS)}, got {format!r}")
    if logo is not None and not logo.is_file():
        fail(f"--logo: {logo}: no such file")
    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            written = build_report(
                session, user, org_id=org, site_id=site, room_ids=room or None, fmt=format,
                out=out, progress=TerminalProgress(), consultant=consultant, logo=logo, include_drafts=drafts,
            )  # fmt: skip
        except ReportError as error:
            fail(f"report: {error}")
    typer.echo(f"Wrote {written}")


class ChangesShown(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


@app.command()
def changes(
    room: Annotated[int, typer.Option("--room", help="Room id (see `sensory-audit rooms`).")],
    from_: Annotated[int | None, typer.Option("--from", help="The earlier assessment id.")] = None,
    to: Annotated[int | None, typer.Option("--to", help="The later assessment id.")] = None,
    format: Annotated[ChangesShown, typer.Option("--format", help="text, csv or json.")] = ChangesShown.text,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: print).")] = None,
    acting: ActingUser = None,
) -> None:
    """What changed in a room between two assessments, item by item (default: the latest against the one before)."""
    from assessments import repository
    from assessments.errors import StoreError
    from checklists.loader import default_catalogue
    from reports.changes import changes_csv, changes_json, changes_text, compare_stored, default_pair

    if (from_ is None) != (to is None):
        fail("changes: give both --from and --to, or neither (the latest against the one before)")
    cat = default_catalogue()
    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            if from_ is None or to is None:
                history = [
                    (a.id, a.assessed_on, a.status.value) for a in repository.list_assessments(session, user, room)
                ]
                pair = default_pair(history)
                if pair is None:
                    fail(f"changes: room {room} has {len(history)} assessment{'s' if len(history) != 1 else ''}; "
                         "what changed needs two")  # fmt: skip
                from_, to = pair
            compared = compare_stored(session, user, cat, from_, to)
        except StoreError as error:
            fail(f"changes: {error}")
    if compared.room_id != room:
        fail(f"changes: assessments {from_} and {to} are not of room {room}")
    if format is ChangesShown.csv:
        content = changes_csv(cat, compared)
    elif format is ChangesShown.json:
        content = (json.dumps(changes_json(cat, compared), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    else:
        content = (changes_text(cat, compared) + "\n").encode("utf-8")
    if out is None:
        sys.stdout.write(content.decode("utf-8"))
        sys.stdout.flush()
    else:
        write_bytes_atomically(out, content)
        typer.echo(f"Wrote {out}")


@app.command()
def schedule(
    org: Annotated[int | None, typer.Option("--org", help="Organisation id (default: every one you see).")] = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Also write the calendar file (.ics) of every room.")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="List every room, not only those due and overdue.")] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Count from this day (YYYY-MM-DD) instead of today.")
    ] = None,
    acting: ActingUser = None,
) -> None:
    """Rooms due and overdue for re-assessment, with their dates; --ics writes them as a calendar file."""
    import datetime as dt

    from assessments import repository
    from assessments.errors import StoreError
    from assessments.schedule import DueState
    from checklists.loader import default_catalogue
    from reports.labels import format_date
    from reports.schedule import due_calendar, schedule_rows

    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        fail(f"--today: expected a date as YYYY-MM-DD, got {today!r}")
    if ics is not None and ics.suffix.lower() != ".ics":
        fail(f"--ics: {ics}: a calendar file ends in .ics; name the file FILE.ics")
    with _store_session() as session:
        user = _acting_user(session, acting)
        try:
            rooms = repository.room_schedule(session, user, today=day, organisation_ids=None if org is None else [org])
        except StoreError as error:
            fail(f"schedule: {error}")
    shown = rooms if every else [r for r in rooms if r.state is not DueState.later]
    rows = schedule_rows(default_catalogue(), shown)
    _table(
        [("room id", "room", "site", "state", "due on", "why"),
         *((r.room_id, r.room, r.site, r.state, format_date(r.due_on), r.why) for r in rows)] if rows else [],
        f"No room is due for re-assessment by {format_date(day)}.",
    )  # fmt: skip
    if ics is not None:
        write_bytes_atomically(ics, due_calendar(rooms))
        typer.echo(f"Wrote {ics}: {len(rooms)} room{'s' if len(rooms) != 1 else ''}")


@app.command()
def checklist(
    setting: Annotated[str, typer.Option(help="clinic, school or workplace.")],
    room_type: Annotated[str, typer.Option("--room-type", help="A room type of that setting.")],
    out: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    catalogue: CatalogueDir = DEFAULT_CATALOGUE_DIR,
) -> None:
    """Write a printable blank checklist of a room type, for rounds without a tablet."""
    from reports.api import build_checklist
    from reports.errors import ReportError

    cat = _catalogue(catalogue)
    try:
        cat.checklist(setting, room_type)
    except KeyError as error:
        fail(str(error.args[0]))
    try:
        written = build_checklist(setting, room_type, out, catalogue=cat)
    except ReportError as error:
        fail(f"checklist: {error}")
    typer.echo(f"Wrote {written}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
