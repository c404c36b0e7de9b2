"""Value for money: cost per benefit point and the cost–benefit efficient frontier."""

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
