"""The language choice: in the navigation and on the sign-in screen, each language under its own name.

The choice is `st.session_state["language"]` (ui.i18n reads it). Before signing in it is the
browser session's; a signed-in person's choice is kept with their account, and at sign-in the
account's language counts (an account that never chose keeps the one picked on the sign-in screen).
The page's `lang` attribute follows, so a screen reader speaks the page in its language, and its
`dir`: an Arabic screen reads right to left (style.css lays it out so).
"""

from __future__ import annotations

import json

import streamlit as st

from assessments import repository
from assessments.models import User
from ui import context
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, direction, language, set_language

__all__ = [
    "CHOICE_KEY",
    "LABEL",
    "adopt_account_language",
    "forget_adoption",
    "language_picker",
    "mark_page",
    "worded_key",
]

CHOICE_KEY = "language_choice"
# The label names the choice in every language, so a person who cannot read the current one finds it.
LABEL = "Language · Langue · Idioma · Sprache · اللغة"
_ADOPTED = "language_adopted_for"


def _on_choice(user_id: int | None) -> None:
    code = st.session_state.get(CHOICE_KEY)
    if code not in LANGUAGES:
        return
    set_language(code)
    if user_id is not None:
        with context.store().session() as session:
            user = session.get(User, user_id)
            if user is not None:
                repository.set_language(session, user, code)


def language_picker(user_id: int | None = None) -> None:
    """The choice of language (`user_id`: the signed-in person, whose account keeps it); also sets
    the page's `lang`."""
    st.session_state[CHOICE_KEY] = language()
    st.selectbox(
        LABEL,
        list(LANGUAGES),
        format_func=lambda code: LANGUAGES[code],
        key=CHOICE_KEY,
        on_change=_on_choice,
        args=(user_id,),
    )
    mark_page()


def adopt_account_language(user_id: int) -> None:
    """Once per sign-in: the account's language counts; an account without one keeps the browser's."""
    if st.session_state.get(_ADOPTED) == user_id:
        return
    with context.store().session() as session:
        kept = repository.user_language(session, user_id)
        chosen = st.session_state.get(LANGUAGE_KEY)
        if kept is not None:
            set_language(kept)
        elif chosen in LANGUAGES and chosen != DEFAULT_LANGUAGE:
            user = session.get(User, user_id)
            if user is not None:
                repository.set_language(session, user, chosen)
    st.session_state[_ADOPTED] = user_id


def forget_adoption() -> None:
    """After signing out: the next person's account language counts again."""
    st.session_state.pop(_ADOPTED, None)


def mark_page() -> None:
    """Set the page's `lang` attribute to the current language, for screen readers, and its `dir`
    to the language's direction."""
    code = language()
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(code)};"
        f"document.documentElement.dir = {json.dumps(direction(code))};</script>",
        unsafe_allow_javascript=True,
    )


def worded_key(key: str) -> str:
    """The key of a picker whose options are worded in the person's language ('the first', a date,
    a status): one key per language, the choice carried over from the language used before.

    A picker keeps the words of the option it shows under its key, so after a change of language
    the same key would go on showing the old language's words. English keeps the plain key.
    """
    code = language()
    worded = key if code == DEFAULT_LANGUAGE else f"{key}__{code}"
    if worded not in st.session_state:
        for other in [key, *(f"{key}__{c}" for c in LANGUAGES if c != DEFAULT_LANGUAGE)]:
            # None is "nothing chosen yet" to a picker: it then starts on its first option anyway.
            if other != worded and st.session_state.get(other) is not None:
                st.session_state[worded] = st.session_state[other]
                break
    return worded
