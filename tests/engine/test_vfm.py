"""The cost–benefit efficient frontier, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from appraise.engine.vfm import DOMINATED, EXCLUDED, EXTENDED, FRONTIER, efficient_frontier


def test_frontier_of_the_example_by_hand() -> None:
    # Costs (£k) and weighted benefits of the bundled example's ranked options:
    #   BAU 0 / 447.25, CHT 1200 / 576.85, CT 1500 / 590.8, CIC 1600 / 564.4,
    #   SE 1800 / 611.8, ICAT 2000 / 595.65, CFT 2400 / 622.75
    # Strong dominance: CIC (CT is cheaper and better), ICAT (SE is cheaper and better).
    # Incremental cost per point along the rest, in cost order:
    #   BAU→CHT 1200 / 129.6 = 9.259; CHT→CT 300 / 13.95 = 21.505; CT→SE 300 / 21 = 14.286
    #   21.505 > 14.286, so CT is extendedly dominated; then CHT→SE 600 / 34.95 = 17.167,
    #   SE→CFT 600 / 10.95 = 54.795 (increasing: the frontier is BAU, CHT, SE, CFT).
    names = ["BAU", "CFT", "SE", "CIC", "CHT", "CT", "ICAT"]
    costs = np.array([0, 2400, 1800, 1600, 1200, 1500, 2000.0])
    benefits = np.array([447.25, 622.75, 611.8, 564.4, 576.85, 590.8, 595.65])
    status, icer = efficient_frontier(costs, benefits)
    by_name = dict(zip(names, status.tolist(), strict=True))
    assert by_name == {
        "BAU": FRONTIER,
        "CHT": FRONTIER,
        "SE": FRONTIER,
        "CFT": FRONTIER,
        "CIC": DOMINATED,
        "ICAT": DOMINATED,
        "CT": EXTENDED,
    }
    assert icer[4] == pytest.approx(1200 / 129.6)
    assert icer[2] == pytest.approx(600 / 34.95)
    assert icer[1] == pytest.approx(600 / 10.95)
    assert np.isnan(icer[0])


def test_excluded_twins_and_equal_cost() -> None:
    # A and B are exact twins (both on the frontier); C costs the same as D but gives
    # less (dominated); E has no cost; F is not eligible.
    costs = np.array([100.0, 100.0, 300.0, 300.0, np.nan, 50.0])
    benefits = np.array([10.0, 10.0, 12.0, 15.0, 99.0, 99.0])
    include = np.array([True, True, True, True, True, False])
    status, _ = efficient_frontier(costs, benefits, include)
    assert status.tolist() == [FRONTIER, FRONTIER, DOMINATED, FRONTIER, EXCLUDED, EXCLUDED]


def test_nothing_to_compare() -> None:
    status, icer = efficient_frontier(np.array([np.nan]), np.array([1.0]))
    assert status.tolist() == [EXCLUDED]
    assert np.isnan(icer).all()
