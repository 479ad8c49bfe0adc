"""The Criteria screen says each thing once: an item's answers are named by their kind or listed, not both."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from checklists.describe import KIND_TEXT
from checklists.loader import default_catalogue
from ui import state

PAGES = Path(__file__).resolve().parents[2] / "ui" / "pages"
CATALOGUE = default_catalogue()


def test_the_criteria_screen_says_each_thing_once(demo_store: Store) -> None:
    at = AppTest.from_file(str(PAGES / "criteria.py"), default_timeout=60)
    with demo_store.session() as session:
        staff = repository.get_user_by_email(session, DEMO_USERS[0].email)
    assert staff is not None
    at.session_state[state.USER_ID] = staff.id
    at.run()
    assert not at.exception
    shown = {m.value for m in at.markdown if m.value.startswith("**What good looks like")}
    assert len(shown) == len(CATALOGUE.items)
    for text in shown:
        answer = text.split("**Answer.** ", 1)[1].split("\n\n", 1)[0]
        for words in KIND_TEXT.values():
            assert answer.count(words) <= 1, answer
        halves = answer.split(": ", 1)
        assert len(halves) == 1 or halves[0] != halves[1], answer
