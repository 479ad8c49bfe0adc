"""Signing in: how long a password sign-in takes (argon2 verify plus creating the session), and how long
a page view's session check takes.

Targets: a sign-in under 300 ms, a session check under 5 ms (medians, SQLite). Prints figures; asserts
nothing. Run with `make bench` or `python -m bench bench_signin`.

Argon2's verify is most of a sign-in. It is also shown on its own, in wall time and in the CPU time
of this process: on a machine busy with other work the wall time grows while the CPU time stays what
the parameters cost (the load average printed says how busy the machine was).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments import accounts  # noqa: E402
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
            sign_ins, sign_in_cpus = [], []
            token = ""
            for _ in range(SIGN_INS):
                with store.session() as s:
                    started, cpu = time.perf_counter(), time.process_time()
                    token = repo.sign_in(s, "bench@example.test", PASSWORD)
                    sign_ins.append(time.perf_counter() - started)
                    sign_in_cpus.append(time.process_time() - cpu)
            checks = []
            with store.session() as s:
                for _ in range(CHECKS):
                    started = time.perf_counter()
                    actor = repo.session_actor(s, token)
                    checks.append(time.perf_counter() - started)
                    assert actor is not None
        finally:
            store.dispose()
    hashed = accounts.hash_password(PASSWORD)
    walls, cpus = [], []
    for _ in range(SIGN_INS):
        wall, cpu = time.perf_counter(), time.process_time()
        accounts._HASHER.verify(hashed, PASSWORD)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"argon2id verify (t={accounts.ARGON2_TIME_COST}, m={accounts.ARGON2_MEMORY_KIB // 1024} MiB, "
        f"p={accounts.ARGON2_LANES}), median of {SIGN_INS}: {_median_ms(walls):.1f} ms wall, "
        f"{_median_ms(cpus):.1f} ms CPU (load average {load} on {os.cpu_count()} cores)"
    )
    print(
        f"sign-in (argon2 verify + session), median of {SIGN_INS}: {_median_ms(sign_ins):.1f} ms wall, "
        f"{_median_ms(sign_in_cpus):.1f} ms CPU (target < 300 ms)"
    )
    print(f"session check per page view, median of {CHECKS}: {_median_ms(checks):.2f} ms (target < 5 ms)")


if __name__ == "__main__":
    main()
