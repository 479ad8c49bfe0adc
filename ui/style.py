"""The app's calm look, on top of .streamlit/config.toml: large tap targets, visible focus, no motion."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

# Touch targets of at least 44 px (WCAG 2.2 target size, tablet use); a focus ring that stays
# visible (2.4.7, 2.4.11); no animation, transition or fading anywhere (a sensory-friendly screen).
_STYLE = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")

# The rules must hold from the first paint of a screen, on every run, on a slow tablet too.
#
# Streamlit draws a few elements at once (markdown, headings, tabs, layout) and fetches the code of
# most others (buttons, selects, st.html, charts) the first time a browser needs it, showing a grey
# placeholder meanwhile. A rule that only arrives through st.html therefore lands some hundred
# milliseconds to seconds after the section tabs and headings are on screen: on a busy tablet the
# assessor sees 40 px tabs first. So the rules come in a markdown element, which Streamlit draws in
# the same paint as the tabs (hidden, in style.css, so it takes no room).
#
# The script then copies the same rules into the document's <head> once, where they stay for the
# whole visit whatever a rerun does to the page's elements.
_PERSIST = f"""<script>
if (!document.getElementById("sensory-audit-style")) {{
  const style = document.createElement("style");
  style.id = "sensory-audit-style";
  style.textContent = {json.dumps(_STYLE)};
  document.head.appendChild(style);
}}
</script>"""


def apply() -> None:
    st.markdown(f"<style>{_STYLE}</style>", unsafe_allow_html=True)
    st.html(_PERSIST, unsafe_allow_javascript=True)
