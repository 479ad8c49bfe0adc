"""The screens, and who sees which (each screen is drawn by one page file in ui/pages/)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from assessments import roles
from assessments.models import Role
from ui.i18n import N_, _

PAGES = Path(__file__).parent / "pages"

# page file name -> (title, Material icon, URL path); the title is shown in the person's language
SCREENS: dict[str, tuple[str, str, str]] = {
    "overview": (N_("Overview"), ":material/dashboard:", "overview"),
    "compare": (N_("Compare rooms"), ":material/compare_arrows:", "compare"),
    "room": (N_("Room"), ":material/meeting_room:", "room"),
    "action_plan": (N_("Action plan"), ":material/checklist:", "actions"),
    "assess": (N_("Assess a room"), ":material/edit_note:", "assess"),
    "report_downloads": (N_("Reports"), ":material/description:", "reports"),
    "calibration": (N_("Calibration"), ":material/balance:", "calibration"),
    "inbox": (N_("Inbox"), ":material/inbox:", "inbox"),
    "criteria": (N_("Criteria"), ":material/menu_book:", "criteria"),
    "admin": (N_("Admin"), ":material/settings:", "admin"),
}

# Which screens each role sees, from the role table (the first is the home).
SCREENS_BY_ROLE: dict[Role, tuple[str, ...]] = roles.SCREENS_BY_ROLE


def pages_for(role: Role, titles: Mapping[str, str] | None = None) -> list[st.Page]:
    """The role's screens; `titles` replaces some titles (e.g. the Inbox with its unread count)."""
    pages = []
    for n, name in enumerate(SCREENS_BY_ROLE[role]):
        title, icon, url_path = SCREENS[name]
        title = (titles or {}).get(name) or _(title)
        pages.append(st.Page(PAGES / f"{name}.py", title=title, icon=icon, url_path=url_path, default=n == 0))
    return pages
