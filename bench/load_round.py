"""The round a load test plays: an administrator, a school with one classroom per tablet, an
assessor per classroom with a draft started, and the managers, written straight to the store; what
each tablet did; and afterwards, what PostgreSQL holds against what the tablets saw.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field

from playwright.async_api import WebSocket
from sqlalchemy import func, select

from assessments import repository
from assessments.db import open_store
from assessments.models import AnswerRow, Assessment, AuditEvent, Response, Role
from checklists.schema import ItemKind, ResolvedItem
from tests.e2e.test_assess import CLASSROOM, reading_for


@dataclass
class Account:
    user_id: int
    name: str
    email: str
    password: str


@dataclass
class Tablet:
    account: Account
    room_id: int
    assessment_id: int


@dataclass
class Round:
    organisation_id: int
    tablets: list[Tablet]
    managers: list[Account]


def _password() -> str:
    return "Load-" + secrets.token_urlsafe(12)


def seed_round(database_url: str, tablets: int, managers: int) -> Round:
    """An administrator, a school with one classroom per tablet, an assessor per classroom with a
    draft started, and the managers; every account with its own password."""
    store = open_store(database_url, migrate=False)
    try:
        with store.session() as session:
            admin = repository.create_first_admin(
                session, name="Round admin", email="admin@round.example", password=_password()
            )
            org = repository.create_organisation(session, admin, "Round trust")
            site = repository.create_site(session, admin, org.id, "Round school", "school")

            def account(n: int, role: Role) -> Account:
                password = _password()
                email = f"{role.value}{n}@round.example"
                name = f"{role.value.title()} {n}"
                user = repository.create_user(
                    session, admin, name=name, email=email, role=role, organisation_ids=[org.id],
                    password_hash=repository.hash_password(password, email),
                )  # fmt: skip
                return Account(user.id, name, email, password)

            seeded = []
            for n in range(1, tablets + 1):
                room = repository.create_room(session, admin, site.id, f"Classroom {n}", "classroom")
                assessor = account(n, Role.staff)
                staff = repository.get_user(session, admin, assessor.user_id)
                draft = repository.start_assessment(session, staff, room.id)
                seeded.append(Tablet(assessor, room.id, draft.id))
            return Round(org.id, seeded, [account(n, Role.manager) for n in range(1, managers + 1)])
    finally:
        store.dispose()


def expected_value(resolved: ResolvedItem) -> object:
    """What the store holds once the tablet has answered (the assessment-file form)."""
    item = resolved.item
    if item.kind is ItemKind.measurement:
        return float(reading_for(resolved))
    if item.kind is ItemKind.flicker:
        return {"percent": 1.5, "frequency_hz": 100.0}
    if item.kind is ItemKind.yes_no:
        return "yes" if item.good_answer else "no"
    if item.kind is ItemKind.choice:
        assert item.options
        return item.options[0].value
    return 4


@dataclass
class TabletLog:
    """What one tablet did and saw. Every save time is from the answer sent (the WebSocket message
    that carries it) to the item's "Saved" line received; a Chromium tablet also times it from the
    tap or Enter to the line drawn (`drawn_ms`)."""

    browser: bool = False  # a Chromium tablet (else a protocol one)
    saves_ms: list[float] = field(default_factory=list)
    text_saves_ms: list[float] = field(default_factory=list)
    drawn_ms: list[float] = field(default_factory=list)
    opened_s: list[float] = field(default_factory=list)  # from asking for the assessment to its items there
    retried: int = 0
    conflicts: int = 0
    disconnects: int = 0
    carried_on: bool = False  # saved again, signed in, after a lost connection
    signed_out: bool = False
    finished: bool = False
    error: str = ""
    armed: bool = False
    saved_items: set[str] = field(default_factory=set)  # the items this tablet saw say "Saved"
    socket: WebSocket | None = None

    def saved(self, resolved: ResolvedItem, ms: float) -> None:
        """The item said "Saved", `ms` after its answer was sent."""
        text = resolved.item.kind in (ItemKind.measurement, ItemKind.flicker)
        (self.text_saves_ms if text else self.saves_ms).append(ms)
        self.saved_items.add(resolved.item.id)
        if self.disconnects:
            self.carried_on = True

    def failed(self, error: Exception) -> None:
        """The tablet stopped (the run goes on with the others; the error is printed)."""
        said = str(error).splitlines()[0][:200] if str(error) else ""
        self.error = f"{type(error).__name__}: {said}"

    def opened(self, socket: WebSocket) -> None:
        self.socket = socket
        socket.on("close", lambda _: self.closed(socket))

    def closed(self, socket: WebSocket) -> None:
        if self.armed and socket is self.socket:
            self.disconnects += 1


def check_store(database_url: str, round_: Round, logs: list[TabletLog]) -> tuple[list[str], int]:
    """Every answer a tablet saw saved is in PostgreSQL exactly once, with the tablet's value, under
    its assessment and assessor, every save of it in the audit trail by that assessor. Returns the
    problems found and how many items the tablets did not reach within the time bound."""
    problems: list[str] = []
    unreached = 0
    expected = {r.item.id: expected_value(r) for r in CLASSROOM.items}
    store = open_store(database_url, migrate=False)
    try:
        with store.session() as session:
            for tablet, log in zip(round_.tablets, logs, strict=True):
                label = f"{tablet.account.email} (assessment {tablet.assessment_id})"
                assessment = session.get(Assessment, tablet.assessment_id)
                if assessment is None or assessment.assessor_id != tablet.account.user_id:
                    problems.append(f"{label}: the assessment is not this assessor's")
                rows = session.execute(
                    select(Response.id, Response.item_id, Response.value, Response.answered_by_id).where(
                        Response.assessment_id == tablet.assessment_id
                    )
                ).all()
                counts = Counter(item for _, item, _, _ in rows)
                twice = [item for item, n in counts.items() if n > 1]
                lost = sorted(log.saved_items - set(counts))
                unreached += len(set(expected) - log.saved_items - set(counts))
                wrong = [item for _, item, value, _ in rows if item in expected and value != expected[item]]
                others = [item for _, item, _, by in rows if by != tablet.account.user_id]
                if twice or lost or wrong or others:
                    problems.append(
                        f"{label}: kept twice {twice}, shown saved but missing {lost}, wrong value {wrong}, "
                        f"by someone else {others}"
                    )
                actors = set(
                    session.scalars(
                        select(AuditEvent.actor).where(
                            AuditEvent.entity == "responses", AuditEvent.entity_id.in_([row[0] for row in rows])
                        )
                    )
                )
                if actors - {tablet.account.email}:
                    problems.append(f"{label}: the trail has saves by {sorted(actors - {tablet.account.email})}")
            rows_per_item = session.execute(
                select(AnswerRow.assessment_id, AnswerRow.item_id, func.count())
                .group_by(AnswerRow.assessment_id, AnswerRow.item_id)
                .having(func.count() > 2)
            ).all()
            if rows_per_item:
                problems.append(f"answer rows kept more than once: {rows_per_item[:5]}")
    finally:
        store.dispose()
    return problems, unreached
