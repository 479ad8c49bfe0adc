"""The Assess screen on a weak signal: an offline banner, and answers and photos given while the
connection is down (or sent into a connection that then closed) held on the tablet and sent when
it returns, or shown plainly as not saved.

Streamlit talks to the server over one websocket and greys out every input once it knows the
connection is gone; but a tablet whose Wi-Fi drops often keeps a dead connection open for a while,
and what is sent into it is lost while the screen shows it as given. The script in
ui/offline_guard.js (run in the page, not in a frame) closes that gap; docs/field-rounds.md says
what the assessor sees.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from ui.i18n import _

__all__ = ["SCRIPT", "offline_guard"]

SCRIPT = Path(__file__).with_name("offline_guard.js").read_text(encoding="utf-8")


def offline_guard(assessment_id: int | None) -> None:
    """Put the guard on the page (once per browser tab; a later call only names the open assessment)."""
    opened = int(assessment_id or 0)
    # The words the guard looks for on the screen, in the screen's language (see ui.assess_saving).
    words = json.dumps({"photoSaved": _("Photo {name} saved")}, ensure_ascii=False).replace("</", "<\\/")
    st.html(
        f"<script>window.__saGuardAssessment = {opened};\nwindow.__saGuardWords = {words};\n{SCRIPT}</script>",
        unsafe_allow_javascript=True,
    )
