"""Organisation files on the Admin page: export one as JSON with its photos, and import one, all or nothing,
with every problem of a refused file listed. No Streamlit here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from assessments import repository, transfer
from assessments.db import Store
from assessments.errors import ImportProblems, StoreError
from assessments.repository import UserLike
from ui.reports_logic import slug

__all__ = ["SHOWN_PROBLEMS", "ExportFile", "ImportOutcome", "export_file", "import_file"]

# Problems of a refused organisation file listed on the page; the count says how many more there are.
SHOWN_PROBLEMS = 50


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes


def export_file(store: Store, user: UserLike, organisation_id: int, day: dt.date) -> ExportFile:
    """The organisation as JSON with its photos inside, named 'riverside-community-health-export-2026-11-22.json'.

    Raises StoreError when the user may not export it.
    """
    with store.session() as session:
        organisation = repository.get_organisation(session, user, organisation_id)
        document = transfer.export_organisation(session, user, organisation_id, include_photos=True)
    content = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return ExportFile(f"{slug(organisation.name)}-export-{day.isoformat()}.json", content)


@dataclass(frozen=True)
class ImportOutcome:
    ok: bool
    headline: str
    # Every problem found, each naming where it is: "sites[0].setting: unknown setting 'zoo' (...)".
    problems: tuple[str, ...] = field(default=())

    @property
    def shown(self) -> tuple[str, ...]:
        return self.problems[:SHOWN_PROBLEMS]

    @property
    def more(self) -> int:
        return max(0, len(self.problems) - SHOWN_PROBLEMS)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def import_file(store: Store, user: UserLike, content: bytes) -> ImportOutcome:
    """Import an exported organisation, all or nothing; any problem means nothing was written."""
    nothing = "Nothing was imported"
    try:
        data: Any = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ImportOutcome(False, f"{nothing}: the file is not text. Choose a .json file exported by sensory-audit.")
    except json.JSONDecodeError as error:
        return ImportOutcome(
            False, f"{nothing}: the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        )
    try:
        with store.session() as session:
            result = transfer.import_organisation(session, data, user=user)
    except ImportProblems as problems:
        found = _count(len(problems.problems), "problem")
        return ImportOutcome(
            False, f"{nothing}: the file has {found}. Fix them and import it again.", tuple(problems.problems)
        )
    except StoreError as error:
        return ImportOutcome(False, f"{nothing}: {error}")
    people = f"; {_count(result.users_created, 'person', 'people')} added" if result.users_created else ""
    return ImportOutcome(
        True,
        f"Imported “{result.organisation_name}”: {_count(result.sites, 'site')}, {_count(result.rooms, 'room')}, "
        f"{_count(result.assessments, 'assessment')}, {_count(result.responses, 'answer')}, "
        f"{_count(result.evidence, 'photo')} and {_count(result.actions, 'action')}{people}.",
    )
