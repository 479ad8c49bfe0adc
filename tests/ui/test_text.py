"""User text is shown as text: Markdown in a name or a note is escaped, not obeyed."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from ui.text import literal

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
    shown = html.removeprefix("<p>").removesuffix("</p>")
    assert shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"') == typed


def test_lines_become_one() -> None:
    assert literal("first\nsecond") == "first second"
