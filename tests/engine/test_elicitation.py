"""Weights from recorded elicitation: formulas by hand, AHP against pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraise.engine.elicitation import (
    ahp,
    combine_judgements,
    connected,
    mean_weights,
    normalise,
    rank_weights,
)


def test_swing_weights_normalise_the_judgements() -> None:
    # most valued swing 100, others judged against it: 100, 60, 40 -> 0.5, 0.3, 0.2
    assert normalise(np.array([100.0, 60.0, 40.0])) == pytest.approx([0.5, 0.3, 0.2])
    with pytest.raises(ValueError, match="not negative"):
        normalise(np.array([100.0, -1.0]))
    with pytest.raises(ValueError, match="more than 0"):
        normalise(np.zeros(3))


@pytest.mark.parametrize("n", range(1, 11))
def test_rank_order_centroid_matches_the_formula(n: int) -> None:
    w = rank_weights(np.arange(1, n + 1), "roc")
    for i in range(1, n + 1):
        assert w[i - 1] == pytest.approx(sum(1 / k for k in range(i, n + 1)) / n)
    assert sum(w) == pytest.approx(1.0)


def test_rank_order_centroid_by_hand_for_four() -> None:
    # (1 + 1/2 + 1/3 + 1/4)/4 = 0.5208, (1/2 + 1/3 + 1/4)/4 = 0.2708,
    # (1/3 + 1/4)/4 = 0.1458, (1/4)/4 = 0.0625
    assert rank_weights([1, 2, 3, 4]) == pytest.approx(
        [0.52083, 0.27083, 0.14583, 0.0625], abs=1e-5
    )


def test_rank_sum_and_reciprocal() -> None:
    # rank sum, n = 3: 3/6, 2/6, 1/6; reciprocal: 1, 1/2, 1/3 over 11/6
    assert rank_weights([1, 2, 3], "rank_sum") == pytest.approx([0.5, 1 / 3, 1 / 6])
    assert rank_weights([1, 2, 3], "reciprocal") == pytest.approx([6 / 11, 3 / 11, 2 / 11])


def test_ties_share_the_places_they_span() -> None:
    roc = rank_weights([1, 2, 3, 4])
    tied = rank_weights([1, 2, 2, 4])
    assert tied[0] == pytest.approx(roc[0])
    assert tied[1] == tied[2] == pytest.approx((roc[1] + roc[2]) / 2)
    assert sum(tied) == pytest.approx(1.0)


@pytest.mark.parametrize("ranks", [[1, 3, 4], [1, 2, 2, 3], [0, 1], [2, 3]])
def test_a_ranking_with_a_gap_is_refused(ranks: list[int]) -> None:
    with pytest.raises(ValueError, match="ranks must run"):
        rank_weights(ranks)


def test_consistent_ahp_recovers_the_weights_exactly() -> None:
    w = np.array([0.5, 0.3, 0.2])
    result = ahp((w[:, None] / w[None, :]).tolist())
    assert result.weights == pytest.approx(w)
    assert result.lambda_max == pytest.approx(3.0)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_saatys_example_by_hand() -> None:
    # A = [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]: weights 0.637, 0.258, 0.105,
    # lambda_max 3.0385, CI 0.0193, CR 0.0193 / 0.58 = 0.033 (Saaty 1980)
    result = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert result.weights == pytest.approx([0.637, 0.258, 0.105], abs=5e-4)
    assert result.lambda_max == pytest.approx(3.0385, abs=5e-4)
    assert result.cr == pytest.approx(0.0193 / 0.58, abs=1e-3)


@given(st.integers(3, 8), st.integers(0, 2**32 - 1))
def test_ahp_weights_match_pymcdm(n: int, seed: int) -> None:
    from pymcdm.weights.subjective import AHP

    rng = np.random.default_rng(seed)
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9])
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = rng.choice(scale)
            a[j, i] = 1 / a[i, j]
    ours = ahp(a.tolist())
    theirs = AHP(matrix=a)()
    assert ours.weights == pytest.approx(theirs, abs=1e-9)
    # lambda_max against NumPy's eigenvalues, independently
    assert ours.lambda_max == pytest.approx(max(np.linalg.eigvals(a).real), rel=1e-9)


def test_the_most_inconsistent_judgement_comes_first() -> None:
    w = np.array([0.4, 0.3, 0.2, 0.1])
    a = w[:, None] / w[None, :]
    a[0, 3], a[3, 0] = 1 / 4, 4.0  # should be 4: reversed
    result = ahp(a.tolist())
    assert result.worst[0][:2] == (0, 3)
    assert result.cr > 0.10


def test_missing_comparisons_are_completed_when_connected() -> None:
    w = np.array([0.5, 0.25, 0.125, 0.125])
    a = w[:, None] / w[None, :]
    a[0, 2] = a[2, 0] = a[1, 3] = a[3, 1] = np.nan  # a chain still links everything
    result = ahp(a.tolist())
    # consistent judgements: Harker's completion recovers the weights exactly
    assert result.weights == pytest.approx(w)
    assert result.cr == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.__setitem__((0, 1), 12.0), "between 1/9 and 9"),
        (lambda a: a.__setitem__((0, 1), 3.0), "1 / a_ij"),
        (lambda a: a.__setitem__((0, 1), np.nan), "its reciprocal"),
    ],
)
def test_bad_judgements_are_refused(change: object, message: str) -> None:
    a = np.array([[1.0, 2.0, 4.0], [0.5, 1.0, 2.0], [0.25, 0.5, 1.0]])
    change(a)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        ahp(a.tolist())


def test_disconnected_comparisons_are_refused() -> None:
    a = np.full((4, 4), np.nan)
    np.fill_diagonal(a, 1.0)
    a[0, 1], a[1, 0] = 2.0, 0.5
    a[2, 3], a[3, 2] = 3.0, 1 / 3
    assert not connected((~np.isnan(a) & ~np.eye(4, dtype=bool)).tolist())
    with pytest.raises(ValueError, match="do not link"):
        ahp(a.tolist())


def test_geometric_mean_of_judgements_keeps_reciprocity() -> None:
    m1 = np.array([[1.0, 3.0], [1 / 3, 1.0]])
    m2 = np.array([[1.0, 1 / 3], [3.0, 1.0]])
    m3 = np.array([[1.0, np.nan], [np.nan, 1.0]])
    combined = combine_judgements([m1.tolist(), m2.tolist(), m3.tolist()])
    assert np.array(combined) == pytest.approx(np.ones((2, 2)))
    assert combine_judgements([m1.tolist(), m3.tolist()])[0][1] == pytest.approx(3.0)


def test_mean_of_weights() -> None:
    assert mean_weights([[0.6, 0.4], [0.2, 0.8]]) == pytest.approx([0.4, 0.6])
