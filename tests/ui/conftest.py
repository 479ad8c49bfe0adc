"""The demo store the page tests run on: a data folder of their own, which ui.context opens."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import streamlit as st

from assessments.db import DATA_DIR_ENV, DATABASE_URL_ENV, Store, open_store
from assessments.demo import load_demo
from ui import context
from ui.text import WORD_JOINER


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo portfolio, once per test module; the pages' cached store points at it."""
    with pytest.MonkeyPatch.context() as patch:
        data = tmp_path_factory.mktemp("pages") / "data"
        data.mkdir()
        patch.setenv(DATA_DIR_ENV, str(data))
        patch.delenv(DATABASE_URL_ENV, raising=False)
        # Streamlit's caches live as long as the process: drop any store another module opened.
        context.store.clear()
        st.cache_data.clear()
        store = open_store()
        load_demo(store)
        try:
            yield store
        finally:
            context.store.clear()
            st.cache_data.clear()
            store.dispose()


def shown(markdown: str) -> str:
    """What a reader sees of Markdown whose special characters were escaped (ui.text.literal), without
    the invisible word joiners that keep addresses from becoming links."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")
