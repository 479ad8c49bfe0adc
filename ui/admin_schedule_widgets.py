"""The Admin page's Re-assessment tab: how many months after its last assessment each room type of an
organisation is due again (`ui.schedule_view` draws it; the store checks who may change it)."""

from __future__ import annotations

from ui import schedule_view
from ui.admin_screen import AdminScreen


def schedule_tab(screen: AdminScreen) -> None:
    """How often each room type is re-assessed, for the settings the organisations' sites have."""
    settings_by_org: dict[int, set[str]] = {}
    for site in screen.data.sites:
        settings_by_org.setdefault(site.organisation_id, set()).add(site.setting)
    schedule_view.intervals_section(screen.user, screen.organisations, settings_by_org)
