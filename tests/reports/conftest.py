"""Fixtures of the report tests: the demo portfolio in a temporary SQLite store, loaded once per session,
and small hand-built reports for what the demo does not show (provisional scores, other scripts).

Reports are read back the way a person would check them: `pdftotext` and `pdftoppm` for PDFs,
openpyxl for the workbook, pandas for CSV, a JSON Schema for JSON.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.db import DATA_DIR_ENV, DATABASE_URL_ENV, Store, open_store
from assessments.demo import load_demo
from assessments.models import AssessmentStatus, Organisation, User
from assessments.repository import Actor
from checklists.loader import default_catalogue
from checklists.responses import NA, Answer, Flicker
from checklists.schema import Catalogue, ItemKind
from reports.collect import collect_report
from reports.data import ReportData, RoomReport, SiteReport, make_assessment, make_plan
from reports.images import shutdown
from reports.pdf import write_pdf_report

CONSULTANT = "consultant@demo.sensory-audit.test"


@dataclass(frozen=True)
class Demo:
    store: Store
    data_dir: Path
    user: Actor
    orgs: dict[str, int]  # organisation name -> id

    @property
    def clinic(self) -> int:
        return self.orgs["Riverside Community Health"]

    @property
    def school(self) -> int:
        return self.orgs["Hillview Primary School"]

    @property
    def office(self) -> int:
        return self.orgs["Harbour Street Partners"]


def _open_demo(folder: Path) -> Demo:
    store = open_store(f"sqlite+pysqlite:///{folder / 'sensory-audit.db'}")
    with store.session() as session:
        user = session.scalar(select(User).where(User.email == CONSULTANT))
        assert user is not None
        actor = Actor.of(user)
        orgs = {o.name: o.id for o in session.scalars(select(Organisation))}
    return Demo(store=store, data_dir=folder, user=actor, orgs=orgs)


@contextmanager
def data_folder(folder: Path) -> Iterator[None]:
    """Point the store's data folder (where photos live) at `folder` for a while, then put it back."""
    saved = {key: os.environ.get(key) for key in (DATA_DIR_ENV, DATABASE_URL_ENV)}
    os.environ[DATA_DIR_ENV] = str(folder)
    os.environ.pop(DATABASE_URL_ENV, None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the demo store and its photos, loaded once per session."""
    folder = tmp_path_factory.mktemp("demo-data")
    with data_folder(folder):
        store = open_store(f"sqlite+pysqlite:///{folder / 'sensory-audit.db'}")
        load_demo(store)
        store.dispose()
    return folder


@pytest.fixture(autouse=True)
def _demo_data_folder(demo_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each report test reads photos from the demo's data folder; other test packages never see it.
    monkeypatch.setenv(DATA_DIR_ENV, str(demo_folder))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


@pytest.fixture(scope="session")
def demo(demo_folder: Path) -> Iterator[Demo]:
    opened = _open_demo(demo_folder)
    yield opened
    opened.store.dispose()


@pytest.fixture
def demo_copy(demo_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Demo]:
    """A private copy of the demo store, for tests that add rooms or assessments."""
    folder = tmp_path / "data"
    shutil.copytree(demo_folder, folder)
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    opened = _open_demo(folder)
    yield opened
    opened.store.dispose()


@pytest.fixture(scope="session", autouse=True)
def _close_chromium() -> Iterator[None]:
    yield
    shutdown()


@pytest.fixture(scope="session")
def clinic_report(demo: Demo) -> ReportData:
    with data_folder(demo.data_dir), demo.store.session() as session:
        return collect_report(session, demo.user, org_id=demo.clinic)


@pytest.fixture(scope="session")
def clinic_pdf(clinic_report: ReportData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "clinic.pdf"
    write_pdf_report(clinic_report, out, consultant="Chris Okafor, Calm Spaces Consulting")
    return out


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as pdftotext reads it (whitespace runs folded to one space)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout
    return [" ".join(page.split()) for page in text.decode("utf-8").split("\f")[:-1]]


def pdf_page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def render_pages(path: Path, folder: Path, dpi: int = 50) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def good_answers(catalogue: Catalogue, setting: str, room_type: str, *, share: float = 1.0) -> dict[str, Answer]:
    """Answers that score well, for the first `share` of the room type's items (the rest stay unanswered)."""
    checklist = catalogue.checklist(setting, room_type)
    answers: dict[str, Answer] = {}
    items = checklist.items[: round(len(checklist.items) * share)]
    for resolved in items:
        item = resolved.item
        if item.kind is ItemKind.yes_no:
            answers[item.id] = bool(item.good_answer)
        elif item.kind is ItemKind.choice:
            answers[item.id] = (item.options or [])[-1].value
        elif item.kind is ItemKind.rating:
            answers[item.id] = 3
        elif item.kind is ItemKind.measurement and resolved.target is not None:
            lo, hi = resolved.target.ideal
            answers[item.id] = (float(lo if lo is not None else (hi or 0) * 0.9),)
        elif item.kind is ItemKind.flicker:
            answers[item.id] = Flicker(1.0, 100.0)
        elif item.allow_na:
            answers[item.id] = NA
    return answers


def handmade_report(catalogue: Catalogue | None = None) -> ReportData:
    """Two rooms with names in several scripts, each with a failed critical item: one complete and otherwise
    excellent (band capped at C), one provisional."""
    catalogue = catalogue or default_catalogue()
    complete = good_answers(catalogue, "clinic", "quiet_room")
    complete["lighting.flicker"] = Flicker(30.0, 100.0)  # high risk: a failed critical item in a fine room
    partial = good_answers(catalogue, "clinic", "waiting_room", share=0.5)
    partial["quiet_zones.retreat_space"] = False
    first = make_assessment(
        catalogue,
        id=101,
        room_id=11,
        setting="clinic",
        room_type="quiet_room",
        assessed_on=dt.date(2026, 3, 2),
        assessor="Zoë Ångström",
        status=AssessmentStatus.reviewed.value,
        answers=complete,
        notes={"lighting.dimmable": "Dimmer fitted; the café next door is quiet — très calme."},
    )
    second = make_assessment(
        catalogue,
        id=102,
        room_id=12,
        setting="clinic",
        room_type="waiting_room",
        assessed_on=dt.date(2026, 3, 3),
        assessor="Дарья Иванова",
        status=AssessmentStatus.submitted.value,
        answers=partial,
        provisional_reason="The sound meter was away for calibration.",
    )
    rooms = (
        RoomReport(
            id=11,
            name="Ruheraum für Kinder (Ελληνικά, Кабинет)",
            room_type="quiet_room",
            room_type_title="Quiet room",
            floor=1,
            capacity=2,
            site_id=5,
            site_name="Clínica São João",
            setting="clinic",
            assessments=(first,),
        ),
        RoomReport(
            id=12,
            name="غرفة الانتظار / प्रतीक्षा कक्ष",
            room_type="waiting_room",
            room_type_title="Waiting room",
            floor=0,
            capacity=12,
            site_id=5,
            site_name="Clínica São João",
            setting="clinic",
            assessments=(second,),
        ),
    )
    sites = (
        SiteReport(
            id=5, name="Clínica São João", setting="clinic", setting_title="Clinic", address="Rua Ç 1", rooms=rooms
        ),
    )
    return ReportData(
        organisation_id=9,
        organisation_name="Saúde Ünited",
        scope="Whole organisation",
        sites=sites,
        catalogue=catalogue,
        action_plan=make_plan(catalogue, sites),
        generated_at=dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC),
    )


def latest_reported(demo: Demo, room_id: int) -> int | None:
    """The id of a room's newest submitted or reviewed assessment, read through the store."""
    with demo.store.session() as session:
        finished = [
            a for a in repo.list_assessments(session, demo.user, room_id) if a.status is not AssessmentStatus.draft
        ]
    return max(finished, key=lambda a: (a.assessed_on, a.id)).id if finished else None
