"""How one cell of a field round's export is read: its column, an empty cell, a number, a date, a
room id and a submission id (`assessments.submission_checks` checks whole rows with these).

Numbers are written as ODK Collect and KoboToolbox write them, a point marking decimals ("0.6");
a decimal comma alone ("0,6", from a spreadsheet saved in a comma locale) is read too. Anything
that could be read two ways is refused with the way to write it: a thousands separator ("1,234",
"1 234", "1.234,5") or a comma followed by exactly three digits.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

from checklists.i18n import N_, _

__all__ = ["ID_COLUMNS", "NUMBER_FORMAT"]

# Columns that may carry the submission id, best first; values may start with "uuid:".
ID_COLUMNS = ("instanceID", "KEY", "_uuid")
_EMPTY_WORDS = frozenset({"", "n/a", "na", "nan", "null"})


class _Columns:
    """The export's columns by field name: `lighting-illuminance_1`, `lighting/illuminance_1` or `illuminance_1`."""

    def __init__(self, header: Iterable[str]):
        self.by_name: dict[str, str] = {}
        for column in header:
            name = re.split(r"[/-]", column)[-1]
            self.by_name.setdefault(name, column)

    def get(self, name: str) -> str | None:
        return self.by_name.get(name)


def _empty(value: str) -> bool:
    return value.strip().lower() in _EMPTY_WORDS


# English here; told in the person's language with _(NUMBER_FORMAT).
NUMBER_FORMAT = N_("write numbers with a point for decimals and no thousands separator, for example 0.6 or 1234")


class _AmbiguousNumberError(ValueError):
    """A number that could be read two ways ("1,234": 1234 or 1.234)."""


def _number(text: str) -> float:
    cleaned = text.strip()
    if re.search(r"\d[\s\u00a0\u202f']+\d", cleaned) or ("," in cleaned and "." in cleaned):
        raise _AmbiguousNumberError(text)  # thousands separators
    if "," in cleaned:
        if cleaned.count(",") > 1 or re.search(r",\d{3}$", cleaned):
            raise _AmbiguousNumberError(text)  # '1,234' is 1234 in English and 1.234 in French
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _not_a_number(item_id: str, unit: str, text: str, error: ValueError) -> str:
    if isinstance(error, _AmbiguousNumberError):
        return _("{item}: {text} could be read more than one way; {how}").format(
            item=item_id, text=repr(text.strip()), how=_(NUMBER_FORMAT)
        )
    return _("{item}: expected a number in {unit}, got {text}; {how}").format(
        item=item_id, unit=unit, text=repr(text), how=_(NUMBER_FORMAT)
    )


def _submission_id(value: str) -> str:
    value = value.strip()
    return value[5:] if value.lower().startswith("uuid:") else value


def _room_id(value: str) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value)
    match = re.search(r"\bid (\d+)\s*$", value)  # a labels export: 'Year 3 (Hillview) · id 12'
    return int(match.group(1)) if match else None


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
