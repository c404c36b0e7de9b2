"""Weights from what a weighting workshop recorded.

* swing weighting and points allocation (SMART): the judgements, normalised;
* a ranking only: rank-order-centroid, rank-sum or reciprocal weights (ties share
  the weights of the places they span);
* AHP pairwise comparisons: principal-eigenvector weights, with missing comparisons
  allowed where the comparisons connect every item (Harker's completion), the
  consistency ratio against a declared random-index table (Saaty's by default), and the
  judgements furthest from the weights;
* several participants combined: the geometric mean of their judgements (AHP) or the
  mean of their weights.

Plain Python, not NumPy: the matrices are small (one level of a value tree), and
``appraise validate`` derives these weights without paying NumPy's import time. The
eigenvector comes from repeated squaring of the (primitive) comparison matrix, which
converges to machine precision in a few dozen products; tests check it against
pymcdm's NumPy implementation.

Every function returns weights as fractions summing to 1; scaling to the appraisal's
total (e.g. 100) is the caller's. ``NaN`` marks a pair not compared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

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

LOWEST = 0.11
"""The smallest judgement accepted: 1/9, also written as 0.11 (its reciprocal 9.09 is
accepted too)."""

RankRule = Literal["roc", "rank_sum", "reciprocal"]
Matrix = Sequence[Sequence[float]]


def normalise(values: Sequence[float]) -> list[float]:
    """Swing or points judgements as weights (fractions summing to 1).

    Raises:
        ValueError: a negative judgement, or all zero.
    """
    v = [float(x) for x in values]
    if any(x < 0 or not math.isfinite(x) for x in v):
        raise ValueError("judgements must be finite and not negative")
    total = math.fsum(v)
    if total <= 0:
        raise ValueError("at least one judgement must be more than 0")
    return [x / total for x in v]


def _place_weights(n: int, rule: RankRule) -> list[float]:
    if rule == "roc":
        # w_i = (1/n) * sum_{k=i..n} 1/k
        return [math.fsum(1 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)]
    if rule == "rank_sum":
        return [(n + 1 - i) / (n * (n + 1) / 2) for i in range(1, n + 1)]
    inverse = [1 / i for i in range(1, n + 1)]
    total = math.fsum(inverse)
    return [x / total for x in inverse]


def rank_weights(ranks: Sequence[int], rule: RankRule = "roc") -> list[float]:
    """Weights from a ranking (1 = most important; ties allowed, e.g. 1, 2, 2, 4).

    Tied items share equally the weights of the places they span.

    Raises:
        ValueError: ranks that are not competition ranks (a gap, such as 1, 3, or a
            tie not followed by the right skip).
    """
    r = [int(x) for x in ranks]
    n = len(r)
    expected = [1 + sum(1 for y in r if y < x) for x in r]
    if r != expected:
        raise ValueError(
            "ranks must run 1, 2, 3 … with ties sharing a rank and the next rank skipped "
            "(e.g. 1, 2, 2, 4)"
        )
    place = _place_weights(n, rule)
    out = []
    for x in r:
        tied = r.count(x)
        out.append(math.fsum(place[x - 1 : x - 1 + tied]) / tied)
    return out


@dataclass(frozen=True)
class AhpResult:
    """AHP weights and their consistency.

    Attributes:
        weights: principal-eigenvector weights, summing to 1.
        lambda_max: the principal eigenvalue.
        ci: consistency index ``(lambda_max - n) / (n - 1)``.
        cr: consistency ratio ``ci / RI[n]`` (0 for n < 3; NaN beyond the table).
        worst: pairs ``(i, j, ratio)`` of judgements furthest from the weights, worst
            first, ``ratio = a_ij * w_j / w_i`` (1 when consistent).
        completed: the matrix used (missing comparisons completed by Harker's method).
    """

    weights: list[float]
    lambda_max: float
    ci: float
    cr: float
    worst: list[tuple[int, int, float]]
    completed: list[list[float]]


def connected(known: Sequence[Sequence[bool]]) -> bool:
    """Whether the comparisons made link every item to every other (as a graph)."""
    n = len(known)
    if n == 0:
        return True
    seen = {0}
    stack = [0]
    while stack:
        i = stack.pop()
        for j in range(n):
            if (known[i][j] or known[j][i]) and j not in seen:
                seen.add(j)
                stack.append(j)
    return len(seen) == n


def _product(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    columns = list(zip(*b, strict=True))
    return [
        [math.fsum(x * y for x, y in zip(row, col, strict=True)) for col in columns] for row in a
    ]


def _apply(a: list[list[float]], w: list[float]) -> list[float]:
    return [math.fsum(x * y for x, y in zip(row, w, strict=True)) for row in a]


def _principal(c: list[list[float]]) -> list[float]:
    """The principal (Perron) eigenvector of a primitive non-negative matrix, summing
    to 1: the columns of C^(2^k) all point along it as k grows."""
    n = len(c)
    m = [row[:] for row in c]
    w = [1.0 / n] * n
    for _ in range(64):
        m = _product(m, m)
        top = max(max(row) for row in m)
        m = [[x / top for x in row] for row in m]
        sums = [math.fsum(row) for row in m]
        total = math.fsum(sums)
        new = [s / total for s in sums]
        done = max(abs(x - y) for x, y in zip(new, w, strict=True)) <= 1e-16
        w = new
        if done:
            break
    for _ in range(3):  # polish on the matrix itself
        v = _apply(c, w)
        total = math.fsum(v)
        w = [x / total for x in v]
    return w


def ahp(matrix: Matrix, ri: Sequence[float] = SAATY_RI) -> AhpResult:
    """Eigenvector weights of a reciprocal comparison matrix (NaN = not compared).

    Args:
        matrix: ``n × n`` with ``a_ij`` how much more important ``i`` is than ``j``
            (1/9 … 9), ``a_ji = 1/a_ij``, ones on the diagonal; NaN where a pair was not
            compared (both ways).
        ri: the random-index table the consistency ratio is taken against.

    Raises:
        ValueError: not square, a judgement outside 1/9 … 9 or not positive, a
            reciprocal that does not match, or comparisons that do not connect every
            item.
    """
    a = [[float(x) for x in row] for row in matrix]
    n = len(a)
    if any(len(row) != n for row in a):
        raise ValueError("the comparison matrix must be square")
    known = [[i != j and not math.isnan(a[i][j]) for j in range(n)] for i in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(n) if known[i][j]]
    if any(not known[j][i] for i, j in pairs):
        raise ValueError("every comparison needs its reciprocal (or neither is given)")
    # 1/9 may be written 0.11 (as the YAML model accepts), whose reciprocal is 9.09
    if any(not (LOWEST - 1e-9 <= a[i][j] <= 1 / LOWEST + 1e-9) for i, j in pairs):
        raise ValueError("judgements must be between 1/9 and 9")
    if any(not math.isclose(a[i][j] * a[j][i], 1.0, rel_tol=1e-6) for i, j in pairs):
        raise ValueError("a_ji must be 1 / a_ij for every pair compared")
    if not connected(known):
        raise ValueError("the comparisons do not link every item to every other")
    # Harker: a missing a_ij becomes 0 and each row's diagonal 1 + its missing count
    completed = [
        [
            a[i][j] if known[i][j] else (1.0 + (n - 1 - sum(known[i])) if i == j else 0.0)
            for j in range(n)
        ]
        for i in range(n)
    ]
    w = _principal(completed) if n else []
    lam = math.fsum(_apply(completed, w)) if n else 0.0
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    if n < 3:
        cr = 0.0
    elif n <= len(ri) and ri[n - 1] > 0:
        cr = ci / ri[n - 1]
    else:
        cr = math.nan
    worst = sorted(
        ((i, j, a[i][j] * w[j] / w[i]) for i, j in pairs if i < j),
        key=lambda t: -abs(math.log(t[2])),
    )
    return AhpResult(w, lam, ci, cr, worst, completed)


def combine_judgements(matrices: Sequence[Matrix]) -> list[list[float]]:
    """Participants' comparison matrices combined by the geometric mean of each
    judgement (Aczél and Saaty), over those who made it; NaN where nobody did."""
    n = len(matrices[0])
    out = []
    for i in range(n):
        row = []
        for j in range(n):
            made = [float(m[i][j]) for m in matrices if not math.isnan(float(m[i][j]))]
            row.append(math.exp(math.fsum(map(math.log, made)) / len(made)) if made else math.nan)
        out.append(row)
    return out


def mean_weights(weights: Sequence[Sequence[float]]) -> list[float]:
    """Participants' weights combined by their arithmetic mean (renormalised)."""
    return normalise([math.fsum(col) / len(weights) for col in zip(*weights, strict=True)])
