"""The re-assessment schedule in words: the Overview's and the command line's rows, in English as
`sensory-audit schedule` prints them, and in the reader's language."""

from __future__ import annotations

import datetime as dt

from assessments.schedule import DueBasis, DueState, RoomDue
from checklists.i18n import using
from checklists.loader import default_catalogue
from reports.schedule import schedule_rows


def room(name: str, basis: DueBasis, state: DueState, months: int = 12) -> RoomDue:
    last = None if basis is DueBasis.never else dt.date(2025, 9, 3)
    return RoomDue(
        room_id=1, room_name=name, room_type="classroom", setting="school", site_id=1, site_name="Hillview",
        organisation_id=1, organisation_name="Hillview Trust", last_assessed=last, months=months,
        due_on=dt.date(2026, 9, 3), basis=basis, state=state,
    )  # fmt: skip


ROOMS = [
    room("Year 3", DueBasis.interval, DueState.overdue),
    room("Year 4", DueBasis.interval, DueState.due, months=1),
    room("Calm room", DueBasis.never, DueState.later),
    room("Hall", DueBasis.actions, DueState.due),
]


def test_the_rows_in_english() -> None:
    rows = schedule_rows(default_catalogue(), ROOMS)
    assert [(r.state, r.why, r.room_type) for r in rows] == [
        ("overdue", "12 months after 3 Sep 2025", "Classroom"),
        ("due soon", "1 month after 3 Sep 2025", "Classroom"),
        ("later", "not assessed yet", "Classroom"),
        ("due soon", "its planned fixes are done: check that they worked", "Classroom"),
    ]


def test_the_rows_in_the_readers_language() -> None:
    with using("fr"):
        french = schedule_rows(default_catalogue(), ROOMS)
    with using("de"):
        german = schedule_rows(default_catalogue(), ROOMS)
    assert [(r.state, r.why) for r in french[:3]] == [
        ("en retard", "12 mois après le 3 septembre 2025"),
        ("bientôt dû", "1 mois après le 3 septembre 2025"),
        ("plus tard", "pas encore évaluée"),
    ]
    assert french[0].room_type == "Salle de classe"
    assert [r.why for r in german[:2]] == ["12 Monate nach dem 3. September 2025", "1 Monat nach dem 3. September 2025"]
    assert german[0].state == "überfällig"
