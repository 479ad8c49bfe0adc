"""Dates on the screens, written the way the reader's language writes them: '3 Sep 2025' in English,
'3 sept. 2025' in French, '3 Sept. 2025' in German (the month's short name from Babel's locale data)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date

from ui.i18n import language

__all__ = ["format_day"]

NO_DATE = "–"


def format_day(value: dt.date | None, pattern: str = "d MMM y") -> str:
    """A day in the reader's language; `pattern` is a CLDR date pattern ('dd MMM y' pads the day)."""
    return NO_DATE if value is None else _worded(value, pattern, language())


@lru_cache(maxsize=8192)
def _worded(value: dt.date, pattern: str, code: str) -> str:
    # A long table repeats its days (a round's rooms share a date): each is worded once.
    return format_date(value, pattern, locale=code)
