"""Engine kernels, checked by hand (arithmetic written out) and against pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from appraise.engine import (
    combine_scores,
    dominated_by,
    flag_cells,
    global_weights,
    panel_stats,
    rank_with_ties,
    to_points,
    weighted_sum,
)

NAN = np.nan


def test_global_weights_two_levels_by_hand() -> None:
    # enable 55 → ACC 18, PAT 22, … ; improve 45 → VFM 31 …
    # ACC: 0.55 × 0.18 = 0.099; PAT: 0.55 × 0.22 = 0.121; VFM: 0.45 × 0.31 = 0.1395
    parent = np.array([-1, -1, 0, 0, 1])
    local = np.array([55.0, 45.0, 18.0, 82.0, 100.0])
    g = global_weights(parent, local, np.zeros(6, dtype=bool), 100.0)
    assert g == pytest.approx([0.55, 0.45, 0.099, 0.451, 0.45])


def test_global_weights_three_levels_and_explicit_normalisation() -> None:
    # top: A 60, B 40; A → A1 1, A2 3 (normalise: 1/4, 3/4); A2 → x 50, y 50
    # A1 = 0.6 × 0.25 = 0.15; A2 = 0.6 × 0.75 = 0.45; x = y = 0.45 × 0.5 = 0.225
    parent = np.array([-1, -1, 0, 0, 3, 3])
    local = np.array([60.0, 40.0, 1.0, 3.0, 50.0, 50.0])
    normalise = np.zeros(7, dtype=bool)
    normalise[0 + 1] = True  # children of node 0 (A)
    g = global_weights(parent, local, normalise, 100.0)
    assert g == pytest.approx([0.6, 0.4, 0.15, 0.45, 0.225, 0.225])
    leaves = [1, 2, 4, 5]
    assert g[leaves].sum() == pytest.approx(1.0)


def test_weighted_sum_by_hand_practice_table() -> None:
    # PRACTICE §5.6, BAU: 10×6 + 12×5 + 8×5 + 12×5 + 8×3 + 5×6 + 6×2 + 7×3 + 14×4 + 10×6
    #   + 8×3 = 60 + 60 + 40 + 60 + 24 + 30 + 12 + 21 + 56 + 60 + 24 = 447
    w = np.array([10, 12, 8, 12, 8, 5, 6, 7, 14, 10, 8]) / 100
    bau = np.array([6, 5, 5, 5, 3, 6, 2, 3, 4, 6, 3], dtype=float)
    cft = np.array([7, 6, 7, 6, 8, 5, 5, 6, 6, 6, 6], dtype=float)
    totals = weighted_sum(np.vstack([bau, cft]), w)
    assert totals == pytest.approx([447, 623])


def test_points_direction_and_scale() -> None:
    # criterion 1 on 0–100, lower is better: 25 → 1 − 0.25 = 0.75 → 7.5 on 0–10
    scores = np.array([[4.0, 25.0]])
    pts = to_points(
        scores, np.array([0.0, 0.0]), np.array([10.0, 100.0]), np.array([True, False]), 0.0, 10.0
    )
    assert pts[0] == pytest.approx([4.0, 7.5])


def test_ranks_with_ties_and_ineligible() -> None:
    totals = np.array([591.0, 623.0, 611.0, 591.0, 623.0, 700.0])
    eligible = np.array([True, True, True, True, True, False])
    assert rank_with_ties(totals, eligible).tolist() == [4, 1, 1 + 2, 4, 1, 0]


def test_ties_survive_float_noise() -> None:
    assert rank_with_ties(np.array([0.1 + 0.2, 0.3, 0.1])).tolist() == [1, 1, 3]


def test_ranks_large_path_matches_small_path() -> None:
    rng = np.random.default_rng(7)
    totals = rng.integers(0, 50, 5000).astype(float)
    big = rank_with_ties(totals)
    small = np.array([(totals > t).sum() + 1 for t in totals])
    assert big.tolist() == small.tolist()


def test_panel_stats_and_flags_by_hand() -> None:
    # PRACTICE §5.7: SE × VFM panel 7, 4, 6, 6, 7 → median 6, range 3, mean 6, far 2
    #   sd = sqrt(((1)²+(2)²+0+0+(1)²)/4) = sqrt(6/4) = 1.2247
    # PRIV × ACC panel 3, 0, 2, 4, 2 → median 2, range 4 → flagged (range ≥ 4)
    scores = np.array([[[7.0, 3.0]], [[4.0, 0.0]], [[6.0, 2.0]], [[6.0, 4.0]], [[7.0, 2.0]]])
    stats = panel_stats(scores)
    assert stats.median.tolist() == [[6.0, 2.0]]
    assert stats.range.tolist() == [[3.0, 4.0]]
    assert stats.mean[0] == pytest.approx([6.0, 2.2])
    assert stats.sd[0, 0] == pytest.approx(np.sqrt(1.5))
    assert stats.far.tolist() == [[2.0, 2.0]]
    assert stats.n.tolist() == [[5, 5]]
    assert flag_cells(stats, 4, 2).tolist() == [[False, True]]


def test_combine_prefers_moderated_then_median() -> None:
    scores = np.array([[[5.0, 1.0]], [[7.0, 2.0]], [[9.0, NAN]]])
    moderated = np.array([[NAN, 4.0]])
    assert combine_scores(scores, moderated, "moderated").tolist() == [[7.0, 4.0]]
    assert combine_scores(scores, moderated, "mean").tolist() == [[7.0, 1.5]]
    assert combine_scores(scores, moderated, "median").tolist() == [[7.0, 1.5]]


def test_dominance_by_hand() -> None:
    # A ≥ B everywhere and > on one → A dominates B; C trades off → no dominance
    points = np.array([[5.0, 6.0], [5.0, 4.0], [7.0, 1.0]])
    d = dominated_by(points)
    assert d.tolist() == [[False, True, False], [False, False, False], [False, False, False]]


def test_weighted_sum_matches_pymcdm() -> None:
    import pymcdm  # an independent implementation (test dependency)

    rng = np.random.default_rng(2024)
    for _ in range(20):
        m, n = rng.integers(3, 30), rng.integers(2, 12)
        x = rng.uniform(0, 10, (m, n))
        w = rng.dirichlet(np.ones(n))
        ours = weighted_sum(x, w, total=1.0)
        # pymcdm's WSM normalises each column (sum normalisation by default); give it
        # the identity so that both compute sum_c w_c x_c.
        theirs = pymcdm.methods.WSM(normalization_function=lambda col, cost: col)(x, w, np.ones(n))
        assert ours == pytest.approx(theirs, abs=1e-9)


@given(
    hnp.arrays(
        np.float64, st.tuples(st.integers(2, 8), st.integers(1, 6)), elements=st.floats(0, 10)
    ),
    st.floats(0.1, 1000),
)
def test_scaling_weights_keeps_the_ranking(points: np.ndarray, factor: float) -> None:
    w = np.linspace(1, 2, points.shape[1])
    w = w / w.sum()
    base = rank_with_ties(weighted_sum(points, w))
    scaled = weighted_sum(points, w * factor) / factor
    assert rank_with_ties(scaled).tolist() == base.tolist()


@given(hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e6, 1e6)))
def test_ranks_are_a_valid_tie_aware_ranking(totals: np.ndarray) -> None:
    ranks = rank_with_ties(totals)
    assert ranks.min() == 1
    keys = np.round(totals, 9)
    for i in range(totals.size):
        assert ranks[i] == 1 + (keys > keys[i]).sum()
