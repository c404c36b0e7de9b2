"""Ranks with ties, and dominance."""

from __future__ import annotations

from collections.abc import Iterator

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


EXACT_DOMINANCE = 5_000
"""Up to this many options, :func:`dominators` lists every option dominating each one;
beyond it, the undominated options that dominate it (see there)."""

_CELLS_PER_BLOCK = 4_000_000
"""Comparisons held in memory at once while finding dominance (bounds its memory)."""


def dominators(points: FloatArray) -> tuple[IntArray, ...]:
    """For each option, the options that dominate it (ascending indices).

    Up to :data:`EXACT_DOMINANCE` options every dominating option is listed. Beyond it
    (appraisals no board reads option by option), only the *undominated* options that
    dominate it are: since dominance is transitive, an option is dominated exactly when
    one of those dominates it, and finding them costs about ``n x |undominated|``
    comparisons instead of ``n^2`` (and the ``n x n`` matrix of :func:`dominated_by`,
    which at 50,000 options is 2.5 GB).

    Args:
        points: ``(n_options, n_criteria)`` scores, higher better.

    Returns:
        One index array per option.
    """
    n = len(points)
    candidates = np.arange(n) if n <= EXACT_DOMINANCE else undominated(points)
    return _dominating(points, candidates)


def undominated(points: FloatArray) -> IntArray:
    """The options no other option dominates (ascending indices).

    Options are taken in decreasing order of their score sums (a dominating option has
    the larger sum), a block at a time: those of a block not dominated by an undominated
    option found so far, nor by another of the block, are undominated.
    """
    n, _ = points.shape
    order = np.argsort(-points.sum(axis=1), kind="stable")
    found: list[IntArray] = []
    front = points[:0]
    for start in range(0, n, 1024):
        block = order[start : start + 1024]
        beaten = _dominated_mask(points[block], front)
        left = block[~beaten]
        left = left[~_dominated_mask(points[left], points[left])]
        found.append(left)
        front = np.concatenate([front, points[left]])
    return np.sort(np.concatenate(found)) if found else np.arange(0)


def _dominated_mask(block: FloatArray, by: FloatArray) -> BoolArray:
    """Which rows of ``block`` some row of ``by`` dominates."""
    out = np.zeros(len(block), dtype=bool)
    if len(by):
        for start, hit in _hits(block, by):
            out[start : start + len(hit)] = hit.any(axis=1)
    return out


def _dominating(points: FloatArray, candidates: IntArray) -> tuple[IntArray, ...]:
    """For each option, the ``candidates`` that dominate it."""
    out: list[IntArray] = []
    for _, hit in _hits(points, points[candidates]):
        out.extend(candidates[np.flatnonzero(row)] for row in hit)
    return tuple(out)


def _hits(points: FloatArray, by: FloatArray) -> Iterator[tuple[int, BoolArray]]:
    """``hit[j, i]``: row ``i`` of ``by`` dominates row ``start + j`` of ``points``, a
    block of rows at a time so that memory stays bounded."""
    step = max(1, _CELLS_PER_BLOCK // max(1, by.size))
    for start in range(0, len(points), step):
        part = points[start : start + step, None, :]
        yield start, np.asarray((by[None] >= part).all(axis=2) & (by[None] > part).any(axis=2))
