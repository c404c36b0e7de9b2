"""Monte Carlo / SMAA-2 for the weighted sum, in chunks of samples.

Weights are drawn around the stated ones (Dirichlet with a concentration), uniformly
over all weights (the SMAA "no preference information" case) or within ± bounds;
scores are held fixed or drawn from a triangular distribution per cell (low, mode,
high). Each chunk of samples has its own random stream spawned from the seed, so the
output is the same to the bit whatever the number of threads, and memory stays the same
whatever the number of samples: only counts, sums and fixed-size histograms are kept
(Lahdelma and Salminen, SMAA-2, Operations Research 2001).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt

from appraise.engine.cost_draws import CostOutcome, CostTally, CostTerms

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

__all__ = ["COST_STREAM", "SmaaResult", "WeightModel", "histogram_quantiles", "smaa"]

WeightModel = Literal["fixed", "dirichlet", "uniform", "bounds"]
CHUNK = 16_384
"""Samples per chunk at most: fewer when there are many options (see :func:`chunk_size`).
A chunk's size depends only on the problem, so results do not depend on the number of
threads."""
CHUNK_BYTES = 8 << 20
"""Working memory for one chunk's per-sample arrays (totals, ranks, weights ...)."""
BINS = 4_096
"""Histogram bins over the possible range of totals (and of the margin)."""
CONFIDENCE_SAMPLES = 100_000
"""Score draws for the confidence factors (a second pass at each central weight vector),
at most."""
CONFIDENCE_WORK = 20_000_000_000
"""Multiply-adds the confidence pass may take (every option's total at every central
weight vector is options x options x criteria per draw): very large problems get fewer
draws, down to :data:`CONFIDENCE_FLOOR`."""
CONFIDENCE_FLOOR = 1_000
COST_STREAM = 1
"""Chunk ``k`` draws its costs from ``SeedSequence(seed, spawn_key=(k, COST_STREAM))``,
a stream of its own: the weights and scores come from ``spawn_key=(k,)`` whether or not
costs are drawn, so they, and every figure made from them, are the same either way."""


def chunk_size(m: int, n: int) -> int:
    """Samples per chunk for ``m`` options and ``n`` criteria: a power of two, from 256
    up to :data:`CHUNK`, whose per-sample arrays fit in :data:`CHUNK_BYTES`."""
    return _rows_within(48 * m + 16 * n, CHUNK_BYTES, least=256)


def _rows_within(per_sample: int, budget: int, least: int = 1) -> int:
    """The most samples, a power of two from ``least`` up to :data:`CHUNK`, whose
    ``per_sample`` bytes each fit in ``budget``."""
    rows = CHUNK
    while rows > least and rows * per_sample > budget:
        rows //= 2
    return rows


@dataclass(frozen=True)
class SmaaResult:
    """Outcome of the simulation; ``m`` options, ``n`` criteria.

    Attributes:
        samples: number of samples drawn.
        acceptability: ``(m, m)`` probability of each option at each rank (ties share
            the ranks they span equally, so rows and columns each sum to 1).
        central_weights: ``(m, n)`` mean weight vector (fractions) over the samples in
            which each option is first; NaN where it never is.
        confidence: ``(m,)`` probability each option is first with its central weights
            and the scores drawn; NaN where it has no central weights.
        mean_totals: ``(m,)`` mean total.
        total_histogram: ``(m, BINS)`` counts of totals over ``[low, high]``.
        margin_histogram: ``(BINS,)`` counts of the tracked option's margin over the
            best of the others, over ``[-(high - low), high - low]``.
        low: lowest possible total.
        high: highest possible total.
        margin_below_zero: samples in which another option beat the tracked one.
        confidence_samples: score draws behind the confidence factors (1 when every
            score is fixed: one evaluation is exact).
        costs: value for money over the samples (``None``: no costs given).
    """

    samples: int
    acceptability: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    mean_totals: FloatArray
    total_histogram: IntArray
    margin_histogram: IntArray
    low: float
    high: float
    margin_below_zero: int
    confidence_samples: int = 0
    costs: CostOutcome | None = None

    @property
    def best(self) -> FloatArray:
        """``(m,)`` probability of being first."""
        return np.asarray(self.acceptability[:, 0])

    def total_quantiles(self, qs: tuple[float, ...] = (0.05, 0.5, 0.95)) -> FloatArray:
        """``(m, len(qs))`` quantiles of each option's total (to within one bin)."""
        return histogram_quantiles(self.total_histogram, self.low, self.high, qs)

    def margin_quantiles(self, qs: tuple[float, ...] = (0.05, 0.5, 0.95)) -> FloatArray:
        """``(len(qs),)`` quantiles of the tracked option's margin over the best other."""
        span = self.high - self.low
        return np.asarray(histogram_quantiles(self.margin_histogram[None, :], -span, span, qs)[0])

    def rank_quantiles(self, qs: tuple[float, ...] = (0.05, 0.5, 0.95)) -> IntArray:
        """``(m, len(qs))`` quantiles of each option's rank (1 best)."""
        cum = np.cumsum(self.acceptability, axis=1)
        out = np.empty((cum.shape[0], len(qs)), dtype=np.int64)
        for k, q in enumerate(qs):
            out[:, k] = (cum < q - 1e-12).sum(axis=1) + 1
        return np.minimum(out, cum.shape[1])


def histogram_quantiles(
    counts: IntArray, low: float, high: float, qs: tuple[float, ...]
) -> FloatArray:
    """Quantiles from fixed-width histograms ``(rows, bins)`` over ``[low, high]``,
    interpolated linearly inside the bin (error at most one bin width)."""
    rows, bins = counts.shape
    width = (high - low) / bins
    cum = np.cumsum(counts, axis=1)
    total = cum[:, -1:]
    out = np.full((rows, len(qs)), np.nan)
    for k, q in enumerate(qs):
        target = q * total[:, 0]
        b = np.array([np.searchsorted(cum[r], target[r], side="left") for r in range(rows)])
        b = np.minimum(b, bins - 1)
        before = np.where(b > 0, cum[np.arange(rows), b - 1], 0)
        inside = counts[np.arange(rows), b]
        frac = np.divide(target - before, inside, out=np.zeros(rows), where=inside > 0)
        out[:, k] = np.where(total[:, 0] > 0, low + (b + frac) * width, np.nan)
    return out


def _weights_by_criterion(
    rng: np.random.Generator,
    size: int,
    model: WeightModel,
    base: FloatArray,
    concentration: float,
    bounds: FloatArray,
) -> FloatArray:
    """``(n, size)`` weight vectors summing to 1, one column per sample.

    Kept criterion by criterion (each row contiguous) because every later step reads
    the weights a criterion at a time.
    """
    n = base.shape[0]
    if model == "fixed":
        return np.ascontiguousarray(np.broadcast_to(base[:, None], (n, size)))
    if model == "uniform":
        w = rng.standard_exponential((n, size))
    elif model == "dirichlet":
        shapes = concentration * base
        if shapes.max() < 1.0:
            return _small_dirichlet(rng, size, shapes)
        # one criterion at a time (NumPy's scalar-shape path is about a quarter faster
        # than broadcasting the shapes), in single precision (about a third faster);
        # the weights are then normalised in double precision
        g = np.empty((n, size), dtype=np.float32)
        for j, shape in enumerate(shapes):
            rng.standard_gamma(float(shape), dtype=np.float32, out=g[j])
        w = g.astype(float)
    else:
        w = _within_bounds(rng, base, bounds, size)
    s = w.sum(axis=0)
    np.divide(w, s, out=w, where=s > 0)
    return w


def _within_bounds(
    rng: np.random.Generator, base: FloatArray, bounds: FloatArray, size: int
) -> FloatArray:
    """``(n, size)`` weights each uniform within ``base ± bounds`` and at least 0, not yet
    rescaled. A draw with every weight at 0 says nothing and is drawn again (so the
    draws are those conditioned on some weight being positive)."""

    def draw(count: int) -> FloatArray:
        w = base[:, None] + (2.0 * rng.random((base.shape[0], count)) - 1.0) * bounds[:, None]
        return np.maximum(w, 0.0, out=w)

    w = draw(size)
    empty = np.flatnonzero(~(w > 0).any(axis=0))
    while empty.size:
        again = draw(empty.size)
        w[:, empty] = again
        empty = empty[~(again > 0).any(axis=0)]
    return w


def _small_dirichlet(rng: np.random.Generator, size: int, shapes: FloatArray) -> FloatArray:
    """``(n, size)`` Dirichlet draws when every shape is below 1 (a low concentration).

    Gamma variates with shapes this small are often below the smallest float, all of
    them at once in many samples, which would leave no weights at all. Their logarithms
    are drawn instead, from ``Gamma(a) = Gamma(a + 1) * U ** (1 / a)``, and each sample
    is scaled by its largest before leaving logarithms.
    """
    logs = np.full((shapes.shape[0], size), -np.inf)
    for j, shape in enumerate(shapes):
        if shape > 0:
            with np.errstate(divide="ignore"):  # U = 0 (odds 2**-53): a weight of 0
                np.log(rng.random(size), out=logs[j])
            logs[j] /= shape
            logs[j] += np.log(rng.standard_gamma(shape + 1.0, size))
    logs -= logs.max(axis=0)
    np.exp(logs, out=logs)
    logs /= logs.sum(axis=0)
    return logs


BLOCK_BYTES = 4 << 20
"""Working memory for one block of samples when drawing scores: blocks are as large as
fits (fewer, larger array operations), up to a chunk."""
CONFIDENCE_BYTES = 16 << 20
"""Working memory for one block of every option's totals at every central weight vector
(the confidence factors)."""
STEPS = 65_536
"""Resolution of the uniforms behind the score draws (16 bits)."""


@dataclass(frozen=True)
class _Scores:
    """Triangular score distributions of the uncertain cells.

    A triangular variate on ``[a, b]`` with mode ``c`` is
    ``a + (b - a) * ((1 - r) * min(U, V) + r * max(U, V))`` with ``r = (c - a)/(b - a)``
    and ``U``, ``V`` independent uniforms: no branches and no square roots.

    The uniforms are 16-bit: ``(k + 1/2) / 65536`` for ``k`` from the generator's raw
    output, four per 64-bit word (the generator's raw output is about twice as fast as
    its single-precision floats, and the random numbers are most of the cost). A cell is
    thus drawn in steps of 1/65,536 of its range, far finer than any score means; the
    ``1/65536`` and the ``1/2`` fold into the coefficients and the fixed part.

    Samples run along the last axis of every working array, so each row a step reads is
    contiguous. Each block of samples becomes a grid ``(m, n, samples)`` of how far each
    cell is from its fixed part (0 for the cells not drawn), in single precision; the
    fixed part is weighted once per chunk in double precision.
    """

    mode: FloatArray  # (m, n) the scores held when not drawn
    cells: npt.NDArray[np.intp]  # flat indices of uncertain cells
    per_step: npt.NDArray[np.float32]  # (2 cells,) a step of min(U, V), then of max(U, V)
    start: FloatArray  # (cells,) a cell's value when both uniforms are at step 0
    fixed: FloatArray  # (m, n): the modes, with each uncertain cell at its start
    lowest: FloatArray  # (m, n): the lowest score a draw can give (the mode when fixed)
    highest: FloatArray  # (m, n): the highest

    @classmethod
    def build(cls, mode: FloatArray, low: FloatArray | None, high: FloatArray | None) -> _Scores:
        if low is None or high is None:
            cells = np.zeros(0, dtype=np.intp)
            lo = hi = mode.ravel()
        else:
            lo = np.minimum(low, mode).ravel()
            hi = np.maximum(high, mode).ravel()
            cells = np.flatnonzero(hi > lo)
        a, b, c = lo[cells], hi[cells], mode.ravel()[cells]
        # (b - a)(1 - r) per step of min, (b - a) r per step of max
        per_step = np.concatenate([b - c, c - a]).astype(np.float32) / np.float32(STEPS)
        start = a + 0.5 * (b - a) / STEPS  # the half step of both uniforms
        fixed = mode.ravel().copy()
        fixed[cells] = start
        shape = mode.shape
        return cls(
            mode, cells, per_step, start, fixed.reshape(shape), lo.reshape(shape), hi.reshape(shape)
        )

    def block(self) -> int:
        """Samples per block: a power of two, from 1 up to :data:`CHUNK`, whose working
        arrays (raw bits, steps and grid) fit in :data:`BLOCK_BYTES`."""
        k, cells = self.cells.size, self.mode.size
        return _rows_within(4 * k + 8 * k + 4 * cells, BLOCK_BYTES)

    def _grids(
        self, rng: np.random.Generator, size: int, block: int | None = None
    ) -> Iterator[tuple[int, int, npt.NDArray[np.float32]]]:
        """Per block of up to ``block`` samples (default :meth:`block`): its first and
        last sample and the drawn scores less the fixed part, ``(m, n, samples)``. A
        full block reuses one buffer (callers may scale it in place: the cells not drawn
        stay 0)."""
        m, n = self.mode.shape
        k = self.cells.size
        every = k == m * n  # every cell drawn: cells is 0 .. m n - 1
        block = block or self.block()
        steps = np.empty((2 * k, block), dtype=np.float32)
        grid = np.zeros((m * n, block), dtype=np.float32)
        per_step = self.per_step[:, None]
        for start in range(0, size, block):
            stop = min(start + block, size)
            rows = stop - start
            if rows < block:
                steps = np.empty((2 * k, rows), dtype=np.float32)
                grid = np.zeros((m * n, rows), dtype=np.float32)
            count = rows * k
            raw = rng.bit_generator.random_raw(-(-count // 2)).view(np.uint16)
            u = raw[:count].reshape(k, rows)
            v = raw[count : 2 * count].reshape(k, rows)
            np.minimum(u, v, out=steps[:k])
            np.maximum(u, v, out=steps[k:])
            steps *= per_step
            if every:
                np.add(steps[:k], steps[k:], out=grid)
            else:
                grid[self.cells] = steps[:k] + steps[k:]
            yield start, stop, grid.reshape(m, n, rows)

    def totals(self, rng: np.random.Generator, w: FloatArray) -> FloatArray:
        """``(m, size)`` totals at weights ``w`` ``(n, size)``, uncertain cells drawn."""
        out = np.asarray(self.fixed @ w)
        if self.cells.size == 0:
            return out
        w32 = w.astype(np.float32)
        for start, stop, grid in self._grids(rng, w.shape[1]):
            grid *= w32[:, start:stop]
            out[:, start:stop] += grid.sum(axis=1)
        return out

    def totals_at(
        self, rng: np.random.Generator, size: int, weights: FloatArray
    ) -> Iterator[FloatArray]:
        """Block by block, ``(m, k, samples)`` totals at each of ``k`` fixed weight
        vectors ``(k, n)``, all on the same score draws: one batched matrix product per
        block, blocks small enough for the totals to fit in :data:`CONFIDENCE_BYTES`."""
        m, k = self.mode.shape[0], weights.shape[0]
        base = (self.fixed @ weights.T)[:, :, None]  # (m, k, 1)
        if self.cells.size == 0:
            yield np.broadcast_to(base, (m, k, size)).copy()
            return
        block = min(self.block(), _rows_within(24 * m * k, CONFIDENCE_BYTES))
        w32 = weights.astype(np.float32)
        for _, _, grid in self._grids(rng, size, block):
            yield np.add(np.matmul(w32, grid), base, dtype=float)

    def draw(self, rng: np.random.Generator, size: int) -> FloatArray | None:
        """``(size, m, n)`` drawn scores (``None`` when every cell is fixed), from the
        same random stream :meth:`totals` uses."""
        if self.cells.size == 0:
            return None
        out = np.empty((size, *self.mode.shape))
        for start, stop, grid in self._grids(rng, size):
            out[start:stop] = np.moveaxis(grid, 2, 0) + self.fixed
        return out


RANK_PAIRS_UP_TO = 16
"""Up to this many options, ranks come from comparing every pair (a few whole-array
operations); beyond it, from sorting each sample."""


def _count_ranks(totals: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Rank counts ``(m * m,)`` (option-major) and each sample's share of first place
    ``(m, size)``, from totals ``(m, size)``.

    Totals are compared rounded to 9 decimals. An option's rank is 1 + the number of
    options strictly ahead of it; in the few samples with a tie, a tie of ``k`` options
    at rank ``r`` gives each ``1/k`` of ranks ``r .. r + k - 1``.
    """
    m = totals.shape[0]
    accept, first, tied = (_by_pairs if m <= RANK_PAIRS_UP_TO else _by_sorting)(totals)
    ties = np.flatnonzero(tied)
    row = np.arange(m)[:, None] * m
    # the samples with a tie, a batch at a time (two (m, m, batch) comparisons)
    batch = max(1, BLOCK_BYTES // (2 * m * m))
    for start in range(0, ties.size, batch):
        sub = ties[start : start + batch]
        key = np.round(totals[:, sub], 9)
        above = (key[None, :, :] > key[:, None, :]).sum(axis=1)  # (m, batch)
        level = (key[None, :, :] == key[:, None, :]).sum(axis=1)
        for extra in range(int(level.max())):
            share = np.where(extra < level, 1.0 / level, 0.0)
            at = np.minimum(above + extra, m - 1)
            accept += np.bincount((row + at).ravel(), weights=share.ravel(), minlength=m * m)
            first[:, sub] += np.where(at == 0, share, 0.0)
    return accept, first


_Counts = tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]


def _by_pairs(totals: FloatArray) -> _Counts:
    """:func:`_count_ranks` without the samples that have a tie (returned as a mask),
    by counting for each option how many are ahead: ``m`` whole-array comparisons."""
    m, size = totals.shape
    key = np.round(totals, 9)
    ahead = np.empty((m, size), dtype=np.intp)
    for i in range(m):
        np.sum(key > key[i], axis=0, out=ahead[i])
    # without a tie the counts are 0 .. m - 1 in some order; a tie of g options lowers
    # their sum by g(g - 1)/2
    tied = np.asarray(ahead.sum(axis=0) < m * (m - 1) // 2)
    first = (ahead == 0).astype(float)
    ahead += np.arange(m)[:, None] * m  # now the (option, rank) cell
    if tied.any():
        ahead[:, tied] = m * m  # counted in a spare cell, dropped
        first[:, tied] = 0.0
    accept = np.bincount(ahead.ravel(), minlength=m * m + 1)[: m * m].astype(float)
    return accept, first, tied


def _by_sorting(totals: FloatArray) -> _Counts:
    """:func:`_count_ranks` without the samples that have a tie, by sorting each sample's
    totals rounded to 9 decimals."""
    m, size = totals.shape
    by_sample = np.round(totals.T, 9)
    order = np.argsort(-by_sample, axis=1)
    ranked = np.take_along_axis(by_sample, order, axis=1)
    tied = np.asarray((ranked[:, :-1] == ranked[:, 1:]).any(axis=1))
    cell = order * m + np.arange(m)  # (option, rank) for each sample and rank
    first = np.zeros((m, size))
    first[order[:, 0], np.arange(size)] = 1.0
    if tied.any():
        cell[tied] = m * m
        first[:, tied] = 0.0
    accept = np.bincount(cell.ravel(), minlength=m * m + 1)[: m * m].astype(float)
    return accept, first, tied


def smaa(
    points: FloatArray,
    weights: FloatArray,
    *,
    samples: int,
    seed: int,
    weight_model: WeightModel = "dirichlet",
    concentration: float = 50.0,
    bounds: FloatArray | None = None,
    low: FloatArray | None = None,
    high: FloatArray | None = None,
    scale: float = 1.0,
    total_range: tuple[float, float] = (0.0, 1.0),
    lead: int = 0,
    costs: CostTerms | None = None,
    baseline: int | None = None,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SmaaResult:
    """Rank acceptability, central weights and confidence factors by simulation.

    Args:
        points: ``(m, n)`` the scores that count, as points (higher better); the mode
            of each cell's distribution.
        weights: ``(n,)`` stated global weights as fractions summing to 1.
        samples: number of samples.
        seed: random seed; the same seed gives the same result to the bit.
        weight_model: ``fixed``, ``dirichlet`` (mean the stated weights, total
            concentration ``concentration``), ``uniform`` (uniform over all weight
            vectors) or ``bounds`` (each weight uniform within ± ``bounds``, then
            rescaled to sum to 1).
        concentration: Dirichlet concentration (higher: closer to the stated weights).
        bounds: ``(n,)`` half-widths for ``bounds``, as fractions.
        low: ``(m, n)`` lowest score of each cell, as points (``None``: scores fixed).
        high: ``(m, n)`` highest score of each cell.
        scale: multiplies totals (e.g. 100 for weights written out of 100).
        total_range: the lowest and highest possible total (after ``scale``), for the
            histograms.
        lead: the option whose margin over the best of the others is tracked
            (``total[lead] - max(total[others])``, sample by sample).
        costs: each option's cost terms, drawn sample by sample from a stream of their
            own (:mod:`appraise.engine.cost_draws`); with the totals they give each
            option's chance of being on the cost–benefit frontier and of being best
            value, and its cost and cost per point (``None``: no costs).
        baseline: the baseline option, for best value (``None``: not among them).
        threads: worker threads (default: up to 2); results do not depend on it.
        progress: called with the number of samples done after each chunk.

    Returns:
        The :class:`SmaaResult`.
    """
    m, n = points.shape
    bounds = np.zeros(n) if bounds is None else bounds
    dist = _Scores.build(points, low, high)
    lo, hi = total_range
    span = hi - lo
    a = min(lead, m - 1)
    chunk = chunk_size(m, n)
    n_chunks = -(-samples // chunk) if samples > 0 else 0

    def stream(k: int) -> np.random.Generator:
        # the k-th child of SeedSequence(seed), made on demand (what .spawn() would
        # give, without holding one object per chunk for very long runs)
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(k,))))

    def cost_stream(k: int) -> np.random.Generator:
        key = np.random.SeedSequence(seed, spawn_key=(k, COST_STREAM))
        return np.random.Generator(np.random.PCG64(key))

    tally = None
    if costs is not None:
        t_lo, t_hi = _total_bounds(dist, weights, weight_model)
        tally = CostTally(costs, baseline, t_lo * scale, t_hi * scale)
    on_frontier, best_value, cost_sums = np.zeros(m), np.zeros(m), np.zeros(m)
    no_best = 0.0

    hist = np.zeros(m * BINS, dtype=np.int64)
    mhist = np.zeros(BINS, dtype=np.int64)
    reversed_ = np.zeros(1, dtype=np.int64)
    counting = threading.Lock()

    def run(k: int) -> tuple[FloatArray, FloatArray, FloatArray, _CostSums | None]:
        size = min(chunk, samples - k * chunk)
        rng = stream(k)
        w = _weights_by_criterion(rng, size, weight_model, weights, concentration, bounds)
        totals = dist.totals(rng, w)  # (m, size)
        totals *= scale
        accept, first = _count_ranks(totals)
        value = None
        if tally is not None:
            value = tally.chunk(cost_stream(k) if tally.draws.drawn else None, totals)
        central = first @ w.T
        bins = np.clip(((totals - lo) / span * BINS).astype(np.int64), 0, BINS - 1)
        bins += np.arange(m)[:, None] * BINS
        counts = np.bincount(bins.ravel(), minlength=m * BINS)
        if m > 1:
            own = totals[a].copy()
            totals[a] = -np.inf
            margin = own - totals.max(axis=0)
            totals[a] = own
        else:
            margin = np.zeros(size)
        mbins = np.clip(((margin + span) / (2 * span) * BINS).astype(np.int64), 0, BINS - 1)
        mcounts = np.bincount(mbins, minlength=BINS)
        # whole counts add up the same in any order: summed here, not held per chunk
        with counting:
            np.add(hist, counts, out=hist)
            np.add(mhist, mcounts, out=mhist)
            np.add(reversed_, (margin < 0).sum(), out=reversed_)
        return accept, central, totals.sum(axis=1), value

    acceptability = np.zeros(m * m)
    central = np.zeros((m, n))
    sums = np.zeros(m)
    done = 0
    workers = threads if threads is not None else min(2, os.cpu_count() or 1)
    from threadpoolctl import threadpool_limits

    # Threads share the work by chunks; BLAS threading inside each chunk's small
    # products would only oversubscribe the cores.
    with threadpool_limits(limits=1, user_api="blas"):
        for part in _map(run, range(n_chunks), workers):
            acceptability += part[0]
            central += part[1]
            sums += part[2]
            if part[3] is not None:
                on_frontier += part[3][0]
                best_value += part[3][1]
                no_best += part[3][2]
                cost_sums += part[3][3]
            done = min(samples, done + chunk)
            if progress is not None:
                progress(done)
        acceptability = acceptability.reshape(m, m) / max(samples, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            central = central / (acceptability[:, :1] * samples)
        ever_first = int(np.isfinite(central).all(axis=1).sum())
        draws = min(samples, CONFIDENCE_SAMPLES)
        draws = min(draws, max(CONFIDENCE_FLOOR, CONFIDENCE_WORK // max(1, m * n * ever_first)))
        draws = draws if dist.cells.size else min(draws, 1)
        confidence = _confidence(
            dist, central, scale, lambda j: stream(n_chunks + j), draws, chunk, workers
        )
    return SmaaResult(
        samples=samples,
        acceptability=acceptability,
        central_weights=central,
        confidence=confidence,
        mean_totals=sums / max(samples, 1),
        total_histogram=hist.reshape(m, BINS),
        margin_histogram=mhist,
        low=lo,
        high=hi,
        margin_below_zero=int(reversed_[0]),
        confidence_samples=draws,
        costs=None
        if tally is None
        else tally.outcome(samples, on_frontier, best_value, no_best, cost_sums),
    )


_CostSums = tuple[FloatArray, FloatArray, float, FloatArray]


def _total_bounds(
    dist: _Scores, weights: FloatArray, model: WeightModel
) -> tuple[FloatArray, FloatArray]:
    """``(m,)`` the lowest and highest total (before ``scale``) each option can have:
    at the fixed weights, or, with weights drawn, at the criterion where its range
    reaches lowest and highest (weights are never negative and sum to 1)."""
    lo, hi = dist.lowest, dist.highest
    if model == "fixed":
        return np.asarray(lo @ weights), np.asarray(hi @ weights)
    return np.asarray(lo.min(axis=1)), np.asarray(hi.max(axis=1))


_T = TypeVar("_T")


def _map(fn: Callable[[int], _T], chunks: range, workers: int) -> Iterator[_T]:
    """Results in chunk order (so float sums add up the same way every run), computed
    on ``workers`` threads with at most two chunks in flight per worker."""
    if workers <= 1 or len(chunks) <= 1:
        yield from map(fn, chunks)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []
        it = iter(chunks)
        for k in it:
            pending.append(pool.submit(fn, k))
            if len(pending) >= 2 * workers:
                break
        while pending:
            head = pending.pop(0)
            yield head.result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(fn, nxt))


def _confidence(
    dist: _Scores,
    central: FloatArray,
    scale: float,
    stream: Callable[[int], np.random.Generator],
    samples: int,
    chunk: int,
    workers: int,
) -> FloatArray:
    """Probability each option is first at its own central weights, scores drawn: every
    option's total at every central weight vector on the same draws, in chunks with
    their own streams (like the main pass)."""
    m = central.shape[0]
    has: npt.NDArray[np.bool_] = np.asarray(np.isfinite(central).all(axis=1))
    out = np.full(m, np.nan)
    if not has.any():
        return out
    own = np.flatnonzero(has)  # the options with central weights
    size = max(samples, 1)

    def run(k: int) -> FloatArray:
        step = min(chunk, size - k * chunk)
        wins = np.zeros(own.size)
        # totals[i, j, s]: option i's total at option own[j]'s central weights
        for totals in dist.totals_at(stream(k), step, central[own]):
            totals *= scale
            np.round(totals, 9, out=totals)
            top = totals.max(axis=0)
            level = (totals == top).sum(axis=0)
            mine = totals[own, np.arange(own.size)] == top
            wins += (mine / level).sum(axis=1)
        return wins

    wins = np.zeros(own.size)
    for part in _map(run, range(-(-size // chunk)), workers):
        wins += part
    out[own] = wins / size
    return out
