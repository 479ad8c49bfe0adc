"""What the app lets in and what it shows: server settings, upload limits and the logo's pixel cap."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

from PIL import Image

from assessments.evidence import MAX_PHOTO_BYTES
from reports.pdf.build import MAX_LOGO_PIXELS
from ui.reports_logic import MAX_LOGO_BYTES, check_logo

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_xsrf_protection_stays_on_and_error_details_stay_hidden() -> None:
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["enableCORS"] is True
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_the_server_listens_on_this_machine_unless_told_otherwise() -> None:
    assert CONFIG["server"]["address"] == "127.0.0.1"


def test_the_upload_limit_is_no_larger_than_what_the_app_accepts() -> None:
    # The biggest thing the app takes is an organisation file with its photos (Admin's import);
    # photos and logos have smaller limits of their own, set on their upload widgets.
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 >= MAX_PHOTO_BYTES
    assert MAX_LOGO_BYTES < MAX_PHOTO_BYTES


def test_a_logo_with_too_many_pixels_is_refused_on_the_page() -> None:
    out = io.BytesIO()
    side = int(MAX_LOGO_PIXELS**0.5) + 1
    Image.new("1", (side, side)).save(out, format="PNG")
    assert check_logo(out.getvalue()) == "Logo: the image has more than 16 million pixels; choose a smaller one."
    small = io.BytesIO()
    Image.new("RGB", (200, 80), (10, 90, 140)).save(small, format="PNG")
    assert check_logo(small.getvalue()) is None
    assert check_logo(b"x" * (MAX_LOGO_BYTES + 1)) == "Logo: the file is larger than 5 MB; choose a smaller one."
