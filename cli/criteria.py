"""`sensory-audit criteria export|import|versions`: move an organisation's own criteria in and out of the store.

An organisation's criteria are an override file (see docs/organisation-criteria.md). `export` writes
the newest version exactly as it was saved; `import` checks a file against the current catalogue and
saves it as the organisation's next version, with the reason, in the record of changes. The acting
user (`--as`, default the first administrator) must be an admin, a manager of the organisation or a
consultant granted it; a file with any problem is refused whole, each problem as
`file:line: field: what is wrong`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import ActingUser, acting_user, fail, read_text, store_session, write_atomically

criteria_app = typer.Typer(help="An organisation's own criteria: export, import, list versions.", no_args_is_help=True)

OrgOption = Annotated[int, typer.Option("--org", help="Organisation id.", show_default=False)]


@criteria_app.command("export")
def export(
    org: OrgOption,
    out: Annotated[Path, typer.Option("--out", help="File to write (YAML).", show_default=False)],
    acting: ActingUser = None,
) -> None:
    """Write the organisation's newest criteria to a file, exactly as they were saved."""
    from assessments import repository
    from assessments.errors import StoreError

    with store_session() as session:
        user = acting_user(session, acting)
        try:
            current = repository.current_criteria(session, user, org)
        except StoreError as error:
            fail(f"criteria export: {error}")
    if current is None:
        fail(
            f"criteria export: organisation {org} uses the catalogue as shipped; it has no criteria of its own yet "
            "(write an override file and `sensory-audit criteria import` it)"
        )
    write_atomically(out, current.content)
    typer.echo(f"Wrote {out}: criteria version {current.number} ({current.version}), saved by {current.saved_by}")


@criteria_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="An override file (YAML).", show_default=False)],
    org: OrgOption,
    reason: Annotated[str, typer.Option("--reason", help="Why the criteria change (kept in the record).")],
    acting: ActingUser = None,
) -> None:
    """Check an override file against the current catalogue and save it as the organisation's next version."""
    from assessments import repository
    from assessments.errors import StoreError

    text = read_text(file)
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            saved = repository.save_criteria(session, user, org, text, reason, display=str(file))
        except repository.InvalidCriteria as error:
            fail([str(problem) for problem in error.problems] + [f"{file}: nothing was saved"])
        except StoreError as error:
            fail(f"criteria import: {error}")
    typer.echo(f"Saved criteria version {saved.number} of organisation {org} ({saved.version}) by {saved.saved_by}")


@criteria_app.command("versions")
def versions(org: OrgOption, acting: ActingUser = None) -> None:
    """List every kept version of the organisation's criteria, oldest first: who saved it, when and why."""
    from assessments import repository
    from assessments.errors import StoreError

    with store_session() as session:
        user = acting_user(session, acting)
        try:
            kept = repository.criteria_versions(session, user, org)
        except StoreError as error:
            fail(f"criteria versions: {error}")
    if not kept:
        typer.echo(f"Organisation {org} uses the catalogue as shipped.")
    for saved in kept:
        typer.echo(f"{saved.number}\t{saved.saved_at}\t{saved.saved_by}\t{saved.reason}")
