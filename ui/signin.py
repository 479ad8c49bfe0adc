"""Who is using the app. Demo mode (the default until accounts have passwords): the app says it is a
demo and offers a switch to try each role."""

from __future__ import annotations

import streamlit as st

from assessments.models import User
from ui import context, state


def signed_in_user() -> User:
    user = context.current_user()
    with st.sidebar:
        st.caption("Demo mode: no sign-in. Try the app as each role.")
        users = context.demo_users()
        chosen = st.selectbox(
            "Try as",
            users,
            index=[u.id for u in users].index(user.id),
            format_func=lambda u: f"{u.name} ({u.role.value})",
            key=state.SIGNIN_TRY_AS,
        )
        if chosen is not None and chosen.id != user.id:
            st.session_state[state.USER_ID] = chosen.id
            # The next person sees the screens afresh: no messages or half-typed answers of the last one.
            for key in state.ASSESS_PERSONAL:
                st.session_state.pop(key, None)
            st.rerun()
    return user
