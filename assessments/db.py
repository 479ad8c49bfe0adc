"""Where the store lives and how to open it: configuration, engines, sessions and migrations.

With nothing configured the store is a SQLite file `sensory-audit.db` in the data folder
(`./data`, or `SENSORY_AUDIT_DATA_DIR`), in WAL mode, created on first use. `DATABASE_URL`
points the store at PostgreSQL (through psycopg 3) for several users and app instances.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "WRITE_OPTION",
    "Store",
    "data_dir",
    "database_url",
    "describe_database",
    "downgrade",
    "make_engine",
    "open_store",
    "schema_revision",
    "session_factory",
    "upgrade",
]

DATABASE_URL_ENV = "DATABASE_URL"
DATA_DIR_ENV = "SENSORY_AUDIT_DATA_DIR"
DATABASE_FILE = "sensory-audit.db"
# How long a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# A connection execution option: set on a session's connection before its transaction begins, it
# makes SQLite take the write lock at BEGIN (see make_engine).
WRITE_OPTION = "sensory_audit_write"

# The PostgreSQL advisory lock held while the schema is migrated (any number the app uses for nothing else).
MIGRATION_LOCK = 6150001

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder for the SQLite file and the evidence photos (not created here)."""
    return Path(os.environ.get(DATA_DIR_ENV) or "data").expanduser().absolute()


def database_url() -> str:
    """DATABASE_URL if set (postgres:// and postgresql:// mean psycopg 3), else the SQLite file."""
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return _normalise(configured)
    return URL.create("sqlite+pysqlite", database=str(data_dir() / DATABASE_FILE)).render_as_string()


def describe_database(url: str | None = None) -> str:
    """Where the store is, in words for messages: 'the SQLite file ...' or 'PostgreSQL at host:port/db'."""
    parsed = make_url(_normalise(url or database_url()))
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database}"
    return f"PostgreSQL at {parsed.host}:{parsed.port or 5432}/{parsed.database}"


def _normalise(url: str) -> str:
    # Hosting platforms hand out postgres://; SQLAlchemy would pick psycopg2 for postgresql://.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for the store; SQLite gets WAL, foreign keys, a busy timeout and write-locking BEGINs."""
    url = _normalise(url or database_url())
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)

    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module, so BEGIN is ours (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # In WAL mode NORMAL loses nothing when the app dies, only on a power cut, and saves an fsync.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A transaction that reads and later writes would fail at once (no busy wait) if another
        # writer committed in between; writers therefore take the write lock when they begin.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit: the repository commits inside each write.
    return sessionmaker(bind=engine, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config(str(_PACKAGE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(_PACKAGE_DIR / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the database schema up to `revision` (the newest by default) with the Alembic migrations.

    Returns the schema's revision before and after (None: no schema yet); the same twice when there
    was nothing to do. With PostgreSQL the upgrade holds an advisory lock, so when several app
    instances start at once on one database, one migrates and the others wait and find it done.
    """
    return _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` ("base" drops every table): for developers, never run by the app."""
    _migrate(engine, command.downgrade, revision)


def schema_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _migrate(engine: Engine, step: Callable[[Config, str], None], revision: str) -> tuple[str | None, str | None]:
    config = _alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several app instances may start at once; only one migrates, the others wait for it.
            # The revision is read after the lock is held, so a waiter sees the winner's schema.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        step(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
    return before, after


@dataclass
class Store:
    """An opened store: the engine and the session maker every screen and command uses."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Open the configured store (creating the SQLite file on first use) and upgrade its schema."""
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return Store(engine=engine, sessions=session_factory(engine))
