"""The app's calm look, on top of .streamlit/config.toml: large tap targets, visible focus, no motion."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

# Touch targets of at least 44 px (WCAG 2.2 target size, tablet use); a focus ring that stays
# visible (2.4.7, 2.4.11); no animation or transition anywhere (a sensory-friendly screen).
_CSS = "<style>" + (Path(__file__).with_name("style.css")).read_text(encoding="utf-8") + "</style>"


def apply() -> None:
    st.html(_CSS)
