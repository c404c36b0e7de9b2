"""Costs under uncertainty: the frontier over many samples, best value over the baseline,
cost switching values (cost and optimism-bias uplift), and Monte Carlo cost draws."""

from __future__ import annotations

import numpy as np
import pytest

import appraise
from appraise.analysis.sensitivity import SensitivityResult
from appraise.engine.vfm import (
    FRONTIER,
    best_value,
    best_value_shares,
    efficient_frontier,
    frontier_samples,
    incremental_ratios,
)
from conftest import REPO

EPS = 1e-6


@pytest.fixture(scope="module")
def example() -> SensitivityResult:
    return appraise.sensitivity(REPO, samples=20_000, seed=7)


@pytest.mark.parametrize("ties", [False, True])
def test_frontier_over_samples_is_the_frontier_of_each_sample(ties: bool) -> None:
    """The batched walk against :func:`efficient_frontier` one sample at a time, with
    continuous costs and with small integers (twins, equal costs, collinear points)."""
    rng = np.random.default_rng(3 if ties else 4)
    for m in range(1, 9):
        size = 400
        if ties:
            costs = rng.integers(0, 5, (m, size)).astype(float)
            benefits = rng.integers(0, 5, (m, size)).astype(float)
        else:
            costs = rng.uniform(0, 10, (m, size))
            benefits = rng.uniform(0, 10, (m, size))
        include = rng.random(m) < 0.8
        fast = frontier_samples(costs, benefits, include)
        for s in range(size):
            status, _ = efficient_frontier(costs[:, s], benefits[:, s], include)
            assert fast[:, s].tolist() == (status == FRONTIER).tolist(), (m, s)


def test_an_option_without_a_cost_is_never_on_the_frontier() -> None:
    costs = np.array([[1.0, 2.0], [np.nan, np.nan], [3.0, 0.5]])
    benefits = np.array([[1.0, 1.0], [9.0, 9.0], [2.0, 2.0]])
    on = frontier_samples(costs, benefits)
    assert on.tolist() == [[True, False], [False, False], [True, True]]


def test_best_value_is_the_lowest_cost_per_extra_point_over_the_baseline() -> None:
    # baseline B costs 0 with 10 points. A: +100 for +20 points (5 a point); C: +60 for
    # +10 (6); D adds nothing (10 points); E: -10 for +1 (saves money and adds benefit:
    # lowest of all). Without E, A is best value.
    costs = np.array([100.0, 0.0, 60.0, 5.0, -10.0])
    benefits = np.array([30.0, 10.0, 20.0, 10.0, 11.0])
    r = incremental_ratios(costs, benefits, 1)
    assert r[[0, 2, 4]] == pytest.approx([5.0, 6.0, -10.0])
    assert np.isnan(r[[1, 3]]).all()
    assert best_value(costs, benefits, 1).tolist() == [False, False, False, False, True]
    keep = np.array([True, True, True, True, False])
    assert best_value(costs, benefits, 1, keep).tolist() == [True, False, False, False, False]
    # two options tied at the lowest ratio share it; samples along a trailing axis
    tied = incremental_ratios(np.array([[10.0], [0.0], [20.0]]), np.array([[2.0], [1], [3]]), 1)
    assert best_value_shares(tied)[:, 0].tolist() == [0.5, 0.0, 0.5]


def test_every_best_value_threshold_flips_best_value(example: SensitivityResult) -> None:
    """Each option's cost set just below and just above its best-value threshold, the
    deterministic classification rerun: best value below, not above."""
    p = example.problem
    benefits = example.base.totals
    include = example.base.eligible
    scale = float(np.nanmax(np.abs(p.costs)))
    checked = 0
    for c in example.cost_switches:
        if not np.isfinite(c.best_value_at):
            continue
        below, above = p.costs.copy(), p.costs.copy()
        below[c.option] = c.best_value_at - EPS * scale
        above[c.option] = c.best_value_at + EPS * scale
        assert best_value(below, benefits, p.baseline, include)[c.option]
        assert not best_value(above, benefits, p.baseline, include)[c.option]
        assert c.best_value == (c.cost < c.best_value_at)
        checked += 1
    assert checked == 6  # every ranked option but the baseline


def test_best_value_on_the_example_by_hand(example: SensitivityResult) -> None:
    # Costs are of change over BAU (0), so the ratio is cost / extra points:
    #   CHT 1429.36 / 129.6 = 11.03, CT 1807.10 / 143.55 = 12.59, SE 2141.63 / 164.55
    #   = 13.02: CHT is best value, and stays so below 129.6 x 12.589 = 1631.5, where it
    #   ties with CT; SE would need 164.55 x 11.029 = 1814.9.
    p = example.problem
    by_id = {p.option_ids[c.option]: c for c in example.cost_switches}
    assert [k for k, c in by_id.items() if c.best_value] == ["CHT"]
    ct = 1807.0965 / (590.8 - 447.25)
    cht = 1429.3635 / (576.85 - 447.25)
    assert by_id["CHT"].best_value_at == pytest.approx((576.85 - 447.25) * ct, rel=1e-6)
    assert by_id["SE"].best_value_at == pytest.approx((611.8 - 447.25) * cht, rel=1e-6)
    assert np.isnan(by_id["BAU"].best_value_at)
