"""Numbers typed in a form as people write them, in each of the service's languages, read back
exactly (backend.web.typed_decimal); what is not a finite number is given back as typed, for the
schema to refuse in words (never a 500: "Infinity" and "NaN" are numbers to Python's Decimal)."""

from decimal import Decimal

import pytest
from babel import numbers
from hypothesis import given
from hypothesis import strategies as st

from backend.web import typed_cents, typed_scaled


@given(cents=st.integers(min_value=-10**11, max_value=10**11), language=st.sampled_from(["fr_CA", "en_CA", "fi"]), sign=st.sampled_from(["", " $", " €", "\u00a0$"]))
def test_an_amount_written_the_languages_way_reads_back_to_the_cent(cents, language, sign):
    written = numbers.format_decimal(Decimal(cents) / 100, format="#,##0.00", locale=language) + sign
    assert typed_cents(written) == cents


@given(hundredths=st.integers(min_value=0, max_value=10**6))
def test_hours_become_minutes_rounded_half_up(hundredths):
    written = f"{hundredths // 100},{hundredths % 100:02d}"  # 1,25 (hours)
    assert typed_scaled(written, 60) == (6 * hundredths + 5) // 10  # 0.6 minute a hundredth, half up


@pytest.mark.parametrize("typed", ["", "abc", "Infinity", "-inf", "NaN", "sNaN", "10,00,00.0.0", "1e"])
def test_what_is_not_a_finite_number_is_given_back_as_typed(typed):
    assert typed_cents(typed) == typed
