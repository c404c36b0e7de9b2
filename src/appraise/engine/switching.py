"""Exact switching values for the weighted sum: weights, scores and costs.

Under the weighted sum every total is linear in any one weight (with the others rescaled
in proportion), in any one score and, for value for money, in any one cost. So the
points where the answer changes are solved for, not searched: each is a crossing of two
straight lines (Green Book 5.59–5.61; MCA manual ch. 6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from appraise.engine.vfm import incremental_ratios

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "Crossings",
    "LeaderSegment",
    "WeightLines",
    "best_value_thresholds",
    "frontier_thresholds",
    "leader_segments",
    "score_switches",
    "weight_crossings",
    "weight_lines",
]

TIE = 1e-9
"""Totals closer than this (relative to the largest) count as equal."""


@dataclass(frozen=True)
class WeightLines:
    """Every option's total as a straight line in one weight share ``t`` (0 to 1).

    ``total_i(t) = t * at_one[i] + (1 - t) * at_zero[i]``: ``at_one`` is the total with
    all the weight on the varied criteria (shared as now), ``at_zero`` the total with
    none on them (the others' weight rescaled in proportion to sum to the whole).

    Attributes:
        share: the varied criteria's current share of the weight (``t`` now).
        at_zero: ``(n_options,)`` totals at ``t = 0``.
        at_one: ``(n_options,)`` totals at ``t = 1``.
    """

    share: float
    at_zero: FloatArray
    at_one: FloatArray

    def totals(self, t: float | FloatArray) -> FloatArray:
        """Totals at share(s) ``t``: ``(n_options,)`` or ``(len(t), n_options)``."""
        tt = np.asarray(t, dtype=float)[..., None]
        return np.asarray(tt * self.at_one + (1.0 - tt) * self.at_zero)


def weight_lines(points: FloatArray, weights: FloatArray, varied: BoolArray) -> WeightLines:
    """The totals as lines in the combined weight of the ``varied`` criteria.

    Args:
        points: ``(n_options, n_criteria)`` points, higher better.
        weights: ``(n_criteria,)`` global weights as written (any positive total).
        varied: ``(n_criteria,)`` the criteria whose weight varies together (one
            criterion, or every criterion of a group, keeping their shares inside it).

    Returns:
        The lines, with totals in the units of ``points @ weights``. When the varied
        criteria have no weight now they share a rising weight equally; when they carry
        all of it, ``at_zero`` is NaN (there are no other criteria to take it up).
    """
    whole = float(weights.sum())
    inside = np.where(varied, weights, 0.0)
    outside = np.where(varied, 0.0, weights)
    s_in, s_out = float(inside.sum()), float(outside.sum())
    if s_in <= 0.0:
        inside = varied.astype(float)
        s_in = float(inside.sum())
    at_one = points @ (inside / s_in * whole)
    at_zero = (
        points @ (outside / s_out * whole) if s_out > 0.0 else np.full(points.shape[0], np.nan)
    )
    share = float(weights[varied].sum()) / whole if whole > 0 else 0.0
    return WeightLines(share, np.asarray(at_zero), np.asarray(at_one))


@dataclass(frozen=True)
class LeaderSegment:
    """A stretch of weight share ``[start, end]`` over which the same option leads."""

    start: float
    end: float
    leader: int


def _best(values: FloatArray, slopes: FloatArray, candidates: IntArray, upward: bool) -> int:
    """The candidate with the highest value, ties to the one that gains fastest in the
    direction of travel."""
    v = values[candidates]
    top = candidates[v >= v.max() - TIE * max(1.0, float(np.abs(v).max()))]
    sl = slopes[top] if upward else -slopes[top]
    return int(top[int(np.argmax(sl))])


def leader_segments(lines: WeightLines, eligible: BoolArray) -> list[LeaderSegment]:
    """Who leads over the whole range of the weight share, from 0 to 1.

    Walks the upper envelope of the lines: from the current leader, the next change is
    the nearest crossing with a line that rises faster. ``O(m)`` per change.

    Returns:
        Consecutive segments covering ``[0, 1]`` (one segment when no change happens).
    """
    idx = np.flatnonzero(eligible & np.isfinite(lines.at_zero) & np.isfinite(lines.at_one))
    if idx.size == 0:
        return []
    slopes = lines.at_one - lines.at_zero
    segments: list[LeaderSegment] = []
    t = 0.0
    leader = _best(lines.totals(0.0), slopes, idx, upward=True)
    while True:
        faster = idx[slopes[idx] > slopes[leader]]
        if faster.size == 0:
            segments.append(LeaderSegment(t, 1.0, leader))
            break
        cross = (lines.at_zero[leader] - lines.at_zero[faster]) / (slopes[faster] - slopes[leader])
        ahead = cross > t - 1e-15
        if not ahead.any() or cross[ahead].min() >= 1.0:
            segments.append(LeaderSegment(t, 1.0, leader))
            break
        t_next = float(max(cross[ahead].min(), t))
        at = faster[ahead][cross[ahead] <= t_next + 1e-15]
        nxt = int(at[int(np.argmax(slopes[at]))])
        if t_next > t:
            segments.append(LeaderSegment(t, t_next, leader))
        leader, t = nxt, t_next
    return segments


@dataclass(frozen=True)
class Crossings:
    """Every change of order between two options as one weight share goes 0 → 1.

    Attributes:
        at: ``(k,)`` weight shares at which the two totals are equal, ascending.
        rising: ``(k,)`` the option ahead after the crossing (as the share grows).
        falling: ``(k,)`` the option ahead before it.
    """

    at: FloatArray
    rising: IntArray
    falling: IntArray


def weight_crossings(lines: WeightLines, eligible: BoolArray) -> Crossings:
    """All pairwise crossings of the eligible options' lines strictly inside (0, 1)."""
    idx = np.flatnonzero(eligible & np.isfinite(lines.at_zero))
    a0, slope = lines.at_zero[idx], (lines.at_one - lines.at_zero)[idx]
    i, j = np.triu_indices(idx.size, k=1)
    ds = slope[i] - slope[j]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (a0[j] - a0[i]) / ds
    keep = (ds != 0) & (t > 1e-12) & (t < 1.0 - 1e-12)  # meeting at an end is no crossing
    t, i, j, ds = t[keep], i[keep], j[keep], ds[keep]
    rising = np.where(ds > 0, idx[i], idx[j])
    falling = np.where(ds > 0, idx[j], idx[i])
    order = np.argsort(t, kind="stable")
    return Crossings(t[order], rising[order].astype(np.intp), falling[order].astype(np.intp))


def score_switches(
    totals: FloatArray,
    leader: int,
    points_per_score: FloatArray,
    weights: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """The change in one score that brings each option level with the leader.

    Args:
        totals: ``(n_options,)`` weighted-sum totals.
        leader: index of the leading option.
        points_per_score: ``(n_criteria,)`` points per unit of each criterion's own
            score (negative where lower is better).
        weights: ``(n_criteria,)`` global weights, in the units of ``totals``
            (``totals = points @ weights``).

    Returns:
        ``raise_other`` ``(n_options, n_criteria)``: the change in option ``i``'s own
        score on criterion ``c`` that makes its total equal the leader's; and
        ``lower_leader``: the change in the leader's score on ``c`` that makes its total
        equal option ``i``'s. Infinite where the criterion has no weight; NaN in the
        leader's own row.
    """
    gap = totals[leader] - totals
    per_score = weights * points_per_score
    with np.errstate(divide="ignore", invalid="ignore"):
        raise_other = np.where(per_score != 0, gap[:, None] / per_score[None, :], np.inf)
        lower_leader = np.where(per_score != 0, -gap[:, None] / per_score[None, :], np.inf)
    raise_other[leader] = np.nan
    lower_leader[leader] = np.nan
    return raise_other, lower_leader


def frontier_thresholds(
    costs: FloatArray, benefits: FloatArray, include: BoolArray | None = None
) -> FloatArray:
    """For each option, the cost at which it joins or leaves the cost–benefit frontier.

    An option is on the frontier while its cost is below the cheapest way the others
    reach at least its benefit: one option with as much benefit or more, or a mix of two
    options either side of it (the segment between them). Above that cost it is
    dominated or extendedly dominated; below it, on the frontier. Moving an option's own
    cost changes nothing else about it, so the threshold is exact.

    Args:
        costs: ``(n_options,)`` costs (NaN: no cost).
        benefits: ``(n_options,)`` weighted benefit scores.
        include: ``(n_options,)`` which options take part.

    Returns:
        ``(n_options,)`` threshold costs; ``inf`` for an option no cost can push off
        (the most beneficial); NaN where the option takes no part.
    """
    ok = np.isfinite(costs) & np.isfinite(benefits)
    if include is not None:
        ok &= include
    out = np.full(costs.shape, np.nan)
    idx = np.flatnonzero(ok)
    c, b = costs[idx], benefits[idx]
    for pos, k in enumerate(idx):
        others = np.arange(idx.size) != pos
        oc, ob = c[others], b[others]
        best = np.inf
        richer = ob >= b[pos]
        if richer.any():
            best = float(oc[richer].min())
        below, above = ob < b[pos], ob > b[pos]
        if below.any() and above.any():
            lo_c, lo_b = oc[below][:, None], ob[below][:, None]
            hi_c, hi_b = oc[above][None, :], ob[above][None, :]
            mix = lo_c + (hi_c - lo_c) * (b[pos] - lo_b) / (hi_b - lo_b)
            best = min(best, float(mix.min()))
        out[k] = best
    return out


def best_value_thresholds(
    costs: FloatArray,
    benefits: FloatArray,
    baseline: int,
    include: BoolArray | None = None,
) -> FloatArray:
    """For each option, the cost below which it is best value.

    Best value is the lowest incremental cost per extra benefit point over the baseline
    (:func:`appraise.engine.vfm.incremental_ratios`), among the options that take part
    and add benefit, the baseline excluded. Option ``k``'s ratio
    ``(cost_k - cost_base) / (benefit_k - benefit_base)`` rises with its own cost and no
    other ratio moves, so it is best value exactly while
    ``cost_k < cost_base + (benefit_k - benefit_base) * r``, where ``r`` is the lowest
    ratio among the other options; at that cost it ties.

    Args:
        costs: ``(n_options,)`` costs (NaN: no cost).
        benefits: ``(n_options,)`` weighted benefit scores.
        baseline: index of the baseline option.
        include: ``(n_options,)`` which options take part.

    Returns:
        ``(n_options,)`` threshold costs; ``inf`` for an option that is best value at any
        cost (no other option adds benefit); NaN for the baseline and for an option that
        takes no part, has no cost or adds no benefit (no cost makes it best value).
    """
    ratios = incremental_ratios(costs, benefits, baseline, include)
    out = np.full(costs.shape, np.nan)
    competing = np.flatnonzero(~np.isnan(ratios))
    for k in competing:
        others = ratios[competing[competing != k]]
        lowest = float(others.min()) if others.size else np.inf
        gain = float(benefits[k] - benefits[baseline])
        out[k] = np.inf if np.isinf(lowest) else float(costs[baseline]) + gain * lowest
    return out
