"""The app's calm look, on top of .streamlit/config.toml: large tap targets, visible focus, no motion."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

# Touch targets of at least 44 px (WCAG 2.2 target size, tablet use); a focus ring that stays
# visible (2.4.7, 2.4.11); no animation, transition or fading anywhere (a sensory-friendly screen).
_STYLE = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")

# Streamlit re-creates the page's elements on every run, so a <style> element in the page can be
# missing for a moment while a screen updates. The script puts the same rules in the document's
# <head> once, where they stay for the whole visit; the <style> covers the first paint.
_PERSIST = f"""<script>
if (!document.getElementById("sensory-audit-style")) {{
  const style = document.createElement("style");
  style.id = "sensory-audit-style";
  style.textContent = {json.dumps(_STYLE)};
  document.head.appendChild(style);
}}
</script>"""


def apply() -> None:
    st.html(f"<style>{_STYLE}</style>")
    st.html(_PERSIST, unsafe_allow_javascript=True)
