"""Offline field rounds (ODK Collect, KoboToolbox): `xlsform` writes the form, `import-submissions` reads the round."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import ActingUser, acting_user, fail, store_session, write_bytes_atomically


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
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            form, content = build_xlsform(session, user, org, room_type, site_id=site)
        except ReportError as error:
            fail(f"xlsform: {error}")
    write_bytes_atomically(out, content)
    typer.echo(f"Wrote {out}: form {form.form_id}, version {form.form_version}")


def import_submissions(
    file: Annotated[
        Path, typer.Argument(help="ODK Central's submissions ZIP, or a KoboToolbox CSV export.", show_default=False)
    ],
    media: Annotated[
        Path | None, typer.Option("--media", help="Folder with the photos (KoboToolbox's media download).")
    ] = None,
    acting: ActingUser = None,
) -> None:
    """Import a field round: each submission becomes a submitted assessment awaiting review, or nothing is saved.

    Numbers are read as ODK Collect and KoboToolbox write them, a point marking decimals (0.6).

    A decimal comma alone (0,6) is read too; a number that could be read two ways ("1,234", "1 234") is refused.
    """
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
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            table = repository.read_submission_file(data, photos)
            result = repository.import_submissions(session, user, table)
        except ImportProblems as error:
            fail([f"{file}: {problem}" for problem in error.problems] + [f"{file}: nothing was imported"])
        except StoreError as error:
            fail(f"import-submissions: {error}")
    typer.echo(result.summary)
