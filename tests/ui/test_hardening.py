"""What the app lets in and what it shows: server settings, upload limits and the logo's pixel cap."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from assessments.evidence import MAX_PHOTO_BYTES
from reports.pdf.build import MAX_LOGO_PIXELS
from ui import uploads
from ui.reports_logic import MAX_LOGO_BYTES, check_logo

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_xsrf_protection_stays_on_and_error_details_stay_hidden() -> None:
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["enableCORS"] is True
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_the_server_listens_on_this_machine_unless_told_otherwise() -> None:
    assert CONFIG["server"]["address"] == "127.0.0.1"


def _served_options() -> dict[str, object]:
    """The options a `streamlit run` from the checkout's root ends up with (its config file read by
    Streamlit itself, no STREAMLIT_ variables from this environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    names = ["client.showErrorDetails", "server.enableXsrfProtection", "server.enableCORS", "server.maxUploadSize"]
    script = (
        "import json, sys; from streamlit import config; config.get_config_options(force_reparse=True); "
        "print(json.dumps({n: config.get_option(n) for n in sys.argv[1:]}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    options: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return options


def test_the_server_as_started_hides_error_details_and_keeps_xsrf_protection() -> None:
    served = _served_options()
    assert served["client.showErrorDetails"] == "none"
    assert served["server.enableXsrfProtection"] is True
    assert served["server.maxUploadSize"] == uploads.LARGEST_MB
    # `make run` (and so the README's way of starting it) adds no option that turns either back.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "showErrorDetails" not in makefile
    assert "enableXsrfProtection" not in makefile


def test_the_server_upload_limit_is_the_largest_limit_the_app_enforces() -> None:
    # Streamlit's server stops only what is over server.maxUploadSize; the app refuses the rest.
    assert CONFIG["server"]["maxUploadSize"] == uploads.LARGEST_MB == uploads.IMPORT_MB
    assert uploads.PHOTO_MB * uploads.MIB == MAX_PHOTO_BYTES
    assert uploads.LOGO_MB * uploads.MIB == MAX_LOGO_BYTES
    assert uploads.too_large("The file", "a.zip", uploads.IMPORT_MB * uploads.MIB, uploads.IMPORT_MB) is None
    assert uploads.too_large("The file", "a.zip", uploads.IMPORT_MB * uploads.MIB + 1, uploads.IMPORT_MB) == (
        "The file 'a.zip' has 25.0 MB; the limit is 25 MB. Choose a smaller file."
    )


def _uploaders() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "file_uploader"
            ):
                found.append((str(path.relative_to(ROOT)), node))
    return found


@pytest.mark.parametrize(("where", "call"), _uploaders(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_upload_widget_has_the_limit_the_app_enforces_for_it(where: str, call: ast.Call) -> None:
    limits = {kw.arg: kw.value for kw in call.keywords}
    assert "max_upload_size" in limits, f"{where}:{call.lineno} has no max_upload_size"
    value = limits["max_upload_size"]
    assert isinstance(value, ast.Attribute), f"{where}:{call.lineno}: the limit comes from ui.uploads"
    assert isinstance(value.value, ast.Name)
    assert value.value.id == "uploads"
    assert value.attr in {"PHOTO_MB", "LOGO_MB", "IMPORT_MB", "CRITERIA_MB"}


def test_a_field_round_file_over_the_limit_is_refused_with_its_name_and_size(tmp_path: Path) -> None:
    from ui.field_forms import import_upload

    big = b"x" * (uploads.IMPORT_MB * uploads.MIB + 1)
    outcome = import_upload(None, None, big, [("photos.zip", b"small")], name="round.zip")
    assert outcome.summary is None
    assert outcome.problems == (
        "The submissions file 'round.zip' has 25.0 MB; the limit is 25 MB. Choose a smaller file.",
    )


def test_a_logo_with_too_many_pixels_is_refused_on_the_page() -> None:
    out = io.BytesIO()
    side = int(MAX_LOGO_PIXELS**0.5) + 1
    Image.new("1", (side, side)).save(out, format="PNG")
    assert check_logo(out.getvalue()) == "Logo: the image has more than 16 million pixels; choose a smaller one."
    small = io.BytesIO()
    Image.new("RGB", (200, 80), (10, 90, 140)).save(small, format="PNG")
    assert check_logo(small.getvalue()) is None
    assert check_logo(b"x" * (MAX_LOGO_BYTES + 1)) == "Logo: the file is larger than 5 MB; choose a smaller one."
