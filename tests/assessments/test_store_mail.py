"""Email of inbox notifications, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from assessments import repository as repo
from assessments.db import Store
from assessments.mail import SMTP_FROM_ENV, SMTP_HOST_ENV, SMTP_PORT_ENV, deliver_pending, smtp_settings
from assessments.models import Notification
from tests.assessments.conftest import World
from tests.assessments.test_store_actions import assess


@dataclass
class Mailbox:
    """What the SMTP server received: (envelope recipients, parsed message) per message."""

    messages: list[tuple[list[str], Message]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        self.arrived.set()
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Controller, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv(SMTP_HOST_ENV, "127.0.0.1")
    monkeypatch.setenv(SMTP_PORT_ENV, str(controller.port))
    monkeypatch.setenv(SMTP_FROM_ENV, "audit@hillview.test")
    try:
        yield controller, mailbox
    finally:
        if controller.loop.is_running():
            controller.stop()


def test_nothing_is_sent_without_smtp(store: Store, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SMTP_HOST_ENV, raising=False)
    assert smtp_settings() is None
    with store.session() as session:
        assess(session, world.staff_a, world.room_a, dt.date(2026, 9, 1), {"lighting.dimmable": "no"})
        waiting = session.query(Notification).all()
        assert [(n.user_id, n.emailed_at, n.email_attempts) for n in waiting] == [(world.manager_a.id, None, 0)]
        assert deliver_pending(session).sent == 0


def test_a_notification_arrives_by_email_and_waits_while_the_server_is_down(
    store: Store, world: World, smtp: tuple[Controller, Mailbox], caplog: pytest.LogCaptureFixture
) -> None:
    controller, mailbox = smtp
    with store.session() as session:
        assess(session, world.staff_a, world.room_a, dt.date(2026, 9, 1), {"lighting.dimmable": "no"})
        assert mailbox.arrived.wait(10)
        [(recipients, message)] = mailbox.messages
        assert recipients == ["mo@a.test"]
        assert message["To"] == "mo@a.test"
        assert message["From"] == "audit@hillview.test"
        assert message["Subject"] == "sensory-audit: For review: Year 3 (Hillview Primary)"
        assert "Sam Staff submitted the assessment of Year 3 at Hillview Primary of 1 September 2026" in (
            message.get_payload(decode=True).decode()
        )
        assert session.query(Notification).one().emailed_at is not None

        controller.stop()
        with caplog.at_level(logging.WARNING, logger="assessments.mail"):
            action = repo.create_action(
                session, world.manager_a, world.room_a, "lighting.dimmable", owner_id=world.staff_a.id,
                due_on=dt.date(2026, 12, 1),
            )  # fmt: skip
        # The app carried on: the action is saved and its notification waits in the inbox.
        assert repo.get_action(session, world.staff_a, action.id).status == "open"
        [waiting] = repo.list_notifications(session, world.staff_a)
        assert waiting.kind == "action_assigned"
        assert waiting.emailed_at is None
        assert waiting.email_attempts == 1
        assert f"could not reach the mail server 127.0.0.1:{controller.port}" in (waiting.email_error or "")
        assert "Notifications not emailed (1 waiting in inboxes)" in caplog.text

        # Once the server is back, the next delivery sends what waited.
        mailbox.arrived.clear()
        back = Controller(mailbox, hostname="127.0.0.1", port=controller.port)
        back.start()
        try:
            assert deliver_pending(session).sent == 1
            assert mailbox.arrived.wait(10)
        finally:
            back.stop()
        recipients, message = mailbox.messages[-1]
        assert recipients == ["sam@a.test"]
        assert "Mo Manager asked you to take on" in message.get_payload(decode=True).decode()
        assert repo.list_notifications(session, world.staff_a)[0].email_error is None


def test_a_bad_port_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SMTP_HOST_ENV, "mail.example")
    monkeypatch.setenv(SMTP_PORT_ENV, "smtp")
    with pytest.raises(ValueError, match="SENSORY_AUDIT_SMTP_PORT is a port number from 1 to 65535, not 'smtp'"):
        smtp_settings()
