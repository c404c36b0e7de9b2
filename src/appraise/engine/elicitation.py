"""Weights from what a weighting workshop recorded (pure NumPy).

* swing weighting and points allocation (SMART): the judgements, normalised;
* a ranking only: rank-order-centroid, rank-sum or reciprocal weights (ties share
  the weights of the places they span);
* AHP pairwise comparisons: principal-eigenvector weights, with missing comparisons
  allowed where the comparisons connect every item (Harker's completion), the
  consistency ratio against a declared random-index table (Saaty's by default), and the
  judgements furthest from the weights;
* several participants combined: the geometric mean of their judgements (AHP) or the
  mean of their weights.

Every function returns weights as fractions summing to 1; scaling to the appraisal's
total (e.g. 100) is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "SAATY_RI",
    "AhpResult",
    "ahp",
    "combine_judgements",
    "connected",
    "mean_weights",
    "normalise",
    "rank_weights",
]

SAATY_RI: tuple[float, ...] = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
"""Saaty's random consistency index for matrices of order 1 to 10."""

RankRule = Literal["roc", "rank_sum", "reciprocal"]


def normalise(values: FloatArray) -> FloatArray:
    """Swing or points judgements as weights (fractions summing to 1).

    Raises:
        ValueError: a negative judgement, or all zero.
    """
    v = np.asarray(values, dtype=float)
    if (v < 0).any() or not np.isfinite(v).all():
        raise ValueError("judgements must be finite and not negative")
    total = v.sum()
    if total <= 0:
        raise ValueError("at least one judgement must be more than 0")
    return np.asarray(v / total)


def _place_weights(n: int, rule: RankRule) -> FloatArray:
    places = np.arange(1, n + 1, dtype=float)
    if rule == "roc":
        # w_i = (1/n) * sum_{k=i..n} 1/k
        return np.asarray(np.cumsum((1.0 / places)[::-1])[::-1] / n)
    if rule == "rank_sum":
        return np.asarray((n + 1 - places) / (n * (n + 1) / 2))
    inv = 1.0 / places
    return np.asarray(inv / inv.sum())


def rank_weights(ranks: npt.ArrayLike, rule: RankRule = "roc") -> FloatArray:
    """Weights from a ranking (1 = most important; ties allowed, e.g. 1, 2, 2, 4).

    Tied items share equally the weights of the places they span.

    Raises:
        ValueError: ranks that are not competition ranks (a gap, such as 1, 3, or a
            tie not followed by the right skip).
    """
    r = np.asarray(ranks, dtype=int)
    n = r.size
    if n == 0:
        return np.zeros(0)
    expected = np.array([1 + int((r < x).sum()) for x in r])
    if not np.array_equal(r, expected):
        raise ValueError(
            "ranks must run 1, 2, 3 … with ties sharing a rank and the next rank skipped "
            "(e.g. 1, 2, 2, 4)"
        )
    place = _place_weights(n, rule)
    out = np.empty(n)
    for value in np.unique(r):
        members = np.flatnonzero(r == value)
        out[members] = place[value - 1 : value - 1 + members.size].mean()
    return out


@dataclass(frozen=True)
class AhpResult:
    """AHP weights and their consistency.

    Attributes:
        weights: ``(n,)`` principal-eigenvector weights, summing to 1.
        lambda_max: the principal eigenvalue.
        ci: consistency index ``(lambda_max - n) / (n - 1)``.
        cr: consistency ratio ``ci / RI[n]`` (0 for n < 3; NaN beyond the table).
        worst: pairs ``(i, j, ratio)`` of judgements furthest from the weights, worst
            first, ``ratio = a_ij * w_j / w_i`` (1 when consistent).
        completed: the matrix used (missing comparisons completed by Harker's method).
    """

    weights: FloatArray
    lambda_max: float
    ci: float
    cr: float
    worst: list[tuple[int, int, float]]
    completed: FloatArray


def connected(known: npt.NDArray[np.bool_]) -> bool:
    """Whether the comparisons made link every item to every other (as a graph)."""
    n = known.shape[0]
    if n == 0:
        return True
    seen = {0}
    stack = [0]
    while stack:
        i = stack.pop()
        for j in np.flatnonzero(known[i] | known[:, i]):
            if int(j) not in seen:
                seen.add(int(j))
                stack.append(int(j))
    return len(seen) == int(n)


def ahp(matrix: npt.ArrayLike, ri: tuple[float, ...] = SAATY_RI) -> AhpResult:
    """Eigenvector weights of a reciprocal comparison matrix (NaN = not compared).

    Args:
        matrix: ``(n, n)`` with ``a_ij`` how much more important ``i`` is than ``j``
            (1/9 … 9), ``a_ji = 1/a_ij``, ones on the diagonal; NaN where a pair was not
            compared (both ways).
        ri: the random-index table the consistency ratio is taken against.

    Raises:
        ValueError: not square, a judgement outside 1/9 … 9 or not positive, a
            reciprocal that does not match, or comparisons that do not connect every
            item.
    """
    a = np.array(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError("the comparison matrix must be square")
    n = a.shape[0]
    known = ~np.isnan(a)
    np.fill_diagonal(known, False)
    if not np.array_equal(known, known.T):
        raise ValueError("every comparison needs its reciprocal (or neither is given)")
    values = a[known]
    if ((values < 1 / 9 - 1e-9) | (values > 9 + 1e-9)).any():
        raise ValueError("judgements must be between 1/9 and 9")
    if not np.allclose(a[known] * a.T[known], 1.0, rtol=1e-6):
        raise ValueError("a_ji must be 1 / a_ij for every pair compared")
    if not connected(known):
        raise ValueError("the comparisons do not link every item to every other")
    # Harker: a missing a_ij becomes 0 and each row's diagonal 1 + its missing count
    completed = np.where(known, a, 0.0)
    np.fill_diagonal(completed, 1.0 + (n - 1 - known.sum(axis=1)))
    eigenvalues, vectors = np.linalg.eig(completed)
    k = int(np.argmax(eigenvalues.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(eigenvalues[k].real)
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    if n < 3:
        cr = 0.0
    elif n <= len(ri) and ri[n - 1] > 0:
        cr = ci / ri[n - 1]
    else:
        cr = float("nan")
    worst = sorted(
        (
            (int(i), int(j), float(a[i, j] * w[j] / w[i]))
            for i, j in zip(*np.nonzero(known), strict=True)
            if i < j
        ),
        key=lambda t: -abs(np.log(t[2])),
    )
    return AhpResult(np.asarray(w), lam, float(ci), float(cr), worst, completed)


def combine_judgements(matrices: list[npt.ArrayLike]) -> FloatArray:
    """Participants' comparison matrices combined by the geometric mean of each
    judgement (Aczél and Saaty), over those who made it; NaN where nobody did."""
    stack = np.array([np.asarray(m, dtype=float) for m in matrices])
    logs = np.log(stack)
    made = ~np.isnan(stack)
    total = np.where(made, logs, 0.0).sum(axis=0)
    count = made.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(count > 0, np.exp(total / count), np.nan))


def mean_weights(weights: list[npt.ArrayLike]) -> FloatArray:
    """Participants' weights combined by their arithmetic mean (renormalised)."""
    return normalise(np.mean(np.array([np.asarray(w, dtype=float) for w in weights]), axis=0))
