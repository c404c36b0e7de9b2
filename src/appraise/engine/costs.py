"""Whole-life cost arithmetic: discount tables, deflators, optimism bias and risk.

Plain Python on plain numbers (no NumPy), because ``appraise validate`` needs it to check a
written net present cost against the lines it summarises. :mod:`appraise.files.costing`
feeds it the options' files; the Monte Carlo draws use the per-line present values it
returns.

The convention is the Green Book's: year 0 is the first year of the appraisal period and
is not discounted; an amount in year ``t`` is multiplied by the discount factor
``D(t) = 1 / ((1 + r_1) (1 + r_2) ... (1 + r_t))``, where ``r_s`` is the rate for year
``s``. With a constant 3.5% that is ``1 / 1.035**t``; where the rate steps down after year
30 the factor keeps the first 30 years at 3.5% and compounds only the later years at 3%.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "DEFAULT_TABLE",
    "TABLES",
    "DiscountTable",
    "Envelope",
    "discount_factor",
    "discount_factors",
    "envelope_test",
    "present_value",
    "real_terms",
    "total",
    "uplift",
]


@dataclass(frozen=True)
class DiscountTable:
    """One published schedule of discount rates, by the year they start to apply.

    Attributes:
        key: what ``costs.discount`` names it by (``stpr``, ``health``, ``none``).
        edition: which bundled table it comes from (``green-book-2026``).
        name: its name in outputs.
        source: the publication, by title and year.
        bands: ``(first year, rate)`` pairs, rates as fractions, first years increasing
            and the first 1: the rate of year ``s`` is that of the last band starting at or
            before ``s``.
    """

    key: str
    edition: str
    name: str
    source: str
    bands: tuple[tuple[int, float], ...]

    def rate(self, year: int) -> float:
        """The rate (a fraction) that discounts year ``year`` back to year ``year - 1``."""
        out = self.bands[0][1]
        for first, rate in self.bands:
            if year >= first:
                out = rate
        return out

    def describe(self, years: int | None = None) -> str:
        """The schedule in words, as far as a period of ``years`` years reaches:
        ``3.5% a year (it steps down after year 30)``, ``3.5% in years 1–30, 3% in years
        31–75 (it steps down after year 75)``, or, without ``years``, every band."""
        bands = self.bands
        parts = []
        for k, (first, rate) in enumerate(bands):
            last = bands[k + 1][0] - 1 if k + 1 < len(bands) else None
            span = f"in years {first}–{last}" if last is not None else f"from year {first}"
            parts.append(f"{_percent(rate)} {span}")
        shown = len(bands)
        if years is not None:
            shown = max(1, sum(1 for first, _ in bands if first <= years - 1))
        later = f" (it steps down after year {bands[shown][0] - 1})" if shown < len(bands) else ""
        if shown == 1:
            return f"{_percent(bands[0][1])} a year{later}"
        return ", ".join(parts[:shown]) + later


def _percent(rate: float) -> str:
    return f"{rate * 100:.3g}%"


_GREEN_BOOK = "HM Treasury, The Green Book: appraisal and evaluation in central government (2026)"
_STEPS = (1, 31, 76, 126, 201, 301)
"""The years at which the Green Book's long-term rates step down."""

TABLES: dict[str, dict[str, DiscountTable]] = {
    "green-book-2026": {
        "stpr": DiscountTable(
            "stpr",
            "green-book-2026",
            "social time preference rate (STPR)",
            _GREEN_BOOK + ", discount rates for the long term",
            tuple(zip(_STEPS, (0.035, 0.03, 0.025, 0.02, 0.015, 0.01), strict=True)),
        ),
        "health": DiscountTable(
            "health",
            "green-book-2026",
            "health discount rate (STPR less the wealth effect)",
            _GREEN_BOOK + ", discounting health effects",
            tuple(zip(_STEPS, (0.015, 0.0129, 0.0107, 0.0086, 0.0064, 0.0043), strict=True)),
        ),
        "none": DiscountTable(
            "none", "green-book-2026", "no discounting", "undiscounted", ((1, 0.0),)
        ),
    }
}
"""The bundled discount tables by edition, then by key. A new edition is added beside the
old, never over it, so an appraisal that names its edition keeps its factors."""

DEFAULT_TABLE = "green-book-2026"
"""The edition used when ``costs.discount_table`` is not given (the newest)."""


def total(values: Iterable[float]) -> float:
    """The sum of ``values`` correctly rounded (:func:`math.fsum`), or ``±inf`` where it
    overflows (fsum raises instead)."""
    items = list(values)
    try:
        return math.fsum(items)
    except OverflowError:
        return sum(items)


def discount_factor(table: DiscountTable, year: int) -> float:
    """The factor that brings an amount in year ``year`` (0 = the first year) to year 0."""
    if year < 0:
        raise ValueError(f"year {year} is before year 0")
    factor = 1.0
    for s in range(1, year + 1):
        factor /= 1.0 + table.rate(s)
    return factor


def discount_factors(table: DiscountTable, years: int) -> list[float]:
    """The factors of years ``0 .. years - 1``."""
    out, factor = [], 1.0
    for s in range(years):
        if s > 0:
            factor /= 1.0 + table.rate(s)
        out.append(factor)
    return out


def real_terms(amount: float, index_in_year: float, index_at_base: float) -> float:
    """A nominal (cash) amount in the price base: ``amount × index(base) / index(year)``."""
    return amount * index_at_base / index_in_year


def present_value(amounts: Sequence[float], factors: Sequence[float]) -> float:
    """Σ amount(t) × factor(t), summed in year order (so the same inputs give the same bits)."""
    total = 0.0
    for a, f in zip(amounts, factors, strict=True):
        total += a * f
    return total


def uplift(upper_bound: float, mitigation: float) -> float:
    """The optimism-bias uplift applied, as a fraction: the category's upper bound (a
    fraction) less the share of it that mitigation has removed (0 none, 1 all)."""
    return upper_bound * (1.0 - mitigation)


@dataclass(frozen=True)
class Envelope:
    """An affordability test's outcome.

    Attributes:
        passed: every year (or the total) within the envelope.
        amount: what was tested (the total, or the year with the least headroom).
        limit: the envelope it was tested against (likewise).
        headroom: ``limit - amount`` there (negative: over the envelope).
        year: the year index of the tightest year, or ``None`` for a total.
    """

    passed: bool
    amount: float
    limit: float
    headroom: float
    year: int | None


TOLERANCE = 1e-12
"""Relative slack in the affordability test, for the last bits of a sum of floats (a
few thousand units in the last place): an amount equal to the envelope passes; one a
millionth of a unit over fails."""


def envelope_test(amounts: Sequence[float], limits: Sequence[float | None] | float) -> Envelope:
    """Test amounts against a budget envelope.

    Args:
        amounts: the amount in each year of the period.
        limits: one limit for the total, or a limit (or ``None``: no limit) per year.

    Returns:
        The :class:`Envelope`: passed when every tested amount is at most its limit.
    """
    if isinstance(limits, (int, float)):
        whole = total(amounts)
        slack = TOLERANCE * max(1.0, abs(limits))
        return Envelope(whole <= limits + slack, whole, float(limits), limits - whole, None)
    tight: Envelope | None = None
    passed = True
    for t, (a, lim) in enumerate(zip(amounts, limits, strict=True)):
        if lim is None:
            continue
        ok = a <= lim + TOLERANCE * max(1.0, abs(lim))
        passed = passed and ok
        if tight is None or lim - a < tight.headroom:
            tight = Envelope(ok, a, lim, lim - a, t)
    if tight is None:
        return Envelope(True, 0.0, 0.0, 0.0, None)
    return Envelope(passed, tight.amount, tight.limit, tight.headroom, tight.year)
