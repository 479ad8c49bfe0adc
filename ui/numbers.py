"""Numbers as people type and read them, by the locale of the person (Babel's number data).

"0,6" is 0.6 in French, Spanish and German and "0.6" is 0.6 in English. Several readings are
separated by a mark the locale never uses inside a number: a semicolon always works, and a comma
also works where a point marks decimals (English). Anything that could be read two ways is refused,
never guessed: a thousands separator ("1 234", "1.234" in German, "1,234" in English), a comma
between digits in English ("0,6") and a point between digits where a comma marks decimals ("0.6"
in French). The refusal says each way it could be meant and how to type that one.

Arabic script's own digits and marks are read as what they are: "٠٫٦" is 0.6, the Arabic comma
"،" and semicolon "؛" separate readings as "," and ";" do.

Free of Streamlit; the messages are translated for the current language (ui.i18n).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from babel.lists import format_list
from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, parse_decimal

from ui.i18n import _, ngettext

__all__ = [
    "Ambiguous",
    "NotANumber",
    "format_decimals",
    "format_number",
    "format_numbers",
    "format_score",
    "number_format_rule",
    "parse_number",
    "reading_separator",
    "split_readings",
    "with_unit",
]


class NotANumber(ValueError):  # noqa: N818 (a kind of refusal, named as the screen says it)
    """Text that is no number in the locale (the message names it)."""


class Ambiguous(ValueError):  # noqa: N818 (a kind of refusal, named as the screen says it)
    """Text that could be read as more than one number, or as one number or several readings."""


# Arabic-Indic and Eastern Arabic-Indic digits, the Arabic decimal and thousands marks, comma and
# semicolon, as the Latin marks they stand for ("٫" is the decimal mark wherever it is typed).
_ARABIC_SCRIPT = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)},
     "\u066b": "\u066b", "\u066c": ",", "\u060c": ",", "\u061b": ";"}
)  # fmt: skip


def _latin(text: str, locale: str) -> str:
    return text.translate(_ARABIC_SCRIPT).replace("\u066b", decimal_mark(locale))


def decimal_mark(locale: str) -> str:
    return get_decimal_symbol(locale)


def reading_separator(locale: str) -> str:
    """What separates readings when the app writes them: ', ' where a point marks decimals, else '; '."""
    return ", " if decimal_mark(locale) == "." else "; "


def format_number(value: float, locale: str) -> str:
    """0.6 -> '0.6' (en), '0,6' (fr); never a thousands separator (so it reads back the same)."""
    if value == int(value) and abs(value) < 1e15:
        value = int(value)
    return format_decimal(value, locale=locale, group_separator=False, decimal_quantization=False)


def format_score(value: float, locale: str) -> str:
    """A score with one decimal: 72.4 (en), 72,4 (fr)."""
    return format_decimals(value, 1, locale)


def format_decimals(value: float, places: int, locale: str) -> str:
    """A number with `places` decimals: 0.53 (en), 0,53 (fr). Rounded as Python rounds the number
    itself (1.185 is 1.18500000000000005…, so 1.19), the same in every language: Babel alone would
    round its shortest decimal form half to even (1.18)."""
    return format_decimal(round(value, places), format="0." + "0" * places if places else "0", locale=locale)


def with_unit(value: float, unit: str, locale: str) -> str:
    """'0,6 s', '420 lx' (no unit: the number alone)."""
    return f"{format_number(value, locale)} {unit}".strip()


def number_format_rule(locale: str) -> str:
    """How to type numbers in this locale, as one sentence (ends without a full stop)."""
    if decimal_mark(locale) == ".":
        return _("a point marks decimals, a comma or a semicolon separates readings, and thousands take no separator")
    return _("a comma marks decimals, a semicolon separates readings, and thousands take no separator")


# Between two digits: spaces (any kind), a point, a comma or an apostrophe (Swiss thousands).
_JOINT = re.compile(r"(?<=\d)([\s\u00a0\u202f.,'’]+)(?=\d)")


def _joints(token: str, locale: str) -> list[str]:
    """The marks between digits that make `token` ambiguous in this locale (the decimal mark alone is not)."""
    mark = decimal_mark(locale)
    return [j for j in _JOINT.findall(token) if j != mark]


def _ambiguity(token: str, unit: str, locale: str) -> str:
    """What an ambiguous token could mean and how to type each, then the locale's rule."""
    mark = decimal_mark(locale)
    parts = _JOINT.split(token)  # digits, joint, digits, joint, ...
    numbers, joints = parts[0::2], parts[1::2]
    choices: list[str] = []

    def choice(typed: str) -> None:
        try:
            value = float(parse_decimal(typed, locale, strict=True))
        except (NumberFormatError, ValueError):
            return
        choices.append(_("{value} (type {typed})").format(value=with_unit(value, unit, locale), typed=typed))

    # One number, the marks being thousands separators: single marks, three digits after each.
    if all(len(j) == 1 for j in joints) and all(re.match(r"^\d{3}(\D|$)", n) for n in numbers[1:]):
        choice("".join(numbers))
    # One number with a decimal part: a single mark that is not a space.
    if len(joints) == 1 and len(joints[0]) == 1 and not joints[0].isspace():
        choice(numbers[0] + mark + numbers[1])
    # Several readings: marks with a space, or a comma where a point marks decimals.
    if all(any(c.isspace() for c in j) or (j == "," and mark == ".") for j in joints):
        try:
            values = [float(parse_decimal(n, locale, strict=True)) for n in numbers]
        except (NumberFormatError, ValueError):
            values = []
        if values:
            readings = format_list([with_unit(v, unit, locale) for v in values], locale=locale)
            typed = "; ".join(numbers)
            choices.append(
                ngettext(
                    "{count} reading, {readings} (type {typed})",
                    "{count} readings, {readings} (type {typed})",
                    len(values),
                ).format(count=len(values), readings=readings, typed=typed)
            )
    if not choices:
        return _("“{typed}” is not written as a number here; {rule}").format(
            typed=token, rule=number_format_rule(locale)
        )
    return _("“{typed}” could mean {choices}; {rule}").format(
        typed=token, choices=format_list(choices, style="or", locale=locale), rule=number_format_rule(locale)
    )


def parse_number(token: str, locale: str, unit: str = "") -> float:
    """One number as typed in `locale` ('0,6' in French -> 0.6); raises Ambiguous or NotANumber."""
    text = _latin(token.strip(), locale)
    if _joints(text, locale):
        raise Ambiguous(_ambiguity(text, unit, locale))
    try:
        value = float(parse_decimal(text, locale, strict=True))
    except (NumberFormatError, ValueError, ArithmeticError):
        raise NotANumber(text) from None
    if not math.isfinite(value):
        raise NotANumber(text)
    return value


def _without_unit(piece: str, unit: str) -> str:
    if unit:
        return re.sub(rf"\s*{re.escape(unit)}\s*$", "", piece, flags=re.IGNORECASE).strip()
    return piece.strip()


def split_readings(text: str, locale: str, unit: str = "") -> list[str]:
    """The readings typed in one field, each without its unit: '420 lx; 610' -> ['420', '610'].

    A semicolon always separates readings; a comma too where a point marks decimals, unless it
    stands between two digits ('0,6' and '1,234' are refused as ambiguous by parse_number).
    """
    separators = r";|(?<!\d),|,(?!\d)" if decimal_mark(locale) == "." else r";"
    pieces = [_without_unit(p, unit) for p in re.split(separators, _latin(text, locale))]
    return [p for p in pieces if p]


def format_numbers(values: Sequence[float], locale: str) -> str:
    """Several readings written the way this locale writes them: '420, 610' (en), '0,48; 0,6' (fr)."""
    return reading_separator(locale).join(format_number(v, locale) for v in values)
