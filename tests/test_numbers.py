"""The one number rule: 12 significant digits, then half up (away from zero)."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraise.paper.numbers import (
    COST,
    COST_CHANGE,
    POINTS,
    PROBABILITY,
    QUANTITIES,
    SCORE,
    SCORE_CHANGE,
    SHARE,
    WEIGHT,
    Quantity,
    format_number,
)


@pytest.mark.parametrize(
    ("x", "q", "shown"),
    [
        (622.75, POINTS, "622.8"),  # the example's leader
        (447.25, POINTS, "447.3"),  # the example's baseline: Python's f-string gives 447.2
        (447.24999999999994, POINTS, "447.3"),  # the same sum in another order
        (447.25000000000006, POINTS, "447.3"),
        (622.75 - 611.8, POINTS, "11.0"),  # 10.950000000000045
        (2.675, SCORE_CHANGE, "+2.68"),  # binary 2.67499999…: round() gives 2.67
        (-0.25, POINTS, "-0.3"),  # half away from zero, as Excel shows it
        (-0.04, POINTS, "0.0"),  # never -0.0
        (0.0, SCORE_CHANGE, "0.00"),  # zero is not signed
        (1234567.5, COST, "1,234,568"),
        (0.5474, PROBABILITY, "54.7%"),
        (0.00049, PROBABILITY, "0.0%"),
        (1.0, PROBABILITY, "100.0%"),
        (1.7583, SHARE, "1.8%"),
        (9.9, WEIGHT, "9.9"),
        (8.25, WEIGHT, "8.25"),
        (55.0, WEIGHT, "55"),
        (6.0, SCORE, "6"),
        (5.5, SCORE, "5.5"),
        (0.16, COST_CHANGE, "+16%"),
        (math.inf, POINTS, "∞"),
        (-math.inf, POINTS, "-∞"),
        (math.nan, POINTS, ""),
        (None, POINTS, ""),
    ],
)
def test_examples(x: float | None, q: Quantity, shown: str) -> None:
    assert format_number(x, q) == shown


@given(
    st.lists(st.integers(min_value=-100_000, max_value=100_000), min_size=2, max_size=30),
    st.randoms(use_true_random=False),
)
def test_a_sum_shows_the_same_digits_in_any_order(cents: list[int], rng: random.Random) -> None:
    """What another CPU's SIMD path does: the same parts summed in another order give
    a float that differs in the last bits, and the same digits."""
    parts = [c / 100 for c in cents]
    shuffled = parts[:]
    rng.shuffle(shuffled)
    for q in (POINTS, SCORE_CHANGE, COST):
        assert format_number(sum(parts), q) == format_number(sum(shuffled), q)
        assert format_number(math.fsum(parts), q) == format_number(sum(parts), q)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_every_quantity_formats_and_its_excel_format_has_as_many_places(x: float) -> None:
    for q in QUANTITIES.values():
        text = format_number(x, q)
        assert text
        fmt = q.excel_format(x).split(";")[0]
        places = len(fmt.split(".")[1].rstrip('%"')) if "." in fmt else 0
        digits = text.rstrip("%").lstrip("+-")
        assert places == (len(digits.split(".")[1]) if "." in digits else 0), (q.key, x, fmt)
