"""Words in the reader's language: the gettext machinery every part shares, and the "reports" domain.

Message catalogues are `locales/<code>/LC_MESSAGES/<domain>.po`, managed with Babel; English is the
source text. Two domains are shipped: "messages", the interface's words (ui/i18n.py), and "reports",
what a reader of a handed-over document sees: the PDF report, the workbook, the blank checklist's
frame, the charts and the wording of a target (babel-reports.cfg says what is extracted). The
compiled `.mo` files are built from the `.po` files, by `make translations` and, when missing or
older than their `.po`, here on first use, so a fresh checkout works without a build step.

The language in force is a context variable: `using(code)` speaks `code` inside a block (a report
in its reader's language, the command line, tests). Outside it, a resolver the interface registers
(`set_fallback`, the browser session's language) answers, else English. `_`, `ngettext` and `N_`
here translate in the "reports" domain, in the languages of REPORT_LANGUAGES.
"""

from __future__ import annotations

import gettext
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "DEFAULT_LANGUAGE",
    "INTERFACE_LANGUAGES",
    "LOCALES",
    "N_",
    "REPORTS",
    "REPORT_LANGUAGES",
    "_",
    "chosen",
    "compile_catalogue",
    "direction",
    "language",
    "ngettext",
    "set_fallback",
    "translate",
    "translate_plural",
    "translations",
    "using",
]

DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).resolve().parents[1] / "locales"
REPORTS = "reports"
# The languages the interface speaks (its "messages" catalogues), each under its own name; the store
# keeps a person's choice among them with their account.
INTERFACE_LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "de": "Deutsch",
    "ar": "العربية",
}
# The languages a report, a workbook and a blank checklist are written in, each under its own name.
REPORT_LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "de": "Deutsch",
    "ar": "العربية",
}

_chosen: ContextVar[str | None] = ContextVar("sensory_audit_language", default=None)
_fallback: list[Callable[[], str | None]] = []


def chosen() -> str | None:
    """The language `using` set, or else the registered resolver's (None when neither says)."""
    code = _chosen.get()
    if code is None and _fallback:
        code = _fallback[0]()
    return code


def language(known: Mapping[str, str] = REPORT_LANGUAGES) -> str:
    """The current language code among `known`: `using`'s, else the registered resolver's, else English."""
    code = chosen() or DEFAULT_LANGUAGE
    return code if code in known else DEFAULT_LANGUAGE


def direction(code: str) -> str:
    """How a language is written: "rtl" (Arabic) or "ltr", as the page's and a paragraph's `dir`
    say it; from the locale's own data (Babel)."""
    return "rtl" if _right_to_left(code) else "ltr"


@lru_cache(maxsize=32)
def _right_to_left(code: str) -> bool:
    try:
        return Locale.parse(code).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


def set_fallback(resolver: Callable[[], str | None]) -> None:
    """Where the language comes from outside `using` (the interface: the browser session's choice)."""
    _fallback[:] = [resolver]


@contextmanager
def using(code: str | None) -> Iterator[None]:
    """Speak `code` inside the block (None: keep the language in force)."""
    token = _chosen.set(code or _chosen.get())
    try:
        yield
    finally:
        _chosen.reset(token)


def compile_catalogue(po: Path, mo: Path | None = None) -> bytes:
    """The compiled catalogue of `po` (fuzzy entries left out, so they show in English); written to
    `mo` when given and the folder is writable."""
    with po.open("rb") as source:
        catalogue = read_po(source)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    data = out.getvalue()
    if mo is not None:
        try:
            fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
            with os.fdopen(fd, "wb") as target:
                target.write(data)
            os.replace(tmp, mo)
        except OSError:  # a read-only installation: the catalogue is used from memory
            pass
    return data


@lru_cache(maxsize=32)
def translations(domain: str, code: str) -> gettext.NullTranslations:
    """The catalogue of a domain in a language (English: the source text itself)."""
    po = LOCALES / code / "LC_MESSAGES" / f"{domain}.po"
    if code == DEFAULT_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    fresh = mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
    data = mo.read_bytes() if fresh else compile_catalogue(po, mo)
    return gettext.GNUTranslations(io.BytesIO(data))


def translate(domain: str, message: str, code: str) -> str:
    return translations(domain, code).gettext(message)


def translate_plural(domain: str, singular: str, plural: str, n: int, code: str) -> str:
    return translations(domain, code).ngettext(singular, plural, n)


def _(message: str) -> str:
    """`message` in the current report language."""
    return translate(REPORTS, message, language())


def ngettext(singular: str, plural: str, n: int) -> str:
    return translate_plural(REPORTS, singular, plural, n, language())


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    return message
