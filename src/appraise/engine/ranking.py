"""Ranks with ties, and dominance."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

TIE_DECIMALS = 9
"""Totals equal to this many decimals are ties (float sums of equal scores can differ in
their last bits)."""


def rank_with_ties(totals: FloatArray, eligible: BoolArray | None = None) -> IntArray:
    """Competition ranks, highest total first: ties share a rank, the next rank skips
    (1, 1, 3). Options that are not eligible (a failed hurdle) get rank 0.

    Args:
        totals: ``(n_options,)`` totals.
        eligible: ``(n_options,)`` which options are ranked (default: all).

    Returns:
        ``(n_options,)`` ranks, 1 = best, 0 = not ranked.
    """
    if eligible is None:
        eligible = np.ones(totals.shape, dtype=bool)
    keys = np.round(totals, TIE_DECIMALS)
    ranked = keys[eligible]
    better = (
        (ranked[None, :] > keys[:, None]).sum(axis=1)
        if ranked.size < 4096
        else (ranked.size - np.searchsorted(np.sort(ranked), keys, side="right"))
    )
    ranks = (np.asarray(better) + 1).astype(np.intp)
    return np.where(eligible, ranks, 0).astype(np.intp)


def dominated_by(points: FloatArray) -> BoolArray:
    """Which options dominate which: ``d[i, j]`` when option ``i`` is at least as good as
    ``j`` on every criterion and better on at least one (MCA manual, dominance).

    Args:
        points: ``(n_options, n_criteria)`` scores, higher better.

    Returns:
        ``(n_options, n_options)`` booleans.
    """
    at_least = (points[:, None, :] >= points[None, :, :]).all(axis=2)
    better = (points[:, None, :] > points[None, :, :]).any(axis=2)
    return np.asarray(at_least & better)
