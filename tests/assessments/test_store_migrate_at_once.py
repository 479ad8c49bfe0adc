"""Two app instances starting at once on an empty PostgreSQL database migrate it once.

Both processes run the release step (`sensory-audit db upgrade`, the same `upgrade` the app runs
when it opens the store). The test holds the migration lock itself until PostgreSQL shows both
processes waiting for it, so they really arrive together, then lets go: one migrates from empty to
the newest schema, the other finds it done, and the schema is whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import inspect, text

from assessments.db import DATABASE_URL_ENV, MIGRATION_LOCK, make_engine
from assessments.models import Base
from tests.assessments.conftest import HEAD_REVISION
from tests.assessments.postgres_server import TemporaryPostgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def _waiting_for_lock(connection: psycopg.Connection[tuple[object, ...]]) -> int:
    row = connection.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted", [MIGRATION_LOCK]
    ).fetchone()
    return int(row[0]) if row else 0


def test_two_instances_starting_at_once_migrate_an_empty_database_once(postgres_server: TemporaryPostgres) -> None:
    url = postgres_server.create_database("migrate_at_once")
    env = {**os.environ, DATABASE_URL_ENV: url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "import cli; cli.main()", "db", "upgrade"]
    dsn = f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname=migrate_at_once"
    with psycopg.connect(dsn, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        instances = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        try:
            deadline = time.monotonic() + 60
            while _waiting_for_lock(holder) < 2:
                assert all(p.poll() is None for p in instances), "an instance ended before reaching the lock"
                assert time.monotonic() < deadline, "the two instances did not both wait for the migration lock"
                time.sleep(0.05)
        finally:
            holder.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
        results = [p.communicate(timeout=120) for p in instances]
    assert [p.returncode for p in instances] == [0, 0], results
    said = sorted(out.strip() for out, _ in results)
    assert said == sorted(
        [
            f"PostgreSQL at 127.0.0.1:{postgres_server.port}/migrate_at_once: migrated the schema from empty to "
            f"{HEAD_REVISION}.",
            f"PostgreSQL at 127.0.0.1:{postgres_server.port}/migrate_at_once: the schema is already at "
            f"{HEAD_REVISION}; nothing to do.",
        ]
    ), said

    engine = make_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
                HEAD_REVISION
            ]
    finally:
        engine.dispose()
