"""Assess a room: pick a site and a room, answer its checklist section by section on a tablet (every
answer saved the moment it is given), watch the live score, add notes and photos, then submit;
a manager marks the assessment reviewed or sends it back.

The room assessed is the room chosen on screen; the open assessment stays open across screens and
reloads until the assessor closes it or chooses another room. Each field shows what is saved. For a
round without a signal, the room type's form for ODK Collect or KoboToolbox is offered, and what was
collected is uploaded here. The parts and what each tap does are gathered in ui/assess_widgets.py.
"""

import streamlit as st

from assessments.roles import allowed
from ui import assess_logic as logic
from ui import assess_widgets as parts
from ui import field_forms
from ui.i18n import _
from ui.offline_guard import offline_guard

desk = parts.Desk.current()

st.html(parts.CSS)
st.title(_("Assess a room"))
parts.follow_address(desk)
parts.notice()
chosen = parts.room_picker(desk)
opened = parts.assessment_picker(desk, *chosen) if chosen else None
if opened is not None:
    editable = logic.can_answer(desk.user.role, opened.assessment.status)
    parts.opened_header(desk, opened)
    parts.live_summary(desk, opened.assessment.id)
    parts.sections(desk, opened, editable)
    parts.submit_panel(desk, opened, editable)
offline_guard(opened.assessment.id if opened is not None else None)
if chosen is not None and desk.user.role in allowed("assess"):
    site, room = chosen
    field_forms.offline_round(desk.store, desk.user, site, room.room_type)
