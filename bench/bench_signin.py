"""Signing in: how long a password sign-in takes (argon2 verify plus creating the session), and how long
a page view's session check takes.

Targets: a sign-in under 300 ms, a session check under 5 ms (medians, SQLite). Prints figures; asserts
nothing. Run with `make bench` or `python -m bench bench_signin`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments import repository as repo  # noqa: E402
from assessments.db import open_store  # noqa: E402

SIGN_INS = 20
CHECKS = 500
PASSWORD = "quiet lamp soft corner"


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite+pysqlite:///{Path(folder) / 'bench.db'}")
        try:
            with store.session() as s:
                repo.create_first_admin(s, name="Bench Admin", email="bench@example.test", password=PASSWORD)
            sign_ins = []
            token = ""
            for _ in range(SIGN_INS):
                with store.session() as s:
                    started = time.perf_counter()
                    token = repo.sign_in(s, "bench@example.test", PASSWORD)
                    sign_ins.append(time.perf_counter() - started)
            checks = []
            with store.session() as s:
                for _ in range(CHECKS):
                    started = time.perf_counter()
                    actor = repo.session_actor(s, token)
                    checks.append(time.perf_counter() - started)
                    assert actor is not None
        finally:
            store.dispose()
    print(f"sign-in (argon2 verify + session), median of {SIGN_INS}: {_median_ms(sign_ins):.1f} ms (target < 300 ms)")
    print(f"session check per page view, median of {CHECKS}: {_median_ms(checks):.2f} ms (target < 5 ms)")


if __name__ == "__main__":
    main()
