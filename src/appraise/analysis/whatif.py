"""What-ifs: the appraisal with some weights or scores changed, against the agreed one.

``appraise score --set-weight VFM=30`` sets one criterion's (or group's) global weight,
out of the total, and rescales every other weight in proportion: the move the weight
switching values assume and the workshop page's sliders make. Several weights may be set;
the weights left unset share what the set ones leave. ``--set-score SE.ACC=6`` replaces
the score that counts in one cell. :func:`what_if` scores both and says what moved.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from appraise.analysis.problem import Problem, WeightSetArrays
from appraise.analysis.score import ScoreResult, score_problem
from appraise.errors import RequestError

__all__ = [
    "WHAT_IF",
    "ScoreChange",
    "WeightChange",
    "WhatIf",
    "local_shares",
    "parse_score",
    "parse_weight",
    "rescaled",
    "what_if",
]

WHAT_IF = "what-if"
"""The id of the weight set a what-if scores with."""

_SPEC = re.compile(r"\s*([^=\s]+)\s*=\s*(\S.*?)\s*")


@dataclass(frozen=True)
class WeightChange:
    """One ``--set-weight``: a node's local weight set to ``value``."""

    node: str
    value: float


@dataclass(frozen=True)
class ScoreChange:
    """One ``--set-score``: the score that counts for ``option`` × ``criterion``."""

    option: str
    criterion: str
    value: float


def _number(text: str, spec: str, flag: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RequestError(
            f"{flag} {spec!r}: {text!r} is not a number", hint=f"e.g. {flag} VFM=30"
        ) from None
    if not math.isfinite(value):
        raise RequestError(f"{flag} {spec!r}: the value must be a finite number")
    return value


def _exact(value: float) -> str:
    """``value`` short where that is exact (``-1``), else in full (``100.0000000001``)."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def parse_weight(spec: str) -> WeightChange:
    """``VFM=30`` as a :class:`WeightChange`.

    Raises:
        RequestError: not ``ID=NUMBER``.
    """
    m = _SPEC.fullmatch(spec)
    if m is None:
        raise RequestError(
            f"--set-weight {spec!r} is not ID=WEIGHT", hint="e.g. --set-weight VFM=30"
        )
    return WeightChange(m[1], _number(m[2], spec, "--set-weight"))


def parse_score(spec: str) -> ScoreChange:
    """``SE.ACC=6`` as a :class:`ScoreChange`.

    Raises:
        RequestError: not ``OPTION.CRITERION=NUMBER``.
    """
    m = _SPEC.fullmatch(spec)
    if m is None or m[1].count(".") < 1:
        raise RequestError(
            f"--set-score {spec!r} is not OPTION.CRITERION=SCORE",
            hint="e.g. --set-score SE.ACC=6",
        )
    option, _, criterion = m[1].rpartition(".")
    if not option or not criterion:
        raise RequestError(
            f"--set-score {spec!r} is not OPTION.CRITERION=SCORE",
            hint="e.g. --set-score SE.ACC=6",
        )
    return ScoreChange(option, criterion, _number(m[2], spec, "--set-score"))


def _unknown(kind: str, kinds: str, ident: str, known: Sequence[str], flag: str) -> RequestError:
    close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]}?" if close else f"known {kinds}: {', '.join(known)}"
    return RequestError(f"{flag}: no {kind} {ident!r}", hint=hint)


def rescaled(
    problem: Problem, base: WeightSetArrays, changes: Sequence[WeightChange]
) -> WeightSetArrays:
    """``base`` with each changed node's global weight set, every other weight rescaled
    in proportion (the move the weight switching values make).

    A criterion's global weight is its share of the whole (its weights down the tree
    multiplied, out of the total); a group's is the sum of its criteria's. The criteria
    under no changed node share what the changed ones leave, in proportion; those
    under a changed group share its new weight likewise (less any changed inside it).

    Returns:
        A weight set whose global weights are those: each node's local weight is its
        criteria's new global weight, every level normalised.

    Raises:
        RequestError: an unknown node, a weight below 0 or above the total, the same node
            twice, or weights that cannot add up (more than the total, or nothing left
            to take up the difference).
    """
    from appraise.engine import global_weights

    total = problem.total
    n = len(problem.node_ids)
    glob = global_weights(problem.parent, base.local, base.normalise, total) * total
    index = {ident: k for k, ident in enumerate(problem.node_ids)}
    targets: dict[int, float] = {}
    for c in changes:
        k = index.get(c.node)
        if k is None:
            raise _unknown(
                "criterion or group",
                "criteria and groups",
                c.node,
                problem.node_ids,
                "--set-weight",
            )
        if k in targets:
            raise RequestError(f"--set-weight: {c.node} is set twice")
        if not 0 <= c.value <= total:
            raise RequestError(
                f"--set-weight {c.node}={_exact(c.value)}: a weight is from 0 to {total:g}",
                hint=f"the weights of all the criteria add up to {total:g}",
            )
        targets[k] = c.value
    parent = [int(x) for x in problem.parent]
    leaves = [int(x) for x in problem.leaves]

    def ancestors(k: int) -> list[int]:
        out = []
        while k >= 0:
            out.append(k)
            k = parent[k]
        return out

    chain = {leaf: ancestors(leaf) for leaf in leaves}  # the leaf, then up to the top
    new = {leaf: float(glob[leaf]) for leaf in leaves}
    share = local_shares(problem.parent, base.local, base.normalise, total)

    def within(leaf: int, region: int) -> float:
        """The leaf's share of ``region`` as the weights down the tree say (its share
        of the whole for ``-1``), known even where the region's own weight is 0."""
        out = 1.0
        for k in chain[leaf]:
            if k == region:
                break
            out *= float(share[k])
        return out

    def share_out(region: int, target: float) -> None:
        """Give the criteria under ``region`` (-1: all) ``target`` in all."""
        inner = [k for k in targets if k != region and (region < 0 or region in ancestors(k))]
        top = [k for k in inner if not any(a in inner for a in ancestors(k)[1:])]
        mine = [
            leaf
            for leaf in leaves
            if (region < 0 or region in chain[leaf]) and not any(t in chain[leaf] for t in top)
        ]
        taken = sum(targets[k] for k in top)
        left = target - taken
        basis = {leaf: float(glob[leaf]) for leaf in mine}
        have = sum(basis.values())
        if have <= 0 < left:
            # nothing here to rescale in proportion (a group weighted 0 given weight):
            # its criteria share it as the weights within it say
            basis = {leaf: within(leaf, region) for leaf in mine}
            have = sum(basis.values())
        where = "the whole" if region < 0 else problem.node_ids[region]
        named = ", ".join(f"{problem.node_ids[k]}={targets[k]:g}" for k in top) or (
            f"{where}={target:g}"
        )
        if left < -1e-9 * total:
            raise RequestError(
                f"--set-weight {named}: these add up to {taken:g}, more than {target:g} ({where})",
                hint=f"the weights of all the criteria add up to {total:g}",
            )
        if have <= 0 and abs(left) > 1e-9 * total:
            raise RequestError(
                f"--set-weight {named}: {where} would hold {taken:g}, not {target:g}, and "
                "no other weight in it can take up the difference",
                hint="set weights that add up, or leave one of them unset",
            )
        for leaf in mine:
            new[leaf] = basis[leaf] * left / have if have > 0 else 0.0
        for k in top:
            if k in leaves:
                new[k] = targets[k]
            else:
                share_out(k, targets[k])

    share_out(-1, total)
    local = np.zeros(n)
    for leaf, value in new.items():
        for k in chain[leaf]:
            local[k] += value
    normalise = np.ones(n + 1, dtype=bool)
    return WeightSetArrays(WHAT_IF, f"What-if on {base.name}", local, normalise)


def local_shares(
    parent: Any, local: Any, normalise: Any, total: float
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Each node's share of its parent (of the whole at the top level), as
    :func:`appraise.engine.global_weights` divides each level before multiplying down."""
    parent = np.asarray(parent, dtype=np.intp)
    n = parent.shape[0]
    sums = np.zeros(n + 1)
    np.add.at(sums, parent + 1, local)
    divisor = np.where(normalise[parent + 1], sums[parent + 1], total)
    return np.asarray(np.divide(local, divisor, out=np.zeros(n), where=divisor != 0), float)


@dataclass(frozen=True)
class WhatIf:
    """An appraisal scored as agreed and with the what-ifs.

    Attributes:
        agreed: the result as agreed.
        changed: the result with the what-ifs.
        weights: the weights set.
        scores: the scores set.
    """

    agreed: ScoreResult
    changed: ScoreResult
    weights: tuple[WeightChange, ...]
    scores: tuple[ScoreChange, ...]

    @property
    def leaders(self) -> tuple[list[int], list[int]]:
        """The options ranked first, as agreed and with the what-ifs."""
        return (
            [int(i) for i in np.flatnonzero(self.agreed.ranks == 1)],
            [int(i) for i in np.flatnonzero(self.changed.ranks == 1)],
        )

    def as_dict(self) -> dict[str, Any]:
        """Both results and what was set, for JSON."""
        before, after = self.leaders
        p = self.agreed.problem
        return {
            "set_weights": {c.node: c.value for c in self.weights},
            "set_scores": [
                {"option": c.option, "criterion": c.criterion, "score": c.value}
                for c in self.scores
            ],
            "leader_agreed": [p.option_ids[i] for i in before],
            "leader_what_if": [p.option_ids[i] for i in after],
            "leader_changed": before != after,
            "agreed": self.agreed.as_dict(),
            "what_if": self.changed.as_dict(),
        }


def what_if(
    problem: Problem,
    weights: Sequence[WeightChange] = (),
    scores: Sequence[ScoreChange] = (),
    **kwargs: Any,
) -> WhatIf:
    """Score ``problem`` as agreed and with the weights and scores set.

    Args:
        problem: the appraisal as arrays.
        weights: local weights to set (siblings rescaled in proportion).
        scores: scores that count to set, one cell each.
        **kwargs: :func:`~appraise.analysis.score.score_problem`'s options (method,
            aggregate, weight_set, scorer, include_failed).

    Raises:
        RequestError: an unknown id, a value off the scale or outside 0 … total, or a
            level that cannot sum.
    """
    agreed = score_problem(problem, **kwargs)
    base_id = kwargs.get("weight_set", "tree")
    changed_problem = problem
    if weights:
        ws = rescaled(problem, problem.weight_set(base_id), weights)
        changed_problem = replace(problem, weight_sets=[*problem.weight_sets, ws])
    overrides: dict[tuple[int, int], float] = {}
    for c in scores:
        if c.option not in problem.option_ids:
            raise _unknown("option", "options", c.option, problem.option_ids, "--set-score")
        if c.criterion not in problem.criterion_ids:
            raise _unknown(
                "criterion", "criteria", c.criterion, problem.criterion_ids, "--set-score"
            )
        o, k = problem.option_ids.index(c.option), problem.criterion_ids.index(c.criterion)
        low, high = float(problem.low[k]), float(problem.high[k])
        if not low <= c.value <= high:
            raise RequestError(
                f"--set-score {c.option}.{c.criterion}={c.value:g}: off the scale {low:g}–{high:g}",
                hint=f"give a score from {low:g} to {high:g}",
            )
        if (o, k) in overrides:
            raise RequestError(f"--set-score: {c.option}.{c.criterion} is set twice")
        overrides[(o, k)] = c.value
    options = {**kwargs, "weight_set": WHAT_IF if weights else base_id}
    changed = score_problem(changed_problem, overrides=overrides, **options)
    return WhatIf(agreed, changed, tuple(weights), tuple(scores))
