"""How every number is shown: one precision per quantity, one rounding rule.

Every output (terminal, CSV, Markdown, HTML, Excel, Word, LaTeX, the report, the
charts' labels and alt text) formats numbers here, so the same number has the same
digits everywhere.

The rule:
    A number is first read as the decimal it stands for: its 12 significant digits,
    which drops the binary noise of float arithmetic (``622.75`` summed in another
    order may be ``622.7499999999999``). It is then rounded *half up* (half away from
    zero, as Excel and LibreOffice show numbers) to its quantity's decimal places. So
    622.75 shows as 622.8 and 447.25 as 447.3 in every format and on every CPU.

Why:
    Python's ``f"{x:.1f}"`` rounds the binary value half to even: ``447.25`` gives
    ``447.2`` while Excel shows the same cell as ``447.3``, and a sum that lands a hair
    below a half-way value rounds down on one machine and up on another. Reading the
    decimal first and rounding half up makes the digits depend on the number, not on
    the writer or the SIMD path that computed it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = [
    "CLOSENESS",
    "CONSISTENCY",
    "COST",
    "COST_CHANGE",
    "COST_DELTA",
    "COST_PER_POINT",
    "COUNT",
    "DECLARED_RATIO",
    "DERIVED_WEIGHT",
    "DISCOUNT_FACTOR",
    "NET_FLOW",
    "POINTS",
    "POINTS_CHANGE",
    "PROBABILITY",
    "QUANTITIES",
    "RANK",
    "RELATIVE_CHANGE",
    "SCALE",
    "SCORE",
    "SCORE_CHANGE",
    "SD",
    "SHARE",
    "UPLIFT",
    "UPLIFT_CHANGE",
    "WEIGHT",
    "WEIGHT_CHANGE",
    "Quantity",
    "decimal_value",
    "format_number",
    "rounded",
    "significant",
]

SIGNIFICANT = 12
"""Significant digits a number is read to before rounding (and written to in CSV and
Excel): far more than any input carries, far fewer than float noise reaches."""


@dataclass(frozen=True)
class Quantity:
    """What a number measures, and so how it is shown.

    Attributes:
        key: a stable name (``points``, ``cost``...), for JSON and tests.
        places: decimal places shown.
        percent: the value is a fraction (0–1) shown as a percentage (×100, ``%``).
        suffix: text after the number (``%`` for a value already in percent).
        trim: drop trailing zeros after the point (weights as written: 9.9, 8.25, 12).
        signed: always show the sign (``+1.5``, ``-0.8``).
        thousands: separate thousands with commas.
    """

    key: str
    places: int
    percent: bool = False
    suffix: str = ""
    trim: bool = False
    signed: bool = False
    thousands: bool = True

    def excel_format(self, x: float | None = None) -> str:
        """The Excel number format that shows ``x`` as :func:`format_number` does.

        Trimmed quantities get the places ``x`` needs once rounded (a format of
        ``0.##`` would leave Excel's trailing point on ``12.``).
        """
        places = self.places
        if self.trim:
            places = _places_needed(x, self) if x is not None else 0
        decimals = "." + "0" * places if places else ""
        body = f"#,##0{decimals}" if self.thousands else f"0{decimals}"
        if self.percent:
            body += "%"
        elif self.suffix:
            body += f'"{self.suffix}"'
        if self.signed:
            return f"+{body};-{body};{body}"
        return body


POINTS = Quantity("points", 1)
"""Weighted benefit points: totals, group subtotals, gaps and margins."""
POINTS_CHANGE = Quantity("points_change", 1, signed=True)
"""How far a total moved: +42.0, -3.0 (the places of :data:`POINTS`)."""
SHARE = Quantity("share", 1, suffix="%")
"""A percentage already in percent units (the gap as a share of the leader's total)."""
CLOSENESS = Quantity("closeness", 3)
"""TOPSIS closeness to the ideal (0–1)."""
NET_FLOW = Quantity("net_flow", 3)
"""PROMETHEE II net flow (−1 to 1)."""
WEIGHT = Quantity("weight", 2, trim=True)
"""A stated weight in the appraisal's units (out of 100), as people write them: 9.9,
8.25, 55."""
DERIVED_WEIGHT = Quantity("derived_weight", 2)
"""A weight the analysis computed (a switching value, a central weight, an elicited
weight): 32.30, 4.68."""
SCORE = Quantity("score", 2, trim=True)
"""A score on its scale: 6, 5.5, 6.78."""
SCALE = Quantity("scale", 2, trim=True)
"""A point of a scale or its maximum: 0, 10, 1,000."""
SCORE_CHANGE = Quantity("score_change", 2, signed=True)
"""A change in a score: +1.11, -0.90."""
SD = Quantity("sd", 2)
"""A standard deviation of the panel's scores."""
COST = Quantity("cost", 0)
"""A cost in the appraisal's cost unit (£k): 2,400."""
COST_PER_POINT = Quantity("cost_per_point", 2)
"""Cost per benefit point: 3.85, 54.79."""
COST_CHANGE = Quantity("cost_change", 0, percent=True, signed=True)
"""A change in cost as a share of the cost now: +16%."""
COST_DELTA = Quantity("cost_delta", 0, signed=True)
"""A change in cost in the appraisal's cost unit: +292, -77."""
UPLIFT = Quantity("uplift", 1, percent=True)
"""An optimism-bias uplift, bound or mitigation (a fraction shown as a percentage): 28.7%."""
UPLIFT_CHANGE = Quantity("uplift_change", 1, percent=True, signed=True)
"""Percentage points added to an uplift (a fraction): +29.2%."""
WEIGHT_CHANGE = Quantity("weight_change", 2, signed=True)
"""A change in a weight (the places of :data:`DERIVED_WEIGHT`): +4.82, -5.22."""
RELATIVE_CHANGE = Quantity("relative_change", 0, percent=True, signed=True)
"""Any change as a share of the value now: +67%, -13%."""
DISCOUNT_FACTOR = Quantity("discount_factor", 4)
"""A discount factor: 0.9662."""
PROBABILITY = Quantity("probability", 1, percent=True)
"""A probability or share of samples: 54.7%."""
RANK = Quantity("rank", 0, thousands=False)
"""A rank or a count of ranks."""
COUNT = Quantity("count", 0)
"""A count: samples, scenarios, crossings."""
CONSISTENCY = Quantity("consistency", 3)
"""An AHP consistency ratio or index."""
DECLARED_RATIO = Quantity("declared_ratio", 4, trim=True)
"""A ratio someone declared (a consistency limit, a random index): 0.1, 0.58, 0.001."""

QUANTITIES: dict[str, Quantity] = {
    q.key: q
    for q in (
        POINTS,
        POINTS_CHANGE,
        SHARE,
        CLOSENESS,
        NET_FLOW,
        WEIGHT,
        DERIVED_WEIGHT,
        SCORE,
        SCALE,
        SCORE_CHANGE,
        SD,
        COST,
        COST_PER_POINT,
        COST_CHANGE,
        COST_DELTA,
        UPLIFT,
        UPLIFT_CHANGE,
        WEIGHT_CHANGE,
        RELATIVE_CHANGE,
        DISCOUNT_FACTOR,
        PROBABILITY,
        RANK,
        COUNT,
        CONSISTENCY,
        DECLARED_RATIO,
    )
}
"""Every quantity by key: the one place precision is declared."""


_WIDE = Context(prec=400)
"""Enough digits for any float's integer part (1e308) and its places."""


def significant(x: float) -> float:
    """``x`` to :data:`SIGNIFICANT` significant digits (CSV and Excel write this)."""
    if not math.isfinite(x) or x == 0:
        return float(x)
    return float(format(x, f".{SIGNIFICANT}g"))


def decimal_value(x: float) -> Decimal:
    """The decimal a float stands for: its :data:`SIGNIFICANT` significant digits."""
    return Decimal(format(x, f".{SIGNIFICANT}g"))


def rounded(x: float, quantity: Quantity) -> Decimal:
    """``x`` rounded half up to the places ``quantity`` shows (as a Decimal)."""
    value = decimal_value(x)
    if quantity.percent:
        value = value * 100
    step = Decimal(1).scaleb(-quantity.places)
    return value.quantize(step, rounding=ROUND_HALF_UP, context=_WIDE)


def _places_needed(x: float, quantity: Quantity) -> int:
    """Decimal places left once ``x`` is rounded and its trailing zeros dropped."""
    if not math.isfinite(x):
        return 0
    text = f"{rounded(x, quantity):f}"
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def format_number(x: float | int | None, quantity: Quantity) -> str:
    """A number as ``quantity`` shows it, the same in every format.

    ``None`` and NaN are empty; infinities are ``∞`` and ``-∞``; a value that rounds to
    zero is ``0`` (never ``-0.0``).
    """
    if x is None:
        return ""
    x = float(x)
    if math.isnan(x):
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    value = rounded(x, quantity)
    if value == 0:
        value = abs(value)
    text = f"{abs(value):,f}" if quantity.thousands else f"{abs(value):f}"
    if quantity.trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if value < 0 else ("+" if quantity.signed and value > 0 else "")
    unit = "%" if quantity.percent else quantity.suffix
    return f"{sign}{text}{unit}"
