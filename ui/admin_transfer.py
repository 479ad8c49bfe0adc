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
from ui.i18n import _, ngettext
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


def import_file(store: Store, user: UserLike, content: bytes) -> ImportOutcome:
    """Import an exported organisation, all or nothing; any problem means nothing was written."""
    try:
        data: Any = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ImportOutcome(
            False, _("Nothing was imported: the file is not text. Choose a .json file exported by sensory-audit.")
        )
    except json.JSONDecodeError as error:
        return ImportOutcome(
            False,
            _("Nothing was imported: the file is not valid JSON (line {line}, column {column}: {problem}).").format(
                line=error.lineno, column=error.colno, problem=error.msg
            ),
        )
    try:
        with store.session() as session:
            result = transfer.import_organisation(session, data, user=user)
    except ImportProblems as problems:
        count = len(problems.problems)
        found = ngettext(
            "Nothing was imported: the file has {count} problem. Fix them and import it again.",
            "Nothing was imported: the file has {count} problems. Fix them and import it again.",
            count,
        ).format(count=f"{count:,}")
        return ImportOutcome(False, found, tuple(problems.problems))
    except StoreError as error:
        return ImportOutcome(False, _("Nothing was imported: {problem}").format(problem=error))
    counts = {
        "sites": ngettext("{n} site", "{n} sites", result.sites),
        "rooms": ngettext("{n} room", "{n} rooms", result.rooms),
        "assessments": ngettext("{n} assessment", "{n} assessments", result.assessments),
        "answers": ngettext("{n} answer", "{n} answers", result.responses),
        "photos": ngettext("{n} photo", "{n} photos", result.evidence),
        "actions": ngettext("{n} action", "{n} actions", result.actions),
    }
    numbers = {
        "sites": result.sites, "rooms": result.rooms, "assessments": result.assessments,
        "answers": result.responses, "photos": result.evidence, "actions": result.actions,
    }  # fmt: skip
    said = {name: text.format(n=f"{numbers[name]:,}") for name, text in counts.items()}
    people = (
        ngettext("; {n} person added", "; {n} people added", result.users_created).format(n=f"{result.users_created:,}")
        if result.users_created
        else ""
    )
    return ImportOutcome(
        True,
        _("Imported “{name}”: {sites}, {rooms}, {assessments}, {answers}, {photos} and {actions}{people}.").format(
            name=result.organisation_name, people=people, **said
        ),
    )
