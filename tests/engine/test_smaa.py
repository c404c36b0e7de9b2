"""SMAA-2 by simulation: known answers, a slow brute-force twin, reproducibility."""

from __future__ import annotations

import tracemalloc
from typing import Any

import numpy as np
import pytest

from appraise.engine import smaa as smaa_mod
from appraise.engine.smaa import CHUNK, _Scores, _weights_by_criterion, chunk_size, smaa


# Two options, two criteria, weights uniform over all weight vectors (w1 uniform on
# [0, 1], w2 = 1 - w1). A = (10, 0), B = (4, 4): A is best when 10 w1 > 4, i.e. w1 > 0.4,
# so P(A best) = 0.6 (the length of that part of the simplex). A's central weight is
# E[w1 | w1 > 0.4] = 0.7; B's is E[w1 | w1 < 0.4] = 0.2.
def _draw_weights_t(*args: Any) -> np.ndarray:
    """``(size, n)`` weights: one sample per row."""
    return np.asarray(_weights_by_criterion(*args).T)


TWO = np.array([[10.0, 0.0], [4.0, 4.0]])


def test_two_options_uniform_weights_known_answer() -> None:
    r = smaa(TWO, np.array([0.5, 0.5]), samples=200_000, seed=7, weight_model="uniform")
    assert r.best == pytest.approx([0.6, 0.4], abs=0.005)
    assert r.acceptability[:, 1] == pytest.approx([0.4, 0.6], abs=0.005)
    assert r.central_weights[:, 0] == pytest.approx([0.7, 0.2], abs=0.005)
    # scores fixed: at its central weights each option is first for certain
    assert r.confidence == pytest.approx([1.0, 1.0])
    # B's total is always 4 (x 1); A's is 10 w1, uniform on [0, 10]: 5-95% is 0.5 to 9.5
    q = smaa(
        TWO,
        np.array([0.5, 0.5]),
        samples=200_000,
        seed=7,
        weight_model="uniform",
        total_range=(0.0, 10.0),
    ).total_quantiles()
    assert q[0] == pytest.approx([0.5, 5.0, 9.5], abs=0.05)
    assert q[1] == pytest.approx([4.0, 4.0, 4.0], abs=10 / 4096)


def test_fixed_weights_and_scores_give_the_deterministic_ranking() -> None:
    points = np.array([[1.0, 2.0], [3.0, 1.0], [0.0, 0.0]])
    w = np.array([0.25, 0.75])  # totals 1.75, 1.5, 0
    r = smaa(points, w, samples=1000, seed=1, weight_model="fixed", total_range=(0.0, 3.0))
    assert r.acceptability == pytest.approx(np.eye(3))
    assert r.mean_totals == pytest.approx([1.75, 1.5, 0.0])
    assert r.rank_quantiles().tolist() == [[1, 1, 1], [2, 2, 2], [3, 3, 3]]
    assert r.central_weights[0] == pytest.approx(w)
    assert np.isnan(r.central_weights[1:]).all()


def test_ties_share_the_ranks_they_span() -> None:
    points = np.array([[5.0, 5.0], [5.0, 5.0], [1.0, 1.0]])
    r = smaa(points, np.array([0.5, 0.5]), samples=5000, seed=3, weight_model="uniform")
    assert r.acceptability == pytest.approx(np.array([[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 1]]))
    assert r.confidence[:2] == pytest.approx([0.5, 0.5])


@pytest.mark.parametrize("model", ["uniform", "dirichlet", "bounds", "fixed"])
def test_rows_and_columns_sum_to_one(model: str) -> None:
    rng = np.random.default_rng(2)
    points = rng.integers(0, 11, (6, 4)).astype(float)
    r = smaa(
        points,
        np.array([0.4, 0.3, 0.2, 0.1]),
        samples=CHUNK + 123,
        seed=5,
        weight_model=model,  # type: ignore[arg-type]
        bounds=np.full(4, 0.1),
        low=points - 2,
        high=points + 1,
    )
    assert r.acceptability.sum(axis=0) == pytest.approx(np.ones(6))
    assert r.acceptability.sum(axis=1) == pytest.approx(np.ones(6))
    assert r.total_histogram.sum(axis=1).tolist() == [CHUNK + 123] * 6


def test_same_seed_same_bits_whatever_the_threads() -> None:
    rng = np.random.default_rng(9)
    points = rng.uniform(0, 10, (7, 5))
    kw = {
        "samples": 3 * CHUNK + 17,
        "weight_model": "dirichlet",
        "low": points - 1.5,
        "high": points + 2.0,
        "scale": 100.0,
        "total_range": (0.0, 1000.0),
    }
    w = np.full(5, 0.2)
    one = smaa(points, w, seed=11, threads=1, **kw)  # type: ignore[arg-type]
    two = smaa(points, w, seed=11, threads=2, **kw)  # type: ignore[arg-type]
    other = smaa(points, w, seed=12, threads=2, **kw)  # type: ignore[arg-type]
    for field in ("acceptability", "central_weights", "confidence", "mean_totals"):
        assert np.array_equal(getattr(one, field), getattr(two, field), equal_nan=True)
    assert np.array_equal(one.total_histogram, two.total_histogram)
    assert not np.array_equal(one.acceptability, other.acceptability)


def test_triangular_scores_have_the_triangular_mean() -> None:
    points = np.array([[6.0, 2.0]])
    low, high = np.array([[2.0, 2.0]]), np.array([[7.0, 8.0]])
    r = smaa(
        points,
        np.array([0.5, 0.5]),
        samples=200_000,
        seed=4,
        weight_model="fixed",
        low=low,
        high=high,
        total_range=(0.0, 10.0),
    )
    # mean of triangular(a, c, b) is (a + b + c) / 3: (2 + 7 + 6)/3 = 5, (2 + 8 + 2)/3 = 4
    assert r.mean_totals == pytest.approx([0.5 * 5 + 0.5 * 4], abs=0.01)


@pytest.mark.parametrize(("a", "c", "b"), [(2.0, 3.0, 7.0), (0.0, 0.0, 4.0), (5.0, 10.0, 10.0)])
def test_drawn_scores_follow_the_triangular_distribution(a: float, c: float, b: float) -> None:
    """The 16-bit uniforms behind the draws: the empirical CDF matches the exact one
    everywhere (Kolmogorov-Smirnov distance) and every draw stays inside [a, b]."""
    dist = _Scores.build(np.array([[c]]), np.array([[a]]), np.array([[b]]))
    x = dist.draw(np.random.default_rng(5), 200_000)
    assert x is not None
    x = np.sort(x.ravel())
    assert a < x[0]
    assert x[-1] < b
    # exact CDF of triangular(a, c, b)
    cdf = np.where(
        x <= c,
        (x - a) ** 2 / ((b - a) * (c - a) if c > a else 1.0),
        1 - (b - x) ** 2 / ((b - a) * (b - c) if b > c else 1.0),
    )
    empirical = np.arange(1, x.size + 1) / x.size
    # KS critical value at the 0.1% level for n = 200,000 is 1.95 / sqrt(n) = 0.0044
    assert np.abs(empirical - cdf).max() < 0.0044
    assert x.mean() == pytest.approx((a + b + c) / 3, abs=0.01)


@pytest.mark.parametrize(("m", "pairs_up_to"), [(4, 16), (4, 0), (18, 16)])
def test_matches_a_slow_brute_force_on_the_same_draws(
    m: int, pairs_up_to: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranks from comparing every pair (few options) and from sorting (many options,
    or forced) both match ranking one sample at a time."""
    monkeypatch.setattr(smaa_mod, "RANK_PAIRS_UP_TO", pairs_up_to)
    if m >= 10:  # many options: chunks of 512, not CHUNK
        monkeypatch.setattr(smaa_mod, "CHUNK_BYTES", 512 * (48 * m + 16 * 3))
    rng = np.random.default_rng(21)
    n = 3
    points = rng.integers(0, 6, (m, n)).astype(float)  # small integers: ties happen
    low, high = points - rng.integers(0, 2, (m, n)), points + rng.integers(0, 2, (m, n))
    w0 = np.array([0.5, 0.3, 0.2])
    samples, seed = (2 * CHUNK + 50, 8) if m < 10 else (512 + 300, 9)
    fast = smaa(
        points,
        w0,
        samples=samples,
        seed=seed,
        weight_model="dirichlet",
        concentration=5.0,
        low=low,
        high=high,
        total_range=(-1.0, 7.0),
        threads=1,
    )
    # The same streams, drawn the same way, then ranked one sample at a time.
    chunk = chunk_size(m, n)
    assert chunk == (CHUNK if m < 10 else 512)
    n_chunks = -(-samples // chunk)
    streams = np.random.SeedSequence(seed).spawn(n_chunks + 1)
    dist = _Scores.build(points, low, high)
    accept = np.zeros((m, m))
    sums = np.zeros(m)
    central = np.zeros((m, n))
    for k in range(n_chunks):
        size = min(chunk, samples - k * chunk)
        g = np.random.Generator(np.random.PCG64(streams[k]))
        ws = _draw_weights_t(g, size, "dirichlet", w0, 5.0, np.zeros(n))
        xs = dist.draw(g, size)
        assert xs is not None
        for s in range(size):
            totals = [float(sum(xs[s, i, c] * ws[s, c] for c in range(n))) for i in range(m)]
            sums += totals
            for i in range(m):
                ahead = sum(round(t, 9) > round(totals[i], 9) for t in totals)
                level = sum(round(t, 9) == round(totals[i], 9) for t in totals)
                for r in range(ahead, ahead + level):
                    accept[i, r] += 1 / level
                if ahead == 0:
                    central[i] += ws[s] / level
    accept /= samples
    assert fast.acceptability == pytest.approx(accept, abs=1e-12)
    assert fast.mean_totals == pytest.approx(sums / samples)
    with np.errstate(invalid="ignore"):
        expected_central = central / (accept[:, :1] * samples)
    assert np.allclose(fast.central_weights, expected_central, equal_nan=True)


@pytest.mark.parametrize("m", [2, 5, 17, 30])
def test_both_ways_of_ranking_agree_on_heavily_tied_totals(
    m: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Integer totals from a small range tie often (and in threes and more); ranking by
    pairs and by sorting must give the same counts and shares of first place."""
    totals = np.random.default_rng(m).integers(0, 4, (m, 3000)).astype(float) / 7
    monkeypatch.setattr(smaa_mod, "RANK_PAIRS_UP_TO", 1_000)
    by_pairs = smaa_mod._count_ranks(totals)
    monkeypatch.setattr(smaa_mod, "RANK_PAIRS_UP_TO", 0)
    by_sorting = smaa_mod._count_ranks(totals)
    assert by_pairs[0] == pytest.approx(by_sorting[0], abs=1e-9)
    assert by_pairs[1] == pytest.approx(by_sorting[1], abs=1e-12)
    accept = by_pairs[0].reshape(m, m)
    assert accept.sum(axis=0) == pytest.approx(np.full(m, 3000.0))
    assert accept.sum(axis=1) == pytest.approx(np.full(m, 3000.0))
    assert by_pairs[1].sum(axis=0) == pytest.approx(np.ones(3000))


def test_a_tiny_concentration_puts_all_the_weight_on_one_criterion() -> None:
    """Concentration 0.01 (the least the CLI takes): nearly every draw is a corner of
    the simplex, criterion j's with probability w_j; none may come out all zero."""
    w = _draw_weights_t(
        np.random.default_rng(1), 100_000, "dirichlet", np.array([0.3, 0.7]), 0.01, np.zeros(2)
    )
    assert w.sum(axis=1) == pytest.approx(np.ones(100_000))
    assert (w.max(axis=1) > 0.999).mean() > 0.95
    r = smaa(
        np.array([[10.0, 0.0], [0.0, 10.0]]),
        np.array([0.3, 0.7]),
        samples=100_000,
        seed=1,
        weight_model="dirichlet",
        concentration=0.01,
        total_range=(0.0, 10.0),
    )
    assert r.best == pytest.approx([0.3, 0.7], abs=0.006)


def test_bounds_wider_than_the_weights_never_leave_a_draw_without_weights() -> None:
    """Weights 0.7 and 0.3, each ± 1, clipped at 0: both are 0 in 0.15 * 0.35 = 5.25% of
    draws. Such a draw says nothing and is drawn again, so P(A best) is P(w1 > w2)
    given some weight is positive.

    With X = 0.7 + U1 on (-0.3, 1.7) and Y = 0.3 + U2 on (-0.7, 1.3), both of density 1/2:
    P(X > 0, Y <= 0) = 0.85 * 0.35 = 0.2975, and P(X > Y > 0) is the integral over
    y in (0, 1.3) of (1/2)(1.7 - y)/2, which is (2.21 - 0.845)/4 = 0.34125. So
    P(w1 > w2) = 0.63875, and P(A best) = 0.63875 / 0.9475 = 0.67414. Counting the
    empty draws as ties instead would give 0.63875 + 0.0525 / 2 = 0.665.
    """
    w = _draw_weights_t(
        np.random.default_rng(2), 50_000, "bounds", np.array([0.7, 0.3]), 1.0, np.ones(2)
    )
    assert w.sum(axis=1) == pytest.approx(np.ones(50_000))
    assert (w >= 0).all()
    r = smaa(
        np.array([[10.0, 0.0], [0.0, 10.0]]),
        np.array([0.7, 0.3]),
        samples=200_000,
        seed=3,
        weight_model="bounds",
        bounds=np.ones(2),
        total_range=(0.0, 10.0),
    )
    assert r.best[0] == pytest.approx(0.63875 / 0.9475, abs=0.003)


@pytest.mark.parametrize("pairs_up_to", [16, 0])
def test_totals_that_round_alike_tie_whichever_way_ranks_are_counted(
    pairs_up_to: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1.3 - 5e-10 and 1.3 + 5.0000001e-10 are more than 1e-9 apart, yet both round to
    1.3 at 9 decimals (halves go to even): a tie, by pairs and by sorting alike."""
    monkeypatch.setattr(smaa_mod, "RANK_PAIRS_UP_TO", pairs_up_to)
    totals = np.array([[1.4], [1.3 - 5e-10], [1.3 + 5.0000001e-10]])
    accept, first = smaa_mod._count_ranks(totals)
    assert accept.reshape(3, 3).tolist() == [[1, 0, 0], [0, 0.5, 0.5], [0, 0.5, 0.5]]
    assert first[:, 0].tolist() == [1, 0, 0]


def test_confidence_draws_shrink_only_for_very_large_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points = np.random.default_rng(4).uniform(3, 7, (5, 4))
    args = {"samples": 5000, "seed": 1, "total_range": (0.0, 10.0)}
    noisy = {"low": points - 2, "high": points + 2}
    assert smaa(points, np.full(4, 0.25), **args, **noisy).confidence_samples == 5000
    assert smaa(points, np.full(4, 0.25), **args).confidence_samples == 1  # exact
    monkeypatch.setattr(smaa_mod, "CONFIDENCE_WORK", 1)  # as if the problem were huge
    r = smaa(points, np.full(4, 0.25), **args, **noisy)
    assert r.confidence_samples == smaa_mod.CONFIDENCE_FLOOR
    assert np.nanmax(r.confidence) <= 1.0


def test_memory_does_not_grow_with_samples() -> None:
    """Only fixed-size state is kept: the result's arrays do not depend on ``samples``."""
    points = np.random.default_rng(1).uniform(0, 10, (5, 4))
    small = smaa(points, np.full(4, 0.25), samples=10, seed=1)
    large = smaa(points, np.full(4, 0.25), samples=5 * CHUNK, seed=1)
    assert small.total_histogram.shape == large.total_histogram.shape
    assert small.total_histogram.shape[1] == smaa_mod.BINS


def test_many_options_keep_memory_bounded() -> None:
    """150 options: the chunks shrink and the confidence pass works block by block, so
    the peak stays far below the 150 x 150 x samples a naive pass would hold."""
    points = np.random.default_rng(2).uniform(0, 10, (150, 20))
    tracemalloc.start()
    r = smaa(
        points,
        np.full(20, 0.05),
        samples=3000,
        seed=1,
        low=points - 1,
        high=points + 1,
        total_range=(0.0, 10.0),
        threads=1,
    )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64e6  # a naive confidence pass alone: 150 * 150 * 3000 * 8 = 540 MB
    assert r.acceptability.sum(axis=0) == pytest.approx(np.ones(150))
    assert np.nanmax(r.confidence) <= 1.0


@pytest.mark.parametrize(
    "alpha",
    [
        [0.3, 2.0, 7.5],
        [20.0, 20.0, 60.0],
        [0.0, 1.0, 3.0],
        [0.5, 0.9, 0.6],  # every shape below 1: drawn as logarithms
        [0.002, 0.005, 0.003],  # gammas this small underflow even in double precision
    ],
)
def test_dirichlet_weights_have_the_dirichlet_moments(alpha: list[float]) -> None:
    a = np.array(alpha)
    base = a / a.sum()
    w = _draw_weights_t(np.random.default_rng(3), 200_000, "dirichlet", base, a.sum(), base)
    # Dirichlet(a): mean a_i / a0, variance a_i (a0 - a_i) / (a0^2 (a0 + 1))
    a0 = a.sum()
    assert w.sum(axis=1) == pytest.approx(np.ones(200_000))
    assert w.mean(axis=0) == pytest.approx(base, abs=0.003)
    assert w.var(axis=0) == pytest.approx(a * (a0 - a) / (a0**2 * (a0 + 1)), rel=0.03, abs=1e-9)
