"""The one way into the store: every screen, report and command reads and writes through here.

Every function takes the session and the acting user, and refuses (PermissionDenied) anything
outside that user's organisations or role. Ids outside the user's organisations and ids that do
not exist are refused alike, so nobody can probe for other organisations' records.

Who may do what is the role table in `assessments.roles` (shown in docs/roles.md): every check
here reads its role sets from there. "own" means the organisations the user is a member of; an
admin acts on every organisation. A reviewed assessment is locked for everyone until a manager or
admin sends it back to draft.

Writes run as one short transaction each: the function commits on success and rolls back on
failure (anything else pending in the session is committed with it, so pass a session that holds
no unsaved changes). Changes to an assessment or its answers name the version the caller last
saw (`expected_version`) and return the new one; a stale version raises ConflictError, so two
tablets on one assessment never silently overwrite each other. Answers may instead name the version
of the item's own answer (`answer_version`, see `answering.save_answer`): then two people answering
different items of one assessment never conflict, and two answers to one item raise AnswerConflict
with the answer saved first and who gave it. Every change writes an audit event.

This module is the front door; the work is done by one module per responsibility: `access` (the
acting user, roles, refusals), `roles` (the role table), `accounts` (passwords, sessions, links),
`audit` (write transactions and the audit trail), `people` (users and organisations), `places`
(sites and rooms), `org_criteria` (an organisation's own criteria, every version kept), `workflow`
(an assessment from start to review), `actions` (fixes taken on, and verified by later assessments),
`notifications` (the inbox; `mail` emails it), `answers` (how answers are kept and read back),
`evidence` (photos), `schedule` (when rooms are due for re-assessment), `sign_on` (single sign-on
through an OpenID Connect provider), `submissions` (offline field rounds from ODK Collect and
KoboToolbox), `portfolio_frames` (many assessments at once, as tables) and `calibration` (several
assessors rating the same rooms).
"""

from __future__ import annotations

from assessments.access import Actor, UserLike
from assessments.account_links import create_link, link_user, use_link
from assessments.accounts import (
    Policy,
    SignInError,
    check_password,
    hash_password,
    open_session,
    session_actor,
    sign_in,
    sign_out,
)
from assessments.action_views import ActionView, get_action, list_actions
from assessments.actions import action_owners, create_action, update_action
from assessments.answering import clear_answer, save_answer, save_note
from assessments.answers import (
    AnswerStamp,
    answer_row_dicts,
    answer_stamps,
    assessment_answers,
    assessment_document,
    list_responses,
    notes_by_assessment,
    scoring_input,
    stored_answers,
    stored_value,
)
from assessments.audit import SYSTEM_ACTOR, data_version, data_versions, list_audit_events
from assessments.calendar_feed import calendar_since, create_calendar_token, revoke_calendar_token, rooms_for_token
from assessments.calibration import (
    DEFAULT_WINDOW_DAYS,
    close_calibration_round,
    mark_calibration_round,
    start_calibration_round,
)
from assessments.calibration_views import (
    CalibrationUnit,
    RoundAssessment,
    RoundSummary,
    calibration_units,
    get_calibration_round,
    list_calibration_rounds,
)
from assessments.evidence import (
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    MAX_PHOTO_SIDE,
    PHOTO_FORMATS,
    Photo,
    add_evidence,
    delete_evidence,
    evidence_content,
    evidence_path,
    get_evidence,
    list_evidence,
    new_evidence,
    prepare_photo,
    read_evidence_bytes,
    store_photo_file,
    thumbnail,
)
from assessments.notifications import list_notifications, mark_read, refresh_reminders, unread_count
from assessments.org_criteria import (
    InvalidCriteria,
    SavedCriteria,
    check_criteria,
    criteria_catalogue,
    criteria_versions,
    current_criteria,
    organisations_with_criteria,
    save_criteria,
)
from assessments.people import (
    command_line_user,
    create_first_admin,
    create_organisation,
    create_user,
    get_organisation,
    get_user,
    get_user_by_email,
    list_organisations,
    list_users,
    set_language,
    set_password_hash,
    update_user,
    user_language,
)
from assessments.places import (
    create_room,
    create_site,
    get_room,
    get_site,
    list_rooms,
    list_sites,
    room_checklist,
    update_room,
    update_site,
)
from assessments.portfolio_frames import ANSWER_COLUMNS, ASSESSMENT_COLUMNS, load_portfolio_frames
from assessments.schedule import RoomDue, list_intervals, room_schedule, set_interval
from assessments.sign_on import (
    PROVISION_ROLES,
    list_sign_on_domains,
    remove_sign_on_domain,
    set_sign_on_domain,
    sign_on,
    unknown_address,
)
from assessments.submission_files import MediaSource, SubmissionTable, read_submission_file
from assessments.submissions import SubmissionImport, import_submissions
from assessments.workflow import (
    delete_assessment,
    get_assessment,
    list_assessments,
    review,
    send_back,
    start_assessment,
    submit,
)

__all__ = [
    "ANSWER_COLUMNS",
    "ASSESSMENT_COLUMNS",
    "DEFAULT_WINDOW_DAYS",
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "MAX_PHOTO_SIDE",
    "PHOTO_FORMATS",
    "PROVISION_ROLES",
    "SYSTEM_ACTOR",
    "ActionView",
    "Actor",
    "AnswerStamp",
    "CalibrationUnit",
    "InvalidCriteria",
    "MediaSource",
    "Photo",
    "Policy",
    "RoomDue",
    "RoundAssessment",
    "RoundSummary",
    "SavedCriteria",
    "SignInError",
    "SubmissionImport",
    "SubmissionTable",
    "UserLike",
    "action_owners",
    "add_evidence",
    "answer_row_dicts",
    "answer_stamps",
    "assessment_answers",
    "assessment_document",
    "calendar_since",
    "calibration_units",
    "check_criteria",
    "check_password",
    "clear_answer",
    "close_calibration_round",
    "command_line_user",
    "create_action",
    "create_calendar_token",
    "create_first_admin",
    "create_link",
    "create_organisation",
    "create_room",
    "create_site",
    "create_user",
    "criteria_catalogue",
    "criteria_versions",
    "current_criteria",
    "data_version",
    "data_versions",
    "delete_assessment",
    "delete_evidence",
    "evidence_content",
    "evidence_path",
    "get_action",
    "get_assessment",
    "get_calibration_round",
    "get_evidence",
    "get_organisation",
    "get_room",
    "get_site",
    "get_user",
    "get_user_by_email",
    "hash_password",
    "import_submissions",
    "link_user",
    "list_actions",
    "list_assessments",
    "list_audit_events",
    "list_calibration_rounds",
    "list_evidence",
    "list_intervals",
    "list_notifications",
    "list_organisations",
    "list_responses",
    "list_rooms",
    "list_sign_on_domains",
    "list_sites",
    "list_users",
    "load_portfolio_frames",
    "mark_calibration_round",
    "mark_read",
    "new_evidence",
    "notes_by_assessment",
    "open_session",
    "organisations_with_criteria",
    "prepare_photo",
    "read_evidence_bytes",
    "read_submission_file",
    "refresh_reminders",
    "remove_sign_on_domain",
    "review",
    "revoke_calendar_token",
    "room_checklist",
    "room_schedule",
    "rooms_for_token",
    "save_answer",
    "save_criteria",
    "save_note",
    "scoring_input",
    "send_back",
    "session_actor",
    "set_interval",
    "set_language",
    "set_password_hash",
    "set_sign_on_domain",
    "sign_in",
    "sign_on",
    "sign_out",
    "start_assessment",
    "start_calibration_round",
    "store_photo_file",
    "stored_answers",
    "stored_value",
    "submit",
    "thumbnail",
    "unknown_address",
    "unread_count",
    "update_action",
    "update_room",
    "update_site",
    "update_user",
    "use_link",
    "user_language",
]
