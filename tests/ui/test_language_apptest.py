"""The language choice through app.py, run by streamlit.testing.v1.AppTest: on the sign-in screen
before an account is known, kept with the account once signed in, and back on the next device."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import Role, User
from ui import state
from ui.i18n import LANGUAGE_KEY, using
from ui.language_choice import CHOICE_KEY, LABEL

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORD = "soft light quiet corner"


@pytest.fixture
def real(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> Store:
    monkeypatch.setenv("SENSORY_AUDIT_DEMO", "0")
    return demo_store


def person(store: Store, email: str) -> User:
    with store.session() as session:
        admin = repository.get_user_by_email(session, DEMO_USERS[3].email)
        assert admin is not None
        found = repository.get_user_by_email(session, email)
        if found is None:
            found = repository.create_user(session, admin, name="Camille Martin", email=email, role=Role.staff,
                                           organisation_ids=[2])  # fmt: skip
            repository.set_password_hash(session, admin, found.id, repository.hash_password(PASSWORD))
    return found


def app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def language_of(store: Store, user: User) -> str | None:
    with store.session() as session:
        return repository.user_language(session, user.id)


def test_the_sign_in_screen_speaks_the_language_chosen_and_the_account_keeps_it(real: Store) -> None:
    camille = person(real, "camille.martin@example.test")
    at = app()
    picker = at.selectbox(key=CHOICE_KEY)
    assert picker.label == LABEL
    assert picker.options == ["English", "Français", "Español", "Deutsch", "العربية"]  # each in its own name
    picker.set_value("fr").run()
    assert at.session_state[LANGUAGE_KEY] == "fr"
    assert [t.value for t in at.title] == ["Connexion à sensory-audit"]
    assert [b.label for b in at.button] == ["Se connecter"]
    assert [t.label for t in at.text_input] == ["Adresse e-mail", "Mot de passe"]
    at.text_input[0].input(camille.email)
    at.text_input[1].input(PASSWORD)
    next(b for b in at.button if b.label == "Se connecter").click().run()
    assert not at.exception
    assert language_of(real, camille) == "fr"  # the account never chose: it keeps the sign-in screen's
    assert "Connecté·e en tant que Camille Martin (staff)" in [c.value for c in at.sidebar.caption]

    # Another tablet, signed in with the same session: French, from the account.
    again = app(s=at.session_state[state.SESSION_TOKEN])
    assert again.session_state[LANGUAGE_KEY] == "fr"
    assert again.sidebar.selectbox(key=CHOICE_KEY).value == "fr"
    # A change in the navigation is kept with the account at once.
    again.sidebar.selectbox(key=CHOICE_KEY).set_value("de").run()
    assert not again.exception
    assert language_of(real, camille) == "de"
    assert "Angemeldet als Camille Martin (staff)" in [c.value for c in again.sidebar.caption]
    assert "Abmelden" in [b.label for b in again.sidebar.button]


def test_an_accounts_language_counts_over_the_sign_in_screens(real: Store) -> None:
    noor = person(real, "noor.haddad@example.test")
    with real.session() as session:
        repository.set_language(session, noor, "es")
    at = app()
    at.selectbox(key=CHOICE_KEY).set_value("de").run()
    at.text_input[0].input(noor.email)
    at.text_input[1].input(PASSWORD)
    next(b for b in at.button if b.label == "Anmelden").click().run()
    assert at.session_state[LANGUAGE_KEY] == "es"
    assert language_of(real, noor) == "es"
    assert "Cerrar sesión" in [b.label for b in at.sidebar.button]


def test_a_spanish_overview(demo_store: Store) -> None:
    at = AppTest.from_file(str(Path(APP).parent / "ui" / "pages" / "overview.py"), default_timeout=120)
    at.session_state[LANGUAGE_KEY] = "es"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Resumen"]
    assert [m.label for m in at.metric] == ["Salas evaluadas", "Fallos críticos", "Provisionales", "Completitud"]
    assert at.metric[1].value.endswith(("sala", "salas"))
    assert [s.label for s in at.multiselect] == ["Organización", "Centro", "Ámbito", "Tipo de sala"]
    assert at.selectbox[0].label == "Evaluadas desde"
    with using("es"):
        assert at.selectbox[0].format_func(None) == "la primera"


def test_a_german_room_page(demo_store: Store) -> None:
    at = AppTest.from_file(str(Path(APP).parent / "ui" / "pages" / "room.py"), default_timeout=120)
    at.session_state[LANGUAGE_KEY] = "de"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Raum"]
    assert [m.label for m in at.metric][:3] == ["Gesamtpunktzahl", "Vollständigkeit", "Kritische Mängel"]
    assert [s.label for s in at.selectbox][:2] == ["Raum", "Bewertung"]  # (What changed: not translated yet)
    assert {"Im Zeitverlauf", "Was zuerst zu beheben ist", "Alle Kriterien"} <= {s.value for s in at.subheader}
    assert at.toggle[0].label == "Entwürfe einbeziehen"


def _language_read_twice() -> None:
    import streamlit as st

    from ui.i18n import language, set_language

    st.write(f"before {language()}")
    if st.session_state.get("switch_to"):
        set_language(st.session_state["switch_to"])
    st.write(f"after {language()}")


def test_the_language_read_once_a_run_follows_every_change() -> None:
    """The session's language is read once a run (a screen asks thousands of times); a change made
    in the run counts at once, and one made between runs counts from the next run's first word."""
    at = AppTest.from_function(_language_read_twice).run()
    assert [m.value for m in at.markdown] == ["before en", "after en"]
    at.session_state[LANGUAGE_KEY] = "de"  # as the language picker's callback does, between runs
    at.run()
    assert [m.value for m in at.markdown] == ["before de", "after de"]
    at.session_state["switch_to"] = "fr"  # as signing in does when the account has a language
    at.run()
    assert [m.value for m in at.markdown] == ["before de", "after fr"]
    assert at.session_state[LANGUAGE_KEY] == "fr"
    at.session_state["switch_to"] = None
    at.run()
    assert [m.value for m in at.markdown] == ["before fr", "after fr"]
