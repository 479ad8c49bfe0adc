"""Admin: the sites and rooms of an organisation, with forms to add them and to change them (managers
and admins), and how many months after its last assessment each room type is due again. Admins also
manage the people who use the app and the organisations, export an organisation to a JSON file
(photos inside) and import one: the file is checked first, and if any
part of it is wrong every problem is listed and nothing is imported. Recent changes tell who did
what, and when. The Criteria tab adapts the criteria for one organisation: an override file checked,
previewed against the shipped catalogue and the rooms' latest scores, and saved with a reason.

Each tab is drawn by its own module (`ui.admin_sites_widgets`, `ui.admin_people_widgets`,
`ui.admin_organisation_widgets`, `ui.admin_schedule_widgets`, `ui.admin_changes_widgets`,
`ui.admin_criteria_widgets`), what
they share is `ui.admin_screen`, and what they work out is in the plain modules `ui.admin_records`, `ui.admin_forms`,
`ui.admin_transfer`, `ui.admin_audit` and `ui.admin_criteria`.
"""

from __future__ import annotations

import streamlit as st

from ui import (
    admin_changes_widgets,
    admin_criteria_widgets,
    admin_organisation_widgets,
    admin_people_widgets,
    admin_schedule_widgets,
    admin_sites_widgets,
)
from ui.admin_screen import AdminScreen
from ui.i18n import _

screen = AdminScreen.load()

st.title(_("Admin"))
if not screen.organisations:
    st.info(_("You are not a member of any organisation yet; an admin adds you to one."))
    st.stop()
if screen.is_admin:
    st.caption(_("Sites and rooms, the people who use the app, the organisations, and moving them between databases."))
    tabs = st.tabs(
        [_("Sites and rooms"), _("Users"), _("Organisations"), _("Re-assessment"), _("Recent changes"), _("Criteria")]
    )
    with tabs[0]:
        admin_sites_widgets.sites_and_rooms(screen)
    with tabs[1]:
        admin_people_widgets.users(screen)
        admin_people_widgets.sign_on_domains(screen)
    with tabs[2]:
        admin_organisation_widgets.organisations_tab(screen)
    with tabs[3]:
        admin_schedule_widgets.schedule_tab(screen)
    with tabs[4]:
        admin_changes_widgets.recent_changes(screen)
    with tabs[5]:
        admin_criteria_widgets.criteria_tab(screen)
else:
    st.caption(_("The sites and rooms of your organisations. Admins manage users and organisations."))
    tabs = st.tabs([_("Sites and rooms"), _("Re-assessment"), _("Recent changes"), _("Criteria")])
    with tabs[0]:
        admin_sites_widgets.sites_and_rooms(screen)
    with tabs[1]:
        admin_schedule_widgets.schedule_tab(screen)
    with tabs[2]:
        admin_changes_widgets.recent_changes(screen)
    with tabs[3]:
        admin_criteria_widgets.criteria_tab(screen)
