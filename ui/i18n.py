"""The interface in the person's language: gettext message catalogues managed with Babel.

The catalogues are `locales/<code>/LC_MESSAGES/messages.po` (French, Spanish, German, Arabic;
English is the source text); Arabic screens are laid out right to left (`direction`). `make messages`
extracts the wrapped strings (babel.cfg) and updates each catalogue; compiling and caching them is
checklists.i18n's, shared with the reports' catalogues.

The language of a browser session is `st.session_state["language"]` (a code such as "fr"); a
signed-in person's choice is kept with their account. Outside a Streamlit run (the command line,
tests of the screens' logic) the language is English unless `using` says otherwise. The session's
language is also what the reports' words (charts on the dashboards) follow outside `using`.

`_` translates a message, `ngettext` a message with a count, and `N_` marks a message for
extraction where it is defined (a table of titles) and translated where it is shown.
"""

from __future__ import annotations

import gettext

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from checklists import i18n as shared
from checklists.i18n import DEFAULT_LANGUAGE, INTERFACE_LANGUAGES, LOCALES, N_, compile_catalogue, direction, using

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_KEY",
    "LOCALES",
    "N_",
    "_",
    "compile_catalogue",
    "direction",
    "language",
    "ngettext",
    "set_language",
    "translations",
    "using",
]

LANGUAGE_KEY = "language"
# Each language under its own name, as a person looking for theirs reads it.
LANGUAGES: dict[str, str] = INTERFACE_LANGUAGES
DOMAIN = "messages"


# The session's language as read in the current run, per session: {session id: (run marker, code)}.
# A screen asks for it thousands of times a run (every word, date and score of a long table), and
# reading session state costs a lock and a lookup each time. The run marker is the run context's
# `cursors`, a new dict at the start of every run (held here, so no later dict takes its identity);
# `set_language` writes through, so a change of language within a run counts at once.
_read_this_run: dict[str, tuple[object, str | None]] = {}
_SESSIONS_KEPT = 512


def _session_language() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    marker = getattr(ctx, "cursors", None)
    kept = _read_this_run.get(ctx.session_id)
    if kept is not None and marker is not None and kept[0] is marker:
        return kept[1]
    value = st.session_state.get(LANGUAGE_KEY)
    code = value if isinstance(value, str) else None
    if marker is not None:
        if len(_read_this_run) >= _SESSIONS_KEPT:
            _read_this_run.clear()
        _read_this_run[ctx.session_id] = (marker, code)
    return code


def set_language(code: str) -> None:
    """Make `code` the browser session's language, from this point of the run on."""
    st.session_state[LANGUAGE_KEY] = code
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        _read_this_run.pop(ctx.session_id, None)


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
