"""Who is using the app: the sign-in screen, the invite and reset links, sign-out, and demo mode.

A signed-in browser tab holds a session token; the session itself is kept by the store, which
checks it on every run of the app, so signing out, a disabled account or a changed role ends it
at once. The token is kept in the tab's address (`?s=`): it is the one place Streamlit lets the
server keep something that outlives the tab's connection, so a reload and a tablet's dropped
connection both come back signed in until the session expires.

In demo mode the app says it is a demo, a new visitor starts as the demo staff member, the
sign-in screen lists the demo accounts with their password, and the sidebar's "Try as" switch
signs in as each of them.
"""

from __future__ import annotations

import streamlit as st
from streamlit import runtime

from assessments import repository
from assessments.account_links import LINK_REFUSED
from assessments.demo import DEMO_PASSWORD, demo_may_serve
from assessments.errors import InvalidAnswer
from assessments.models import User
from checklists.i18n import _ as reports_words
from ui import context, language_choice, single_sign_on, state
from ui.i18n import N_, _
from ui.text import literal

__all__ = ["LINK_PARAM", "TOKEN_PARAM", "signed_in_user"]

TOKEN_PARAM = state.TOKEN_PARAM
LINK_PARAM = state.LINK_PARAM
ENDED = N_("Your session has ended. Sign in again.")


def signed_in_user() -> User:
    """The signed-in user, after checking the session; otherwise draws the sign-in screen and stops."""
    demo = context.is_demo()
    # (No runtime: a test runs the script without a server, listening nowhere.)
    if demo and runtime.exists() and not demo_may_serve(st.get_option("server.address")):
        st.error(
            _(
                "This is a demo, with its accounts and password on the sign-in screen, so it only listens on "
                "this machine. Start it with `--server.address 127.0.0.1`, set SENSORY_AUDIT_DEMO=0 for a real "
                "installation, or SENSORY_AUDIT_DEMO=remote to show the demo to other machines."
            )
        )
        st.stop()
    link = st.query_params.get(LINK_PARAM)
    if link:
        _link_screen(link)
        st.stop()
    token = _held_token()
    if token is None and demo and not st.session_state.get(state.SIGNED_OUT):
        token = _demo_session(st.session_state.get(state.USER_ID))
    if token is None:
        token = single_sign_on.signed_on_token()
        if token is not None:
            with context.store().session() as session:
                actor = repository.session_actor(session, token)
            if actor is not None:
                _signed_in(token, actor.id)
    if token is None:
        _signin_screen(demo)
        st.stop()
    language_choice.adopt_account_language(st.session_state[state.USER_ID])
    _sidebar(demo, token)
    return context.current_user()


def _held_token() -> str | None:
    """The tab's session token if the store still honours it; also sets the acting user."""
    token = st.session_state.get(state.SESSION_TOKEN) or st.query_params.get(TOKEN_PARAM)
    if not token:
        return None
    with context.store().session() as session:
        actor = repository.session_actor(session, token)
    if actor is None:
        _forget()
        st.session_state[state.SIGNED_OUT] = True
        st.session_state[state.SIGNIN_MESSAGE] = ENDED
        return None
    _keep(token, actor.id)
    return str(token)


def _keep(token: str, user_id: int) -> None:
    st.session_state[state.SESSION_TOKEN] = token
    st.session_state[state.USER_ID] = user_id
    st.session_state.pop(state.SIGNED_OUT, None)
    if st.query_params.get(TOKEN_PARAM) != token:
        st.query_params[TOKEN_PARAM] = token


def _forget() -> None:
    for key in (state.SESSION_TOKEN, state.USER_ID):
        st.session_state.pop(key, None)
    if TOKEN_PARAM in st.query_params:
        del st.query_params[TOKEN_PARAM]


def _demo_session(user_id: int | None) -> str | None:
    """Demo mode: a session for a demo user (the one chosen, else the first), without a password."""
    users = context.demo_users()
    if user_id is None:
        if not users:
            return None
        user_id = users[0].id
    with context.store().session() as session:
        try:
            token = repository.open_session(session, user_id, "demo")
        except repository.SignInError:
            return None
    _keep(token, user_id)
    return token


def _signed_in(token: str, user_id: int) -> None:
    _keep(token, user_id)
    st.session_state.pop(state.SIGNIN_MESSAGE, None)
    st.rerun()


def _signin_screen(demo: bool) -> None:
    language_choice.language_picker()
    st.title(_("Sign in to sensory-audit"))
    message = st.session_state.get(state.SIGNIN_MESSAGE)
    if demo:
        st.info(
            _(
                "This is a demo with sample data. Sign in as one of the demo accounts below with one tap, "
                "or type its email address and the password `{password}`."
            ).format(password=DEMO_PASSWORD)
        )
        for user in context.demo_users():
            said = _("Sign in as {name} ({role})").format(name=literal(user.name), role=user.role.value)
            if st.button(said, key=f"signin_demo_{user.id}"):
                token = _demo_session(user.id)
                if token is not None:
                    _signed_in(token, user.id)
    providers = single_sign_on.providers()
    if providers:
        single_sign_on.sign_in_buttons(providers)
        st.caption(_("Or sign in with the email address and password of an account here."))
    # The password is cleared after every attempt; the email address stays for the next one.
    with st.form("signin_form", clear_on_submit=True):
        email = st.text_input(
            _("Email address"), value=st.session_state.get(state.SIGNIN_EMAIL, ""), autocomplete="username"
        )
        password = st.text_input(_("Password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(_("Sign in"), type="primary")
    if submitted:
        st.session_state[state.SIGNIN_EMAIL] = email
        with context.store().session() as session:
            try:
                token = repository.sign_in(session, email, password, demo=demo)
            except repository.SignInError as refused:
                message = refused.message
            else:
                actor = repository.session_actor(session, token)
                if actor is not None:
                    _signed_in(token, actor.id)
    if message:
        st.session_state[state.SIGNIN_MESSAGE] = message
        st.error(literal(_(message)))
    st.caption(_("No account yet, or forgotten your password? Ask an administrator for a link."))


def _link_screen(link: str) -> None:
    with context.store().session() as session:
        user = repository.link_user(session, link)
    language_choice.language_picker()
    st.title(_("Choose your password"))
    if user is None:
        st.error(reports_words(LINK_REFUSED))
        return
    st.caption(_("For {email}").format(email=literal(user.email)))
    st.caption(_("At least 12 characters; a few unrelated words make a password that is easy to remember."))
    with st.form("link_form"):
        first = st.text_input(_("New password"), type="password", autocomplete="new-password")
        again = st.text_input(_("The same password again"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(_("Set the password and sign in"), type="primary")
    if not submitted:
        return
    if first != again:
        st.error(_("The two passwords differ."))
        return
    with context.store().session() as session:
        try:
            done = repository.use_link(session, link, first)
        except InvalidAnswer as problem:
            st.error(literal(str(problem)))
            return
        token = repository.open_session(session, done.id, "password")
    del st.query_params[LINK_PARAM]
    _signed_in(token, done.id)


def _sidebar(demo: bool, token: str) -> None:
    user_id = st.session_state[state.USER_ID]
    with st.sidebar:
        if demo:
            st.caption(
                _("Demo mode, with sample data: try the app as each role. Demo password: `{password}`.").format(
                    password=DEMO_PASSWORD
                )
            )
            users = context.demo_users()
            ids = [u.id for u in users]
            if user_id in ids:
                chosen = st.selectbox(
                    _("Try as"),
                    users,
                    index=ids.index(user_id),
                    format_func=lambda u: f"{u.name} ({u.role.value})",
                    key=state.SIGNIN_TRY_AS,
                )
                if chosen is not None and chosen.id != user_id:
                    with context.store().session() as session:
                        repository.sign_out(session, token)
                    # The next person sees the screens afresh: no messages or half-typed answers of the last one.
                    for key in state.ASSESS_PERSONAL:
                        st.session_state.pop(key, None)
                    new = _demo_session(chosen.id)
                    if new is not None:
                        st.rerun()
        if not demo:
            with context.store().session() as session:
                me = session.get(User, user_id)
            if me is not None:
                st.caption(_("Signed in as {name} ({role})").format(name=literal(me.name), role=me.role.value))
        language_choice.language_picker(user_id)
        if st.button(_("Sign out"), key="signin_sign_out", icon=":material/logout:"):
            with context.store().session() as session:
                repository.sign_out(session, token)
            _forget()
            st.session_state[state.SIGNED_OUT] = True
            st.session_state.pop(state.SIGNIN_TRY_AS, None)
            language_choice.forget_adoption()
            single_sign_on.sign_out()
            st.rerun()
