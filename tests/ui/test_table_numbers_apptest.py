"""The dashboard's tables write their numbers in the person's language ("71,4" in French and German)
while their cells keep the numbers, so a click on a heading still sorts by value (Streamlit's
AppTest on the demo portfolio, reading the table Streamlit sends to the browser)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from assessments.db import Store
from reports.labels import NO_SCORE
from tests.ui.test_screens_language_apptest import MANAGER
from tests.ui.test_screens_language_apptest import run as run_as
from ui.i18n import _, using


def run(store: Store, page: str, language: str) -> AppTest:
    return run_as(store, page, MANAGER, language)


def table_with(app: AppTest, heading: str, *others: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first table with these headings: its cells, and the text the browser shows for each."""
    frame: Dataframe = next(d for d in app.dataframe if {heading, *others} <= set(d.value.columns))
    assert frame.proto.arrow_data.HasField("styler"), f"the table with {heading!r} is sent without its shown text"
    shown = convert_arrow_bytes_to_pandas_df(frame.proto.arrow_data.styler.display_values)
    return frame.value, shown


def expected(value: float, places: int, mark: str) -> str:
    return f"{value:.{places}f}".replace(".", mark)


@pytest.mark.parametrize(("language", "mark"), [("fr", ","), ("de", ","), ("en", ".")])
def test_the_overview_writes_scores_and_completeness_with_the_languages_decimal_mark(
    demo_store: Store, language: str, mark: str
) -> None:
    app = run(demo_store, "overview", language)
    with using(language):
        overall, completeness, critical = _("Overall"), _("Completeness"), _("Critical failures")
    cells, shown = table_with(app, overall)
    scored = [n for n, v in enumerate(cells[overall]) if isinstance(v, float) and not math.isnan(v)]
    assert len(scored) >= 10
    assert pd.api.types.is_float_dtype(cells[overall])  # sorted as numbers, not as text
    for n in scored:
        assert shown[overall].iloc[n] == expected(cells[overall].iloc[n], 1, mark), cells.iloc[n].to_dict()
        assert shown[completeness].iloc[n] == f"{cells[completeness].iloc[n]:.0f} %"
        assert shown[critical].iloc[n] == str(int(cells[critical].iloc[n]))  # a count, whole
    assert any("." in expected(cells[overall].iloc[n], 1, ".") for n in scored)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_action_plan_and_the_room_write_decimals_in_the_language(demo_store: Store, language: str) -> None:
    app = run(demo_store, "action_plan", language)
    with using(language):
        ratio = _("Gain per effort")
    cells, shown = table_with(app, ratio)
    assert len(cells) > 20
    for n in range(len(cells)):
        assert shown[ratio].iloc[n] == expected(cells[ratio].iloc[n], 2, ","), cells.iloc[n].to_dict()

    room = run(demo_store, "room", language)
    with using(language):
        score, photos = _("Score"), _("Photos")
    items, words = table_with(room, score, photos)
    answered = [n for n, v in enumerate(items[score]) if isinstance(v, float) and not math.isnan(v)]
    assert answered
    for n in answered:
        assert words[score].iloc[n] == expected(items[score].iloc[n], 3, ",")
    # A count of photos is a whole number, never "1,000000".
    assert all(w == NO_SCORE or w.isdigit() for w in words[photos].astype(str)), list(words[photos])
