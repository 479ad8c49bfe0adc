"""How large a file each upload of the app takes, in MB (MiB, as Streamlit counts them).

Each upload widget is given its own limit (`max_upload_size`), so the browser refuses a larger file
before sending it; the app checks the size again when it reads the file, since only the server's
own limit, `server.maxUploadSize` in `.streamlit/config.toml`, is checked by Streamlit's server.
That setting is the largest of these limits: no upload the app would refuse gets through it, and
none the app accepts is stopped by it. A test compares them.
"""

from __future__ import annotations

from assessments.evidence import MAX_PHOTO_BYTES
from reports.pdf.build import MAX_LOGO_BYTES
from ui.i18n import _

__all__ = ["CRITERIA_MB", "IMPORT_MB", "LARGEST_MB", "LOGO_MB", "MIB", "PHOTO_MB", "too_large"]

MIB = 1024 * 1024
# An evidence photo on the Assess screen.
PHOTO_MB = MAX_PHOTO_BYTES // MIB
# The logo on a PDF report's cover.
LOGO_MB = MAX_LOGO_BYTES // MIB
# A file brought in whole: an organisation file (Admin), a field round's submissions and its photos.
IMPORT_MB = 25
# An organisation's criteria file (YAML text; the store keeps at most 200,000 characters of it).
CRITERIA_MB = 1
LARGEST_MB = max(PHOTO_MB, LOGO_MB, IMPORT_MB)


def too_large(what: str, name: str, size: int, limit_mb: int) -> str | None:
    """The sentence refusing a file over `limit_mb`, naming it and both sizes; None when it fits."""
    if size <= limit_mb * MIB:
        return None
    return _("{what} {name} has {size} MB; the limit is {limit} MB. Choose a smaller file.").format(
        what=what, name=repr(name), size=f"{size / MIB:.1f}", limit=limit_mb
    )
