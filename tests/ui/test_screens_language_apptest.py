"""The Action plan, Calibration, Inbox, Criteria and Admin screens in French and German (Streamlit's
AppTest on the demo portfolio): their titles, labels, buttons, table headings and messages come from
the catalogue, and none of their English words is left on the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from ui import state
from ui.i18n import LANGUAGE_KEY, _, using

PAGES = Path(__file__).resolve().parents[2] / "ui" / "pages"
MANAGER = "manager@demo.sensory-audit.test"
ADMIN = "admin@demo.sensory-audit.test"


def run(store: Store, page: str, email: str, language: str) -> AppTest:
    with store.session() as session:
        person = repository.get_user_by_email(session, email)
    assert person is not None
    app = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=120)
    app.session_state[state.USER_ID] = person.id
    app.session_state[LANGUAGE_KEY] = language
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def shown(app: AppTest) -> list[str]:
    """Every text a person reads on the screen: titles, texts, labels, options, tabs, metrics, table headings."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "text", "info", "success", "warning", "error"):
        texts += [str(e.value) for e in app.get(kind)]
    for kind in ("button", "selectbox", "multiselect", "text_input", "text_area", "number_input", "date_input",
                 "toggle", "checkbox", "expander", "tab", "metric", "download_button", "button_group"):  # fmt: skip
        texts += [str(getattr(e, "label", "") or e.proto.label) for e in app.get(kind) if hasattr(e, "proto")]
    for box in app.selectbox:
        texts += [str(o) for o in box.options]
    for frame in [*app.dataframe, *app.table]:
        texts += [str(c) for c in frame.value.columns]
    return texts


def headings(app: AppTest) -> set[str]:
    return {str(c) for frame in app.dataframe for c in frame.value.columns}


def english_left(texts: list[str], words: list[str]) -> list[str]:
    """The English labels from `words` that appear whole among the texts shown."""
    return sorted({w for w in words for t in texts if t == w or t.startswith(w + " ") or t.endswith(" " + w)})


# Labels, titles and headings of each screen in English that a translated screen must not show (unless
# the language spells them the same, as French does "Notifications" and German "Name").
ENGLISH: dict[str, list[str]] = {
    "action_plan": ["Action plan", "Planned actions", "Every fix", "Owner", "Due", "State", "Plan this action",
                    "Save the action", "Critical items only", "Unplanned fixes only", "Fixes", "Overdue actions",
                    "How to fix", "Gain per effort", "Download these fixes (CSV)", "Last check"],
    "calibration": ["Calibration", "New calibration round", "Round", "Rooms compared", "Exact agreement",
                    "Items to clarify", "Category and overall scores", "Every item", "Start the round",
                    "Name of the round", "Mark as a round", "Method", "Agreement", "Why no figure", "Overall"],
    "inbox": ["Inbox", "Notifications", "Your actions", "Calendar subscription", "Make my calendar address",
              "Mark all as read", "Save", "State", "Note"],
    "criteria": ["Criteria", "Search the criteria", "Room type", "Categories", "Evidence", "Critical items only",
                 "Every room type", "Evidence grades and trauma-informed principles"],
    "admin": ["Admin", "Sites and rooms", "Users", "Organisations", "Re-assessment", "Recent changes",
              "Add a site", "Add the site", "Save the site", "Add the room", "Invite a user", "Add the user",
              "Save the user", "Name", "Email", "Role", "Address", "Capacity", "Months between assessments",
              "Save interval", "Changes in", "When (UTC)", "Who", "What", "Check and preview",
              "Override file (YAML)", "Single sign-on", "Prepare the export file"],
    "report_downloads": ["What the report covers", "Format and options", "Include draft assessments",
                         "Blank checklist for paper rounds", "Language of the questions", "Make the PDF report",
                         "Report on", "Prepared by (printed on the cover)", "Download the blank checklist (PDF)"],
}  # fmt: skip

# A few texts of each screen as each language says them.
SAID: dict[str, dict[str, list[str]]] = {
    "fr": {
        "action_plan": ["Plan d'action", "Actions planifiées", "Toutes les corrections", "Attribuée à",
                        "Planifier cette action", "Enregistrer l'action", "Corrections non planifiées seulement"],
        "calibration": ["Calibrage", "Nouvelle session de calibrage", "Session", "Pièces comparées", "Accord exact"],
        "inbox": ["Messages", "Notifications", "Vos actions", "Abonnement d'agenda"],
        "criteria": ["Critères", "Rechercher dans les critères", "Type de pièce", "Tous les types de pièce",
                     "une valeur de norme ou de recommandation publiée", "une note de 0 à 4"],
        "admin": ["Administration", "Sites et pièces", "Utilisateurs", "Ajouter le site", "Inviter un utilisateur",
                  "Mois entre les évaluations", "Quand (UTC)", "Vérifier et prévisualiser"],
        "report_downloads": ["Ce que couvre le rapport", "Format et options", "Créer le rapport PDF",
                             "Liste de contrôle vierge pour les tournées sur papier"],
    },
    "de": {
        "action_plan": ["Maßnahmenplan", "Geplante Maßnahmen", "Alle Korrekturen", "Zuständig",
                        "Diese Maßnahme planen", "Maßnahme speichern", "Nur ungeplante Korrekturen"],
        "calibration": ["Abgleich", "Neue Abgleichsrunde", "Runde", "Verglichene Räume", "Genaue Übereinstimmung"],
        "inbox": ["Posteingang", "Benachrichtigungen", "Ihre Maßnahmen", "Kalenderabo"],
        "criteria": ["Kriterien", "Kriterien durchsuchen", "Raumtyp", "Alle Raumtypen",
                     "ein Wert aus einer veröffentlichten Norm oder Richtlinie", "eine Einstufung von 0 bis 4"],
        "admin": ["Verwaltung", "Standorte und Räume", "Benutzer", "Standort hinzufügen", "Benutzer einladen",
                  "Monate zwischen Bewertungen", "Wann (UTC)", "Prüfen und Vorschau"],
        "report_downloads": ["Was der Bericht umfasst", "Format und Optionen", "Bericht als PDF erstellen",
                             "Leere Checkliste für Rundgänge auf Papier"],
    },
}  # fmt: skip

WHO = {"admin": ADMIN}


@pytest.mark.parametrize("language", ["fr", "de"])
@pytest.mark.parametrize("page", list(ENGLISH))
def test_each_screen_speaks_the_language_chosen(demo_store: Store, page: str, language: str) -> None:
    app = run(demo_store, page, WHO.get(page, MANAGER), language)
    texts = shown(app)
    missing = [said for said in SAID[language][page] if not any(said == t or said in t for t in texts)]
    assert missing == [], f"{page} in {language}: not shown {missing}"
    with using(language):
        differ = [word for word in ENGLISH[page] if _(word) != word]
    assert len(differ) > len(ENGLISH[page]) // 2
    assert english_left(texts, differ) == [], f"{page} in {language} still shows English"


def test_the_same_screens_in_english_show_the_english_words(demo_store: Store) -> None:
    # The check above can fail: in English the same words are there.
    for page, words in ENGLISH.items():
        texts = shown(run(demo_store, page, WHO.get(page, MANAGER), "en"))
        assert len(english_left(texts, words)) >= len(words) // 2, page


def test_the_action_plan_tables_are_headed_in_german(demo_store: Store) -> None:
    app = run(demo_store, "action_plan", MANAGER, "de")
    assert {"Raum", "Kriterium", "Zuständig", "Fällig", "Status", "Aufwand", "Wie beheben"} <= headings(app)
    states: set[Any] = set()
    for frame in app.dataframe:
        if "Status" in frame.value.columns:
            states |= {str(s).split(" · ")[0] for s in frame.value["Status"]}
    assert states
    assert states <= {"Offen", "In Arbeit", "Erledigt", "Bestätigt"}


def test_the_action_plan_names_the_categories_in_german(demo_store: Store) -> None:
    app = run(demo_store, "action_plan", MANAGER, "de")
    picker = next(m for m in app.multiselect if m.label == "Kategorie")
    assert [str(o) for o in picker.options] == [
        "Beleuchtung",
        "Lärm und Akustik",
        "Oberflächen, Materialien und visuelle Umgebung",
        "Ruhezonen und Rückzug",
    ]
    every = next(f.value for f in app.dataframe if "Kategorie" in f.value.columns)
    assert set(every["Kategorie"]) <= set(picker.options)
