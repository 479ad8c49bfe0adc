"""The checklist in the reader's language on screen (the session's `language`): the Assess page asks
its questions, offers its answers and names its sections in French, and saves the same answers as
in English; the Criteria page lists the French items. Run by streamlit.testing.v1.AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from checklists.loader import default_catalogue
from checklists.translations import localized
from tests.reports.conftest import pdf_pages
from ui import reports_logic as logic
from ui import state

PAGES = Path(__file__).resolve().parents[2] / "ui" / "pages"
FRENCH = localized(default_catalogue(), "fr").catalogue
MANAGER = "manager@demo.sensory-audit.test"


def _draft(store: Store) -> tuple[int, int]:
    with store.session() as session:
        staff = repository.get_user_by_email(session, DEMO_USERS[0].email)
        assert staff is not None
        room = next(r for r in repository.list_rooms(session, staff) if r.name == "Year 1 classroom")
        return repository.start_assessment(session, staff, room.id).id, staff.id


def _page(name: str, language: str | None, user_id: int, **query: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
    at.session_state[state.USER_ID] = user_id
    if language is not None:
        at.session_state["language"] = language
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_assess_page_asks_in_french_and_saves_the_same_answer(demo_store: Store) -> None:
    draft, staff = _draft(demo_store)
    at = _page("assess", "fr", staff, assessment=str(draft))
    glare = at.segmented_control(key=state.assess_widget(draft, "lighting.glare", "answer"))
    assert glare.label == FRENCH.item("lighting.glare").question
    assert glare.label.startswith("Depuis chaque place assise")
    illuminance = at.text_input(key=state.assess_widget(draft, "lighting.illuminance", "answer"))
    assert illuminance.label == FRENCH.item("lighting.illuminance").question
    upkeep = at.segmented_control(key=state.assess_widget(draft, "textures.upkeep", "answer"))
    assert upkeep.label == "Les finitions et le mobilier de la pièce sont-ils propres et en bon état ?"
    assert upkeep.options[:3] == ["Oui", "En partie", "Non"]
    assert [t.label for t in at.tabs][:4] == [
        "Éclairage",
        "Bruit et acoustique",
        "Textures, matériaux et environnement visuel",
        "Espaces calmes et de retrait",
    ]
    captions = " ".join(c.value for c in at.caption)
    assert "Bien : assez de lumière pour lire" in captions
    assert "Comment mesurer : utilisez un luxmètre, capteur tourné vers le haut" in captions

    upkeep.set_value("partial").run()
    at.run()
    assert "Choisi : En partie : un peu d'usure ou de petits dégâts" in " ".join(c.value for c in at.caption)
    with demo_store.session() as session:
        user = repository.get_user_by_email(session, DEMO_USERS[0].email)
        assert user is not None
        assert dict(repository.assessment_answers(session, user, draft)) == {"textures.upkeep": "partial"}


def test_without_a_language_the_assess_page_stays_english(demo_store: Store) -> None:
    draft, staff = _draft(demo_store)
    at = _page("assess", None, staff, assessment=str(draft))
    glare = at.segmented_control(key=state.assess_widget(draft, "lighting.glare", "answer"))
    assert glare.label == default_catalogue().item("lighting.glare").question


def test_the_criteria_page_lists_the_french_items(demo_store: Store) -> None:
    with demo_store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
        assert manager is not None
    at = _page("criteria", "fr", manager.id)
    labels = [e.label for e in at.expander[1:]]
    assert len(labels) == len(FRENCH.items)
    assert any(label.startswith(FRENCH.item("noise.reverberation_time").question) for label in labels)
    assert "Éclairage (13)" in [h.value for h in at.header]
    at.text_input(key=state.CRITERIA_QUERY).input("réverbération").run()
    assert any("temps de réverbération" in e.label for e in at.expander[1:])


def test_the_blank_checklist_download_takes_the_reader_language(demo_store: Store, tmp_path: Path) -> None:
    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=120)
    with demo_store.session() as session:
        admin = repository.get_user_by_email(session, DEMO_USERS[3].email)
        assert admin is not None
    at.session_state[state.USER_ID] = admin.id
    at.session_state["language"] = "de"
    at.run()
    at.switch_page("ui/pages/report_downloads.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    language = at.selectbox(key=state.REPORTS_CHECKLIST_LANGUAGE)
    assert language.label == "Sprache der Fragen"  # the screen speaks the person's German
    assert language.value == "de"  # the reader's language first
    assert language.options == ["English", "العربية", "Deutsch", "Español", "Français"]
    language.set_value("fr").run()
    assert not at.exception
    assert at.get("download_button")[-1].label == "Leere Checkliste herunterladen (PDF)"
    pdf = tmp_path / "fr.pdf"
    pdf.write_bytes(logic.make_checklist(default_catalogue(), "school", "classroom", "fr"))
    text = " ".join(pdf_pages(pdf))
    assert FRENCH.item("noise.reverberation_time").question in text
