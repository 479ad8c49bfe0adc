"""Configuration, engines and migrations of the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from assessments.db import (
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    Store,
    _alembic_config,
    data_dir,
    database_url,
    downgrade,
    make_engine,
    open_store,
    upgrade,
)
from assessments.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_with_nothing_set_the_store_is_a_sqlite_file_under_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert data_dir() == tmp_path / "data"
    assert database_url() == f"sqlite+pysqlite:///{tmp_path}/data/sensory-audit.db"
    store = open_store()
    try:
        assert (tmp_path / "data" / "sensory-audit.db").exists()
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert "assessments" in inspect(store.engine).get_table_names()
    finally:
        store.dispose()


def test_environment_variables_move_the_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert database_url() == f"sqlite+pysqlite:///{tmp_path}/elsewhere/sensory-audit.db"
    for given in ("postgres://u:p@db:5432/audit", "postgresql://u:p@db:5432/audit"):
        monkeypatch.setenv(DATABASE_URL_ENV, given)
        assert database_url() == "postgresql+psycopg://u:p@db:5432/audit"
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://u@db/audit")
    assert database_url() == "postgresql+psycopg://u@db/audit"


def test_the_migrations_build_exactly_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_run_down_and_up_again_and_upgrade_is_idempotent(store: Store) -> None:
    upgrade(store.engine)  # already at head: nothing to do
    downgrade(store.engine, "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    upgrade(store.engine)
    with store.engine.connect() as connection:
        heads = ScriptDirectory.from_config(_alembic_config()).get_heads()
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == heads


def test_the_alembic_command_line_uses_the_ini_inside_the_package(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != DATABASE_URL_ENV}
    env[DATA_DIR_ENV] = str(tmp_path)
    ini = ROOT / "assessments" / "alembic.ini"
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ini), "upgrade", "head"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    engine = make_engine(f"sqlite+pysqlite:///{tmp_path}/sensory-audit.db")
    try:
        assert "responses" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
