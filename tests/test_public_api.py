"""The public surface of the catalogue and the engine: what a script or a notebook may import.

The lists below are the contract. Adding a name is a decision (add it here too); removing or
renaming one breaks callers, so this test makes it visible.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import checklists
import scoring

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = {
    "checklists": [
        "DEFAULT_CATALOGUE_DIR",
        "EFFORT_COST",
        "GRADE_MEANING",
        "GRADE_TEXT",
        "KIND_TEXT",
        "NA",
        "PRINCIPLES",
        "SCORED_KINDS",
        "Answer",
        "AnswerError",
        "AnswerSheet",
        "AssessmentError",
        "Catalogue",
        "CatalogueError",
        "CatalogueIndex",
        "CategoryFile",
        "CategoryInfo",
        "Effort",
        "Flicker",
        "Grade",
        "Item",
        "ItemKind",
        "Module",
        "Option",
        "PrincipleInfo",
        "Problem",
        "ProfileFile",
        "ResolvedItem",
        "RoomChecklist",
        "RoomTypeProfile",
        "Target",
        "TargetRow",
        "answer_options",
        "answer_to_json",
        "default_catalogue",
        "load_catalogue",
        "parse_answer",
        "parse_assessment",
        "target_rows",
    ],
    "scoring": [
        "ANSWER_COLUMNS",
        "BAND_LABELS",
        "BAND_THRESHOLDS",
        "CRITICAL_FAIL_BELOW",
        "PROVISIONAL_BELOW",
        "Action",
        "Band",
        "CategoryScore",
        "FlickerRisk",
        "ItemResult",
        "ItemStatus",
        "PortfolioScores",
        "RoomScore",
        "answers_frame",
        "band_for",
        "flicker_risk",
        "score_answer",
        "score_assessment",
        "score_portfolio",
        "score_reading",
    ],
}
PACKAGES = {"checklists": checklists, "scoring": scoring}


def _submodules(package: types.ModuleType) -> list[types.ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]


def _assigned_at_top(module: types.ModuleType) -> set[str]:
    """Names a module assigns at its top level (so it defines them, rather than importing them)."""
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_all_lists_exactly_the_public_names(name: str) -> None:
    assert PACKAGES[name].__all__ == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_exported_name_resolves_and_comes_from_the_package(name: str) -> None:
    package = PACKAGES[name]
    submodules = _submodules(package)
    for member_name in package.__all__:
        member = getattr(package, member_name)
        home = getattr(member, "__module__", None)
        if callable(member):  # a class, a function, or a cached function
            assert str(home).startswith(f"{name}."), f"{name}.{member_name} is defined in {home}"
        else:
            # A constant or a type alias: some submodule of the package assigns it.
            owners = [m for m in submodules if vars(m).get(member_name) is member]
            owners = [m for m in owners if member_name in _assigned_at_top(m)]
            assert owners, f"{name}.{member_name} is not defined by any module of {name}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nothing_public_is_left_out_of_all(name: str) -> None:
    """Like httpx: every public name bound in the package is in __all__ (submodules aside)."""
    package = PACKAGES[name]
    bound = {
        key
        for key, value in vars(package).items()
        if not key.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert bound <= set(package.__all__)


def test_star_import_gives_the_listed_names() -> None:
    for name, expected in EXPECTED.items():
        namespace: dict[str, object] = {}
        exec(f"from {name} import *", namespace)
        assert set(expected) <= set(namespace)


def _imported_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter has imported after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


def test_the_engine_is_a_library_without_the_store_screens_or_charts() -> None:
    loaded = _imported_after("import checklists, scoring, checklists.document")
    assert not loaded & {"streamlit", "sqlalchemy", "plotly", "assessments", "reports", "dashboard", "ui"}


def test_scoring_one_file_does_not_import_pandas() -> None:
    """The portfolio scorer (pandas) loads on first use, so `sensory-audit score` starts quickly."""
    assert "pandas" not in _imported_after("import scoring, cli")
    assert "pandas" in _imported_after("from scoring import score_portfolio")


def test_unknown_names_are_refused() -> None:
    with pytest.raises(AttributeError, match="no attribute 'score_everything'"):
        _ = scoring.score_everything
    assert "score_portfolio" in dir(scoring)


def test_the_answer_sheet_keeps_its_earlier_name_for_notebooks_written_against_it() -> None:
    from checklists.responses import AnswerSheet, Assessment

    assert Assessment is AnswerSheet
    assert "Assessment" not in checklists.__all__  # one name in the public surface
