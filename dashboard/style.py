"""The app's calm look, on top of .streamlit/config.toml: large tap targets, visible focus, no motion."""

from __future__ import annotations

import streamlit as st

# Touch targets of at least 44 px (WCAG 2.2 target size, tablet use); a focus ring that stays
# visible (2.4.7, 2.4.11); no animation or transition anywhere (a sensory-friendly screen).
_CSS = """
<style>
*, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
button, [role="button"], [data-baseweb="select"] > div, input, textarea,
[data-testid="stNumberInputContainer"], [data-baseweb="input"] { min-height: 44px; }
[data-testid="stButtonGroup"] button { min-height: 44px; min-width: 44px; padding-left: 14px; padding-right: 14px; }
[data-testid="stRadio"] label, [data-testid="stCheckbox"] label { min-height: 44px; align-items: center; }
[data-testid="stSidebarNav"] a, [data-testid="stNavSectionHeader"], [data-testid="stSidebarNavLink"] { min-height: 44px; }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, [tabindex]:focus-visible,
[role="radio"]:focus-visible, [role="tab"]:focus-visible { outline: 3px solid #0F5C8C !important; outline-offset: 2px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.05rem; line-height: 1.55; }
[data-testid="stCaptionContainer"] { color: #52606D !important; }
[data-testid="stStatusWidget"] svg { animation: none !important; }
.block-container { padding-top: 2.2rem; max-width: 1400px; }
</style>
"""


def apply() -> None:
    st.html(_CSS)
