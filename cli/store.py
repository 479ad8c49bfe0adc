"""Commands that fill and empty the store: `demo`, `export` and `import` of a whole organisation, and
`db upgrade`, which migrates the store's schema once at a release."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from cli.common import ActingUser, acting_user, database_label, fail, read_document, store_session, write_atomically


def demo() -> None:
    """Load the demo portfolio (a clinic, a school and an office) into the store, once."""
    from assessments.demo import load_demo

    with store_session() as session:
        loaded = load_demo(session)
    if loaded:
        typer.echo(f"Loaded {len(loaded)} demo organisations into {database_label()}.")
    else:
        typer.echo(f"The demo portfolio is already in {database_label()}; nothing to do.")


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
    with store_session() as session:
        user = acting_user(session, acting)
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


def import_(
    file: Annotated[Path, typer.Argument(help="An organisation file written by `sensory-audit export --org`.")],
) -> None:
    """Import an exported organisation: everything is checked first, and nothing is saved if anything is wrong.

    The file is JSON as `export --org` writes it: readings are JSON numbers, a point marking decimals.
    """
    from assessments.errors import ImportProblems
    from assessments.transfer import import_organisation

    data = read_document(file)
    with store_session() as session:
        try:
            result = import_organisation(session, data)
        except ImportProblems as error:
            fail([f"{file}: {problem}" for problem in error.problems] + [f"{file}: nothing was imported"])
    typer.echo(
        f"Imported {result.organisation_name} (id {result.organisation_id}): {result.sites} sites, "
        f"{result.rooms} rooms, {result.assessments} assessments, {result.responses} answers, "
        f"{result.evidence} photos, {result.actions} actions, {result.intervals} re-assessment intervals."
    )


db_app = typer.Typer(help="The store's database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the store's schema to this release, once, before the app instances start.

    Safe to run while instances start: with PostgreSQL one migration runs at a time and the others
    find it done."""
    from assessments.db import make_engine, upgrade

    engine = make_engine()
    try:
        before, after = upgrade(engine)
    except Exception as error:  # any failure to reach or migrate the database is reported plainly
        fail(f"db upgrade: cannot migrate {database_label()}: {error}")
    finally:
        engine.dispose()
    if before == after:
        typer.echo(f"{database_label()}: the schema is already at {after}; nothing to do.")
    else:
        typer.echo(f"{database_label()}: migrated the schema from {before or 'empty'} to {after}.")
