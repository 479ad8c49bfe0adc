"""Each person's interface language, kept with their account and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import InvalidAnswer, PermissionDenied
from assessments.models import AuditEvent
from checklists.i18n import using
from checklists.stored_answers import REFUSED_ANSWER, RETIRED_ITEM, RetiredAnswer
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


def test_a_refusal_is_worded_in_the_language_in_force_and_english_stays_as_it_was(store: Store, world: World) -> None:
    """The screens show a refusal in the person's language (the store words it in the language in
    force); the command line and the logs keep English."""
    with store.session() as s:
        with using("fr"), pytest.raises(InvalidAnswer) as french:
            repo.set_language(s, world.staff_a, "xx")
        assert str(french.value) == "Il n'existe pas d'interface en 'xx' ; les langues sont : en, fr, es, de, ar."
        with using("ar"), pytest.raises(PermissionDenied) as arabic:
            repo.create_user(s, world.staff_a, name="Ana", email="ana@example.org", role="staff")
        assert str(arabic.value) == "لا يستطيع إضافة المستخدمين إلا المشرفون؛ وأنت مسجّل الدخول بدور «الموظفون»."
        with pytest.raises(PermissionDenied) as english:
            repo.create_user(s, world.staff_a, name="Ana", email="ana@example.org", role="staff")
        assert str(english.value) == "Only admins can add users; you are signed in as staff."


def test_a_retired_answers_reason_is_shown_in_the_readers_language() -> None:
    gone = RetiredAnswer("lighting.old", "yes", RETIRED_ITEM)
    refused = RetiredAnswer("lighting.glare", "maybe", f"{REFUSED_ANSWER}: 'maybe' is not one of yes, no")
    with using("fr"):
        assert gone.shown_reason == "le critère ne figure plus dans le catalogue"
        assert refused.shown_reason == "la réponse n'est plus acceptée : 'maybe' is not one of yes, no"
    assert gone.shown_reason == gone.reason == RETIRED_ITEM
    assert refused.shown_reason == refused.reason
