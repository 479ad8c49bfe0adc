"""Numbers as people type them: readings parsed by the person's locale, several readings kept apart,
and anything that could be read two ways refused with how to type it."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from checklists.loader import default_catalogue
from checklists.responses import AnswerError, Flicker
from ui import assess_answers as answers
from ui import numbers
from ui.i18n import using

LOCALES = ["en", "fr", "es", "de", "ar"]
CLASSROOM = default_catalogue().checklist("school", "classroom").by_id()
REVERBERATION = CLASSROOM["noise.reverberation_time"].item
LUX = CLASSROOM["lighting.illuminance"].item
FLICKER = CLASSROOM["lighting.flicker"].item

readings = st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: round(x, 4))


@given(value=readings, locale=st.sampled_from(LOCALES))
def test_a_number_babel_writes_in_a_locale_reads_back_the_same(value: float, locale: str) -> None:
    typed = format_decimal(value, locale=locale, group_separator=False, decimal_quantization=False)
    assert answers.parse_readings(typed, "lx", locale) == [value]
    assert numbers.parse_number(numbers.format_number(value, locale), locale) == value


@given(values=st.lists(readings, min_size=1, max_size=5), locale=st.sampled_from(LOCALES))
def test_several_readings_as_the_app_writes_them_read_back_the_same(values: list[float], locale: str) -> None:
    assert answers.parse_readings(answers.format_readings(values, locale), "s", locale) == values
    typed = " ; ".join(f"{numbers.format_number(v, locale)} s" for v in values)  # a semicolon always works
    assert answers.parse_readings(typed, "s", locale) == values


@pytest.mark.parametrize(
    ("typed", "locale", "readings"),
    [
        ("0,6", "fr", [0.6]),
        ("0,6", "de", [0.6]),
        ("0,6", "es", [0.6]),
        ("0.6", "en", [0.6]),
        ("420 ; 610", "fr", [420.0, 610.0]),
        ("420; 610 lx", "de", [420.0, 610.0]),
        ("420, 610", "en", [420.0, 610.0]),
        ("0,48; 0,6", "fr", [0.48, 0.6]),
        ("1234", "de", [1234.0]),
        # Arabic script's digits and marks: the decimal mark "٫", the Arabic comma and semicolon.
        ("٠٫٦", "ar", [0.6]),
        ("0.6", "ar", [0.6]),
        ("٤٢٠، ٦١٠ lx", "ar", [420.0, 610.0]),
        ("۴۲۰ ؛ ۶۱۰", "ar", [420.0, 610.0]),
        ("٠٫٦", "fr", [0.6]),
    ],
)
def test_readings_are_read_in_the_locale(typed: str, locale: str, readings: list[float]) -> None:
    assert answers.parse_readings(typed, "lx" if "lx" in typed else "s", locale) == readings


@pytest.mark.parametrize(
    ("typed", "locale", "says"),
    [
        ("0,6", "en", "“0,6” could mean 0.6 s (type 0.6) or 2 readings, 0 s and 6 s (type 0; 6)"),
        ("1 234", "en", "“1 234” could mean 1234 s (type 1234) or 2 readings, 1 s and 234 s (type 1; 234)"),
        ("1 234", "fr", "« 1 234 » peut vouloir dire 1234 s (tapez 1234) ou 2 relevés, 1 s et 234 s (tapez 1; 234)"),
        ("1.234", "de", "„1.234“ kann 1234 s (tippen Sie 1234) oder 1,234 s (tippen Sie 1,234) bedeuten"),
        ("1,234", "en", "“1,234” could mean 1234 s (type 1234), 1.234 s (type 1.234), or 2 readings"),
        ("0.6", "es", "«0.6» puede significar 0,6 s (escriba 0,6)"),
        ("420, 610", "fr", "« 420, 610 » peut vouloir dire 2 relevés, 420 s et 610 s (tapez 420; 610)"),
    ],
)
def test_an_ambiguous_entry_is_refused_with_how_to_type_it(typed: str, locale: str, says: str) -> None:
    with using(locale), pytest.raises(AnswerError) as refused:
        answers.parse_readings(typed, "s", locale)
    assert says in str(refused.value)


def test_arabic_thousands_marks_are_as_ambiguous_as_latin_ones() -> None:
    for typed in ("١٬٢٣٤", "1,234"):
        with using("ar"), pytest.raises(AnswerError) as refused:
            answers.parse_readings(typed, "s", "ar")
        assert "1234 s" in str(refused.value)
        assert "1.234 s" in str(refused.value)


def test_the_refusal_states_the_locales_rule_and_what_still_counts() -> None:
    with using("en"), pytest.raises(AnswerError) as refused:
        answers.raw_answer(REVERBERATION, {"answer": "0,6"}, "en")
    message = answers.refusal_message(REVERBERATION, {"answer": "0,6"}, str(refused.value), (0.5,))
    assert message.startswith("Nothing was saved: “0,6” could mean 0.6 s")
    assert "a point marks decimals, a comma or a semicolon separates readings" in message
    assert message.endswith("The saved reading, 0.5 s, still counts and is back in the field.")


def test_flicker_percent_and_frequency_are_read_in_the_locale() -> None:
    raw = answers.raw_answer(FLICKER, {"percent": "3,3 %", "frequency": "100 Hz"}, "fr")
    assert raw == {"percent": 3.3, "frequency_hz": 100.0}
    with pytest.raises(AnswerError, match="1,5"):
        answers.raw_answer(FLICKER, {"percent": "1,5", "frequency": "100"}, "en")
    with pytest.raises(AnswerError, match="1 200"):
        answers.raw_answer(FLICKER, {"percent": "4", "frequency": "1 200"}, "de")


def test_what_was_understood_is_shown_in_the_locale() -> None:
    assert answers.describe_answer(REVERBERATION, (0.6,), "fr") == "0,6 s"
    assert answers.describe_answer(REVERBERATION, (0.6,), "en") == "0.6 s"
    with using("de"):
        assert answers.describe_answer(LUX, (420.0, 610.5), "de") == "420 lx und 610,5 lx"
        assert answers.describe_answer(FLICKER, Flicker(3.3, 100), "de") == "3,3 % bei 100 Hz"
    assert answers.widget_values(LUX, (420.0, 610.5), "fr") == {"answer": "420; 610,5", "na": False}
    assert answers.reading_placeholder(CLASSROOM["noise.reverberation_time"], "es") == (
        "Reading in s; several: 0,48; 0,6"
    )
