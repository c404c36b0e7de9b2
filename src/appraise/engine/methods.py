"""Aggregation methods. Weighted sum (MAVT) is the default and what UK guidance uses."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def to_points(
    scores: FloatArray,
    low: FloatArray,
    high: FloatArray,
    higher_is_better: BoolArray,
    base_low: float,
    base_high: float,
) -> FloatArray:
    """Map each criterion's scores onto the appraisal's scale, the better end high.

    A score ``s`` on a criterion scaled ``low..high`` becomes
    ``base_low + v * (base_high - base_low)`` with ``v = (s - low) / (high - low)``
    (or ``1 - v`` when lower is better). With every criterion on the appraisal's own
    scale and higher better, this is the identity: points are the scores as given.

    Args:
        scores: ``(..., n_criteria)`` scores.
        low: ``(n_criteria,)`` each criterion's scale minimum.
        high: ``(n_criteria,)`` each criterion's scale maximum.
        higher_is_better: ``(n_criteria,)`` direction.
        base_low: the appraisal scale's minimum.
        base_high: the appraisal scale's maximum.
    """
    value = (scores - low) / (high - low)
    value = np.where(higher_is_better, value, 1.0 - value)
    return base_low + value * (base_high - base_low)


def weighted_sum(points: FloatArray, weights: FloatArray, total: float = 100.0) -> FloatArray:
    """Weighted sum (linear additive MAVT): ``sum_c total * w_c * points_c``.

    Args:
        points: ``(..., n_criteria)`` scores on the appraisal's scale.
        weights: ``(n_criteria,)`` global weights as fractions (summing to 1).
        total: what weights are written to sum to; with 100 and a 0–10 scale the
            maximum total is 1,000, as in NHS weighted scoring tables.

    Returns:
        ``(...)`` totals.
    """
    return np.asarray(points @ (weights * total))
