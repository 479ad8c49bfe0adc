"""The interface in the person's language: gettext message catalogues managed with Babel.

The catalogues are `locales/<code>/LC_MESSAGES/messages.po` (French, Spanish, German; English is
the source text). `make messages` extracts the wrapped strings (babel.cfg) and updates each
catalogue; the compiled `.mo` files are built from the `.po` files, by `make` and, when missing or
older than their `.po`, here on first use, so a fresh checkout works without a build step.

The language of a browser session is `st.session_state["language"]` (a code such as "fr"); a
signed-in person's choice is kept with their account. Outside a Streamlit run (the command line,
tests of the screens' logic) the language is English unless `using` says otherwise.

`_` translates a message, `ngettext` a message with a count, and `N_` marks a message for
extraction where it is defined (a table of titles) and translated where it is shown.
"""

from __future__ import annotations

import gettext
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_KEY",
    "LOCALES",
    "N_",
    "_",
    "compile_catalogue",
    "language",
    "ngettext",
    "translations",
    "using",
]

LANGUAGE_KEY = "language"
DEFAULT_LANGUAGE = "en"
# Each language under its own name, as a person looking for theirs reads it.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español", "de": "Deutsch"}
LOCALES = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"

_chosen: ContextVar[str | None] = ContextVar("sensory_audit_language", default=None)


def _session_language() -> str | None:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:  # pragma: no cover (Streamlit is a dependency)
        return None
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    import streamlit as st

    value = st.session_state.get(LANGUAGE_KEY)
    return value if isinstance(value, str) else None


def language() -> str:
    """The current language code: `using`'s, else the browser session's, else English."""
    code = _chosen.get() or _session_language() or DEFAULT_LANGUAGE
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@contextmanager
def using(code: str) -> Iterator[None]:
    """Speak `code` inside the block (the command line, tests, a report in its reader's language)."""
    token = _chosen.set(code)
    try:
        yield
    finally:
        _chosen.reset(token)


def _po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


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


@lru_cache(maxsize=len(LANGUAGES))
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of a language (English: the source text itself)."""
    po = _po_path(code)
    if code == DEFAULT_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    fresh = mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
    data = mo.read_bytes() if fresh else compile_catalogue(po, mo)
    return gettext.GNUTranslations(io.BytesIO(data))


def _(message: str) -> str:
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    return message
