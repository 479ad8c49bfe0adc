"""The role table: what each role may do in the store and which screens it is offered.

This is data, read by the store's checks (`assessments.access`), by the navigation (`ui.navigation`)
and by the tests; docs/roles.md shows the same table and a test compares the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assessments.models import Role

__all__ = ["ACTIONS", "SCREENS_BY_ROLE", "Action", "Reach", "allowed"]

# "own": in the organisations the person belongs to (a consultant: those they are granted);
# "all": in every organisation.
Reach = Literal["own", "all"]


@dataclass(frozen=True)
class Action:
    key: str
    # How docs/roles.md words the action.
    text: str
    reach: dict[Role, Reach]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(self.reach)


def _reach(*roles: Role) -> dict[Role, Reach]:
    return {role: ("all" if role is Role.admin else "own") for role in roles}


# In the order of the table in docs/roles.md ("What each role may do").
ACTIONS: tuple[Action, ...] = (
    Action(
        "read",
        "read sites, rooms, assessments, answers, photos and scores",
        _reach(Role.staff, Role.manager, Role.consultant, Role.viewer, Role.admin),
    ),
    Action(
        "assess",
        "start an assessment; answer, note, add photos and submit while it is a draft; "
        "import a field round's submissions",
        _reach(Role.staff, Role.manager, Role.consultant, Role.admin),
    ),
    Action(
        "review",
        "change a submitted assessment, review it, send it back to draft, delete a draft",
        _reach(Role.manager, Role.consultant, Role.admin),
    ),
    Action("manage_places", "add and rename sites and rooms", _reach(Role.manager, Role.admin)),
    Action(
        "read_audit",
        "read the record of changes, export an organisation",
        _reach(Role.manager, Role.consultant, Role.admin),
    ),
    Action(
        "read_calibration",
        "read calibration rounds and their agreement",
        _reach(Role.manager, Role.consultant, Role.admin),
    ),
    Action("run_calibration", "mark, start or close a calibration round", _reach(Role.manager, Role.admin)),
    Action(
        "plan_actions",
        "turn a fix into an action, assign it, change or reopen any action",
        _reach(Role.manager, Role.consultant, Role.admin),
    ),
    Action(
        "work_actions",
        "move an action assigned to them on (open, in progress, done) and add to its note",
        _reach(Role.staff, Role.manager, Role.consultant, Role.admin),
    ),
    Action("set_schedule", "set how often each room type is re-assessed", _reach(Role.manager, Role.admin)),
    Action(
        "set_criteria",
        "save a new version of an organisation's own criteria (thresholds, weights, items off, critical or added)",
        _reach(Role.manager, Role.consultant, Role.admin),
    ),
    Action("see_users", "see the user accounts", _reach(Role.manager, Role.admin)),
    Action(
        "administer",
        "add and change users, invite them and reset passwords, add organisations, import an organisation",
        _reach(Role.admin),
    ),
)

_BY_KEY = {action.key: action for action in ACTIONS}


def allowed(action: str) -> frozenset[Role]:
    """The roles that may do `action` (a key of ACTIONS)."""
    return _BY_KEY[action].roles


# Which screens each role is offered, in the order of the navigation; the first is where it starts.
# Screen names are the page files of ui/pages/.
SCREENS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.staff: ("assess", "inbox", "criteria"),
    Role.manager: (
        "overview",
        "compare",
        "room",
        "action_plan",
        "assess",
        "report_downloads",
        "calibration",
        "inbox",
        "criteria",
        "admin",
    ),
    Role.consultant: (
        "overview",
        "compare",
        "room",
        "action_plan",
        "assess",
        "report_downloads",
        "calibration",
        "inbox",
        "criteria",
    ),
    Role.viewer: ("overview", "compare", "room", "action_plan", "report_downloads", "inbox", "criteria"),
    Role.admin: (
        "overview",
        "compare",
        "room",
        "action_plan",
        "assess",
        "report_downloads",
        "calibration",
        "inbox",
        "criteria",
        "admin",
    ),
}
