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
    order = np.lexsort((-b_in, c_in), axis=0)  # (m, size): positions by cost
    c = np.take_along_axis(c_in, order, axis=0)
    b = np.take_along_axis(b_in, order, axis=0)
    found = np.zeros((m, size), dtype=bool)  # by position in the order
    best_b = np.full(size, -np.inf)
    best_c = np.full(size, np.inf)
    stack = np.zeros((m, size), dtype=np.intp)  # positions on the hull, bottom first
    depth = np.zeros(size, dtype=np.intp)
    for pos in range(m):
        bp, cp = b[pos], c[pos]
        dominated = (bp < best_b) | ((bp == best_b) & (best_c < cp))
        twin = ~dominated & (bp == best_b) & (best_c == cp)
        found[pos, twin] = True  # an exact twin of a frontier option
        candidate = ~(dominated | twin)
        best_b = np.where(candidate, bp, best_b)
        best_c = np.where(candidate, cp, best_c)
        live = np.flatnonzero(candidate & (depth >= 2))
        while live.size:
            d = depth[live]
            top, under = stack[d - 1, live], stack[d - 2, live]
            step = (c[top, live] - c[under, live]) / (b[top, live] - b[under, live])
            nxt = (cp[live] - c[top, live]) / (bp[live] - b[top, live])
            pop = step > nxt
            live = live[pop]
            depth[live] -= 1
            live = live[depth[live] >= 2]
        took = np.flatnonzero(candidate)
        stack[depth[took], took] = pos
        depth[took] += 1
    for level in range(m):
        have = np.flatnonzero(depth > level)
        found[stack[level, have], have] = True
    on_rows = np.zeros((m, size), dtype=bool)
    np.put_along_axis(on_rows, order, found, axis=0)
    on[rows] = on_rows
    return on


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
