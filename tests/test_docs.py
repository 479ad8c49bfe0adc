"""The docs cannot drift from the product: what they show is checked against what the code does.

- docs/criteria.md is exactly what the generator writes from the catalogue now;
- docs/scoring.md: its tables match the engine's constants, its JSON and YAML examples are real,
  and its notebook example runs and prints what the page says it prints;
- docs/roles.md matches the screens each role is offered and the store's rules;
- README: every setting in its configuration table is read by the code and does what the table
  says, and every environment variable the code reads is in the table.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import difflib
import importlib
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from checklists import EFFORT_COST, Effort, ItemKind, default_catalogue, parse_assessment
from checklists.document import criteria_markdown
from scoring import (
    BAND_LABELS,
    BAND_THRESHOLDS,
    CRITICAL_FAIL_BELOW,
    PROVISIONAL_BELOW,
    Band,
    FlickerRisk,
    RoomScore,
    band_for,
    flicker_risk,
    score_assessment,
    score_reading,
)
from scoring.items import round_half_up

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GOLDEN = ROOT / "tests" / "golden"
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCORING = (DOCS / "scoring.md").read_text(encoding="utf-8")
ROLES = (DOCS / "roles.md").read_text(encoding="utf-8")
HAND_WRITTEN = [ROOT / "README.md", DOCS / "scoring.md", DOCS / "roles.md", DOCS / "deployment.md",
                DOCS / "field-rounds.md", DOCS / "catalogue-versions.md", DOCS / "languages.md",
                DOCS / "organisation-criteria.md"]  # fmt: skip


# --- Reading markdown -------------------------------------------------------------------------------


def section(text: str, heading: str) -> str:
    """The part of a page under a heading (given without its #s), up to the next heading as high."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", text, re.MULTILINE)
    assert match, f"no heading {heading!r}"
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def fenced(text: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a text: (language, code)."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)]


def block(text: str, language: str) -> str:
    found = [code for lang, code in fenced(text) if lang == language]
    assert len(found) == 1, f"expected one {language} block, found {len(found)}"
    return found[0]


def table(text: str) -> list[list[str]]:
    """The rows of the first markdown table in a text (header and separator dropped), cells stripped."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            break
    assert len(lines) > 2, "no table"
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def slug(heading: str) -> str:
    """The anchor a markdown renderer gives a heading."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


# --- The criteria page ------------------------------------------------------------------------------


def test_criteria_page_is_generated_from_the_catalogue() -> None:
    written = (DOCS / "criteria.md").read_text(encoding="utf-8")
    expected = criteria_markdown()
    if written != expected:
        diff = difflib.unified_diff(written.splitlines(), expected.splitlines(), "docs/criteria.md", "catalogue", n=1)
        pytest.fail("docs/criteria.md differs from the catalogue: run `make docs`\n" + "\n".join(list(diff)[:30]))


def test_criteria_page_lists_every_item_with_its_evidence() -> None:
    catalogue = default_catalogue()
    written = (DOCS / "criteria.md").read_text(encoding="utf-8")
    for item in catalogue.items:
        part = section(written, item.id)
        assert item.question in part
        assert f"- **Evidence**: {item.evidence.value}: " in part
        assert f"- **n/a allowed**: {'yes' if item.allow_na else 'no'}" in part


def test_make_docs_writes_the_page(tmp_path: Path) -> None:
    dry_run = subprocess.run(["make", "-n", "docs"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "python -m checklists.document docs/criteria.md" in dry_run.stdout
    out = tmp_path / "criteria.md"
    subprocess.run([sys.executable, "-m", "checklists.document", str(out)], cwd=ROOT, check=True, timeout=120)
    assert out.read_text(encoding="utf-8") == criteria_markdown()


# --- The scoring page: tables against the engine ----------------------------------------------------


def test_band_table_is_the_engines() -> None:
    rows = table(section(SCORING, "Bands and the critical cap"))
    expected = [[b.value, f"{t:g} and above", BAND_LABELS[b]] for b, t in BAND_THRESHOLDS]
    expected.append([Band.D.value, f"below {BAND_THRESHOLDS[-1][1]:g}", BAND_LABELS[Band.D]])
    assert rows == expected


def test_effort_table_is_the_engines() -> None:
    rows = table(section(SCORING, "The action plan"))
    assert rows == [[effort.value, f"{EFFORT_COST[effort]:g}"] for effort in Effort]


def test_thresholds_in_the_text_are_the_engines() -> None:
    assert f"completeness is below {PROVISIONAL_BELOW * 100:g} %" in SCORING
    assert f"scores below {CRITICAL_FAIL_BELOW:g} has *failed*" in SCORING
    assert "84.96 is shown as 85.0 but is band B" in SCORING
    assert (round_half_up(84.96, 1), band_for(84.96, critical_failed=False)) == (85.0, Band.B)
    kinds = {row[0] for row in table(section(SCORING, "From an answer to an item score"))}
    evidence = (ItemKind.text, ItemKind.photo)
    assert kinds == {f"`{k.value}`" for k in ItemKind if k not in evidence} | {"`text`, `photo`"}


def test_flicker_table_is_the_engines() -> None:
    rows = table(section(SCORING, "Flicker"))
    assert [row[0] for row in rows] == ["below 90 Hz", "90 to 3000 Hz", "above 3000 Hz"]
    for (_, no_risk, low_risk), frequencies in zip(rows[:2], [(10.0, 50.0, 89.0), (90.0, 400.0, 2999.0)], strict=True):
        no, low = (float(cell.split(" × ")[0]) for cell in (no_risk, low_risk))
        for f in frequencies:
            assert flicker_risk(no * f * 0.999, f) is FlickerRisk.no_risk
            assert flicker_risk(no * f * 1.001, f) is FlickerRisk.low_risk
            assert flicker_risk(low * f * 0.999, f) is FlickerRisk.low_risk
            assert flicker_risk(min(low * f * 1.001, 100), f) is (
                FlickerRisk.high_risk if low * f < 100 else FlickerRisk.low_risk
            )
    assert flicker_risk(100, 3001) is FlickerRisk.no_risk
    assert flicker_risk(100, 1251) is FlickerRisk.low_risk  # "above 1250 Hz ... no reading is high risk"


def test_worked_examples_use_the_shipped_targets() -> None:
    catalogue = default_catalogue()
    classroom = catalogue.checklist("school", "classroom").by_id()["noise.background_level"].target
    assert classroom is not None
    assert (classroom.ideal, classroom.limit) == ((None, 35), (None, 50))
    assert "target `ideal: [null, 35], limit: [null, 50]`" in SCORING
    assert f"= {score_reading(42, classroom):.3f}" in SCORING
    two = (score_reading(42, classroom) + score_reading(30, classroom)) / 2
    assert f"which is {two:.3f}" in SCORING
    quiet = catalogue.checklist("school", "quiet_room").by_id()["lighting.illuminance"].target
    assert quiet is not None
    assert (quiet.ideal, quiet.limit) == ((50, 200), (None, 500))
    assert "`ideal: [50, 200], limit: [null, 500]`" in SCORING
    assert score_reading(20, quiet) == 1.0
    clinic = score_assessment(catalogue, _golden("clinic"))
    first = clinic.actions[0]
    assert (first.item, first.critical, first.gain) == ("quiet_zones.retreat_space", True, 5.3)
    assert f"= {first.gain:g} points" in SCORING


# --- The scoring page: examples against real results ------------------------------------------------


def _golden(name: str) -> Any:
    return yaml.safe_load((GOLDEN / f"{name}.assessment.yaml").read_text(encoding="utf-8"))


def _is_part_of(shown: Any, real: Any, where: str = "") -> None:
    """`shown` is `real` shortened: dicts may leave keys out, lists may leave entries out (keeping
    the order), and a text ending in '...' stands for any text that starts with what precedes it."""
    if isinstance(shown, dict):
        assert isinstance(real, dict), where
        for key, value in shown.items():
            assert key in real, f"{where}.{key} is not in the real result"
            _is_part_of(value, real[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list), where
        remaining = iter(real)
        for n, value in enumerate(shown):
            for candidate in remaining:
                with contextlib.suppress(AssertionError):
                    _is_part_of(value, candidate, f"{where}[{n}]")
                    break
            else:
                raise AssertionError(f"{where}[{n}] = {value!r} is not in the real result (in that order)")
    elif isinstance(shown, str) and shown.endswith("..."):
        assert isinstance(real, str), where
        assert real.startswith(shown[:-3].rstrip()), where
    else:
        assert shown == real, f"{where}: shown {shown!r}, really {real!r}"


def test_score_json_example_is_a_real_result_shortened() -> None:
    shown = json.loads(block(section(SCORING, "The scored result: `sensory-audit score --format json`"), "json"))
    RoomScore.model_validate(shown)  # every field of the contract, and nothing else
    assert "sensory-audit score tests/golden/clinic.assessment.yaml" in SCORING
    real = score_assessment(default_catalogue(), _golden("clinic")).model_dump(mode="json")
    assert set(shown) == set(real)
    _is_part_of(shown, real)


def test_field_table_names_every_field_of_the_result() -> None:
    rows = table(section(SCORING, "The scored result: `sensory-audit score --format json`"))
    named = {name.strip("` ") for row in rows for name in row[0].split(",")}
    assert named == set(RoomScore.model_fields)


def test_catalogue_show_example_is_real() -> None:
    shown = json.loads(block(section(SCORING, "The checklist of a room type: `sensory-audit catalogue show`"), "json"))
    real = default_catalogue().checklist("school", "classroom").to_json()
    assert set(shown) == set(real)
    _is_part_of(shown, json.loads(json.dumps(real)))


def test_assessment_file_example_is_accepted() -> None:
    document = yaml.safe_load(block(section(SCORING, "The assessment file"), "yaml"))
    catalogue = default_catalogue()
    assessment = parse_assessment(catalogue, document)
    assert "quiet_zones.retreat_space" not in assessment.answers  # left blank: missing
    result = score_assessment(catalogue, assessment)
    assert result.items["quiet_zones.walking_distance"].status == "not_applicable"
    assert result.items["quiet_zones.retreat_space"].status == "missing"


def test_readme_assessment_file_is_accepted() -> None:
    document = yaml.safe_load(block(section(README, "Command line"), "yaml"))
    parse_assessment(default_catalogue(), document)


@pytest.fixture
def golden_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for path in GOLDEN.glob("*.assessment.yaml"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_notebook_example_runs_and_prints_what_the_page_shows(golden_folder: Path) -> None:
    blocks = fenced(section(SCORING, "From a notebook"))
    pairs = [(code, blocks[n + 1][1]) for n, (lang, code) in enumerate(blocks) if lang == "python"]
    assert len(pairs) == 2
    assert all(blocks[n + 1][0] == "text" for n, (lang, _) in enumerate(blocks) if lang == "python")
    # Only the public surface: the example imports from the packages, never from their modules.
    for code, _ in pairs:
        for module in re.findall(r"^from (\S+) import", code, re.MULTILINE):
            assert module in {"pathlib", "yaml", "pandas", "checklists", "scoring"}, module
    namespace: dict[str, Any] = {"__name__": "notebook"}
    for code, expected in pairs:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "docs/scoring.md", "exec"), namespace)
        assert out.getvalue() == expected
    golden = json.loads((GOLDEN / "school.score.json").read_text(encoding="utf-8"))
    assert namespace["result"] == RoomScore.model_validate(golden)
    summary = namespace["portfolio"].summary().set_index("room")
    for name in ("clinic", "school", "workplace"):
        scored = json.loads((GOLDEN / f"{name}.score.json").read_text(encoding="utf-8"))
        row = summary.loc[_golden(name)["room"]]
        assert (row["overall"], row["band"]) == (scored["overall"], scored["band"])


# --- Links ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", HAND_WRITTEN + [DOCS / "criteria.md"], ids=lambda p: p.name)
def test_links_between_pages_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: link to {target}: no such file"
        if anchor and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.MULTILINE)
            assert anchor in {slug(h) for h in headings}, f"{page.name}: link to {target}: no such heading"


@pytest.mark.parametrize("page", HAND_WRITTEN, ids=lambda p: p.name)
def test_pages_stand_on_their_own(page: Path) -> None:
    """A person who clones the repository has these pages and nothing from outside it."""
    text = page.read_text(encoding="utf-8")
    for outside in ("../shared", "/work/", "DESIGN.md", "CRITERIA.md", "STYLE.md"):
        assert outside not in text, f"{page.name} refers to {outside}, which is not in the repository"


# --- README -----------------------------------------------------------------------------------------


def test_readme_links_to_the_docs() -> None:
    for page in ("docs/scoring.md", "docs/criteria.md", "docs/roles.md", "docs/deployment.md"):
        assert f"]({page}" in README, page


def test_readme_keeps_the_two_commands() -> None:
    commands = block(section(README, "The two commands"), "sh").splitlines()
    assert commands == [
        "make run    # start the app on http://localhost:8501 (SQLite with demo data on first run)",
        "make test   # install what the tests need, lint, type-check and run every test",
    ]


def test_readme_layout_shows_the_screens_in_ui() -> None:
    layout = block(section(README, "Layout"), "")
    assert re.search(r"^ui/ .*ui/pages/", layout, re.MULTILINE | re.DOTALL)
    assert "dashboard/" not in layout


def test_readme_demo_users_are_the_demo_users() -> None:
    from assessments.demo import DEMO_USERS

    rows = table(section(README, "Demo users"))
    shown = [(re.sub(r" \(`.*`\)", "", row[0]), re.search(r"`(.*)`", row[0]).group(1), row[1]) for row in rows]
    assert shown == [(u.name, u.email, u.role.value) for u in DEMO_USERS]


# --- Roles ------------------------------------------------------------------------------------------


def _screens_module(name: str) -> ModuleType:
    """A module of the Streamlit screens (ui/)."""
    return importlib.import_module(f"ui.{name}")


def test_roles_page_names_every_role() -> None:
    from assessments.models import Role

    assert [row[0] for row in table(section(ROLES, "Roles"))] == [f"`{role.value}`" for role in Role]


def test_screens_per_role_are_the_navigations() -> None:
    from assessments.models import Role

    navigation = _screens_module("navigation")
    header = next(line for line in section(ROLES, "Screens per role").splitlines() if line.startswith("|"))
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == [role.value for role in Role]
    rows = table(section(ROLES, "Screens per role"))
    titles = {title: name for name, (title, _icon, _path) in navigation.SCREENS.items()}
    assert [row[0] for row in rows] == list(titles)
    for column, role in enumerate(Role, start=1):
        offered = [titles[row[0]] for row in rows if row[column]]
        starts = [titles[row[0]] for row in rows if "(start)" in row[column]]
        assert set(offered) == set(navigation.SCREENS_BY_ROLE[role]), role
        assert starts == [navigation.SCREENS_BY_ROLE[role][0]], role


def test_what_each_role_may_do_is_what_the_store_allows() -> None:
    from assessments import access
    from assessments.models import Role
    from assessments.roles import ACTIONS

    rows = table(section(ROLES, "What each role may do"))
    assert [row[0] for row in rows] == [action.text for action in ACTIONS]
    for row, action in zip(rows, ACTIONS, strict=True):
        marked = {role: row[column] for column, role in enumerate(Role, start=1) if row[column]}
        assert marked == action.reach, row[0]
    # The store's checks use these very sets.
    by_key = {action.key: action.roles for action in ACTIONS}
    assert by_key["assess"] == access._ASSESSORS
    assert by_key["review"] == access._MANAGERS
    assert by_key["manage_places"] == access._PLACE_MANAGERS
    assert by_key["read_audit"] == access._AUDIT_READERS
    assert by_key["see_users"] == access._USER_READERS
    assert by_key["plan_actions"] == access._ACTION_PLANNERS
    assert by_key["work_actions"] == access._ACTION_WORKERS
    assert by_key["administer"] == access._ADMINS


# --- Settings: the README's configuration table against the code -----------------------------------

# Variables the code reads that are deliberately not in the README's table.
UNDOCUMENTED = {
    "BENCH_ROOMS": "the portfolio size of the dashboard benchmark (make bench), not a setting of the product",
    "BENCH_VISITS": "the assessments per room of the dashboard benchmark (make bench), not a setting of the product",
}


def _configuration() -> dict[str, str]:
    """The README's configuration table: variable -> default."""
    rows = table(section(README, "Configuration"))
    return {re.match(r"`(\w+)`", row[0]).group(1): row[1] for row in rows}


def _product_sources() -> list[Path]:
    skipped = {"tests", ".venv", "build", "node_modules"}
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not skipped & set(path.relative_to(ROOT).parts) and not any(p.startswith(".") for p in path.parts[-4:-1])
    )


def _string_constants(trees: dict[Path, ast.Module]) -> dict[str, set[str]]:
    """Module-level NAME = "text" assignments of every module: how code names a variable once."""
    constants: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in tree.body:
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
                continue
            if isinstance(node.value.value, str):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants.setdefault(target.id, set()).add(node.value.value)
    return constants


ENVIRON_GETS = ("get", "setdefault", "pop")


def _is_environ(node: ast.expr) -> bool:
    # os.environ, or environ imported from os
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _environment_reads() -> dict[str, list[str]]:
    """Every environment variable the product's Python code reads -> where ('file:line').

    Reads are os.environ.get/[...]/in, os.getenv, and Typer options with envvar=.
    """
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _product_sources()}
    constants = _string_constants(trees)
    reads: dict[str, list[str]] = {}
    unresolved: list[str] = []

    def note(expr: ast.expr, path: Path) -> None:
        where = f"{path.relative_to(ROOT)}:{expr.lineno}"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            names = {expr.value}
        elif isinstance(expr, ast.Name | ast.Attribute):
            names = constants.get(expr.id if isinstance(expr, ast.Name) else expr.attr, set())
        elif isinstance(expr, ast.List | ast.Tuple):
            for element in expr.elts:
                note(element, path)
            return
        else:
            names = set()
        if len(names) != 1:
            unresolved.append(where)
        for name in names:
            reads.setdefault(name, []).append(where)

    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                environ_get = isinstance(func, ast.Attribute) and _is_environ(func.value) and func.attr in ENVIRON_GETS
                getenv = isinstance(func, ast.Attribute) and func.attr == "getenv"
                if node.args and (environ_get or getenv):
                    note(node.args[0], path)
                for keyword in node.keywords:
                    if keyword.arg == "envvar":
                        note(keyword.value, path)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_environ(node.value):
                note(node.slice, path)
            elif isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):
                note(node.left, path)
    assert not unresolved, f"cannot tell which variable is read at {unresolved}: name it with a string constant"
    return reads


def _makefile_variables() -> set[str]:
    return set(re.findall(r"\$\((\w+)\)", (ROOT / "Makefile").read_text(encoding="utf-8")))


def test_every_variable_the_code_reads_is_documented() -> None:
    known = set(_configuration()) | set(UNDOCUMENTED)
    missing = {name: where for name, where in _environment_reads().items() if name not in known}
    assert not missing, f"add these to the README's configuration table: {missing}"


def test_every_documented_variable_is_read_by_the_code() -> None:
    read = set(_environment_reads()) | _makefile_variables()
    unread = set(_configuration()) - read
    assert not unread, f"the README documents settings that nothing reads: {sorted(unread)}"


def test_every_documented_variable_has_a_test_of_what_it_does() -> None:
    assert set(_configuration()) == set(BEHAVIOUR)


@contextlib.contextmanager
def _fresh_context() -> Iterator[ModuleType]:
    """The screens' context module with its cached store dropped before and after."""
    context = _screens_module("context")
    context.store.clear()
    try:
        yield context
    finally:
        context.store.clear()


def check_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assessments.db import DATABASE_FILE, data_dir, open_store

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SENSORY_AUDIT_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert _configuration()["SENSORY_AUDIT_DATA_DIR"] == "`./data`"
    assert data_dir() == tmp_path / "data"
    folder = tmp_path / "elsewhere"
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(folder))
    store = open_store()
    try:
        assert (folder / DATABASE_FILE).is_file()
        assert not (tmp_path / "data").exists()
    finally:
        store.dispose()


def check_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assessments.db import database_url, describe_database, make_engine

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path))
    assert database_url().startswith("sqlite")
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:pass@db.example/audit")
    assert database_url() == "postgresql+psycopg://user:pass@db.example/audit"
    assert describe_database() == "PostgreSQL at db.example:5432/audit"
    engine = make_engine()  # connects only when first used: no server needed
    try:
        assert (engine.dialect.name, engine.dialect.driver, engine.url.host) == ("postgresql", "psycopg", "db.example")
    finally:
        engine.dispose()


NO_DEMO_SCRIPT = """
import streamlit as st
from assessments.demo import is_empty
from {module} import store
st.write("empty" if is_empty(store()) else "demo portfolio")
"""


def check_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from assessments.demo import demo_may_serve, demo_mode

    monkeypatch.delenv("DATABASE_URL", raising=False)
    for value, expected in (("0", "empty"), (None, "demo portfolio"), ("1", "demo portfolio")):
        monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / f"data-{value}"))
        if value is None:
            monkeypatch.delenv("SENSORY_AUDIT_DEMO", raising=False)
        else:
            monkeypatch.setenv("SENSORY_AUDIT_DEMO", value)
        with _fresh_context() as context:
            app = AppTest.from_string(NO_DEMO_SCRIPT.format(module=context.__name__), default_timeout=120).run()
            assert not app.exception, app.exception
            assert [m.value for m in app.markdown] == [expected], f"SENSORY_AUDIT_DEMO={value}"
    monkeypatch.delenv("SENSORY_AUDIT_DEMO")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example/audit")
    assert not demo_mode()  # a database elsewhere: no demo unless asked for
    monkeypatch.setenv("SENSORY_AUDIT_DEMO", "1")
    assert demo_mode()
    assert demo_may_serve("127.0.0.1")
    assert not demo_may_serve("0.0.0.0")
    monkeypatch.setenv("SENSORY_AUDIT_DEMO", "remote")
    assert demo_mode()
    assert demo_may_serve("0.0.0.0")


def _session_lasts(tmp_path: Path, *, idle: dt.timedelta, age: dt.timedelta) -> bool:
    """Sign in on a fresh store, let `idle` pass since the last use and `age` since signing in:
    does the session still hold?"""
    from sqlalchemy import select

    from assessments import repository
    from assessments.db import open_store
    from assessments.models import UserSession

    store = open_store(f"sqlite+pysqlite:///{tmp_path / 'accounts.db'}")
    try:
        with store.session() as session:
            if repository.command_line_user(session) is None:
                repository.create_first_admin(session, name="Ada", email="ada@example.test", password=PASSWORD)
            token = repository.sign_in(session, "ada@example.test", PASSWORD)
            for held in session.scalars(select(UserSession)):
                held.last_seen_at -= idle
                held.created_at -= age
                held.expires_at -= age
            session.commit()
            return repository.session_actor(session, token) is not None
    finally:
        store.dispose()


PASSWORD = "lamp quiet corner soft"


def check_idle_hours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = float(_configuration()["SENSORY_AUDIT_SESSION_IDLE_HOURS"].strip("`"))
    monkeypatch.delenv("SENSORY_AUDIT_SESSION_IDLE_HOURS", raising=False)
    hour = dt.timedelta(hours=1)
    assert _session_lasts(tmp_path, idle=(default - 0.1) * hour, age=dt.timedelta(0))
    assert not _session_lasts(tmp_path, idle=(default + 0.1) * hour, age=dt.timedelta(0))
    monkeypatch.setenv("SENSORY_AUDIT_SESSION_IDLE_HOURS", "1")
    assert not _session_lasts(tmp_path, idle=1.1 * hour, age=dt.timedelta(0))


def check_session_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = float(_configuration()["SENSORY_AUDIT_SESSION_DAYS"].strip("`"))
    monkeypatch.delenv("SENSORY_AUDIT_SESSION_DAYS", raising=False)
    day = dt.timedelta(days=1)
    assert _session_lasts(tmp_path, idle=dt.timedelta(0), age=(default - 0.1) * day)
    assert not _session_lasts(tmp_path, idle=dt.timedelta(0), age=(default + 0.1) * day)
    monkeypatch.setenv("SENSORY_AUDIT_SESSION_DAYS", "30")
    assert _session_lasts(tmp_path, idle=dt.timedelta(0), age=(default + 0.1) * day)


def check_lock_minutes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assessments.accounts import LOCK_AFTER, Policy

    default = float(_configuration()["SENSORY_AUDIT_LOCK_MINUTES"].strip("`"))
    assert "six failed sign-ins" in README
    assert LOCK_AFTER == 6
    monkeypatch.delenv("SENSORY_AUDIT_LOCK_MINUTES", raising=False)
    assert Policy.from_env().lock == dt.timedelta(minutes=default)
    monkeypatch.setenv("SENSORY_AUDIT_LOCK_MINUTES", "2")
    assert Policy.from_env().lock == dt.timedelta(minutes=2)
    # What the lock does is tested in tests/assessments/test_store_accounts.py.


def check_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli import app

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    command = ["export", "--org", "1", "--out", str(tmp_path / "org.json")]
    monkeypatch.delenv("SENSORY_AUDIT_USER", raising=False)
    default = runner.invoke(app, command)
    assert (default.exit_code, default.stderr.strip()) == (2, "the store has no administrator yet")
    monkeypatch.setenv("SENSORY_AUDIT_USER", "nobody@example.org")
    chosen = runner.invoke(app, command)
    assert (chosen.exit_code, chosen.stderr.strip()) == (2, "--as: no active user with the email nobody@example.org")


def check_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def run_command(*args: str) -> str:
        # --no-print-directory: under `make test` the outer make would add "Leaving directory" lines.
        done = subprocess.run(
            ["make", "--no-print-directory", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return next(line for line in reversed(done.stdout.splitlines()) if "streamlit run" in line)

    default = _configuration()["PORT"].strip("`")
    assert run_command().endswith(f"streamlit run app.py --server.port {default}")
    assert run_command("PORT=1234").endswith("streamlit run app.py --server.port 1234")


def check_smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SMTP settings and their README defaults (tests/assessments/test_store_mail.py sends through them)."""
    from assessments.mail import SmtpSettings, smtp_settings

    for name in ("HOST", "PORT", "FROM", "USER", "PASSWORD"):
        monkeypatch.delenv(f"SENSORY_AUDIT_SMTP_{name}", raising=False)
    assert _configuration()["SENSORY_AUDIT_SMTP_HOST"] == "(unset: no email)"
    assert smtp_settings() is None
    monkeypatch.setenv("SENSORY_AUDIT_SMTP_HOST", "mail.example")
    config = _configuration()
    assert smtp_settings() == SmtpSettings(
        host="mail.example", port=int(config["SENSORY_AUDIT_SMTP_PORT"].strip("`")),
        sender=config["SENSORY_AUDIT_SMTP_FROM"].strip("`"), user=None, password=None,
    )  # fmt: skip
    for name, value in (("PORT", "587"), ("FROM", "audit@example.org"), ("USER", "audit"), ("PASSWORD", "s3cret")):
        monkeypatch.setenv(f"SENSORY_AUDIT_SMTP_{name}", value)
    assert smtp_settings() == SmtpSettings("mail.example", 587, "audit@example.org", "audit", "s3cret")


def check_catalogue_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assessments.catalogue_versions import kept_versions
    from assessments.db import open_store
    from checklists.loader import DEFAULT_CATALOGUE_DIR, catalogue_dir, default_catalogue
    from tests.catalogue_versions import new_version

    assert _configuration()["SENSORY_AUDIT_CATALOGUE_DIR"] == "(unset: the shipped catalogue)"
    monkeypatch.delenv("SENSORY_AUDIT_CATALOGUE_DIR", raising=False)
    assert catalogue_dir() == DEFAULT_CATALOGUE_DIR
    folder = new_version(tmp_path)
    monkeypatch.setenv("SENSORY_AUDIT_CATALOGUE_DIR", str(folder))
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    default_catalogue.cache_clear()
    try:
        assert default_catalogue().version == "2027.1"
        store = open_store()
        with store.session() as session:
            assert [v.version for v in kept_versions(session)] == ["2027.1"]
        store.dispose()
    finally:
        default_catalogue.cache_clear()
    # How each assessment keeps its version is tested in tests/ui/test_catalogue_versions.py.


def check_calendar_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calendar_view = _screens_module("calendar_view")
    token = "t" * 43
    assert _configuration()["SENSORY_AUDIT_CALENDAR_URL"] == "(unset: the app's address + `/calendar/`)"
    monkeypatch.delenv("SENSORY_AUDIT_CALENDAR_URL", raising=False)
    app = "https://audit.example.org/inbox?s=abc"
    assert calendar_view.calendar_address(app, token) == f"https://audit.example.org/calendar/{token}.ics"
    monkeypatch.setenv("SENSORY_AUDIT_CALENDAR_URL", "https://calendars.example.org/calendar/")
    assert calendar_view.calendar_address(app, token) == f"https://calendars.example.org/calendar/{token}.ics"


BEHAVIOUR = {
    "SENSORY_AUDIT_CALENDAR_URL": check_calendar_url,
    "SENSORY_AUDIT_SMTP_HOST": check_smtp,
    "SENSORY_AUDIT_SMTP_PORT": check_smtp,
    "SENSORY_AUDIT_SMTP_FROM": check_smtp,
    "SENSORY_AUDIT_SMTP_USER": check_smtp,
    "SENSORY_AUDIT_SMTP_PASSWORD": check_smtp,
    "SENSORY_AUDIT_DATA_DIR": check_data_dir,
    "SENSORY_AUDIT_CATALOGUE_DIR": check_catalogue_dir,
    "DATABASE_URL": check_database_url,
    "SENSORY_AUDIT_DEMO": check_demo,
    "SENSORY_AUDIT_SESSION_IDLE_HOURS": check_idle_hours,
    "SENSORY_AUDIT_SESSION_DAYS": check_session_days,
    "SENSORY_AUDIT_LOCK_MINUTES": check_lock_minutes,
    "SENSORY_AUDIT_USER": check_user,
    "PORT": check_port,
}


@pytest.mark.parametrize("variable", sorted(BEHAVIOUR))
def test_documented_variable_does_what_the_readme_says(
    variable: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    BEHAVIOUR[variable](tmp_path, monkeypatch)
