"""Invariants of the engine, checked by hypothesis."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from appraise.engine import promethee_ii, rank_with_ties, topsis, weighted_sum

matrices = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 9), st.integers(1, 6)),
    elements=st.integers(0, 10).map(float),
)


def _weights(n: int) -> np.ndarray:
    w = np.arange(1, n + 1, dtype=float)
    return w / w.sum()


def _all_methods(x: np.ndarray) -> list[np.ndarray]:
    n = x.shape[1]
    w = _weights(n)
    return [
        weighted_sum(x, w, 1.0),
        topsis(x, w),
        promethee_ii(x, w, ["usual"] * n, np.zeros(n), np.zeros(n)).sum(axis=1),
        promethee_ii(x, w, ["vshape_2"] * n, np.full(n, 1.0), np.full(n, 3.0)).sum(axis=1),
    ]


@given(matrices, st.randoms(use_true_random=False))
def test_permuting_options_permutes_results(x: np.ndarray, rnd: object) -> None:
    perm = np.arange(x.shape[0])
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    for before, after in zip(_all_methods(x), _all_methods(x[perm]), strict=True):
        np.testing.assert_allclose(after, before[perm], atol=1e-12)


@given(matrices, st.data())
def test_adding_a_dominated_option_keeps_the_order_of_the_others(
    x: np.ndarray, data: st.DataObject
) -> None:
    w = _weights(x.shape[1])
    i = data.draw(st.integers(0, x.shape[0] - 1))
    worse = np.maximum(
        x[i] - data.draw(hnp.arrays(np.float64, x.shape[1], elements=st.integers(0, 3).map(float))),
        0,
    )
    grown = np.vstack([x, worse])
    before = rank_with_ties(weighted_sum(x, w, 1.0))
    after = rank_with_ties(weighted_sum(grown, w, 1.0))[:-1]
    for a in range(x.shape[0]):
        for b in range(x.shape[0]):
            assert (before[a] < before[b]) == (after[a] < after[b])
            assert (before[a] == before[b]) == (after[a] == after[b])


@given(matrices)
def test_net_flows_sum_to_zero_and_closeness_is_bounded(x: np.ndarray) -> None:
    _, closeness, usual, linear = _all_methods(x)
    assert abs(usual.sum()) < 1e-9
    assert abs(linear.sum()) < 1e-9
    assert ((closeness >= -1e-12) & (closeness <= 1 + 1e-12)).all()
