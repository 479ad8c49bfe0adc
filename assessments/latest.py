"""Which assessment stands for a room: one rule for every screen and report.

A room is shown by its newest finished assessment (submitted or reviewed), by date then id; a draft
is still being filled in and may change. A room that has only drafts is shown by its newest draft
where the caller allows it (the dashboard does, marking it a draft; reports of finished work do not).
When a draft is newer than the assessment shown, `draft_newer_on` gives its date, so screens and
reports can say that work is in progress.
"""

from __future__ import annotations

import pandas as pd

from assessments.models import AssessmentStatus

__all__ = ["FINAL_STATUSES", "latest_per_room"]

FINAL_STATUSES = (AssessmentStatus.submitted.value, AssessmentStatus.reviewed.value)


def latest_per_room(
    assessments: pd.DataFrame, *, final: tuple[str, ...] = FINAL_STATUSES, drafts_stand_in: bool = True
) -> pd.DataFrame:
    """One row per room (columns room_id, status, assessed_on, assessment_id and any others): its
    newest assessment with a status in `final`, else, with `drafts_stand_in`, its newest other one;
    plus `draft_newer_on`, the date of a newer assessment outside `final` (NaT when there is none)."""
    if assessments.empty:
        return assessments.assign(draft_newer_on=pd.Series(dtype="datetime64[ns]"))
    is_final = assessments["status"].isin(final)
    pool = assessments if drafts_stand_in else assessments[is_final]
    # The choice is made on the four key columns alone; the chosen rows are then taken from the
    # whole frame once (its many score and name columns are not sorted and copied on the way).
    keys = pool[["room_id", "assessed_on", "assessment_id"]].assign(_final=is_final[pool.index])
    chosen = keys.sort_values(["room_id", "_final", "assessed_on", "assessment_id"]).drop_duplicates(
        "room_id", keep="last"
    )
    latest = pool.loc[chosen.index]
    drafts = assessments.loc[~is_final, ["room_id", "assessed_on"]].groupby("room_id")["assessed_on"].max()
    newer = pd.Series(drafts.reindex(chosen["room_id"]).to_numpy(), index=chosen.index)  # NaT: no draft
    latest = latest.assign(draft_newer_on=newer.where(chosen["_final"] & (newer > chosen["assessed_on"])))
    return latest.reset_index(drop=True)
