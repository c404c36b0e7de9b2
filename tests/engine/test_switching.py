"""Exact switching values: hand-worked cases, and every value re-checked either side."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from appraise.engine.switching import (
    best_value_thresholds,
    frontier_thresholds,
    leader_segments,
    score_switches,
    weight_crossings,
    weight_lines,
)
from appraise.engine.vfm import DOMINATED, EXTENDED, FRONTIER, best_value, efficient_frontier

# Three options, two criteria weighted 60 / 40 (out of 100), points 0-10:
#   A (8, 4): 8*60 + 4*40 = 640    B (5, 8): 300 + 320 = 620    C (6, 5): 360 + 200 = 560
# With t the share of weight on criterion 1, totals are 100 * (t*x1 + (1 - t)*x2):
#   A = 400 + 400t    B = 800 - 300t    C = 500 + 100t
# A = B at t = 4/7; A = C at t = 1/3; B = C at t = 3/4.
POINTS = np.array([[8.0, 4.0], [5.0, 8.0], [6.0, 5.0]])
WEIGHTS = np.array([60.0, 40.0])
ALL = np.ones(3, dtype=bool)


def test_lines_are_the_totals_at_each_share() -> None:
    lines = weight_lines(POINTS, WEIGHTS, np.array([True, False]))
    assert lines.share == pytest.approx(0.6)
    assert lines.at_zero == pytest.approx([400, 800, 500])
    assert lines.at_one == pytest.approx([800, 500, 600])
    assert lines.totals(0.6) == pytest.approx(POINTS @ WEIGHTS)


def test_leader_changes_where_a_and_b_cross() -> None:
    lines = weight_lines(POINTS, WEIGHTS, np.array([True, False]))
    segments = leader_segments(lines, ALL)
    assert [(s.leader, s.start, s.end) for s in segments] == [
        (1, 0.0, pytest.approx(4 / 7)),
        (0, pytest.approx(4 / 7), 1.0),
    ]


def test_every_crossing_in_order() -> None:
    lines = weight_lines(POINTS, WEIGHTS, np.array([True, False]))
    c = weight_crossings(lines, ALL)
    assert c.at == pytest.approx([1 / 3, 4 / 7, 3 / 4])
    assert c.rising.tolist() == [0, 0, 2]  # A passes C, A passes B, C passes B
    assert c.falling.tolist() == [2, 1, 1]


def test_an_ineligible_option_never_leads() -> None:
    lines = weight_lines(POINTS, WEIGHTS, np.array([True, False]))
    segments = leader_segments(lines, np.array([True, False, True]))
    # without B: A = C at t = 1/3, C leads below
    assert [(s.leader, s.end) for s in segments] == [(2, pytest.approx(1 / 3)), (0, 1.0)]


def test_score_switches_hand_worked() -> None:
    totals = POINTS @ WEIGHTS
    raise_other, lower_leader = score_switches(totals, 0, np.ones(2), WEIGHTS)
    # B is 20 behind: +20/60 on criterion 1 or +20/40 on criterion 2
    assert raise_other[1] == pytest.approx([1 / 3, 0.5])
    assert lower_leader[1] == pytest.approx([-1 / 3, -0.5])
    # C is 80 behind: +80/60 or +80/40
    assert raise_other[2] == pytest.approx([4 / 3, 2.0])
    assert np.isnan(raise_other[0]).all()


# Value for money, hand-worked (cost, benefit):
#   X (100, 400)  Y (200, 600)  Z (300, 650)  W (250, 500)
# Frontier X -> Y (ICER 100/200 = 0.5) -> Z (100/50 = 2); W is dominated by Y.
COSTS = np.array([100.0, 200.0, 300.0, 250.0])
BENEFITS = np.array([400.0, 600.0, 650.0, 500.0])


def test_frontier_thresholds_hand_worked() -> None:
    status, _ = efficient_frontier(COSTS, BENEFITS)
    assert status.tolist() == [FRONTIER, FRONTIER, FRONTIER, DOMINATED]
    t = frontier_thresholds(COSTS, BENEFITS)
    # X: cheapest richer option is Y at 200.
    # Y: Z alone 300; mix of X and Z at 600: 100 + 200 * 200/250 = 260; W-Z: 283.3.
    # Z: the richest: no cost takes it off.
    # W: Y at 200; X-Y mix at 500: 100 + 100 * 100/200 = 150; X-Z mix: 180.
    assert t == pytest.approx([200.0, 260.0, np.inf, 150.0])


@pytest.mark.parametrize("k", range(4))
def test_each_frontier_threshold_flips_the_status(k: int) -> None:
    t = frontier_thresholds(COSTS, BENEFITS)[k]
    if not np.isfinite(t):
        return
    below, above = COSTS.copy(), COSTS.copy()
    below[k], above[k] = t - 1e-6, t + 1e-6
    assert efficient_frontier(below, BENEFITS)[0][k] == FRONTIER
    assert efficient_frontier(above, BENEFITS)[0][k] in (DOMINATED, EXTENDED)


def test_best_value_thresholds_hand_worked() -> None:
    # X is the baseline. Incremental cost per extra point over X:
    #   Y 100/200 = 0.5, Z 200/250 = 0.8, W 150/100 = 1.5: Y is best value now.
    # Y stays best below X + 200 * 0.8 (Z's ratio) = 260; Z needs 0.5 a point:
    # 100 + 250 * 0.5 = 225; W: 100 + 100 * 0.5 = 150. The baseline has none.
    t = best_value_thresholds(COSTS, BENEFITS, 0)
    assert np.isnan(t[0])
    assert t[1:] == pytest.approx([260.0, 225.0, 150.0])
    assert best_value(COSTS, BENEFITS, 0).tolist() == [False, True, False, False]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_each_best_value_threshold_flips_best_value(k: int) -> None:
    t = best_value_thresholds(COSTS, BENEFITS, 0)[k]
    below, above = COSTS.copy(), COSTS.copy()
    below[k], above[k] = t - 1e-6, t + 1e-6
    assert best_value(below, BENEFITS, 0)[k]
    assert not best_value(above, BENEFITS, 0)[k]


def test_best_value_needs_extra_benefit_and_one_rival() -> None:
    # W adds no benefit over X (400 vs 400): never best value whatever it costs; Y is
    # the only option that adds benefit, so it is best value at any cost.
    t = best_value_thresholds(np.array([100.0, 900.0, 50.0]), np.array([400.0, 401.0, 400.0]), 0)
    assert np.isnan(t[0])
    assert t[1] == np.inf
    assert np.isnan(t[2])


problems = st.tuples(st.integers(2, 7), st.integers(2, 5)).flatmap(
    lambda s: st.tuples(
        hnp.arrays(np.float64, s, elements=st.integers(0, 10).map(float)),
        hnp.arrays(np.float64, (s[1],), elements=st.integers(1, 40).map(float)),
        st.integers(0, s[1] - 1),
    )
)


@given(problems)
def test_leader_differs_either_side_of_each_switch(problem: tuple) -> None:
    points, weights, c = problem
    varied = np.zeros(weights.shape, dtype=bool)
    varied[c] = True
    lines = weight_lines(points, weights, varied)
    eligible = np.ones(points.shape[0], dtype=bool)
    segments = leader_segments(lines, eligible)
    assert segments[0].start == 0.0
    assert segments[-1].end == 1.0
    for before, after in itertools.pairwise(segments):
        assert before.end == pytest.approx(after.start)
        assert before.leader != after.leader
        t = after.start
        lo, hi = _rescaled(weights, varied, t - 1e-7), _rescaled(weights, varied, t + 1e-7)
        assert _leaders(points @ lo) != _leaders(points @ hi)
    for s in segments:
        mid = (s.start + s.end) / 2
        assert s.leader in _leaders(points @ _rescaled(weights, varied, mid))


@given(problems)
def test_crossings_are_where_totals_meet(problem: tuple) -> None:
    points, weights, c = problem
    varied = np.zeros(weights.shape, dtype=bool)
    varied[c] = True
    lines = weight_lines(points, weights, varied)
    cross = weight_crossings(lines, np.ones(points.shape[0], dtype=bool))
    for t, a, b in zip(cross.at, cross.rising, cross.falling, strict=True):
        totals = points @ _rescaled(weights, varied, t)
        assert totals[a] == pytest.approx(totals[b])
        after = points @ _rescaled(weights, varied, min(1.0, t + 1e-6))
        assert after[a] > after[b]


def _rescaled(weights: np.ndarray, varied: np.ndarray, t: float) -> np.ndarray:
    """Weights with share ``t`` on the varied criteria, the rest rescaled in proportion."""
    whole = weights.sum()
    w = np.where(varied, weights / weights[varied].sum() * t, 0.0)
    rest = weights[~varied].sum()
    if rest > 0:
        w = w + np.where(varied, 0.0, weights / rest * (1 - t))
    return w * whole


def _leaders(totals: np.ndarray) -> set[int]:
    return set(np.flatnonzero(np.isclose(totals, totals.max(), rtol=0, atol=1e-9)).tolist())
