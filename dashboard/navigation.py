"""The screens, and who sees which (the page files in dashboard/ each draw one screen)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assessments.models import Role

HERE = Path(__file__).parent

# name -> (title, Material icon, URL path)
SCREENS: dict[str, tuple[str, str, str]] = {
    "overview": ("Overview", ":material/dashboard:", "overview"),
    "compare": ("Compare rooms", ":material/compare_arrows:", "compare"),
    "room": ("Room", ":material/meeting_room:", "room"),
    "actions": ("Action plan", ":material/checklist:", "actions"),
    "assess": ("Assess a room", ":material/edit_note:", "assess"),
    "reports": ("Reports", ":material/description:", "reports"),
    "criteria": ("Criteria", ":material/menu_book:", "criteria"),
    "admin": ("Admin", ":material/settings:", "admin"),
}

# Which screens each role sees, in the order they appear in the navigation; the first is the home.
SCREENS_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.staff: ("assess", "criteria"),
    Role.manager: ("overview", "compare", "room", "actions", "assess", "reports", "criteria", "admin"),
    Role.consultant: ("overview", "compare", "room", "actions", "assess", "reports", "criteria"),
    Role.admin: ("overview", "compare", "room", "actions", "assess", "reports", "criteria", "admin"),
}


def pages_for(role: Role) -> list[st.Page]:
    pages = []
    for n, name in enumerate(SCREENS_BY_ROLE[role]):
        title, icon, url_path = SCREENS[name]
        pages.append(st.Page(HERE / f"{name}.py", title=title, icon=icon, url_path=url_path, default=n == 0))
    return pages
