"""sensory-audit, the app: sign in, offer the screens the user's role may see, run the chosen one."""

import streamlit as st

from ui import navigation, signin, style

st.set_page_config(page_title="sensory-audit", page_icon=":material/spa:", layout="wide")
style.apply()
user = signin.signed_in_user()
page = st.navigation(navigation.pages_for(user.role))
page.run()
