"""Score an appraisal: totals, subtotals, contributions, ranks, gaps, hurdles, dominance.

:func:`score_problem` runs the engine on a :class:`~appraise.analysis.problem.Problem` and returns
a :class:`ScoreResult` of plain data that every output (terminal, JSON, CSV, Markdown)
renders. The leader is the option with the *highest weighted benefit score on this
analysis*: advice to the decision maker, never the decision.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from appraise.analysis.problem import Problem
from appraise.engine import (
    combine_scores,
    dominators,
    flag_cells,
    global_weights,
    panel_stats,
    promethee_ii,
    rank_with_ties,
    topsis,
    weighted_sum,
)
from appraise.errors import RequestError

__all__ = [
    "Aggregate",
    "PanelSpread",
    "ScoreResult",
    "ValueForMoney",
    "panel_spread",
    "provisional_dict",
    "score_all_weight_sets",
    "score_problem",
    "value_for_money",
]

Aggregate = Literal["moderated", "mean", "median"]
Method = Literal["wsm", "topsis", "promethee"]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ScoreResult:
    """The outcome of scoring, as arrays aligned with the problem's labels.

    Attributes:
        problem: what was scored.
        method: ``wsm`` (weighted sum), ``topsis`` or ``promethee``.
        aggregate: which scores counted.
        weight_set: id of the weight set used.
        scorer: the one panel member whose scores were used, or ``None`` for the panel.
        weights: ``(n_criteria,)`` global weights, in the units weights are written in
            (summing to ``problem.total``).
        group_weights: ``(n_groups,)`` the top-level nodes' global weights, same units.
        scores: ``(n_options, n_criteria)`` the scores that counted.
        contributions: ``(n_options, n_criteria)`` each criterion's part of the total
            (weight × points for weighted sum; weighted net flow for PROMETHEE II; NaN
            for TOPSIS, whose closeness does not split by criterion).
        subtotals: ``(n_options, n_groups)`` contributions summed by top-level group.
        totals: ``(n_options,)`` weighted benefit scores (TOPSIS: closeness 0–1;
            PROMETHEE II: net flow −1 to 1).
        maximum: the highest total possible.
        include_failed: whether options failing a hurdle were ranked too.
        ranks: ``(n_options,)`` competition ranks (1 best), 0 where not ranked.
        eligible: ``(n_options,)`` options that fail no hurdle.
        gap_next: ``(n_options,)`` total minus the next ranked option's total (NaN for
            the last and for unranked options).
        gap_next_pct: ``gap_next`` as a % of the leader's total.
        flagged: ``(n_options, n_criteria)`` cells flagged for moderation.
        dominators: for each option, the options that dominate it (all of them up to
            :data:`~appraise.engine.ranking.EXACT_DOMINANCE` options, else the
            undominated ones: see :func:`~appraise.engine.ranking.dominators`).
        unscored: ``(n_options, n_criteria)`` cells with no score that counts (no panel
            member has scored them and there is no moderated score; before status
            moderated). An option with one is *not yet scored*: no total, not ranked,
            left out of the comparisons, whatever ``include_failed`` says.
    """

    problem: Problem
    method: str
    aggregate: str
    weight_set: str
    scorer: str | None
    weights: FloatArray
    group_weights: FloatArray
    scores: FloatArray
    contributions: FloatArray
    subtotals: FloatArray
    totals: FloatArray
    maximum: float
    ranks: npt.NDArray[np.intp]
    eligible: npt.NDArray[np.bool_]
    gap_next: FloatArray
    gap_next_pct: FloatArray
    flagged: npt.NDArray[np.bool_]
    dominators: tuple[npt.NDArray[np.intp], ...]
    include_failed: bool = False
    unscored: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), bool))

    @property
    def complete(self) -> npt.NDArray[np.bool_]:
        """``(n_options,)`` options with a score that counts in every cell."""
        if self.unscored.size == 0:
            return np.ones(len(self.totals), dtype=bool)
        return np.asarray(~self.unscored.any(axis=1))

    @property
    def not_yet_scored(self) -> list[int]:
        """Options not ranked because a cell has no score yet, in option order."""
        return [int(i) for i in np.flatnonzero(~self.complete)]

    @property
    def order(self) -> list[int]:
        """Option indices in display order: ranked options by rank, then unranked ones,
        then those not yet scored."""
        ranked = sorted((int(r), i) for i, r in enumerate(self.ranks) if r > 0)
        complete = self.complete
        rest = [i for i, r in enumerate(self.ranks) if r == 0 and complete[i]]
        rest.sort(key=lambda i: -self.totals[i])
        return [i for _, i in ranked] + rest + self.not_yet_scored

    @property
    def leaders(self) -> list[int]:
        """The option(s) ranked first."""
        return [i for i, r in enumerate(self.ranks) if r == 1]

    def rank_label(self, i: int) -> str:
        """``1``, ``1=`` for a tie, or ``–`` for an option not ranked."""
        rank = int(self.ranks[i])
        if rank == 0:
            return "–"
        tied = int((self.ranks == rank).sum()) > 1
        return f"{rank}=" if tied else str(rank)

    def failed_hurdles(self, i: int) -> list[str]:
        """Ids of the hurdles option ``i`` fails."""
        p = self.problem
        return [h for k, h in enumerate(p.hurdle_ids) if p.hurdle_results[i, k] == "fail"]

    def as_dict(self) -> dict[str, Any]:
        """Every number the tables show, unrounded, for JSON output."""
        p = self.problem

        def num(x: float) -> float | None:
            return None if np.isnan(x) else float(x)

        return {
            "title": p.title,
            "illustrative": p.illustrative,
            "status": p.status,
            "method": self.method,
            "include_failed": self.include_failed,
            "aggregate": self.aggregate,
            "weight_set": self.weight_set,
            "scorer": self.scorer,
            "maximum": self.maximum,
            "criteria": [
                {
                    "id": c,
                    "name": n,
                    "group": p.node_ids[p.groups[p.leaf_group[k]]],
                    "weight": float(self.weights[k]),
                }
                for k, (c, n) in enumerate(zip(p.criterion_ids, p.criterion_names, strict=True))
            ],
            "groups": [
                {
                    "id": p.node_ids[g],
                    "name": p.node_names[g],
                    "weight": float(self.group_weights[k]),
                }
                for k, g in enumerate(p.groups)
            ],
            "options": [
                {
                    "id": p.option_ids[i],
                    "name": p.option_names[i],
                    "baseline": i == p.baseline,
                    "rank": int(self.ranks[i]) or None,
                    "rank_label": self.rank_label(i),
                    "total": float(self.totals[i]),
                    "subtotals": {
                        p.node_ids[g]: float(self.subtotals[i, k]) for k, g in enumerate(p.groups)
                    },
                    "gap_to_next": num(self.gap_next[i]),
                    "gap_to_next_pct": num(self.gap_next_pct[i]),
                    "failed_hurdles": self.failed_hurdles(i),
                    "dominated_by": [p.option_ids[j] for j in self.dominators[i]],
                    "scores": {c: num(self.scores[i, k]) for k, c in enumerate(p.criterion_ids)},
                    "contributions": {
                        c: float(self.contributions[i, k]) for k, c in enumerate(p.criterion_ids)
                    },
                    "flagged": [c for k, c in enumerate(p.criterion_ids) if self.flagged[i, k]],
                }
                for i in self.order
            ],
            "leaders": [p.option_ids[i] for i in self.leaders],
            "value_for_money": _vfm_dict(self),
            "panel": _panel_dict(self),
            **provisional_dict(self),
        }


def provisional_dict(result: ScoreResult) -> dict[str, Any]:
    """``{"provisional": …}`` for JSON when panel scores are missing: the reason, every
    missing cell by member, and the options not yet scored with the criteria they
    lack; ``{}`` when every score is in (so a complete appraisal's JSON is as it was)."""
    from appraise.analysis.missing import missing_scores

    p = result.problem
    gaps = missing_scores(p)
    if gaps is None:
        return {}
    out = gaps.as_dict()
    out["not_yet_scored"] = [
        {
            "option": p.option_ids[i],
            "criteria": [p.criterion_ids[k] for k in np.flatnonzero(result.unscored[i])],
        }
        for i in result.not_yet_scored
    ]
    return {"provisional": out}


def score_problem(
    problem: Problem,
    *,
    method: Method = "wsm",
    aggregate: Aggregate = "moderated",
    weight_set: str = "tree",
    scorer: str | None = None,
    include_failed: bool = False,
    overrides: Mapping[tuple[int, int], float] | None = None,
) -> ScoreResult:
    """Rank the options.

    Args:
        problem: the appraisal as arrays.
        aggregate: which scores count: ``moderated`` (moderated where present, else the
            panel median), ``mean`` or ``median`` of the panel.
        weight_set: ``tree`` or the id of a named weight set.
        scorer: score with one panel member's scores alone.
        method: ``wsm`` (weighted sum, the default and what UK guidance uses), ``topsis``
            or ``promethee`` (PROMETHEE II with each criterion's preference function).
        include_failed: rank options that fail a hurdle too (still marked).
        overrides: scores that count to use instead, by (option, criterion) index (a
            what-if: :mod:`appraise.analysis.whatif`).

    Raises:
        RequestError: an unknown weight set, panel member or method.
    """
    ws = problem.weight_set(weight_set)
    node_weights = global_weights(problem.parent, ws.local, ws.normalise, problem.total)
    weights = node_weights[problem.leaves]
    stats = panel_stats(problem.scores)
    flagged = flag_cells(stats, problem.flag_range, problem.flag_distance)
    if scorer is not None:
        if scorer not in problem.scorer_ids:
            raise RequestError(
                f"no panel member {scorer!r}",
                hint=f"known panel members: {', '.join(problem.scorer_ids) or 'none'} "
                "(ids in scores/)",
            )
        s = problem.scorer_ids.index(scorer)
        scores = problem.scores[s]
    else:
        scores = combine_scores(problem.scores, problem.moderated, aggregate)
    if overrides:
        scores = np.array(scores, dtype=float)
        for (o, k), value in overrides.items():
            scores[o, k] = value
    points = problem.points(scores)
    fractions = weights / weights.sum() if weights.sum() > 0 else weights
    eligible = problem.eligible
    unscored = np.isnan(scores)
    complete = ~unscored.any(axis=1)
    # TOPSIS and PROMETHEE II score options relative to each other: an option that
    # fails a hurdle is left out of the comparison unless asked for, so that it cannot
    # shift the others' scores; one not yet scored is always left out.
    compared = (np.ones(eligible.shape, dtype=bool) if include_failed else eligible) & complete
    contributions = np.full(points.shape, np.nan)
    if method == "wsm":
        contributions = points * (weights * problem.total)
        totals = weighted_sum(points, weights, problem.total)
        maximum = float(weights.sum() * problem.total * problem.base_high)
    elif method == "topsis":
        totals = np.full(len(problem.option_ids), np.nan)
        if compared.any():  # every option failing a hurdle leaves nothing to compare
            totals[compared] = topsis(points[compared], fractions)
        maximum = 1.0
    elif method == "promethee":
        if compared.any():
            contributions[compared] = promethee_ii(
                points[compared],
                fractions,
                problem.preference,
                problem.preference_q,
                problem.preference_p,
            )
        totals = contributions.sum(axis=1)
        maximum = 1.0
    else:
        raise RequestError(f"no method {method!r}", hint="choose wsm, topsis or promethee")
    n_groups = len(problem.groups)
    subtotals = np.zeros((len(problem.option_ids), n_groups))
    for k in range(n_groups):
        subtotals[:, k] = contributions[:, problem.leaf_group == k].sum(axis=1)
    ranked: npt.NDArray[np.bool_] | None = None if include_failed else eligible
    if not complete.all():
        totals = np.where(complete, totals, np.nan)  # never a total from some cells
        subtotals[~complete] = np.nan
        ranked = compared
    ranks = rank_with_ties(totals, ranked)
    gap, gap_pct = _gaps(totals, ranks)
    if method == "promethee":
        gap_pct = np.full(gap.shape, np.nan)
    return ScoreResult(
        problem=problem,
        method=method,
        aggregate="scorer" if scorer is not None else aggregate,
        weight_set=weight_set,
        scorer=scorer,
        weights=weights * problem.total,
        group_weights=node_weights[problem.groups] * problem.total,
        scores=scores,
        contributions=contributions,
        subtotals=subtotals,
        totals=totals,
        maximum=maximum,
        ranks=ranks,
        eligible=eligible,
        gap_next=gap,
        gap_next_pct=gap_pct,
        flagged=flagged,
        dominators=_dominators(points, complete),
        include_failed=include_failed,
        unscored=unscored,
    )


def _dominators(points: FloatArray, complete: npt.NDArray[np.bool_]) -> tuple[Any, ...]:
    """Dominance among the options with every cell scored (one not yet scored neither
    dominates nor is dominated)."""
    if complete.all():
        return dominators(points)
    keep = np.flatnonzero(complete)
    among = dominators(points[keep])
    found = {int(i): keep[d] for i, d in zip(keep, among, strict=True)}
    none = np.zeros(0, dtype=np.intp)
    return tuple(found.get(i, none) for i in range(len(points)))


def _gaps(totals: FloatArray, ranks: npt.NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
    """Each ranked option's lead over the next ranked option below it."""
    gap = np.full(totals.shape, np.nan)
    ranked = [i for i in np.argsort(-totals, kind="stable") if ranks[i] > 0]
    for above, below in itertools.pairwise(ranked):
        gap[above] = totals[above] - totals[below]
    leader_total = totals[ranked[0]] if ranked else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = gap / leader_total * 100.0
    return gap, pct


FRONTIER_LABELS = {0: "frontier", 1: "dominated", 2: "extendedly dominated", -1: ""}


@dataclass(frozen=True)
class ValueForMoney:
    """The NHS value-for-money table (SCIM A3.23–A3.24) for a weighted-sum result.

    Every array is ``(n_options,)``, NaN where it does not apply.

    Attributes:
        costs: each option's cost (in ``problem.cost_unit``).
        benefits: weighted benefit scores.
        cost_per_point: cost per benefit point.
        points_per_cost: benefit points per unit of cost.
        delta_benefit: benefit minus the baseline's.
        delta_cost: cost minus the baseline's.
        delta_cost_per_point: incremental cost per extra point over the baseline (NaN
            where the option adds no benefit, or dominates the baseline).
        dominates_baseline: costs no more than the baseline for more benefit (no cost
            per extra point to speak of: it is better and no dearer).
        status: frontier status codes (:mod:`appraise.engine.vfm`).
        icer: along the frontier, incremental cost per extra point over the previous
            frontier option.
    """

    costs: FloatArray
    benefits: FloatArray
    cost_per_point: FloatArray
    points_per_cost: FloatArray
    delta_benefit: FloatArray
    delta_cost: FloatArray
    delta_cost_per_point: FloatArray
    status: npt.NDArray[np.intp]
    icer: FloatArray
    dominates_baseline: npt.NDArray[np.bool_]

    def label(self, i: int) -> str:
        """The frontier status of option ``i`` in words."""
        return FRONTIER_LABELS[int(self.status[i])]


def value_for_money(result: ScoreResult) -> ValueForMoney | None:
    """Cost per point, increments over the baseline and the frontier; ``None`` when the
    method is not weighted sum or no option has a cost."""
    from appraise.engine.vfm import efficient_frontier

    p = result.problem
    if result.method != "wsm" or not np.isfinite(p.costs).any():
        return None
    costs = p.costs
    benefits = result.totals
    with np.errstate(divide="ignore", invalid="ignore"):
        per_point = np.where(benefits > 0, costs / benefits, np.nan)
        per_cost = np.where(costs > 0, benefits / costs, np.nan)
        d_benefit = benefits - benefits[p.baseline]
        d_cost = costs - costs[p.baseline]
        dominates = (d_cost <= 0) & (d_benefit > 0)
        d_per_point = np.where((d_benefit > 0) & ~dominates, d_cost / d_benefit, np.nan)
    include = np.ones(costs.shape, dtype=bool) if result.include_failed else result.eligible
    status, icer = efficient_frontier(costs, benefits, include & result.complete)
    return ValueForMoney(
        costs,
        benefits,
        per_point,
        per_cost,
        d_benefit,
        d_cost,
        d_per_point,
        status,
        icer,
        dominates,
    )


def _vfm_dict(result: ScoreResult) -> dict[str, Any] | None:
    vfm = value_for_money(result)
    if vfm is None:
        return None
    p = result.problem

    def num(x: float) -> float | None:
        return None if np.isnan(x) else float(x)

    return {
        "unit": p.cost_unit,
        "costs": p.cost_book.as_dict() if p.cost_book is not None else None,
        "baseline": p.option_ids[p.baseline],
        "options": [
            {
                "id": p.option_ids[i],
                "cost": num(vfm.costs[i]),
                "benefit": float(vfm.benefits[i]),
                "cost_per_point": num(vfm.cost_per_point[i]),
                "points_per_cost": num(vfm.points_per_cost[i]),
                "delta_benefit": num(vfm.delta_benefit[i]),
                "delta_cost": num(vfm.delta_cost[i]),
                "delta_cost_per_point": num(vfm.delta_cost_per_point[i]),
                "dominates_baseline": bool(vfm.dominates_baseline[i]),
                "frontier": vfm.label(i) or None,
                "icer_on_frontier": num(vfm.icer[i]),
            }
            for i in result.order
        ],
    }


@dataclass(frozen=True)
class PanelSpread:
    """The panel's spread in every cell (G2): arrays ``(n_options, n_criteria)``.

    Attributes:
        n: panel members who scored the cell.
        min: lowest score.
        median: median score.
        max: highest score.
        range: ``max - min``.
        mean: mean score.
        sd: sample standard deviation.
        moderated: the moderated score (NaN where none).
        flagged: cells flagged for moderation.
    """

    n: npt.NDArray[np.intp]
    min: FloatArray
    median: FloatArray
    max: FloatArray
    range: FloatArray
    mean: FloatArray
    sd: FloatArray
    moderated: FloatArray
    flagged: npt.NDArray[np.bool_]


def panel_spread(problem: Problem) -> PanelSpread:
    """Per-cell statistics of the panel's scores, with the moderation flags."""
    stats = panel_stats(problem.scores)
    return PanelSpread(
        n=stats.n,
        min=stats.min,
        median=stats.median,
        max=stats.max,
        range=stats.range,
        mean=stats.mean,
        sd=stats.sd,
        moderated=problem.moderated,
        flagged=flag_cells(stats, problem.flag_range, problem.flag_distance),
    )


def score_all_weight_sets(problem: Problem, **kwargs: Any) -> list[ScoreResult]:
    """The same scoring under every weight set (the tree's first), to compare side by side."""
    return [score_problem(problem, weight_set=ws.id, **kwargs) for ws in problem.weight_sets]


def _panel_dict(result: ScoreResult) -> dict[str, Any]:
    p = result.problem
    spread = panel_spread(p)

    def num(x: float) -> float | None:
        return None if np.isnan(x) else float(x)

    return {
        "scorers": p.scorer_ids,
        "cells": [
            {
                "option": p.option_ids[i],
                "criterion": c,
                "n": int(spread.n[i, k]),
                "min": num(spread.min[i, k]),
                "median": num(spread.median[i, k]),
                "max": num(spread.max[i, k]),
                "range": num(spread.range[i, k]),
                "mean": num(spread.mean[i, k]),
                "sd": num(spread.sd[i, k]),
                "moderated": num(spread.moderated[i, k]),
                "flagged": bool(spread.flagged[i, k]),
                "scores": {s: num(p.scores[j, i, k]) for j, s in enumerate(p.scorer_ids)},
            }
            for i in result.order
            for k, c in enumerate(p.criterion_ids)
        ],
    }
