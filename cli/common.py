"""What every command of the command line shares: failing plainly, reading files, the store, the acting user.

Every failure a user can cause ends with a plain message on stderr and exit code 2, never a traceback.
The store modules are imported only when a command opens the store, so checking the catalogue or scoring
a file stays quick.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import yaml

from checklists.loader import CatalogueError, load_catalogue
from checklists.schema import Catalogue

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from assessments.models import User


class Shown(StrEnum):
    """How a result is printed: the JSON contract, or text for a person at a terminal."""

    json = "json"
    text = "text"


FormatOption = Annotated[Shown, typer.Option("--format", help="json or text.")]
CatalogueDir = Annotated[
    Path, typer.Option("--catalogue", help="Catalogue folder (default: the shipped catalogue).", show_default=False)
]
ActingUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="SENSORY_AUDIT_USER",
        help="Email of the user to act as (default: the first administrator).",
        show_default=False,
    ),
]


def fail(lines: list[str] | str) -> NoReturn:
    for line in [lines] if isinstance(lines, str) else lines:
        typer.echo(line, err=True)
    raise typer.Exit(2)


def catalogue_or_fail(folder: Path) -> Catalogue:
    """The catalogue of a folder, or every problem in it as file:line: field: what is wrong."""
    try:
        return load_catalogue(folder)
    except CatalogueError as error:
        fail([str(p) for p in error.problems])


def read_text(path: Path) -> str:
    """A text file's content; a missing, unreadable or non-UTF-8 file ends with a message."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (IsADirectoryError, PermissionError) as error:
        fail(f"{path}: cannot be read ({error.strerror})")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text; save the file as UTF-8")


def read_document(path: Path) -> Any:
    """Read a YAML or JSON file; refuse unreadable, empty or malformed files with a message."""
    text = read_text(path)
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


@contextmanager
def store_session() -> Iterator[Session]:
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


def acting_user(session: Session, email: str | None) -> User:
    from assessments import repository

    user = repository.command_line_user(session, email)
    if user is None:
        fail(f"--as: no active user with the email {email}" if email else "the store has no administrator yet")
    return user


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
