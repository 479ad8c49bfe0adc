"""The Assess screen's logic, free of Streamlit: what each input shows, what a tap saves, and the live summary.

The page (ui/pages/assess.py) draws widgets and calls these functions; everything here can be
tested without a browser. Answers are checked by `checklists.responses.parse_answer` inside the
store, so the screen refuses exactly what the CLI and the import refuse; this module only turns
what a finger typed into the raw answer the store expects (readings text -> list of numbers).

The work is done by one module per responsibility, gathered here under one name: `assess_answers`
(what an item shows and what its inputs mean), `assess_saving` (what a tap saves and what the
screen says after it) and `assess_progress` (who may do what, labels, the live summary, the
reason rule for submitting without every answer).
"""

from __future__ import annotations

from ui.assess_answers import (
    Control,
    Hint,
    Incomplete,
    control_for,
    describe_answer,
    format_readings,
    hint,
    parse_readings,
    raw_answer,
    reading_placeholder,
    refusal_message,
    segment_label,
    segment_options,
    selected_text,
    target_text,
    unlikely_reading,
    widget_values,
)
from ui.assess_progress import (
    REASON_CHARACTERS,
    REASON_EXAMPLE,
    REASON_RULE,
    REASON_WORDS,
    MissingItem,
    SectionProgress,
    Summary,
    assessment_label,
    can_answer,
    can_review,
    can_start,
    closing_notice,
    ordered_assessments,
    reason_example,
    reason_problem,
    reason_rule,
    room_label,
    summarise,
    unanswered_critical,
)
from ui.assess_saving import (
    CONFLICT_MESSAGE,
    Clash,
    Feedback,
    FeedbackKind,
    SaveResult,
    add_photo,
    decide,
    incomplete_feedback,
    kept_feedback,
    load_answers,
    save_item,
    save_item_note,
    save_unlikely,
    submit_assessment,
)

__all__ = [
    "CONFLICT_MESSAGE",
    "REASON_CHARACTERS",
    "REASON_EXAMPLE",
    "REASON_RULE",
    "REASON_WORDS",
    "Clash",
    "Control",
    "Feedback",
    "FeedbackKind",
    "Hint",
    "Incomplete",
    "MissingItem",
    "SaveResult",
    "SectionProgress",
    "Summary",
    "add_photo",
    "assessment_label",
    "can_answer",
    "can_review",
    "can_start",
    "closing_notice",
    "control_for",
    "decide",
    "describe_answer",
    "format_readings",
    "hint",
    "incomplete_feedback",
    "kept_feedback",
    "load_answers",
    "ordered_assessments",
    "parse_readings",
    "raw_answer",
    "reading_placeholder",
    "reason_example",
    "reason_problem",
    "reason_rule",
    "refusal_message",
    "room_label",
    "save_item",
    "save_item_note",
    "save_unlikely",
    "segment_label",
    "segment_options",
    "selected_text",
    "submit_assessment",
    "summarise",
    "target_text",
    "unanswered_critical",
    "unlikely_reading",
    "widget_values",
]
