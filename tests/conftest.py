"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.loader import load_catalogue
from checklists.schema import Catalogue

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini_catalogue() -> Catalogue:
    """A small catalogue whose numbers the tests work out by hand."""
    return load_catalogue(FIXTURES / "mini")
