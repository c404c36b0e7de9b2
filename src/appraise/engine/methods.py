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


def topsis(points: FloatArray, weights: FloatArray) -> FloatArray:
    """TOPSIS closeness to the ideal (Hwang and Yoon), with vector normalisation.

    Each criterion's column is divided by its Euclidean norm and weighted; the closeness
    is ``d- / (d+ + d-)``, the distance from the worst point over the sum of the
    distances from the best and the worst. All criteria are benefits (``points`` are
    already better-is-higher).

    Args:
        points: ``(n_options, n_criteria)`` scores, higher better.
        weights: ``(n_criteria,)`` weights summing to 1.

    Returns:
        ``(n_options,)`` closeness in [0, 1]; 0.5 where every option is identical.
    """
    norm = np.sqrt((points * points).sum(axis=0))
    v = np.divide(points, norm, out=np.zeros_like(points), where=norm > 0) * weights
    best = v.max(axis=0)
    worst = v.min(axis=0)
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    spread = d_best + d_worst
    closeness: FloatArray = np.divide(
        d_worst, spread, out=np.full(d_worst.shape, 0.5), where=spread > 0
    )
    return closeness


PREFERENCE_FUNCTIONS = ("usual", "ushape", "vshape", "level", "vshape_2")
"""PROMETHEE preference functions: ``usual`` (any advantage is full preference),
``ushape`` (full preference above ``q``), ``vshape`` (linear from 0 to ``p``), ``level``
(half preference between ``q`` and ``p``), ``vshape_2`` (linear from ``q`` to ``p``)."""


def promethee_ii(
    points: FloatArray, weights: FloatArray, functions: list[str], q: FloatArray, p: FloatArray
) -> FloatArray:
    """PROMETHEE II net outranking flows, per criterion, without the pairwise matrix.

    The net flow of option ``a`` on criterion ``j`` is
    ``sum_b P_j(x_a - x_b) - P_j(x_b - x_a)``, divided by ``m - 1``. Every preference
    function here is 0 up to ``q``, 1 above ``p`` and constant or linear between, so the
    sum over all ``b`` follows from the sorted column and its prefix sums:
    ``O(m log m)`` time and ``O(m)`` memory per criterion instead of ``O(m^2)``.

    Args:
        points: ``(n_options, n_criteria)`` scores, higher better.
        weights: ``(n_criteria,)`` weights summing to 1.
        functions: each criterion's preference function (:data:`PREFERENCE_FUNCTIONS`).
        q: ``(n_criteria,)`` indifference thresholds (0 where unused).
        p: ``(n_criteria,)`` preference thresholds (for ``usual`` 0; for ``ushape`` = q).

    Returns:
        ``(n_options, n_criteria)`` weighted net flows; their row sums are the PROMETHEE
        II net flows, in [-1, 1].
    """
    m, n = points.shape
    flows = np.zeros((m, n))
    if m < 2:
        return flows
    for j in range(n):
        x = points[:, j]
        s = np.sort(x)
        prefix = np.concatenate(([0.0], np.cumsum(s)))
        kind = functions[j]
        lo_q = float(q[j]) if kind in ("ushape", "level", "vshape_2") else 0.0
        hi_p = float(p[j]) if kind in ("vshape", "level", "vshape_2") else lo_q
        # a preferred to b: d = x_a - x_b; full where x_b < x_a - p, partial where
        # x_a - p <= x_b < x_a - q.
        full_for = np.searchsorted(s, x - hi_p, side="left")
        band_for_end = np.searchsorted(s, x - lo_q, side="left")
        # b preferred to a: d = x_b - x_a; full where x_b > x_a + p, partial where
        # x_a + q < x_b <= x_a + p.
        band_against_start = np.searchsorted(s, x + lo_q, side="right")
        band_against_end = np.searchsorted(s, x + hi_p, side="right")
        full_against = m - band_against_end
        count_for = band_for_end - full_for
        count_against = band_against_end - band_against_start
        if kind == "level":
            partial_for = 0.5 * count_for
            partial_against = 0.5 * count_against
        elif kind in ("vshape", "vshape_2") and hi_p > lo_q:
            width = hi_p - lo_q
            sum_for = prefix[band_for_end] - prefix[full_for]
            sum_against = prefix[band_against_end] - prefix[band_against_start]
            partial_for = (count_for * (x - lo_q) - sum_for) / width
            partial_against = (sum_against - count_against * (x + lo_q)) / width
        else:
            partial_for = partial_against = np.zeros(m)
        flows[:, j] = weights[j] * ((full_for + partial_for) - (full_against + partial_against))
    flows /= m - 1
    return flows
