"""Each person's interface language, kept with their account and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import InvalidAnswer
from assessments.models import AuditEvent
from tests.assessments.conftest import World


def test_a_person_keeps_their_language_and_the_change_is_audited(store: Store, world: World) -> None:
    with store.session() as s:
        assert repo.user_language(s, world.staff_a.id) is None
        repo.set_language(s, world.staff_a, "fr")
        repo.set_language(s, world.staff_a, "fr")  # the same again: nothing to record
        repo.set_language(s, world.staff_a, "DE")
    with store.session() as s:
        assert repo.user_language(s, world.staff_a.id) == "de"
        assert repo.user_language(s, world.admin.id) is None  # one person's choice is theirs alone
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "set_language").order_by(AuditEvent.id))
        changes = [(e.actor_id, e.entity_id, e.old_value, e.new_value) for e in events]
    assert changes == [
        (world.staff_a.id, world.staff_a.id, {"language": None}, {"language": "fr"}),
        (world.staff_a.id, world.staff_a.id, {"language": "fr"}, {"language": "de"}),
    ]


def test_a_language_the_app_does_not_speak_is_refused_and_nothing_changes(store: Store, world: World) -> None:
    with store.session() as s:
        repo.set_language(s, world.staff_a, "es")
        with pytest.raises(InvalidAnswer, match=r"no interface in 'xx'; the languages are en, fr, es, de, ar"):
            repo.set_language(s, world.staff_a, "xx")
    with store.session() as s:
        assert repo.user_language(s, world.staff_a.id) == "es"
