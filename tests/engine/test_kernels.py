"""Engine kernels, checked by hand (arithmetic written out) and against pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
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


def test_promethee_usual_by_hand() -> None:
    # pymcdm's docstring example: matrix rows A1 (4, 3, 2), A2 (3, 2, 4), A3 (5, 1, 3);
    # weights 0.5, 0.3, 0.2; usual function: P = 1 for any advantage.
    # A1: c1 beats A2, loses to A3 → 0; c2 beats both → +2; c3 beats none → −2.
    #   net = (0.5×0 + 0.3×2 + 0.2×−2) / 2 = 0.1
    # A2: c1 −2; c2 beats A3, loses to A1 → 0; c3 +2 → (−1 + 0 + 0.4) / 2 = −0.3
    # A3: c1 +2; c2 −2; c3 beats A1, loses to A2 → 0 → (1 − 0.6 + 0) / 2 = 0.2
    from appraise.engine.methods import promethee_ii

    x = np.array([[4.0, 3, 2], [3, 2, 4], [5, 1, 3]])
    w = np.array([0.5, 0.3, 0.2])
    flows = promethee_ii(x, w, ["usual"] * 3, np.zeros(3), np.zeros(3))
    assert flows.sum(axis=1) == pytest.approx([0.1, -0.3, 0.2])


def test_promethee_vshape_2_by_hand() -> None:
    # One criterion, q = 1, p = 3, values 0, 2, 5: d(2,0) = 2 → (2 − 1)/2 = 0.5;
    # d(5,0) = 5 > 3 → 1; d(5,2) = 3 → 1. Net: A(0) = (0 − 0.5 − 1)/2 = −0.75;
    # B(2) = (0.5 − 1)/2 = −0.25; C(5) = (1 + 1)/2 = 1.
    from appraise.engine.methods import promethee_ii

    flows = promethee_ii(
        np.array([[0.0], [2.0], [5.0]]),
        np.array([1.0]),
        ["vshape_2"],
        np.array([1.0]),
        np.array([3.0]),
    )
    assert flows[:, 0] == pytest.approx([-0.75, -0.25, 1.0])


def test_topsis_by_hand() -> None:
    # Two options, two criteria, equal weights: A (1, 0), B (0, 1) are symmetric → 0.5 each;
    # C (1, 1) is ideal, closeness 1 once added.
    from appraise.engine.methods import topsis

    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert topsis(x, np.array([0.5, 0.5])) == pytest.approx([0.5, 0.5])
    x3 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert topsis(x3, np.array([0.5, 0.5]))[2] == pytest.approx(1.0)
    assert topsis(np.ones((3, 2)), np.array([0.5, 0.5])) == pytest.approx([0.5] * 3)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("kind", ["usual", "ushape", "vshape", "level", "vshape_2"])
def test_promethee_matches_pymcdm(kind: str) -> None:
    from pymcdm.methods import PROMETHEE_II

    from appraise.engine.methods import promethee_ii

    rng = np.random.default_rng(hash(kind) % 2**32)
    for trial in range(40):
        m, n = int(rng.integers(2, 30)), int(rng.integers(1, 9))
        x = rng.integers(0, 11, (m, n)).astype(float) if trial % 2 else rng.uniform(0, 10, (m, n))
        w = rng.dirichlet(np.ones(n))
        q = rng.uniform(0, 2, n)
        p = q + rng.uniform(0.5, 3, n)
        if kind == "ushape":
            p = q.copy()
        if kind == "vshape":
            q = np.zeros(n)
        theirs = PROMETHEE_II(kind, p=p, q=q)(x, w, np.ones(n))
        ours = promethee_ii(x, w, [kind] * n, q, p).sum(axis=1)
        assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_topsis_matches_pymcdm() -> None:
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    from appraise.engine.methods import topsis

    rng = np.random.default_rng(99)
    for _ in range(40):
        m, n = int(rng.integers(2, 30)), int(rng.integers(1, 9))
        x = rng.uniform(0.5, 10, (m, n))
        w = rng.dirichlet(np.ones(n))
        theirs = TOPSIS(vector_normalization)(x, w, np.ones(n))
        assert topsis(x, w) == pytest.approx(theirs, abs=1e-9)


def test_promethee_net_flows_sum_to_zero_on_a_large_problem() -> None:
    from appraise.engine.methods import promethee_ii

    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, (20_000, 3))
    flows = promethee_ii(x, np.ones(3) / 3, ["vshape_2"] * 3, np.full(3, 0.5), np.full(3, 2.0))
    assert flows.shape == (20_000, 3)
    assert abs(flows.sum()) < 1e-6  # net flows sum to zero over options


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 60),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_dominators_agree_with_the_matrix(n: int, k: int, seed: int) -> None:
    """Exact lists equal the n x n matrix; the undominated set is exactly the options
    nobody dominates; and listing only undominated dominators (the large-appraisal path)
    marks the same options dominated, each by options that do dominate it."""
    from appraise.engine.ranking import _dominating, dominators, undominated

    rng = np.random.default_rng(seed)
    points = rng.integers(0, 4, (n, k)).astype(float)  # few levels: many ties and chains
    matrix = dominated_by(points)
    exact = dominators(points)
    assert [list(d) for d in exact] == [list(np.flatnonzero(matrix[:, j])) for j in range(n)]
    front = undominated(points)
    assert list(front) == [j for j in range(n) if not matrix[:, j].any()]
    partial = _dominating(points, front)
    for j in range(n):
        assert bool(len(partial[j])) == bool(matrix[:, j].any())
        assert set(partial[j]) <= set(np.flatnonzero(matrix[:, j]))
        assert set(partial[j]) <= set(front)


def test_large_appraisals_name_only_undominated_dominators(monkeypatch: pytest.MonkeyPatch) -> None:
    from appraise.engine import ranking

    monkeypatch.setattr(ranking, "EXACT_DOMINANCE", 2)
    points = np.array([[9.0, 9.0], [5.0, 5.0], [1.0, 1.0], [0.0, 10.0]])
    assert [list(d) for d in ranking.dominators(points)] == [[], [0], [0], []]
