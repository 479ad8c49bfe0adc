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
# Overview filter widgets (kept for the whole session, across page changes: persist_state="session").
OVERVIEW_ORGANISATIONS = "overview_organisations"
OVERVIEW_SITES = "overview_sites"
OVERVIEW_SETTINGS = "overview_settings"
OVERVIEW_ROOM_TYPES = "overview_room_types"
OVERVIEW_BANDS = "overview_bands"
OVERVIEW_DATES = "overview_dates"
# Overview: heatmap of categories or of principles, and the order of its rooms.
OVERVIEW_HEATMAP = "overview_heatmap"
OVERVIEW_ORDER = "overview_order"
# Overview: the rooms table (a row click opens the room).
OVERVIEW_TABLE = "overview_table"
# Compare page: show only the items where the rooms differ.
COMPARE_ONLY_DIFFERENCES = "compare_only_differences"
# Room page: the assessment shown, and whether the trend includes drafts.
ROOM_ASSESSMENT = "room_assessment"
ROOM_TREND_DRAFTS = "room_trend_drafts"
# Action plan filters (kept for the whole session).
ACTIONS_SITES = "actions_sites"
ACTIONS_CATEGORIES = "actions_categories"
ACTIONS_EFFORTS = "actions_efforts"
ACTIONS_CRITICAL = "actions_critical"
# Criteria page: search words and filters.
CRITERIA_QUERY = "criteria_query"
CRITERIA_CATEGORIES = "criteria_categories"
CRITERIA_GRADES = "criteria_grades"
CRITERIA_ROOM_TYPE = "criteria_room_type"
CRITERIA_CRITICAL = "criteria_critical"

# Assess page: what this browser knows of each open assessment, kept between fragment reruns.
# The answers as last loaded or saved here ({assessment_id: {item_id: Answer}}).
ASSESS_ANSWERS = "assess_answers"
# A save refused because someone else saved first ({assessment_id: message}); cleared by Reload.
ASSESS_CONFLICT = "assess_conflict"
# The outcome of the last submit, review or send-back ({assessment_id: Feedback}).
ASSESS_DECISION = "assess_decision"
# The photos of each item as last read or added here ({assessment_id: {item_id: [(evidence id, file name)]}}).
ASSESS_PHOTOS = "assess_photos"
# A counter per photo uploader, bumped after each upload so the uploader comes back empty.
ASSESS_UPLOADS = "assess_uploads"
# The resolved checklist of each open assessment, for its fragments ({assessment_id: RoomChecklist}).
ASSESS_CHECKLIST = "assess_checklist"
# The section tab shown on the Assess page.
ASSESS_SECTION = "assess_section"
# Widgets of the submit and review panels.
ASSESS_SUBMIT_REASON = "assess_submit_reason"
ASSESS_REVIEW_COMMENT = "assess_review_comment"


def assess_widget(assessment_id: int, item_id: str, part: str) -> str:
    """The key of one input of one item: `part` is answer, na, percent, frequency, note, details or photo."""
    return f"assess_w:{assessment_id}:{item_id}:{part}"
