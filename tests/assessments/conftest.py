"""Database fixtures of the store tests: every `store` test runs on SQLite and on PostgreSQL.

SQLite gets a fresh file per test, copied from one migrated at the start. PostgreSQL is a
temporary server started once per test session (see postgres_server.py), migrated once, and
emptied with TRUNCATE before each test. Without PostgreSQL the postgresql half is skipped
locally, but fails when CI=true: CI must run it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

import assessments
from assessments.db import DATA_DIR_ENV, DATABASE_URL_ENV, Store, make_engine, session_factory, upgrade
from assessments.models import Base, Organisation, Role, Room, Site, User
from assessments.repository import Actor
from tests.assessments.postgres_server import PostgresUnavailableError, TemporaryPostgres

# The newest migration, which a migrated store records in alembic_version.
HEAD_REVISION = ScriptDirectory(str(Path(assessments.__file__).parent / "migrations")).get_current_head()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    server = TemporaryPostgres()
    try:
        server.start()
    except PostgresUnavailableError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must run in CI but could not start: {error}")
        pytest.skip(f"PostgreSQL is not available here: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: TemporaryPostgres) -> str:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{postgres_server.port}/{postgres_server.database}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sensory-audit.db"
    engine = make_engine(f"sqlite+pysqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection folds the WAL back into the file
    return path


def _truncate(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        heads = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        connection.execute(text(f"TRUNCATE {tables}, alembic_version RESTART IDENTITY CASCADE"))
        # alembic_version was emptied too; put the head revisions back so upgrade() is a no-op
        for head in heads:
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path
) -> Iterator[Store]:
    """An empty, migrated store; the data folder (photos) is the test's own temporary folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    if request.param == "sqlite":
        (tmp_path / "data").mkdir()
        database = tmp_path / "data" / "sensory-audit.db"
        shutil.copyfile(sqlite_template, database)
        url = f"sqlite+pysqlite:///{database}"
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate(url)
    engine = make_engine(url)
    store = Store(engine=engine, sessions=session_factory(engine))
    yield store
    store.dispose()


@dataclass(frozen=True)
class World:
    """Two organisations with a site and rooms each, and users of every role in the first."""

    org_a: int
    org_b: int
    site_a: int
    site_b: int
    room_a: int  # a classroom of the school of organisation A
    room_a2: int  # its quiet room
    room_b: int  # a waiting room of the clinic of organisation B
    admin: Actor
    manager_a: Actor
    staff_a: Actor
    consultant_a: Actor
    staff_b: Actor
    manager_b: Actor


@pytest.fixture
def world(store: Store) -> World:
    with store.session() as session:
        org_a, org_b = Organisation(name="Hillview Trust"), Organisation(name="Riverside Health")
        session.add_all([org_a, org_b])
        site_a = Site(organisation=org_a, name="Hillview Primary", setting="school")
        site_b = Site(organisation=org_b, name="Riverside Clinic", setting="clinic")
        room_a = Room(site=site_a, name="Year 3", room_type="classroom", floor=1, capacity=30)
        room_a2 = Room(site=site_a, name="Calm room", room_type="quiet_room", floor=0, capacity=3)
        room_b = Room(site=site_b, name="Waiting room", room_type="waiting_room", floor=0, capacity=20)
        people = {
            "admin": User(name="Ada Admin", email="admin@example.test", role=Role.admin),
            "manager_a": User(name="Mo Manager", email="mo@a.test", role=Role.manager, organisations=[org_a]),
            "staff_a": User(name="Sam Staff", email="sam@a.test", role=Role.staff, organisations=[org_a]),
            "consultant_a": User(name="Cy Consultant", email="cy@a.test", role=Role.consultant, organisations=[org_a]),
            "staff_b": User(name="Bea Staff", email="bea@b.test", role=Role.staff, organisations=[org_b]),
            "manager_b": User(name="Ben Manager", email="ben@b.test", role=Role.manager, organisations=[org_b]),
        }
        session.add_all([site_a, site_b, room_a, room_a2, room_b, *people.values()])
        session.commit()
        actors = {key: Actor.of(user) for key, user in people.items()}
        return World(
            org_a=org_a.id, org_b=org_b.id, site_a=site_a.id, site_b=site_b.id,
            room_a=room_a.id, room_a2=room_a2.id, room_b=room_b.id, **actors,
        )  # fmt: skip


TODAY = dt.date(2026, 10, 1)
