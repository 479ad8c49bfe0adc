"""Room: the scorecard of a room's latest assessment (overall, band, categories, principles), its trend
over re-assessments, what changed between two of its assessments, every item with its answer, note
and photos, and what to fix first.

The room comes from the URL (?room=ID, so a room can be linked and bookmarked) or the picker."""

import html

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from reports import figures
from reports.data import THUMBNAIL_SIDE
from reports.labels import NO_SCORE, item_label
from reports.theme import BAND_COLOURS, BAND_TEXT_COLOURS, NO_SCORE_COLOUR
from ui import actions_view, changes_view, context, state, version_view
from ui import portfolio_view as view
from ui.assess_logic import unanswered_critical
from ui.i18n import _, language, ngettext
from ui.language_choice import worded_key
from ui.table_words import (
    band_meaning,
    date_text,
    effort_text,
    gain_text,
    item_name,
    number_cells,
    percent_text,
    score_text,
    shown_catalogue,
    status_text,
)
from ui.text import literal

user = context.current_user()
catalogue = context.catalogue()
portfolio = view.cached_portfolio(user)
# The checklist's own words (titles, questions, how to fix) in the person's language.
words = shown_catalogue(catalogue)

st.title(_("Room"))
rooms = view.titles_in_language(portfolio.rooms, catalogue)
if rooms.empty:
    st.info(_("There are no rooms in your organisations yet."))
    st.stop()

names = dict(zip(rooms["room_id"], rooms["label"] + "  ·  " + rooms["site_name"], strict=False))
asked = st.query_params.get("room")
if asked is not None and asked.isdigit() and int(asked) in names:
    st.session_state[state.ROOM_ID] = int(asked)


def _room_into_url() -> None:
    st.query_params["room"] = str(st.session_state[state.ROOM_ID])


pickers = st.columns(2)
room_id = pickers[0].selectbox(
    _("Room"), list(names), format_func=names.__getitem__, key=state.ROOM_ID, on_change=_room_into_url,
    persist_state="session",
)  # fmt: skip
room_id = int(room_id) if room_id is not None else int(rooms["room_id"].iloc[0])
st.query_params["room"] = str(room_id)
room = rooms[rooms["room_id"] == room_id].iloc[0]
history_all = view.room_history(portfolio, room_id, include_drafts=True)
st.caption(
    f"{room['room_type_title']} · {literal(str(room['site_name']))} ({room['setting_title']}) · "
    f"{literal(str(room['organisation_name']))}"
)
if history_all.empty:
    st.info(_("This room has not been assessed yet. Staff can assess it on the Assess a room page."))
    st.stop()

# ---- Which assessment: the latest (see ui.portfolio_view), or an earlier one ---------
latest = view.latest_per_room(history_all).iloc[0]
others = history_all[history_all["assessment_id"] != latest["assessment_id"]].iloc[::-1]
choices = [int(latest["assessment_id"]), *others["assessment_id"].astype(int)]
rows = history_all.set_index("assessment_id")


def _assessment_name(assessment_id: int) -> str:
    row = rows.loc[assessment_id]
    text = f"{date_text(row['assessed_on'].date())} · {status_text(str(row['status']))} · {row['assessor']}"
    return text + ("  " + _("(latest)") if assessment_id == choices[0] else "")


assessment_id = pickers[1].selectbox(
    _("Assessment"), choices, format_func=_assessment_name, key=worded_key(state.ROOM_ASSESSMENT)
)
assessment_id = int(assessment_id) if assessment_id is not None else choices[0]
try:
    scored = view.cached_scored(user, assessment_id, portfolio.version)
except StoreError as error:
    st.warning(literal(str(error)))
    st.stop()
score = scored.score

if scored.status == "draft":
    st.info(
        _("This is a draft: the assessor is still filling it in, so its score can change."), icon=":material/edit_note:"
    )
elif assessment_id == choices[0] and pd.notna(latest["draft_newer_on"]):
    st.info(_("A newer draft from {date} is in progress.").format(date=date_text(latest["draft_newer_on"].date())))
if score.provisional:
    reason = (
        " " + _("Reason given: {reason}").format(reason=literal(scored.provisional_reason))
        if scored.provisional_reason
        else ""
    )
    st.warning(
        _("Provisional: only {share} of the checklist is answered, so this score may still move.").format(
            share=percent_text(score.completeness)
        )
        + reason,
        icon=":material/hourglass_empty:",
    )
    left_out = unanswered_critical(catalogue, score)
    if left_out:
        st.warning(
            _("Critical items left unanswered (the band cannot show how they stand):")
            + " "
            + " ".join(f"“{words.item(item.id).question}”" for item in left_out),
            icon=":material/rule:",
        )

# ---- Scorecard -----------------------------------------------------------------------------
band = score.band
colour = BAND_COLOURS.get(band or "", NO_SCORE_COLOUR)
ink = BAND_TEXT_COLOURS.get(band or "", "#1F2933")
cards = st.columns(4)
cards[0].metric(
    _("Overall score"), score_text(score.overall), border=True, help=_("0 to 100, from the category scores")
)
with cards[1].container(border=True):
    # The band's colour with its letter and meaning (colour is never the only cue).
    # (RoomScore keeps enum values, so `band` is the letter itself.)
    meaning = _("no band yet") if band is None else band_meaning(band)
    if band is not None and score.provisional:
        # A band from part of the checklist never stands alone.
        meaning += " · " + _("provisional, {share} answered").format(share=percent_text(score.completeness))
    band_word = html.escape(_("Band"))
    st.markdown(
        f"<div style='font-size:0.875rem;margin-bottom:4px'>{band_word}</div>"
        f"<span data-testid='band-chip' style='display:inline-block;min-width:2.4rem;text-align:center;"
        f"border-radius:6px;background:{colour};color:{ink};font-size:1.6rem;font-weight:700;line-height:2.4rem'>"
        f"{band or '–'}</span><div style='font-size:0.95rem;margin-top:2px'>{html.escape(meaning)}</div>",
        unsafe_allow_html=True,
    )
cards[2].metric(
    _("Completeness"), percent_text(score.completeness), border=True,
    help=_("The share of the checklist answered, by weight (items answered n/a do not count)."),
)  # fmt: skip
cards[3].metric(_("Critical failures"), str(len(score.critical_failures)), border=True)
# Parts drawn by other screens' helpers sit in containers keyed "shared_part_…".
with st.container(key="shared_part_version"):
    st.caption(version_view.score_version_caption(score.catalogue_version, catalogue))
if score.critical_failures:
    failed = ", ".join(f"“{item_name(catalogue, i)}”" if language() != "en" else item_label(i)
                       for i in score.critical_failures)  # fmt: skip
    st.warning(
        ngettext(
            "Critical item failed: {items}. The band is capped at C.",
            "Critical items failed: {items}. The band is capped at C.",
            len(score.critical_failures),
        ).format(items=failed)
    )

charts = st.columns([1, 1])
with charts[0]:
    bars = figures.category_bars(score, catalogue, compact=True)
    # Short category names leave the bars room for the band thresholds in a half-width column.
    ticks = [str(y) for y in bars.data[0].y]
    short = view.short_category_titles(catalogue)
    shown = [c.id for c in catalogue.categories if c.id in score.categories]
    bars.update_yaxes(tickvals=ticks, ticktext=[short[c] for c in shown])
    st.plotly_chart(bars, theme=None, config={"displayModeBar": False})
with charts[1]:
    st.plotly_chart(
        figures.principle_radar([(str(room["room_name"]), score)], catalogue, compact=True), theme=None,
        config={"displayModeBar": False},
    )  # fmt: skip

# ---- Trend ---------------------------------------------------------------------------------
st.subheader(_("Over time"), anchor=False)
with_drafts = st.toggle(_("Include drafts"), key=state.ROOM_TREND_DRAFTS, help=_("Drafts may be only partly answered."))
history = view.room_history(portfolio, room_id, include_drafts=with_drafts)
if len(history) >= 1:
    trend = figures.score_trend(history, catalogue, title=None, compact=True)
    version_view.mark_version_changes(trend, history)
    st.plotly_chart(trend, theme=None, config={"displayModeBar": False})
    if len(history) == 1:
        st.caption(_("One assessment so far: the trend grows with each re-assessment."))
    # "The current criteria" of a room are its organisation's own, when it has them.
    with context.store().session() as session:
        current_criteria = repository.criteria_catalogue(session, user, int(room["organisation_id"]))
    with st.container(key="shared_part_rescored"):
        version_view.show_rescored(user, history, current_criteria, portfolio.version)
else:
    st.write(_("No submitted assessment yet: switch on drafts to see the one in progress."))

# ---- What changed between two assessments (ui.changes_view) --------------------------------
with st.container(key="shared_part_changes"):
    changes_view.what_changed_section(user, history_all, room_id, portfolio.version)

# ---- What to fix first ---------------------------------------------------------------------
st.subheader(_("What to fix first"), anchor=False)
if not score.actions:
    st.write(_("Nothing to fix: every answered item scores full marks."))
else:
    # The questions of the criteria the score comes from (an organisation's own items included).
    questions = {item.id: item.question for item in words.items} | {r.item_id: r.question for r in scored.items}
    fixes = {item.id: item.how_to_fix.strip() for item in words.items}
    st.plotly_chart(
        figures.action_bars(score.actions, failed_critical=score.critical_failures, title=None, compact=True),
        theme=None,
        config={"displayModeBar": False},
    )  # fmt: skip
    HOW = _("How to fix")
    st.dataframe(
        pd.DataFrame(
            {
                "#": range(1, len(score.actions) + 1),
                _("Item"): [questions[a.item] for a in score.actions],
                _("Gain"): [gain_text(a.gain) for a in score.actions],
                _("Effort"): [effort_text(str(a.effort)) for a in score.actions],
                _("Critical"): [
                    _("failed") if a.item in score.critical_failures else (_("yes") if a.critical else "")
                    for a in score.actions
                ],
                HOW: [fixes.get(a.item, a.how_to_fix) for a in score.actions],
            }
        ),
        hide_index=True,
        column_config={HOW: st.column_config.TextColumn(width="large")},
    )

# ---- Actions on this room (planned on the Action plan page) -------------------------------------
with st.container(key="shared_part_actions"):
    actions_view.room_actions(user, room_id)


# ---- Every item ----------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=512)
def _photo(evidence_id: int, user_id: int) -> tuple[bytes | None, str]:
    with context.store().session() as session:
        try:
            evidence = repository.get_evidence(session, user, evidence_id)
            content = repository.evidence_content(session, user, evidence_id)
        except StoreError as error:
            return None, str(error)
        return repository.thumbnail(content, THUMBNAIL_SIDE), evidence.caption or evidence.file_name


st.subheader(_("Every item"), anchor=False)
ITEM, ANSWER, TARGET, SCORE, NOTE, PHOTOS = _("Item"), _("Answer"), _("Target"), _("Score"), _("Note"), _("Photos")
for category in words.categories:
    items = [row for row in scored.items if row.category == category.id]
    if not items:
        continue
    result = score.categories.get(category.id)
    value = result.score if result else None
    heading = f"{category.title} · {score_text(value)}"
    if result is not None:
        heading += " · " + _("{done} of {total} answered").format(done=result.answered, total=result.applicable)
    with st.expander(heading, expanded=any(row.failed_critical for row in items)):
        st.dataframe(
            number_cells(
                pd.DataFrame(
                    {
                        ITEM: [row.question + (" (" + _("critical") + ")" if row.critical else "") for row in items],
                        ANSWER: [view.score_mark(row) + " " + row.answer for row in items],
                        TARGET: [row.target or NO_SCORE for row in items],
                        SCORE: [row.score for row in items],
                        NOTE: [row.note or "" for row in items],
                        PHOTOS: [len(row.photos) or None for row in items],
                    }
                ),
                {SCORE: 3, PHOTOS: 0},
            ),
            hide_index=True,
            column_config={
                ITEM: st.column_config.TextColumn(width=300),
                ANSWER: st.column_config.TextColumn(width=190),
                TARGET: st.column_config.TextColumn(width=170),
                SCORE: st.column_config.NumberColumn(width=70, help=_("0 to 1")),
                NOTE: st.column_config.TextColumn(width="medium"),
                PHOTOS: st.column_config.NumberColumn(width=70),
            },
        )
        photographed = [(row, evidence_id) for row in items for evidence_id in row.photos]
        if photographed:
            columns = st.columns(4)
            for n, (row, evidence_id) in enumerate(photographed):
                content, caption = _photo(evidence_id, user.id)
                with columns[n % 4]:
                    if content is None:
                        st.caption(f"{item_name(catalogue, row.item_id)}: {literal(caption)}")
                    else:
                        st.image(content, caption=f"{item_name(catalogue, row.item_id)}: {literal(caption)}")

if scored.retired:
    st.subheader(_("Answers the current criteria no longer take"), anchor=False)
    st.caption(
        _(
            "These answers are kept as they were given, under an earlier version of the criteria. "
            "They count as not answered in the scores above."
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Item"): [item_name(catalogue, r.item_id) for r in scored.retired],
                _("Answer kept"): [r.value_text for r in scored.retired],
                _("Why it does not count"): [r.shown_reason for r in scored.retired],
            }
        ),
        hide_index=True,
    )
