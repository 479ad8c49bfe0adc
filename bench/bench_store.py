"""Store benchmarks: how long saving one answer takes (checked against the assessment's version, and
against the item's own answer version as two assessors on one assessment save), and loading 10,000
assessments into the portfolio frames.

Targets: a save under 20 ms (median, SQLite), the load under 3 s. Prints figures; asserts nothing.
Run with `make bench` or `python -m bench bench_store`. PostgreSQL figures come from a temporary
server when the machine has PostgreSQL (or from DATABASE_URL when set).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments import repository as repo  # noqa: E402
from assessments.db import DATA_DIR_ENV, Store, open_store  # noqa: E402
from assessments.demo import demo_documents  # noqa: E402
from assessments.models import Assessment, AssessmentStatus, Organisation, Role, Room, Site, User  # noqa: E402
from checklists.loader import default_catalogue  # noqa: E402
from checklists.responses import parse_answer  # noqa: E402
from checklists.stored_answers import answer_rows  # noqa: E402

SAVES = 300
ASSESSMENTS = 10_000
ROOMS = 500


def _world(store: Store) -> tuple[repo.Actor, int]:
    """One organisation, one school, 500 classrooms; returns the admin and a room id."""
    with store.session() as s:
        org = Organisation(name="Bench Trust")
        admin = User(name="Bench Admin", email="bench@example.test", role=Role.admin, organisations=[org])
        site = Site(organisation=org, name="Bench School", setting="school")
        rooms = [Room(site=site, name=f"Room {n:03d}", room_type="classroom") for n in range(ROOMS)]
        s.add_all([org, admin, site, *rooms])
        s.commit()
        return repo.Actor.of(admin), rooms[0].id


def bench_save(store: Store, label: str) -> None:
    """Saving one answer, checked two ways, taken in turns: against the assessment's version (one
    tablet at a time) and against the item's own answer version (two assessors on one assessment)."""
    admin, room_id = _world(store)
    items = [("noise.background_level", 30.0), ("lighting.illuminance", [420, 610]), ("lighting.glare", "yes"),
             ("lighting.flicker", {"percent": 2, "frequency_hz": 100}), ("textures.natural_materials", 3)]  # fmt: skip
    timings: dict[str, list[float]] = {"assessment version": [], "answer version": []}
    with store.session() as s:
        assessment = repo.start_assessment(s, admin, room_id, dt.date(2026, 10, 1))
        version = assessment.version_id
        stamps: dict[str, int] = {}
        for n in range(SAVES):
            item, value = items[n % len(items)]
            if isinstance(value, float):
                value = value + n % 10
            per_answer = n % 2 == 1
            started = time.perf_counter()
            if per_answer:
                version = repo.save_answer(s, admin, assessment.id, item, value, None,
                                           answer_version=stamps.get(item, 0))  # fmt: skip
            else:
                version = repo.save_answer(s, admin, assessment.id, item, value, version)
            timings["answer version" if per_answer else "assessment version"].append(time.perf_counter() - started)
            stamps[item] = version
    for way, times in timings.items():
        times.sort()
        print(
            f"save one answer ({label}, checked against the {way}): median {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms over {len(times)} saves (target < 20 ms on SQLite)"
        )


def _answer_templates() -> list[list[tuple[str, int, bool, float | None, float | None, str | None]]]:
    """The answer rows of the demo's classroom assessments, reused to fill the big portfolio."""
    checklist = default_catalogue().checklist("school", "classroom").by_id()
    templates = []
    for document in demo_documents():
        for site in document["sites"]:
            for room in site["rooms"]:
                if room["room_type"] != "classroom":
                    continue
                for a in room["assessments"]:
                    rows = []
                    for item_id, raw in a["responses"].items():
                        answer = parse_answer(checklist[item_id], raw)
                        for seq, row in enumerate(answer_rows(answer)):
                            rows.append((item_id, seq, *row))
                    templates.append(rows)
    return templates


def _fill(store: Store) -> repo.Actor:
    admin, _ = _world(store)
    templates = _answer_templates()
    with store.session() as s:
        room_ids = list(s.scalars(select(Room.id).order_by(Room.id)))
        start, now = dt.date(2024, 1, 1), dt.datetime.now(dt.UTC)
        heads = [
            {"room_id": room_ids[n % ROOMS], "assessor": "Bench Admin", "assessed_on": start + dt.timedelta(n // ROOMS),
             "status": AssessmentStatus.reviewed, "catalogue_version": "bench", "version_id": 1,
             "created_at": now, "updated_at": now}
            for n in range(ASSESSMENTS)
        ]  # fmt: skip
        s.execute(insert(Assessment), heads)
        ids = list(s.scalars(select(Assessment.id).order_by(Assessment.id)))
        rows = [(assessment_id, *row) for n, assessment_id in enumerate(ids) for row in templates[n % len(templates)]]
        if store.engine.dialect.name == "postgresql":
            # Filling goes through the drivers: half a million rows through the ORM take a minute.
            cursor = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
            columns = "assessment_id, item_id, seq, na, num, freq, text"
            with cursor.copy(f"COPY answer_rows ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor = s.connection().connection.cursor()
            cursor.executemany("INSERT INTO answer_rows VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            cursor.close()
        s.commit()
    return admin


def bench_load(store: Store, label: str) -> None:
    started = time.perf_counter()
    admin = _fill(store)
    filled = time.perf_counter() - started
    timings = []
    rows = 0
    for _ in range(3):
        with store.session() as s:
            started = time.perf_counter()
            head, answers = repo.load_portfolio_frames(s, admin)
            timings.append(time.perf_counter() - started)
            rows = len(answers)
    print(
        f"load {len(head):,} assessments with {rows:,} answer rows into the portfolio frames ({label}): "
        f"median {statistics.median(timings):.2f} s of 3 (target < 3 s; filling took {filled:.1f} s)"
    )


@contextmanager
def _sqlite() -> Iterator[Store]:
    with tempfile.TemporaryDirectory(prefix="sensory-audit-bench-") as folder:
        previous = os.environ.get(DATA_DIR_ENV)
        os.environ[DATA_DIR_ENV] = folder
        store = open_store(f"sqlite+pysqlite:///{folder}/bench.db")
        try:
            yield store
        finally:
            store.dispose()
            if previous is None:
                del os.environ[DATA_DIR_ENV]
            else:
                os.environ[DATA_DIR_ENV] = previous


@contextmanager
def _postgres() -> Iterator[Store | None]:
    from tests.assessments.postgres_server import PostgresUnavailableError, TemporaryPostgres

    server = TemporaryPostgres(database="sensory_audit_bench")
    try:
        url = server.start()
    except PostgresUnavailableError as error:
        print(f"PostgreSQL skipped: {error}")
        yield None
        return
    try:
        store = open_store(url)
        try:
            yield store
        finally:
            store.dispose()
    finally:
        server.stop()


def main() -> None:
    with _sqlite() as store:
        bench_save(store, "SQLite")
    with _sqlite() as store:
        bench_load(store, "SQLite")
    with _postgres() as pg:
        if pg is not None:
            bench_save(pg, "PostgreSQL")
    with _postgres() as pg:
        if pg is not None:
            bench_load(pg, "PostgreSQL")


if __name__ == "__main__":
    main()
