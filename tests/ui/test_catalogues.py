"""The interface's message catalogues: every wrapped string has a translation in every shipped
language, the catalogues are up to date with the code, and the wrapped screens show no unwrapped text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from ui import i18n
from ui.i18n import LANGUAGES, LOCALES, _, using

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [code for code in LANGUAGES if code != i18n.DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# The screens whose every user-visible string is wrapped for translation.
WRAPPED = sorted(
    [*ROOT.glob("ui/assess_*.py"), *ROOT.glob("ui/admin_*.py"), *(ROOT / "ui" / name for name in (
        "pages/assess.py", "pages/overview.py", "pages/room.py", "pages/compare.py", "navigation.py", "signin.py",
        "language_choice.py", "field_forms.py", "offline_guard.py", "portfolio_view.py", "overview_view.py",
        "assessment_view.py", "table_words.py",
        "pages/action_plan.py", "actions_view.py", "changes_view.py",
        "pages/calibration.py", "calibration_view.py",
        "pages/inbox.py", "unread.py", "calendar_view.py", "schedule_view.py",
        "pages/criteria.py", "criteria_view.py", "version_view.py",
        "pages/admin.py", "uploads.py", "pages/report_downloads.py", "reports_logic.py", "context.py",
        "single_sign_on.py"))]
)  # fmt: skip
# Streamlit calls whose first argument a person reads (a label, a title, a message).
SHOWN = {
    "title", "header", "subheader", "caption", "info", "warning", "error", "success", "button", "selectbox",
    "text_input", "text_area", "checkbox", "toggle", "radio", "expander", "file_uploader", "download_button",
    "form_submit_button", "segmented_control", "multiselect", "number_input", "popover", "tabs", "markdown",
    "metric", "write", "text", "pills", "date_input", "toast", "TextColumn", "NumberColumn", "Column",
    "ProgressColumn", "LinkColumn", "ListColumn",
}  # fmt: skip
# Their keyword arguments a person reads too, wherever they are given (a help text, a placeholder,
# a column's label).
SHOWN_KEYWORDS = {"help", "placeholder", "label"}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages the code wraps now, extracted as `make messages` does."""
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location", "-o", str(template), str(ROOT)]
    )
    with template.open("rb") as source:
        return read_po(source)


def _catalogue(code: str) -> Catalog:
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=code)


def _ids(catalogue: Catalog) -> set[object]:
    return {m.id for m in catalogue if m.id}


def test_the_extraction_finds_the_wrapped_screens(extracted: Catalog) -> None:
    ids = _ids(extracted)
    assert {"Assess a room", "Sign in", "Overview", "Not applicable here"} <= ids
    assert len(ids) > 150


@pytest.mark.parametrize("code", SHIPPED)
def test_each_catalogue_is_up_to_date_with_the_code(code: str, extracted: Catalog) -> None:
    shipped, wanted = _ids(_catalogue(code)), _ids(extracted)
    assert not wanted - shipped, f"run `make messages`: {code} lacks {sorted(map(str, wanted - shipped))[:10]}"
    assert not shipped - wanted, f"run `make messages`: {code} keeps {sorted(map(str, shipped - wanted))[:10]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated_in_each_shipped_language(code: str) -> None:
    missing, fuzzy, broken = [], [], []
    for message in _catalogue(code):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if not all(strings):
            missing.append(message.id)
        elif message.fuzzy:
            fuzzy.append(message.id)
        elif any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(ids[-1])) for s in strings):
            broken.append(message.id)
    assert not missing, f"{code}: no translation for {missing[:10]}"
    assert not fuzzy, f"{code}: fuzzy (to check) {fuzzy[:10]}"
    assert not broken, f"{code}: the translation's {{placeholders}} differ from the message's: {broken[:10]}"


def test_the_compiled_catalogues_speak_each_language() -> None:
    said = {}
    for code in LANGUAGES:
        with using(code):
            said[code] = (_("Sign in"), i18n.ngettext("{n} item", "{n} items", 3).format(n=3))
    assert said == {
        "en": ("Sign in", "3 items"),
        "fr": ("Se connecter", "3 critères"),
        "es": ("Iniciar sesión", "3 criterios"),
        "de": ("Anmelden", "3 Kriterien"),
        "ar": ("تسجيل الدخول", "3 بنود"),
    }


def test_a_stale_compiled_catalogue_is_compiled_again(tmp_path: Path) -> None:
    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Yes"\nmsgstr "Oui"\n')
    mo = tmp_path / "messages.mo"
    i18n.compile_catalogue(po, mo)
    assert b"Oui" in mo.read_bytes()


# Streamlit's colour and icon markup (":green[", ":material/check_circle:"), HTML tags and example
# addresses ("name@example.org", "clinic.example.org") are not text.
_MARKUP = re.compile(r":[a-z]+\[|:material/[a-z_]+:|\]|<[^>]*>|[\w.]*[@.]example\.org")


def _words(text: object) -> bool:
    return bool(re.search(r"[A-Za-z]{2}", _MARKUP.sub("", str(text))))


# A frame's own column names ('assessment_id'), not shown as they are.
_INTERNAL = re.compile(r"[a-z][a-z0-9_]*")


def _literal_words(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and _words(node.value)


def _shown_headings(node: ast.Call) -> list[ast.AST]:
    """The column headings of a table built in the call: the keys of `DataFrame({...})` and the new
    names of `rename(columns={...})`."""
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if name == "DataFrame" and node.args and isinstance(node.args[0], ast.Dict):
        return [k for k in node.args[0].keys if k is not None]
    columns = next((k.value for k in node.keywords if k.arg == "columns"), None)
    if name == "rename" and isinstance(columns, ast.Dict):
        return list(columns.values)
    return []


def _unwrapped(path: Path) -> list[str]:
    """Text literals passed straight to a Streamlit call a person reads (not through _ or ngettext),
    given as a tooltip or placeholder, or as a table's column heading."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        headings = [h for h in _shown_headings(node) if not _INTERNAL.fullmatch(str(getattr(h, "value", "")))]
        shown_call = isinstance(node.func, ast.Attribute) and node.func.attr in SHOWN
        # A shown call's keywords are read below, with its first argument.
        keywords = [] if shown_call else [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        for shown in [*headings, *keywords]:
            if _literal_words(shown):
                found.append(f"{path.name}:{node.lineno} {shown.value!r}")  # type: ignore[attr-defined]
        if not shown_call:
            continue
        said = [node.args[0]] if node.args else []
        said += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        # A list of tab titles is read too.
        said += [e for s in said if isinstance(s, ast.List) for e in s.elts]
        for first in said:
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and _words(first.value):
                found.append(f"{path.name}:{node.lineno} {first.value!r}")
            elif isinstance(first, ast.JoinedStr) and _words(
                "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in first.values)
            ):
                found.append(f"{path.name}:{node.lineno} f-string")
    return found


@pytest.mark.parametrize("path", WRAPPED, ids=lambda p: p.name)
def test_the_wrapped_screens_show_no_text_outside_the_catalogue(path: Path) -> None:
    assert _unwrapped(path) == []
    # `_` is the translation: a screen that also uses it as a throwaway name breaks every message after it.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assigned = [
        n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
    ]
    assert assigned == [], f"{path.name} assigns to _ on lines {assigned}"


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_each_catalogue_passes_the_checks_make_compiles_it_with(code: str) -> None:
    # `make translations` (pybabel compile) refuses a catalogue whose placeholders do not match,
    # e.g. a "%" in a message taken for a printf placeholder.
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source)
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalogue.check()]
    assert problems == []
