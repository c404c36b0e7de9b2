"""Value for money: cost per benefit point, the cost–benefit efficient frontier (one
set of costs, or many samples at once) and best value over the baseline."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

FRONTIER, DOMINATED, EXTENDED, EXCLUDED = 0, 1, 2, -1
"""Frontier status codes: on the frontier; strongly dominated (another option costs no
more and gives at least as much benefit, one of them strictly); extendedly dominated (a
mix of two frontier options would beat it: its incremental cost per point is higher
than the next, more beneficial option's); excluded (no cost, or not eligible)."""


def efficient_frontier(
    costs: FloatArray, benefits: FloatArray, include: npt.NDArray[np.bool_] | None = None
) -> tuple[IntArray, FloatArray]:
    """Classify options against the cost–benefit efficient frontier.

    Args:
        costs: ``(n_options,)`` costs (NaN: no cost, excluded).
        benefits: ``(n_options,)`` weighted benefit scores.
        include: ``(n_options,)`` which options take part (e.g. hurdle passes).

    Returns:
        ``status`` ``(n_options,)`` (:data:`FRONTIER`, :data:`DOMINATED`,
        :data:`EXTENDED`, :data:`EXCLUDED`) and ``icer`` ``(n_options,)``: for frontier
        options, the incremental cost per extra benefit point over the previous (cheaper)
        frontier option; NaN otherwise and for the cheapest.
    """
    n = costs.shape[0]
    status = np.full(n, EXCLUDED, dtype=np.intp)
    icer = np.full(n, np.nan)
    ok = np.isfinite(costs) & np.isfinite(benefits)
    if include is not None:
        ok &= include
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return status, icer
    order = idx[np.lexsort((-benefits[idx], costs[idx]))]
    candidates: list[int] = []
    best_benefit = -np.inf
    best_cost = np.inf
    for i in order:
        b, c = benefits[i], costs[i]
        if b < best_benefit or (b == best_benefit and best_cost < c):
            status[i] = DOMINATED
            continue
        if b == best_benefit and best_cost == c:
            status[i] = FRONTIER  # an exact twin of a frontier option
            continue
        candidates.append(int(i))
        best_benefit, best_cost = b, c

    def ratio(a: int, b: int) -> float:
        return float((costs[b] - costs[a]) / (benefits[b] - benefits[a]))

    stack: list[int] = []
    for i in candidates:
        while len(stack) >= 2 and ratio(stack[-2], stack[-1]) > ratio(stack[-1], i):
            status[stack.pop()] = EXTENDED
        stack.append(i)
    for k, i in enumerate(stack):
        status[i] = FRONTIER
        if k > 0:
            icer[i] = ratio(stack[k - 1], i)
    return status, icer


def frontier_samples(
    costs: FloatArray, benefits: FloatArray, include: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.bool_]:
    """:func:`efficient_frontier` for many samples at once: who is on the frontier.

    The same walk, step for step, on every sample together: options in order of cost
    (the more beneficial first among equal costs, then by index), strong dominance
    against the best benefit so far, exact twins of a frontier option kept on it, and
    the stack of the convex hull popped while the last two make a steeper step than the
    next (extended dominance). Each comparison is the same floating-point operation as
    in :func:`efficient_frontier`, so a sample's answer is the same to the bit.

    Args:
        costs: ``(n_options, n_samples)`` costs.
        benefits: ``(n_options, n_samples)`` weighted benefit scores.
        include: ``(n_options,)`` which options take part; an option with a NaN cost
            or benefit in any sample takes no part.

    Returns:
        ``(n_options, n_samples)``: True where the option is on the frontier
        (:data:`FRONTIER`); False for dominated, extendedly dominated and excluded.
    """
    on = np.zeros(costs.shape, dtype=bool)
    ok = np.isfinite(costs).all(axis=1) & np.isfinite(benefits).all(axis=1)
    if include is not None:
        ok &= include
    rows = np.flatnonzero(ok)
    if rows.size == 0:
        return on
    c_in, b_in = costs[rows], benefits[rows]
    m, size = c_in.shape
    order, c = _cost_order(c_in, b_in)  # (m, size): positions by cost, and the costs
    b = np.take_along_axis(b_in, order, axis=0)
    found = np.zeros((m, size), dtype=bool)  # by position in the order
    best_b = np.full(size, -np.inf)
    best_c = np.full(size, np.inf)
    # The hull's stack, kept as a linked list by position (``below``: the position under
    # each one when it was pushed) with its top two's positions, costs and benefits held
    # apart: a push and the first test for a pop are whole-row operations, and only the
    # samples that pop are gathered.
    below = np.zeros((m, size), dtype=np.intp)
    depth = np.zeros(size, dtype=np.intp)
    top, under = np.zeros(size, dtype=np.intp), np.zeros(size, dtype=np.intp)
    top_c, top_b = np.zeros(size), np.zeros(size)
    under_c, under_b = np.zeros(size), np.zeros(size)
    for pos in range(m):
        bp, cp = b[pos], c[pos]
        dominated = (bp < best_b) | ((bp == best_b) & (best_c < cp))
        twin = ~dominated & (bp == best_b) & (best_c == cp)
        found[pos] = twin  # an exact twin of a frontier option
        candidate = ~(dominated | twin)
        best_b = np.where(candidate, bp, best_b)
        best_c = np.where(candidate, cp, best_c)
        if pos >= 2:
            with np.errstate(divide="ignore", invalid="ignore"):
                step = (top_c - under_c) / (top_b - under_b)
                nxt = (cp - top_c) / (bp - top_b)
            live = np.flatnonzero(candidate & (depth >= 2) & (step > nxt))
            while live.size:  # pop: the top is extendedly dominated
                found[top[live], live] = False
                depth[live] -= 1
                top[live] = under[live]
                top_c[live], top_b[live] = under_c[live], under_b[live]
                live = live[depth[live] >= 2]
                under[live] = below[top[live], live]
                under_c[live], under_b[live] = c[under[live], live], b[under[live], live]
                step = (top_c[live] - under_c[live]) / (top_b[live] - under_b[live])
                nxt = (cp[live] - top_c[live]) / (bp[live] - top_b[live])
                live = live[step > nxt]
        below[pos] = top
        found[pos] |= candidate
        depth += candidate
        under = np.where(candidate, top, under)
        under_c = np.where(candidate, top_c, under_c)
        under_b = np.where(candidate, top_b, under_b)
        top = np.where(candidate, pos, top)
        top_c = np.where(candidate, cp, top_c)
        top_b = np.where(candidate, bp, top_b)
    on_rows = np.zeros((m, size), dtype=bool)
    np.put_along_axis(on_rows, order, found, axis=0)
    on[rows] = on_rows
    return on


def _cost_order(costs: FloatArray, benefits: FloatArray) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """``(m, size)`` each sample's options by cost, the more beneficial first among
    equal costs, then by index (:func:`efficient_frontier`'s order), and the costs in
    that order: a stable sort by cost, then, only in the samples where two costs are
    equal, by both keys."""
    order = np.argsort(costs, axis=0, kind="stable")
    ranked = np.take_along_axis(costs, order, axis=0)
    tied = np.flatnonzero((ranked[1:] == ranked[:-1]).any(axis=0))
    if tied.size:
        order[:, tied] = np.lexsort((-benefits[:, tied], costs[:, tied]), axis=0)
    return order, ranked


def incremental_ratios(
    costs: FloatArray,
    benefits: FloatArray,
    baseline: int,
    include: npt.NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Each option's incremental cost per extra benefit point over the baseline.

    ``(cost_i - cost_baseline) / (benefit_i - benefit_baseline)`` for the options that
    take part and add benefit over the baseline; an option that adds benefit for no more
    cost than the baseline has a ratio of 0 or below, lower than any option that costs
    more. The ratio is the basis of *best value* (:func:`best_value_shares`): cost per
    benefit point itself says nothing when, as with costs of change over
    business-as-usual, the baseline costs 0.

    Args:
        costs: ``(n_options, ...)`` costs (NaN: no cost); trailing axes are samples.
        benefits: ``(n_options, ...)`` weighted benefit scores, the same shape.
        baseline: index of the baseline option.
        include: ``(n_options,)`` which options take part.

    Returns:
        ``(n_options, ...)`` ratios; NaN for the baseline, for options that take no
        part, have no cost or add no benefit, and everywhere the baseline has no cost.
    """
    extra = (1,) * (costs.ndim - 1)
    d_cost = costs - costs[baseline]
    d_benefit = benefits - benefits[baseline]
    ok = np.isfinite(d_cost) & (d_benefit > 0)
    mask = np.arange(costs.shape[0]) != baseline
    if include is not None:
        mask &= include
    ok &= mask.reshape(-1, *extra)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, d_cost / np.where(ok, d_benefit, 1.0), np.nan)


def best_value_shares(ratios: FloatArray) -> FloatArray:
    """Each option's share of *best value* from :func:`incremental_ratios`.

    Best value is the lowest incremental cost per extra benefit point over the baseline
    among the options that take part and add benefit (the baseline itself excluded). The
    ``k`` options tied at the lowest ratio share it, ``1/k`` each; where no option adds
    benefit nobody is best value (every share 0).

    Args:
        ratios: ``(n_options, ...)`` ratios, NaN where an option does not compete.

    Returns:
        ``(n_options, ...)`` shares, summing to 1 (or 0) over the options.
    """
    r = np.where(np.isnan(ratios), np.inf, ratios)
    lowest = r.min(axis=0) if r.shape[0] else np.full(r.shape[1:], np.inf)
    best = (r == lowest) & np.isfinite(lowest)
    count = best.sum(axis=0)
    return np.asarray(best / np.maximum(count, 1), dtype=float)


def best_value(
    costs: FloatArray,
    benefits: FloatArray,
    baseline: int,
    include: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.bool_]:
    """``(n_options,)`` which options are best value now: the lowest incremental cost per
    extra benefit point over the baseline (:func:`incremental_ratios`), ties all True."""
    shares = best_value_shares(incremental_ratios(costs, benefits, baseline, include))
    return np.asarray(shares > 0)
