"""User text is shown as text: Markdown in a name or a note is escaped, not obeyed."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from ui.text import WORD_JOINER, literal

md = MarkdownIt("commonmark").enable("table").enable("strikethrough")


@pytest.mark.parametrize(
    "typed",
    [
        "![pixel](https://elsewhere.example/p.png)",
        "[Urgent: click](https://elsewhere.example)",
        "<img src=x onerror=alert(1)>",
        "**bold** _it_ `code` ~~gone~~",
        "# Heading",
        "- a list",
        "1. numbered",
        "a | table | row",
        ":red[alarm] :material/warning:",
        "Quiet room \\ back-slash & more",
    ],
)
def test_markdown_in_user_text_is_shown_as_typed(typed: str) -> None:
    html = md.render(literal(typed)).strip()
    assert html.startswith("<p>")
    assert "<img" not in html
    assert "<a " not in html
    assert "<strong>" not in html
    assert "<em>" not in html
    assert "<code>" not in html
    assert "<h1>" not in html
    assert "<li>" not in html
    assert "<table>" not in html
    assert "<s>" not in html
    # Apart from HTML escaping, what is shown is what was typed.
    shown = html.removeprefix("<p>").removesuffix("</p>").replace(WORD_JOINER, "")
    assert shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"') == typed


def test_lines_become_one() -> None:
    assert literal("first\nsecond") == "first second"


@pytest.mark.parametrize(
    ("typed", "joined"),
    [
        ("see http://127.0.0.1:9/x.png now", "see \u2060http"),
        ("(https://elsewhere.example)", "(\u2060https"),
        ("www.elsewhere.example", "\u2060www"),
        ("ask sam@example.test", "ask \u2060sam@"),
    ],
)
def test_addresses_get_a_word_joiner_so_markdown_makes_no_link_of_them(typed: str, joined: str) -> None:
    # Streamlit's Markdown links a bare address only after a space, a punctuation mark or the start.
    unescaped = literal(typed).replace("\\", "")
    assert joined in unescaped
    assert unescaped.replace(WORD_JOINER, "") == typed
