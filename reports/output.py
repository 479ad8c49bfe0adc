"""Writing report files safely: all or nothing, with a clear message when the place is not writable.

Every writer renders into a temporary file in the destination folder and moves it into place with
`os.replace` only when it is complete, so a failed or interrupted report never leaves a half-written
file behind (and never clobbers a good earlier copy).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from reports.errors import ReportOutputError

__all__ = ["Progress", "atomic_output", "check_output_path", "no_progress"]

# progress(done, total, message): called as a report advances, e.g. (12, 50, "Room 12 of 50: Library").
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str) -> None:
    """The progress callback of callers that do not show progress."""


def check_output_path(out_path: Path | str) -> Path:
    """Refuse, before any work is done, a destination that cannot be written; return it as an absolute Path."""
    path = Path(out_path).expanduser().absolute()
    folder = path.parent
    if path.is_dir():
        raise ReportOutputError(f"{path} is a folder; give a file name for the report, e.g. {path / 'report.pdf'}")
    if not folder.exists():
        raise ReportOutputError(f"cannot write {path}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise ReportOutputError(f"cannot write {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReportOutputError(f"cannot write {path}: no permission to write in {folder}")
    return path


@contextlib.contextmanager
def atomic_output(out_path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `out_path`; on success move it over `out_path`, on failure remove it.

    with atomic_output("report.pdf") as tmp:
        pdf.output(str(tmp))
    """
    path = check_output_path(out_path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise ReportOutputError(f"cannot write {path}: {error.strerror or error}") from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    try:
        # mkstemp makes the file private (0600); a report gets the usual permissions of a new file.
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ReportOutputError(f"cannot write {path}: {error.strerror or error}") from error


def _read_umask() -> int:
    # Read once at import: os.umask can only be read by setting it, which is not safe once threads run.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
