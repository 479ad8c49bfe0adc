"""Modules a person can hold: the product's modules stay under about 400 lines, or say why not.

A module past the limit is one cohesive thing (a data generator, one schema, one table of figures)
only when its docstring says so and says why; any other module past it is to be split by
responsibility, and this test names it.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The product's packages and the app's entry point; tests and benchmarks are not held to it.
PRODUCT = ("assessments", "checklists", "cli", "reports", "scoring", "ui", "app.py")
LIMIT = 400
KEPT_WHOLE = "kept whole"


def product_modules() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *PRODUCT],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return sorted(ROOT / name for name in listed if name.endswith(".py") and (ROOT / name).is_file())


def test_the_check_reads_the_product() -> None:
    modules = product_modules()
    names = {p.relative_to(ROOT).as_posix() for p in modules}
    assert {"assessments/repository.py", "scoring/engine.py", "ui/pages/assess.py", "app.py"} <= names
    assert len(modules) > 150


def test_every_long_module_says_it_is_one_cohesive_thing() -> None:
    too_long = []
    for path in product_modules():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines <= LIMIT:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if KEPT_WHOLE not in docstring:
            too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert too_long == [], (
        f"modules over {LIMIT} lines whose docstring does not say they are one cohesive thing, "
        f"{KEPT_WHOLE}, and why: split them by responsibility"
    )
