"""Every st.session_state key the app uses, named once here (pages import the names)."""

from __future__ import annotations

# The acting user's id (demo mode: chosen with the "Try as" switch).
USER_ID = "user_id"
# Assess page: the site, room and assessment being worked on.
ASSESS_SITE = "assess_site"
ASSESS_ROOM = "assess_room"
ASSESS_ASSESSMENT = "assess_assessment"
# Assess page: the row version this browser last saw, per assessment (optimistic locking).
ASSESS_VERSION = "assess_version"
# Assess page: the last save result shown beside an item ({item_id: message}).
ASSESS_FEEDBACK = "assess_feedback"
# Room page: the room shown (also carried in the URL as ?room=ID).
ROOM_ID = "room_id"
# Compare page: the rooms picked.
COMPARE_ROOMS = "compare_rooms"
# Overview filters.
OVERVIEW_FILTERS = "overview_filters"
