"""The change of criteria version marked on a room's trend chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from checklists.i18n import _
from reports.theme import MUTED_INK

__all__ = ["mark_version_changes"]


def mark_version_changes(fig: go.Figure, history: pd.DataFrame) -> list[str]:
    """A dashed vertical line, labelled 'criteria <version>', at every assessment of `history` (oldest
    first, with `assessed_on` and `scored_version`) whose criteria version differs from the one before.
    Returns the labels drawn."""
    if "scored_version" not in history or len(history) < 2:
        return []
    frame = history.sort_values(["assessed_on", "assessment_id"] if "assessment_id" in history else "assessed_on")
    versions = frame["scored_version"].astype(str).tolist()
    dates = pd.to_datetime(frame["assessed_on"]).tolist()
    labels = []
    for n in range(1, len(versions)):
        if versions[n] == versions[n - 1]:
            continue
        label = _("criteria {version}").format(version=versions[n])
        fig.add_vline(x=dates[n], line={"color": MUTED_INK, "width": 1.5, "dash": "dash"}, layer="below")
        fig.add_annotation(
            x=dates[n], y=1, yref="paper", text=label, showarrow=False, xanchor="right", yanchor="bottom",
            font={"color": MUTED_INK, "size": 12},
        )  # fmt: skip
        labels.append(label)
    return labels
