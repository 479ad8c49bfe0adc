"""Every st.session_state key the app uses, named once here (pages import the names)."""

from __future__ import annotations

# The acting user's id, set by ui.signin on every run from the server-side session.
USER_ID = "user_id"
# The session token this browser tab holds (also in the URL as ?s=, so a reload keeps it).
SESSION_TOKEN = "session_token"
# Demo mode: set when the visitor signed out, so the sign-in screen shows instead of the demo staff.
SIGNED_OUT = "signed_out"
# The sign-in form's last refusal, and the email address last typed there.
SIGNIN_MESSAGE = "signin_message"
SIGNIN_EMAIL = "signin_email"
# Demo mode: the "Try as" switch of the sidebar.
SIGNIN_TRY_AS = "signin_try_as"
# Assess page: the assessment open on the screen (None: none). It stays open across screens and is
# mirrored in the address (?assessment=ID) so a reload reopens it; only choosing another room or
# "Close this assessment" closes it.
ASSESS_OPEN = "assess_open"
# Assess page: the site and room chosen, kept while the person visits other screens (the pickers'
# own keys below are dropped by Streamlit whenever another screen runs).
ASSESS_CHOSEN_SITE = "assess_chosen_site"
ASSESS_CHOSEN_ROOM = "assess_chosen_room"
# Assess page: the pickers of the site, the room and the assessment (widgets).
ASSESS_SITE = "assess_site"
ASSESS_ROOM = "assess_room"
ASSESS_ASSESSMENT = "assess_assessment"
# Assess page: one message about what the pickers did ("Closed the assessment of ..."), shown once.
ASSESS_NOTICE = "assess_notice"
# Assess page: the row version this browser last saw, per assessment (optimistic locking).
ASSESS_VERSION = "assess_version"
# Assess page: the last save result shown beside an item ({assessment_id: {item_id: Feedback}}).
ASSESS_FEEDBACK = "assess_feedback"
# Assess page: items whose inputs show the saved answer again when next drawn ({assessment_id: {item_id}}).
ASSESS_SHOW_SAVED = "assess_show_saved"
# Assess page: the item saved last ({assessment_id: item_id}); only its saved line shows the room's score.
ASSESS_LATEST_SAVED = "assess_latest_saved"
# Assess page: readings far outside what the room can have, waiting for "Save anyway" or "Change it"
# ({assessment_id: {item_id: raw answer}}).
ASSESS_UNLIKELY = "assess_unlikely"
# Room page: the room shown (also carried in the URL as ?room=ID).
ROOM_ID = "room_id"
# Compare page: the rooms picked.
COMPARE_ROOMS = "compare_rooms"
# Compare rooms: score every room under the shipped catalogue (rooms of organisations with own criteria).
COMPARE_SHIPPED = "compare_shipped"
# Overview filter widgets (kept for the whole session, across page changes: persist_state="session").
OVERVIEW_ORGANISATIONS = "overview_organisations"
OVERVIEW_SITES = "overview_sites"
OVERVIEW_SETTINGS = "overview_settings"
OVERVIEW_ROOM_TYPES = "overview_room_types"
OVERVIEW_BANDS = "overview_bands"
OVERVIEW_FROM = "overview_from"
OVERVIEW_TO = "overview_to"
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
# Action plan: list only the fixes nobody has taken on yet.
ACTIONS_UNPLANNED = "actions_unplanned"
# Criteria page: search words and filters.
CRITERIA_QUERY = "criteria_query"
CRITERIA_CATEGORIES = "criteria_categories"
CRITERIA_GRADES = "criteria_grades"
CRITERIA_ROOM_TYPE = "criteria_room_type"
CRITERIA_CRITICAL = "criteria_critical"
# Criteria page: whose criteria are shown (None: the shipped catalogue; else an organisation id).
CRITERIA_ORGANISATION = "criteria_organisation"

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
# The section tab shown on the Assess page, and the same kept while other screens run.
ASSESS_SECTION = "assess_section"
ASSESS_CHOSEN_SECTION = "assess_chosen_section"
# Widgets of the submit and review panels, and the assessment-level buttons.
ASSESS_SUBMIT_REASON = "assess_submit_reason"
ASSESS_SUBMIT = "assess_do_submit"
ASSESS_REVIEW_COMMENT = "assess_review_comment"
ASSESS_REVIEW = "assess_do_review"
ASSESS_SEND_BACK = "assess_do_send_back"
ASSESS_START = "assess_start"
ASSESS_CLOSE = "assess_close"
ASSESS_RELOAD = "assess_reload"
# {assessment id: {item id: AnswerStamp}}: each answer's version and who gave it, as last read or saved
ASSESS_STAMPS = "assess_stamps"
# {assessment id: {item id: Clash}}: an answer not saved because someone else answered the item since
ASSESS_CLASH = "assess_clash"

# What one person did or was told on the Assess page; forgotten when the demo switches to another
# user, so nobody sees another person's messages or half-typed answers.
ASSESS_PERSONAL = (
    ASSESS_FEEDBACK, ASSESS_UNLIKELY, ASSESS_DECISION, ASSESS_CONFLICT, ASSESS_NOTICE,
    ASSESS_SUBMIT_REASON, ASSESS_REVIEW_COMMENT, ASSESS_CLASH,
)  # fmt: skip


def assess_widget(assessment_id: int, item_id: str, part: str) -> str:
    """The key of one input of one item: `part` is answer, na, percent, frequency, note, details, photoN,
    or the buttons of a reading waiting for confirmation: save_anyway, change_it; reload (after a conflict)."""
    return f"assess_w:{assessment_id}:{item_id}:{part}"


def assess_item(assessment_id: int, item_id: str) -> str:
    """The fragment and container key of one item (also the CSS class st-key-... the tests find it by)."""
    return f"assess_item_{assessment_id}_{item_id}".replace(".", "-")


def assess_item_status(assessment_id: int, item_id: str) -> str:
    """The container of an item's saved line (the tests and the benchmark read "Saved" there)."""
    return f"assess_status_{assess_item(assessment_id, item_id)}"


# Assess page: the live summary's fragment (every saved answer reruns it) and its bar, and the submit
# panel's fragment (rerun with it: it says what is left to answer).
ASSESS_SUMMARY = "assess_summary"
ASSESS_BAR = "assess_bar"
ASSESS_SUBMIT_PANEL = "assess_submit_panel"


# Reports page: the scope (organisation; whole, one site or chosen rooms) and the options.
REPORTS_ORGANISATION = "reports_organisation"
REPORTS_SCOPE = "reports_scope"
REPORTS_SITE = "reports_site"
REPORTS_ROOMS = "reports_rooms"
REPORTS_FORMAT = "reports_format"
REPORTS_CONSULTANT = "reports_consultant"
REPORTS_LOGO = "reports_logo"
REPORTS_DRAFTS = "reports_drafts"
REPORTS_LANGUAGE = "reports_language"
# Reports page: the "Make the report" button, and the files made in this session, newest last
# ({ReportRequest: ReportFile}; a request names the scope, the options and the data version).
REPORTS_MAKE = "reports_make"
REPORTS_FILES = "reports_files"
# Reports page: the download buttons of the made report and of the blank checklist.
REPORTS_DOWNLOAD = "reports_download"
REPORTS_CHECKLIST_DOWNLOAD = "reports_checklist_download"
# Reports page: the blank paper checklist's setting, room type and language.
REPORTS_CHECKLIST_SETTING = "reports_checklist_setting"
REPORTS_CHECKLIST_ROOM_TYPE = "reports_checklist_room_type"
REPORTS_CHECKLIST_LANGUAGE = "reports_checklist_language"

# Admin page: the organisation whose sites and rooms are shown, and the site whose rooms are shown.
ADMIN_ORGANISATION = "admin_organisation"
ADMIN_SITE = "admin_site"
# Admin page: the site, room and user picked for editing.
ADMIN_EDIT_SITE = "admin_edit_site"
ADMIN_EDIT_ROOM = "admin_edit_room"
ADMIN_EDIT_USER = "admin_edit_user"
# Admin page: the outcome of the last form sent, shown under that form ((form name, Outcome)).
ADMIN_OUTCOME = "admin_outcome"
# Admin page: the organisation to export, and the export file prepared ({(user id, org id, data version): file}).
ADMIN_EXPORT_ORGANISATION = "admin_export_organisation"
ADMIN_EXPORTS = "admin_exports"
# Admin page: the uploaded organisation file (the key is f"{ADMIN_IMPORT_FILE}:{ADMIN_IMPORT_NONCE}"),
# a counter bumped after an import (a new, empty uploader), and the outcome of the last import.
ADMIN_IMPORT_FILE = "admin_import_file"
ADMIN_IMPORT_NONCE = "admin_import_nonce"
ADMIN_IMPORT_OUTCOME = "admin_import_outcome"
# Admin page: the recent changes shown (all organisations, or one).
ADMIN_CHANGES_ORGANISATION = "admin_changes_organisation"


def admin_field(form: str, field: str) -> str:
    """The key of one input of an Admin form: `form` is new_site, new_room, new_user, new_organisation,
    interval (the re-assessment interval form: room_type, months, save, its outcome and table),
    or site:ID, room:ID, user:ID for the edit form of that record (so each record's form starts from its
    values); export (make, download) and import (go) name the buttons of those panels."""
    return f"admin_f:{form}:{field}"


# URL query parameters of signing in: the tab's session token, and a one-time invite or reset link.
TOKEN_PARAM = "s"
LINK_PARAM = "link"


# Room page, what changed: the two assessments compared, per room (the options differ by room), and
# whether items that did not change are listed too.
def room_changes(room_id: int, part: str) -> str:
    """The key of a what-changed widget of one room: `part` is from, to, all, table, scores or download."""
    return f"room_changes:{room_id}:{part}"


# Overview: the rooms due for re-assessment, and the download button of their calendar.
OVERVIEW_SCHEDULE = "overview_schedule"
OVERVIEW_CALENDAR = "overview_calendar"
# Admin page: the organisation whose re-assessment intervals are shown, and the interval form's inputs
# (keys from `admin_field("interval", ...)`).
ADMIN_SCHEDULE_ORGANISATION = "admin_schedule_organisation"


# Admin page, Criteria tab: the organisation whose own criteria are shown, the override file being
# edited (per organisation), the preview of the last check ((org id, text, Preview)), the reason typed
# and the outcome of the last save.
ADMIN_CRITERIA_ORGANISATION = "admin_criteria_organisation"
ADMIN_CRITERIA_PREVIEW = "admin_criteria_preview"
ADMIN_CRITERIA_OUTCOME = "admin_criteria_outcome"


def admin_criteria(organisation_id: int, part: str) -> str:
    """The key of a Criteria tab input of one organisation: `part` is text, upload, reason, check or save."""
    return f"admin_criteria:{organisation_id}:{part}"
