"""The catalogue's questions read naturally with the answers the screens offer for them."""

from __future__ import annotations

from checklists.loader import default_catalogue
from checklists.schema import ItemKind


def test_questions_read_naturally_with_their_answers() -> None:
    """A question answered Yes / Partly / No asks a yes-or-no question, not 'how much' or 'how well'."""
    open_questions = ("How ", "What ", "Which ", "Where ", "When ", "Who ")
    for item in default_catalogue().items:
        answers_yes_no = item.kind is ItemKind.yes_no or (
            item.kind is ItemKind.choice
            and item.options is not None
            and [o.label.split(":", 1)[0] for o in item.options] == ["Yes", "Partly", "No"]
        )
        if answers_yes_no:
            assert not item.question.startswith(open_questions), f"{item.id}: {item.question}"
        if item.kind is ItemKind.measurement:
            assert item.question.startswith(("How ", "What ")), f"{item.id}: {item.question}"
        assert item.question.endswith("?"), item.id
