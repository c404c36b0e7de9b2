"""Costs drawn in the Monte Carlo, and what value for money does in each sample.

An option's cost is a sum of terms: each cost line's present value ``pv`` times an
amount factor ``f`` times ``1 + u`` for its optimism-bias uplift ``u``, and each
monetised risk's present value if it happens. A sample draws ``f`` from a triangular
distribution over (``low``, 1, ``high``), ``u`` from one over (``uplift_low``,
``uplift``, ``uplift_high``), and each risk's occurrence with its probability:

    cost = Σ pv · f · (1 + u) + Σ occurs · risk_pv

A term whose range is a point stays fixed (a risk of probability 1, a stated allowance,
always happens), so with every term fixed the cost is the one the value-for-money table
shows, and nothing is drawn.

:func:`appraise.engine.smaa.smaa` calls :class:`CostTally` chunk by chunk, each chunk
with a random stream of its own (apart from the one the weights and scores come from,
so those draws are the same with or without costs). Each sample's costs and weighted
benefit totals give who is on the cost–benefit frontier
(:func:`~appraise.engine.vfm.frontier_samples`) and who is best value
(:func:`~appraise.engine.vfm.best_value_shares`); only counts, sums and fixed-size
histograms are kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from appraise.engine.vfm import best_value_shares, frontier_samples, incremental_ratios

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["COST_BINS", "CostOutcome", "CostTally", "CostTerms", "tail_quantiles"]

COST_BINS = 8_192
"""Histogram bins over each option's range of cost (and of cost per point), besides one
bin below the range and one above it."""
STEP = 2.0**-32
"""The resolution of the uniforms behind the cost draws (32 bits)."""
WIDEN = 1e-9
"""Each histogram's range is widened by this much of its size (at least of 1), so a cost
computed in another order than its bound still falls inside."""


@dataclass(frozen=True)
class CostTerms:
    """The terms of each option's cost (``m`` options, lines and risks padded with 0).

    Attributes:
        pv: ``(m, n_lines)`` each line's present value before uplift (NaN rows: the
            option has no cost).
        uplift: ``(m, n_lines)`` the uplift applied (a fraction): the mode of its draw.
        low: ``(m, n_lines)`` the lowest amount factor (1: fixed).
        high: ``(m, n_lines)`` the highest amount factor.
        uplift_low: ``(m, n_lines)`` the lowest uplift (= ``uplift`` when fixed).
        uplift_high: ``(m, n_lines)`` the highest uplift.
        risk_pv: ``(m, n_risks)`` each risk's present value if it happens.
        risk_p: ``(m, n_risks)`` its probability (1: a stated allowance).
    """

    pv: FloatArray
    uplift: FloatArray
    low: FloatArray
    high: FloatArray
    uplift_low: FloatArray
    uplift_high: FloatArray
    risk_pv: FloatArray
    risk_p: FloatArray

    @property
    def costed(self) -> BoolArray:
        """``(m,)`` the options with a cost."""
        return np.asarray(np.isfinite(self.pv).all(axis=1))

    @property
    def uncertain(self) -> bool:
        """True when any line, uplift or risk varies in a draw."""
        return bool(
            (self.low != 1).any()
            or (self.high != 1).any()
            or (self.uplift_low != self.uplift_high).any()
            or ((self.risk_p > 0) & (self.risk_p < 1)).any()
        )

    def take(self, options: list[int]) -> CostTerms:
        """The terms of ``options``, in that order."""
        return CostTerms(
            pv=self.pv[options],
            uplift=self.uplift[options],
            low=self.low[options],
            high=self.high[options],
            uplift_low=self.uplift_low[options],
            uplift_high=self.uplift_high[options],
            risk_pv=self.risk_pv[options],
            risk_p=self.risk_p[options],
        )

    def npc(self) -> FloatArray:
        """``(m,)`` the costs at the modes (the same as :meth:`modes`)."""
        return self.modes()

    def modes(self) -> FloatArray:
        """``(m,)`` each option's cost at the modes, risks at their expected value."""
        return np.asarray(
            (self.pv * (1.0 + self.uplift)).sum(axis=1) + (self.risk_p * self.risk_pv).sum(axis=1)
        )

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        """``(m,)`` the lowest and highest cost a draw can give (NaN without a cost)."""
        f = np.stack([self.low, self.low, self.high, self.high])
        g = 1.0 + np.stack([self.uplift_low, self.uplift_high, self.uplift_low, self.uplift_high])
        corners = self.pv * f * g
        occurs = self.risk_p > 0
        always = self.risk_p >= 1
        r_lo = np.where(always, self.risk_pv, np.where(occurs, np.minimum(self.risk_pv, 0), 0))
        r_hi = np.where(always, self.risk_pv, np.where(occurs, np.maximum(self.risk_pv, 0), 0))
        lo = corners.min(axis=0).sum(axis=1) + r_lo.sum(axis=1)
        hi = corners.max(axis=0).sum(axis=1) + r_hi.sum(axis=1)
        return np.asarray(lo), np.asarray(hi)


@dataclass(frozen=True)
class CostDraws:
    """How :class:`CostTerms` are drawn: which terms vary, in a fixed order.

    A triangular variate over ``[a, b]`` with mode ``c`` is
    ``a + (b - c) * min(U, V) + (c - a) * max(U, V)`` for independent uniforms ``U`` and
    ``V`` (as the scores are drawn in :mod:`appraise.engine.smaa`), here with 32-bit
    uniforms ``(k + 1/2) / 2**32``. A chunk draws, in this order, the pairs of uniforms
    of every varying amount factor, then those of every varying uplift, then one uniform
    per uncertain risk (it happens when the uniform is below its probability).
    """

    terms: CostTerms
    factors: npt.NDArray[np.intp]  # flat (option, line) cells whose amount varies
    uplifts: npt.NDArray[np.intp]  # flat cells whose uplift varies
    risks: npt.NDArray[np.intp]  # flat (option, risk) cells with 0 < p < 1

    @classmethod
    def build(cls, terms: CostTerms) -> CostDraws:
        """The varying terms of ``terms``'s options with a cost."""
        costed = terms.costed[:, None]
        lines = costed & (terms.pv != 0)
        factors = np.flatnonzero(lines & (terms.high != terms.low))  # a saving's are reversed
        uplifts = np.flatnonzero(lines & (terms.uplift_high > terms.uplift_low))
        risks = np.flatnonzero(
            costed & (terms.risk_pv != 0) & (terms.risk_p > 0) & (terms.risk_p < 1)
        )
        return cls(terms, factors, uplifts, risks)

    @property
    def drawn(self) -> bool:
        """True when some term varies (a random stream is needed)."""
        return bool(self.factors.size or self.uplifts.size or self.risks.size)

    def _draw(
        self, rng: np.random.Generator, size: int
    ) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
        """The varying terms' draws, in their order: factors ``(len(factors), size)``,
        uplifts ``(len(uplifts), size)``, occurrences ``(len(risks), size)``."""
        t = self.terms
        f = _triangular(rng, t.low.ravel()[self.factors], 1.0, t.high.ravel()[self.factors], size)
        u = _triangular(
            rng,
            t.uplift_low.ravel()[self.uplifts],
            t.uplift.ravel()[self.uplifts],
            t.uplift_high.ravel()[self.uplifts],
            size,
        )
        p = t.risk_p.ravel()[self.risks][:, None]
        occurs = (_uniforms(rng, (self.risks.size, size)) + 0.5) * STEP < p
        return f, u, occurs

    def parts(
        self, rng: np.random.Generator | None, size: int
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Every term of ``size`` samples, as :meth:`costs` draws them: amount factors
        and uplifts ``(m, n_lines, size)`` and occurrences (1 or 0)
        ``(m, n_risks, size)``; the fixed terms at their value (a fixed risk: 1 if its
        probability is 1, else 0)."""
        t = self.terms
        f = np.broadcast_to(np.ones(t.pv.shape)[:, :, None], (*t.pv.shape, size)).copy()
        u = np.broadcast_to(t.uplift[:, :, None], (*t.pv.shape, size)).copy()
        occurs = np.broadcast_to(
            (t.risk_p >= 1).astype(float)[:, :, None], (*t.risk_p.shape, size)
        ).copy()
        if self.drawn:
            assert rng is not None
            df, du, docc = self._draw(rng, size)
            f.reshape(-1, size)[self.factors] = df
            u.reshape(-1, size)[self.uplifts] = du
            occurs.reshape(-1, size)[self.risks] = docc
        return f, u, occurs

    def costs(self, rng: np.random.Generator | None, size: int) -> FloatArray:
        """``(m, size)`` drawn costs (NaN rows for the options without a cost).

        The fixed terms are summed once; each line with a varying factor or uplift and
        each uncertain risk is added sample by sample.
        """
        t = self.terms
        lines = np.union1d(self.factors, self.uplifts)
        fixed_lines = t.pv * (1.0 + t.uplift)
        fixed_lines.ravel()[lines] = 0.0
        fixed_risks = np.where(t.risk_p >= 1, t.risk_pv, 0.0)
        out = np.repeat((fixed_lines.sum(axis=1) + fixed_risks.sum(axis=1))[:, None], size, 1)
        if not self.drawn:
            return out
        assert rng is not None
        df, du, occurs = self._draw(rng, size)
        n_lines = t.pv.shape[1]
        f = np.ones((lines.size, size))
        f[np.searchsorted(lines, self.factors)] = df
        g = np.repeat(1.0 + t.uplift.ravel()[lines][:, None], size, 1)
        g[np.searchsorted(lines, self.uplifts)] = 1.0 + du
        g *= f
        g *= t.pv.ravel()[lines][:, None]
        _add_by_option(out, lines // n_lines, g)
        risk = occurs * t.risk_pv.ravel()[self.risks][:, None]
        _add_by_option(out, self.risks // t.risk_p.shape[1], risk)
        return out


def _add_by_option(out: FloatArray, owner: npt.NDArray[np.intp], terms: FloatArray) -> None:
    """Add rows ``terms`` ``(k, size)`` to ``out`` ``(m, size)`` at rows ``owner``
    (ascending: each option's terms are consecutive), in order."""
    if not owner.size:  # nothing varies here (only risks drawn, say)
        return
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    ends = np.r_[starts[1:], owner.size]
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        row = out[owner[a]]
        for k in range(a, b):
            row += terms[k]


def _uniforms(rng: np.random.Generator, shape: tuple[int, ...]) -> npt.NDArray[np.uint32]:
    """Raw 32-bit draws ``k``, two per 64-bit word of the generator's output (about
    four times as fast as its doubles); ``(k + 1/2) / 2**32`` is the uniform."""
    count = int(np.prod(shape))
    raw = rng.bit_generator.random_raw(-(-count // 2)).view(np.uint32)
    return raw[:count].reshape(shape)


def _triangular(
    rng: np.random.Generator, a: FloatArray, c: FloatArray | float, b: FloatArray, size: int
) -> FloatArray:
    """``(len(a), size)`` triangular variates, one row per term (see :class:`CostDraws`),
    in steps of ``2**-32`` of the range."""
    mode = np.broadcast_to(np.asarray(c, dtype=float), a.shape)
    uv = _uniforms(rng, (2, a.size, size))
    lo = np.minimum(uv[0], uv[1]) + 0.5
    hi = np.maximum(uv[0], uv[1]) + 0.5
    lo *= ((b - mode) * STEP)[:, None]
    hi *= ((mode - a) * STEP)[:, None]
    lo += hi
    lo += a[:, None]
    return np.asarray(lo)


def _binned(x: FloatArray, lo: FloatArray, hi: FloatArray) -> IntArray:
    """``x`` ``(m, size)`` as bins ``0 .. COST_BINS + 1`` of each row's ``[lo, hi]``: 0
    below the range, ``COST_BINS + 1`` above it."""
    span = (hi - lo)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = (x - lo[:, None]) / span * COST_BINS
    inside = np.clip(np.floor(np.nan_to_num(scaled, nan=-1.0)), 0, COST_BINS - 1) + 1
    out = np.where(x < lo[:, None], 0, np.where(x > hi[:, None], COST_BINS + 1, inside))
    return out.astype(np.int64)


def tail_quantiles(
    counts: IntArray, low: FloatArray, high: FloatArray, qs: tuple[float, ...]
) -> FloatArray:
    """Quantiles from histograms ``(rows, COST_BINS + 2)`` over each row's
    ``[low, high]`` with a bin below and one above, interpolated inside a bin (error at
    most one bin width): ``-inf``/``inf`` when a quantile falls below/above the range,
    NaN for a row with no samples."""
    rows = counts.shape[0]
    out = np.full((rows, len(qs)), np.nan)
    width = (high - low) / COST_BINS
    for r in range(rows):
        cum = np.cumsum(counts[r])
        total = cum[-1]
        if total == 0:
            continue
        for k, q in enumerate(qs):
            target = q * total
            b = min(int(np.searchsorted(cum, target, side="left")), COST_BINS + 1)
            if b == 0 and counts[r, 0] > 0:
                out[r, k] = -np.inf
            elif b == COST_BINS + 1:
                out[r, k] = np.inf
            else:
                b = max(b, 1)
                before = cum[b - 1]
                inside = counts[r, b]
                frac = (target - before) / inside if inside > 0 else 0.0
                out[r, k] = low[r] + (b - 1 + frac) * width[r]
    return out


@dataclass(frozen=True)
class CostOutcome:
    """What value for money does over the samples (``m`` options, those of the Monte
    Carlo).

    *Best value* is the lowest incremental cost per extra benefit point over the
    baseline, among the options with a cost that add benefit in that sample (the
    baseline excluded; one that adds benefit for no more cost than the baseline is
    lowest). Cost per benefit point alone says nothing when the baseline costs 0.

    Attributes:
        samples: number of samples.
        drawn: whether any cost varied (otherwise only the benefits did).
        costed: ``(m,)`` the options with a cost (the others take no part: NaN below).
        frontier: ``(m,)`` probability of being on the cost–benefit frontier.
        best_value: ``(m,)`` probability of being best value (NaN for the baseline, and
            for every option when the baseline is not among them or has no cost).
        no_best_value: share of samples in which no option adds benefit over the
            baseline (NaN without a baseline).
        mean_costs: ``(m,)`` mean cost.
        cost_histogram: ``(m, COST_BINS + 2)`` counts of costs over each option's
            ``[cost_low, cost_high]``.
        cost_low: ``(m,)`` the lowest cost a draw can give (the histogram's range is
            this widened by :data:`WIDEN`).
        cost_high: ``(m,)`` the highest.
        per_point_histogram: ``(m, COST_BINS + 2)`` counts of cost per benefit point
            (cost / total) over ``[per_point_low, per_point_high]``, in the samples
            where the total is above 0.
        per_point_low: ``(m,)`` the range's lower end.
        per_point_high: ``(m,)`` its upper end.
        per_point_undefined: ``(m,)`` samples whose total is 0 or below (no cost per
            point).
    """

    samples: int
    drawn: bool
    costed: BoolArray
    frontier: FloatArray
    best_value: FloatArray
    no_best_value: float
    mean_costs: FloatArray
    cost_histogram: IntArray
    cost_low: FloatArray
    cost_high: FloatArray
    per_point_histogram: IntArray
    per_point_low: FloatArray
    per_point_high: FloatArray
    per_point_undefined: IntArray

    def cost_quantiles(self, qs: tuple[float, ...] = (0.05, 0.5, 0.95)) -> FloatArray:
        """``(m, len(qs))`` quantiles of each option's cost (to within one bin; NaN
        without a cost)."""
        return _quantiles(self.cost_histogram, self.cost_low, self.cost_high, qs)

    def per_point_quantiles(self, qs: tuple[float, ...] = (0.05, 0.5, 0.95)) -> FloatArray:
        """``(m, len(qs))`` quantiles of each option's cost per benefit point, over the
        samples with a positive total (``inf`` beyond the histogram's range, which
        happens only when a total can come near 0)."""
        return tail_quantiles(self.per_point_histogram, self.per_point_low, self.per_point_high, qs)


@dataclass
class CostTally:
    """Counts value for money over the chunks of a Monte Carlo run.

    Args:
        terms: the options' cost terms.
        baseline: index of the baseline among the options (``None``: it is not among
            them, so no best value).
        total_low: ``(m,)`` the lowest total each option can have (for the range of
            cost per point).
        total_high: ``(m,)`` the highest.
    """

    terms: CostTerms
    baseline: int | None
    total_low: FloatArray
    total_high: FloatArray
    draws: CostDraws = field(init=False)
    cost_low: FloatArray = field(init=False)
    cost_high: FloatArray = field(init=False)
    per_point_low: FloatArray = field(init=False)
    per_point_high: FloatArray = field(init=False)
    _cost_hist: IntArray = field(init=False)
    _pp_hist: IntArray = field(init=False)
    _undefined: IntArray = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.draws = CostDraws.build(self.terms)
        m = self.terms.pv.shape[0]
        lo, hi = self.terms.bounds()
        self.cost_low, self.cost_high = lo, hi
        # cost per point over totals in [t_lo, t_hi], t_lo above 0: a total that can come
        # near 0 (or below) is taken from a floor, and ratios beyond go to the top bin
        t_hi = self.total_high
        t_lo = np.maximum(self.total_low, t_hi * 2.0**-10)
        with np.errstate(invalid="ignore", divide="ignore"):
            ends = np.stack([lo / t_lo, lo / t_hi, hi / t_lo, hi / t_hi])
        ends = np.where(t_hi > 0, ends, np.nan)
        self.per_point_low, self.per_point_high = ends.min(axis=0), ends.max(axis=0)
        self._cost_hist = np.zeros(m * (COST_BINS + 2), dtype=np.int64)
        self._pp_hist = np.zeros(m * (COST_BINS + 2), dtype=np.int64)
        self._undefined = np.zeros(m, dtype=np.int64)

    def chunk(
        self, rng: np.random.Generator | None, totals: FloatArray
    ) -> tuple[FloatArray, FloatArray, float, FloatArray]:
        """Draw one chunk's costs and count what value for money does in its samples.

        Args:
            rng: the chunk's cost stream (``None`` when nothing is drawn).
            totals: ``(m, size)`` the chunk's weighted benefit totals.

        Returns:
            Sums to add up in chunk order: samples on the frontier ``(m,)``, shares of
            best value ``(m,)``, samples with no best value, and costs ``(m,)``.
            Histograms are added here (whole counts add up the same in any order).
        """
        m, size = totals.shape
        costed = self.terms.costed
        costs = self.draws.costs(rng, size)
        on = frontier_samples(costs, totals, costed).sum(axis=1).astype(float)
        if self.baseline is not None and costed[self.baseline]:
            shares = best_value_shares(incremental_ratios(costs, totals, self.baseline, costed))
            best = shares.sum(axis=1)
            none = float(size - shares.sum())
        else:
            best, none = np.zeros(m), 0.0
        bins = _binned(costs, *_widened(self.cost_low, self.cost_high))
        positive = totals > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            per_point = costs / np.where(positive, totals, 1.0)
        pp_bins = _binned(per_point, *_widened(self.per_point_low, self.per_point_high))
        offset = np.arange(m)[:, None] * (COST_BINS + 2)
        keep = costed[:, None] & np.ones(size, dtype=bool)
        at, pp_at = (bins + offset)[keep], (pp_bins + offset)[keep & positive]
        undefined = (keep & ~positive).sum(axis=1)
        # a chunk of many samples counts into its own histogram (one pass); a short one
        # (many options) adds its few samples in place instead of zeroing a whole one
        whole = 4 * size >= COST_BINS + 2
        counts = np.bincount(at, minlength=m * (COST_BINS + 2)) if whole else None
        pp_counts = np.bincount(pp_at, minlength=m * (COST_BINS + 2)) if whole else None
        with self._lock:
            if counts is not None and pp_counts is not None:
                np.add(self._cost_hist, counts, out=self._cost_hist)
                np.add(self._pp_hist, pp_counts, out=self._pp_hist)
            else:
                np.add.at(self._cost_hist, at, 1)
                np.add.at(self._pp_hist, pp_at, 1)
            np.add(self._undefined, undefined, out=self._undefined)
        sums = np.where(costed, np.nan_to_num(costs).sum(axis=1), 0.0)
        return on, best, none, sums

    def outcome(
        self, samples: int, on: FloatArray, best: FloatArray, none: float, sums: FloatArray
    ) -> CostOutcome:
        """The :class:`CostOutcome` from the chunks' summed counts."""
        m = self.terms.pv.shape[0]
        costed = self.terms.costed
        n = max(samples, 1)
        frontier = np.where(costed, on / n, np.nan)
        has_baseline = self.baseline is not None and bool(costed[self.baseline])
        best_value = np.where(costed, best / n, np.nan) if has_baseline else np.full(m, np.nan)
        if has_baseline:
            assert self.baseline is not None
            best_value[self.baseline] = np.nan
        return CostOutcome(
            samples=samples,
            drawn=self.draws.drawn,
            costed=costed,
            frontier=np.asarray(frontier),
            best_value=np.asarray(best_value),
            no_best_value=none / n if has_baseline else float("nan"),
            mean_costs=np.asarray(np.where(costed, sums / n, np.nan)),
            cost_histogram=self._cost_hist.reshape(m, COST_BINS + 2),
            cost_low=self.cost_low,
            cost_high=self.cost_high,
            per_point_histogram=self._pp_hist.reshape(m, COST_BINS + 2),
            per_point_low=self.per_point_low,
            per_point_high=self.per_point_high,
            per_point_undefined=self._undefined.copy(),
        )


def _quantiles(
    counts: IntArray, low: FloatArray, high: FloatArray, qs: tuple[float, ...]
) -> FloatArray:
    """:func:`tail_quantiles` over the widened ranges the histograms were counted in; a
    range that is a single value (a fixed cost) gives that value exactly."""
    out = tail_quantiles(counts, *_widened(low, high), qs)
    point = (low == high) & np.isfinite(out).all(axis=1)
    out[point] = low[point, None]
    return out


def _widened(lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``[lo, hi]`` widened by :data:`WIDEN` of its size (at least of 1) either side."""
    pad = WIDEN * np.maximum(1.0, np.maximum(np.abs(lo), np.abs(hi)))
    return np.asarray(lo - pad), np.asarray(hi + pad)
