"""sensory-audit, the app: sign in, offer the screens the user's role may see, run the chosen one."""

import streamlit as st

from ui import navigation, signin, style, unread

# The navigation starts closed, so a tablet's whole width goes to the screen; one tap on the button
# at the top left opens it, and the browser remembers whether the person keeps it open or closed.
st.set_page_config(
    page_title="sensory-audit", page_icon=":material/spa:", layout="wide", initial_sidebar_state="collapsed"
)
style.apply()
user = signin.signed_in_user()
page = st.navigation(navigation.pages_for(user.role, unread.navigation_titles(user)))
page.run()
