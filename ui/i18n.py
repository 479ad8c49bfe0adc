"""The interface in the person's language: gettext message catalogues managed with Babel.

The catalogues are `locales/<code>/LC_MESSAGES/messages.po` (French, Spanish, German; English is
the source text). `make messages` extracts the wrapped strings (babel.cfg) and updates each
catalogue; compiling and caching them is checklists.i18n's, shared with the reports' catalogues.

The language of a browser session is `st.session_state["language"]` (a code such as "fr"); a
signed-in person's choice is kept with their account. Outside a Streamlit run (the command line,
tests of the screens' logic) the language is English unless `using` says otherwise. The session's
language is also what the reports' words (charts on the dashboards) follow outside `using`.

`_` translates a message, `ngettext` a message with a count, and `N_` marks a message for
extraction where it is defined (a table of titles) and translated where it is shown.
"""

from __future__ import annotations

import gettext

from checklists import i18n as shared
from checklists.i18n import DEFAULT_LANGUAGE, LOCALES, N_, compile_catalogue, using

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
# Each language under its own name, as a person looking for theirs reads it.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español", "de": "Deutsch"}
DOMAIN = "messages"


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


shared.set_fallback(_session_language)


def language() -> str:
    """The current language code: `using`'s, else the browser session's, else English."""
    return shared.language(LANGUAGES)


def translations(code: str) -> gettext.NullTranslations:
    """The interface's catalogue of a language (English: the source text itself)."""
    return shared.translations(DOMAIN, code)


def _(message: str) -> str:
    return shared.translate(DOMAIN, message, language())


def ngettext(singular: str, plural: str, n: int) -> str:
    return shared.translate_plural(DOMAIN, singular, plural, n, language())
