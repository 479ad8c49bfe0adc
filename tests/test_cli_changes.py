"""`sensory-audit changes` and `sensory-audit schedule` as a person runs them on the demo store: what
changed in a room equals the engine's scores, bad choices are refused plainly, and the calendar file
reads back with the rooms due and their dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from assessments import repository
from assessments.db import open_store
from assessments.schedule import DueState
from checklists.loader import default_catalogue
from cli import app
from reports.labels import format_date
from scoring.engine import score_assessment

runner = CliRunner()
MANAGER = "manager@demo.sensory-audit.test"
TEACHER = "teacher@demo.sensory-audit.test"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-changes")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SENSORY_AUDIT_DATA_DIR", str(folder))
        patch.delenv("DATABASE_URL", raising=False)
        assert run("demo")[0] == 0
    return folder


@pytest.fixture(autouse=True)
def _store(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(demo_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SENSORY_AUDIT_USER", raising=False)


def _history(room_id: int) -> list[tuple[int, dt.date, str]]:
    store = open_store()
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, MANAGER)
            assert manager is not None
            return [
                (a.id, a.assessed_on, a.status.value) for a in repository.list_assessments(session, manager, room_id)
            ]
    finally:
        store.dispose()


def _engine(assessment_id: int) -> object:
    store = open_store()
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, MANAGER)
            assert manager is not None
            return score_assessment(default_catalogue(), repository.scoring_input(session, manager, assessment_id))
    finally:
        store.dispose()


def _rooms() -> list[int]:
    store = open_store()
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, MANAGER)
            assert manager is not None
            return [r.id for r in repository.list_rooms(session, manager)]
    finally:
        store.dispose()


def _room_with_history() -> tuple[int, list[tuple[int, dt.date, str]]]:
    best = max(_rooms(), key=lambda r: len(_history(r)))
    return best, _history(best)


def test_changes_compares_the_latest_with_the_one_before_by_default(tmp_path: Path) -> None:
    room, history = _room_with_history()
    finished = [h for h in sorted(history, key=lambda h: (h[1], h[0])) if h[2] in ("submitted", "reviewed")]
    before, after = finished[-2], finished[-1]
    code, out, err = run("changes", "--room", str(room), "--as", MANAGER)
    assert code == 0, err
    assert f"{format_date(before[1])} to {format_date(after[1])} (assessments {before[0]} and {after[0]})" in out
    old, new = _engine(before[0]), _engine(after[0])
    assert f"{old.overall:.1f} -> {new.overall:>5.1f}" in out  # type: ignore[attr-defined]

    target = tmp_path / "changes.csv"
    code, out, err = run("changes", "--room", str(room), "--format", "csv", "--out", str(target), "--as", MANAGER)
    assert (code, out.strip()) == (0, f"Wrote {target}"), err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["from_assessment"] for r in rows} == {str(before[0])}
    for row in rows:
        expected_before = old.items[row["item_id"]].score  # type: ignore[attr-defined]
        expected_after = new.items[row["item_id"]].score  # type: ignore[attr-defined]
        assert (float(row["score_before"]) if row["score_before"] else None) == expected_before
        assert (float(row["score_after"]) if row["score_after"] else None) == expected_after


def test_any_two_assessments_as_json(tmp_path: Path) -> None:
    room, history = _room_with_history()
    first, last = history[0][0], history[-1][0]
    code, out, err = run(
        "changes", "--room", str(room), "--from", str(first), "--to", str(last), "--format", "json", "--as", MANAGER
    )
    assert code == 0, err
    document = json.loads(out)
    assert (document["from"]["assessment_id"], document["to"]["assessment_id"]) == (first, last)
    old, new = _engine(first), _engine(last)
    overall = next(s for s in document["scores"] if s["kind"] == "overall")
    assert (overall["before"], overall["after"]) == (old.overall, new.overall)  # type: ignore[attr-defined]
    assert sum(document["counts"].values()) == len(document["items"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1"], "give both --from and --to, or neither"),
        (["--from", "1", "--to", "1"], "Assessment 1 was chosen twice"),
        (["--as", TEACHER], "You do not have access to room"),
    ],
)
def test_bad_choices_are_refused_plainly(args: list[str], message: str) -> None:
    room, _ = _room_with_history()
    code, out, err = run("changes", "--room", str(room), *args)
    assert code == 2
    assert message in err
    assert out == ""
    assert "Traceback" not in err


def test_assessments_of_another_room_are_refused() -> None:
    room, history = _room_with_history()
    other = next(h[0] for r in _rooms() if r != room for h in _history(r))
    code, _, err = run(
        "changes", "--room", str(room), "--from", str(history[0][0]), "--to", str(other), "--as", MANAGER
    )
    assert code == 2
    assert "are of different rooms" in err


def test_schedule_lists_rooms_due_and_writes_their_calendar(tmp_path: Path) -> None:
    today = dt.date(2026, 12, 1)
    store = open_store()
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, MANAGER)
            assert manager is not None
            expected = repository.room_schedule(session, manager, today=today)
    finally:
        store.dispose()
    due = [r for r in expected if r.state is not DueState.later]
    assert due
    calendar_file = tmp_path / "due.ics"
    code, out, err = run("schedule", "--today", today.isoformat(), "--ics", str(calendar_file), "--as", MANAGER)
    assert code == 0, err
    for room in due:
        assert f"{room.room_name}" in out
        assert format_date(room.due_on) in out
    assert out.strip().endswith(f"Wrote {calendar_file}: {len(expected)} rooms")
    calendar = icalendar.Calendar.from_ical(calendar_file.read_bytes())
    events = {str(e.get("summary")): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert events == {f"Re-assess {r.room_name} ({r.site_name})": r.due_on for r in expected}
    # The teacher sees the school only, in the listing and in the calendar.
    school_file = tmp_path / "school.ics"
    code, out, err = run("schedule", "--today", today.isoformat(), "--all", "--ics", str(school_file), "--as", TEACHER)
    assert code == 0, err
    school = icalendar.Calendar.from_ical(school_file.read_bytes())
    sites = {str(e.get("summary")).rsplit("(", 1)[1].rstrip(")") for e in school.walk("VEVENT")}
    assert sites == {"Hillview Primary School"}


def test_schedule_refuses_a_bad_day_and_a_bad_file_name(tmp_path: Path) -> None:
    code, _, err = run("schedule", "--today", "1 Dec")
    assert code == 2
    assert "--today: expected a date as YYYY-MM-DD, got '1 Dec'" in err
    code, _, err = run("schedule", "--ics", str(tmp_path / "due.txt"))
    assert code == 2
    assert "a calendar file ends in .ics" in err
