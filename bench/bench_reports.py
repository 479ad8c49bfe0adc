"""Report benchmarks: the PDF of the demo clinic, a PDF of 50 rooms, and the workbook of 1,000 rooms.

Targets (issue #6): the 50-room PDF under 30 s; the 1,000-room workbook under 10 s. Each figure is
the whole `build_report` call a user waits for (gathering and scoring from a SQLite store, then
writing), split into its two steps. Larger portfolios are copies of the demo school's rooms, imported
through the store like any organisation file. Prints figures; asserts nothing.
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments.db import DATA_DIR_ENV, Store, open_store  # noqa: E402
from assessments.demo import demo_documents, load_demo  # noqa: E402
from assessments.models import Organisation, User  # noqa: E402
from assessments.repository import Actor  # noqa: E402
from assessments.transfer import import_organisation  # noqa: E402
from reports.collect import collect_report  # noqa: E402
from reports.data import ReportData  # noqa: E402
from reports.excel import write_workbook  # noqa: E402
from reports.images import shutdown  # noqa: E402
from reports.pdf import write_pdf_report  # noqa: E402
from reports.tabular import write_csv, write_json  # noqa: E402

CONSULTANT = "consultant@demo.sensory-audit.test"


def _portfolio(name: str, rooms: int, *, photos: bool) -> dict[str, Any]:
    """An organisation file with `rooms` rooms copied from the demo school (2 to 4 assessments each)."""
    school = next(d for d in demo_documents() if d["sites"][0]["setting"] == "school")
    document = copy.deepcopy(school)
    document["organisation"] = {"name": name}
    site = document["sites"][0]
    template = site["rooms"]
    copies = []
    for n in range(rooms):
        room = copy.deepcopy(template[n % len(template)])
        room["name"] = f"{room['name']} {n // len(template) + 1:03d}"
        if not photos or n >= len(template):
            for assessment in room["assessments"]:
                assessment["evidence"] = []
        copies.append(room)
    site["name"] = f"{name} campus"
    site["rooms"] = copies
    return document


def _timed(what: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = what()
    return result, time.perf_counter() - start


def _organisation(store: Store, name: str) -> int:
    with store.session() as session:
        found = session.scalar(select(Organisation.id).where(Organisation.name == name))
        assert found is not None
        return found


def _collect(
    store: Store, user: Actor, org_id: int, *, photos: bool = True, notes: Literal["all", "latest"] = "all"
) -> tuple[ReportData, float]:
    """Gather and score as `build_report` does for the format (the workbook: latest notes, no photos)."""
    with store.session() as session:
        result: tuple[ReportData, float] = _timed(
            lambda: collect_report(session, user, org_id=org_id, photos=photos, notes=notes)
        )
        return result


def _pdf(label: str, store: Store, user: Actor, org_id: int, folder: Path, target: float | None) -> None:
    data, collect = _collect(store, user, org_id)
    out = folder / f"{label}.pdf"
    _, write = _timed(lambda: write_pdf_report(data, out, consultant="Bench Consultant"))
    total = collect + write
    goal = f"; target < {target:g} s" if target else ""
    print(
        f"PDF, {label}: {len(data.assessed_rooms)} rooms, {total:.1f} s (gather and score {collect:.1f} s, "
        f"charts and pages {write:.1f} s; {out.stat().st_size / 1e6:.1f} MB{goal})",
        flush=True,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        os.environ[DATA_DIR_ENV] = str(folder)
        store = open_store(f"sqlite+pysqlite:///{folder / 'sensory-audit.db'}")
        load_demo(store)
        with store.session() as session:
            user = session.scalar(select(User).where(User.email == CONSULTANT))
            assert user is not None
            consultant = Actor.of(user)
        # The first chart starts Chromium (about 2 s, once per process); keep it out of the figures.
        from reports.figures import band_distribution
        from reports.images import figure_png

        figure_png(band_distribution(["A"]), 200, 100)

        _pdf("the demo clinic", store, consultant, _organisation(store, "Riverside Community Health"), folder, None)

        with store.session() as session:
            _, seconds = _timed(lambda: import_organisation(session, _portfolio("Fifty Rooms", 50, photos=True)))
        print(f"(setup: 50 rooms imported in {seconds:.1f} s)", flush=True)
        _pdf("50 rooms", store, consultant, _organisation(store, "Fifty Rooms"), folder, 30)

        with store.session() as session:
            _, seconds = _timed(lambda: import_organisation(session, _portfolio("Thousand Rooms", 1000, photos=False)))
        print(f"(setup: 1,000 rooms imported in {seconds:.1f} s)", flush=True)
        org_id = _organisation(store, "Thousand Rooms")
        data, collect = _collect(store, consultant, org_id, photos=False, notes="latest")
        _, write = _timed(lambda: write_workbook(data, folder / "thousand.xlsx"))
        responses = sum(len(a.items) for a in data.assessments)
        print(
            f"Excel, 1,000 rooms ({len(data.assessments):,} assessments, {responses:,} response rows): "
            f"{collect + write:.1f} s (gather and score {collect:.1f} s, write {write:.1f} s; target < 10 s)",
            flush=True,
        )
        data, collect = _collect(store, consultant, org_id, photos=False, notes="all")
        _, csv_time = _timed(lambda: write_csv(data, folder / "thousand.csv"))
        _, json_time = _timed(lambda: write_json(data, folder / "thousand.json"))
        print(
            f"CSV and JSON of the same 1,000 rooms (every assessment's notes: gather and score {collect:.1f} s): "
            f"write {csv_time:.1f} s and {json_time:.1f} s",
            flush=True,
        )
        store.dispose()
        shutdown()


if __name__ == "__main__":
    main()
