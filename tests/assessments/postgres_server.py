"""A throwaway PostgreSQL server for the store tests and the store benchmark.

It runs from a temporary folder on 127.0.0.1 and a free port, with its socket in that folder, and
is stopped by its process id. `initdb` refuses to run as root, so as root the server runs as the
`postgres` system user (the Debian package creates it).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

__all__ = ["PostgresUnavailableError", "TemporaryPostgres", "find_bin_dir"]


class PostgresUnavailableError(RuntimeError):
    """The machine has no PostgreSQL, or the server did not start; the message says which."""


def find_bin_dir() -> Path | None:
    """Debian's /usr/lib/postgresql/<version>/bin (newest first), else initdb on PATH."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TemporaryPostgres:
    def __init__(self, database: str = "sensory_audit_test") -> None:
        self.database = database
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def _as_postgres(self) -> dict[str, Any]:
        if os.geteuid() != 0:
            return {}
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailableError("running as root and there is no 'postgres' user for initdb") from None
        return {"user": "postgres", "group": "postgres"}

    def start(self) -> str:
        """Create, start and return the SQLAlchemy URL of a fresh database; raise PostgresUnavailableError."""
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise PostgresUnavailableError("initdb not found (install the postgresql package)")
        as_postgres = self._as_postgres()
        self.folder = Path(tempfile.mkdtemp(prefix="sensory-audit-pg-"))
        data = self.folder / "data"
        if as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        log = self.folder / "server.log"
        init = subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-sync", "--no-instructions"],
            capture_output=True, cwd=self.folder, check=False, **as_postgres,
        )  # fmt: skip
        if init.returncode != 0:
            self.stop()
            raise PostgresUnavailableError(f"initdb failed: {init.stderr.decode(errors='replace').strip()[-500:]}")
        self.port = _free_port()
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(data), "-p", str(self.port), "-k", str(self.folder),
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=60"],
                stdout=out, stderr=subprocess.STDOUT, cwd=self.folder, **as_postgres,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self._dsn("postgres"), autocommit=True, connect_timeout=2) as connection:
                    connection.execute(f'CREATE DATABASE "{self.database}"')
                break
            except psycopg.OperationalError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text(errors="replace")[-800:] if log.exists() else str(error)
                    self.stop()
                    raise PostgresUnavailableError(f"the server did not start: {text}") from None
                time.sleep(0.1)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.database}"

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server by its process id (immediate shutdown) and remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
