"""The tables of a sensitivity analysis: switching values (weights, scores, costs and
optimism-bias uplifts), scenarios, methods, Monte Carlo (ranks, and value for money
with costs drawn) and the tornado.

Each function builds one :class:`~appraise.paper.model.Table` from a
:class:`~appraise.analysis.sensitivity.SensitivityResult`, or returns ``None`` when the
analysis lacks what it needs; ``appraise sensitivity``, ``export`` and the report render
these same tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from appraise.analysis.sensitivity import SensitivityResult, WeightSwitch
from appraise.paper import wording
from appraise.paper.model import Cell, Column, Row, Table, cell, table
from appraise.paper.numbers import (
    COST,
    COST_CHANGE,
    COST_PER_POINT,
    COUNT,
    DERIVED_WEIGHT,
    POINTS,
    PROBABILITY,
    RANK,
    SCORE,
    SCORE_CHANGE,
    UPLIFT,
    UPLIFT_CHANGE,
    WEIGHT,
    format_number,
)
from appraise.paper.tables.score import rank_cell

__all__ = [
    "acceptability_table",
    "builders",
    "central_weights_table",
    "closest_table",
    "cost_switch_table",
    "methods_table",
    "montecarlo_costs_table",
    "montecarlo_table",
    "nearest_switches",
    "scenarios_table",
    "score_switch_table",
    "switching_table",
    "tornado_table",
    "uplift_switch_table",
]


def _option(sens: SensitivityResult, i: int | None, *, blank: str = "–") -> Cell:
    p = sens.problem
    if i is None:
        return cell(None, blank=blank)
    return cell(p.option_names[i], short=p.option_ids[i])


def switching_table(sens: SensitivityResult) -> Table | None:
    """For every criterion and group, the weight at which the leader changes."""
    if not sens.weight_switches or sens.leader is None:
        return None
    rows = []
    for ws in sens.weight_switches:
        below, above = ws.below, ws.above
        rows.append(
            (
                cell(ws.name + (" (group)" if ws.kind == "group" else "")),
                cell(ws.weight),
                cell(None if below is None else below[0], DERIVED_WEIGHT, blank="–"),
                _option(sens, None if below is None else below[1], blank=""),
                cell(None if above is None else above[0], DERIVED_WEIGHT, blank="–"),
                _option(sens, None if above is None else above[1], blank=""),
                cell(len(ws.crossings.at)),
            )
        )
    whole = sens.weight_switches[0].whole
    return table(
        "switching",
        "Weight switching values",
        "For each criterion and group, the weight at which the option with the highest "
        "weighted benefit score would change, the other weights rescaled in proportion "
        f"(weights out of {format_number(whole, WEIGHT)}); crossings counts every "
        "change of order between two ranked options.",
        (
            Column("Criterion or group", wide=True),
            Column("Weight now", WEIGHT, short="Now"),
            Column("Leader changes below", DERIVED_WEIGHT, short="Below"),
            Column("New leader below", short="To"),
            Column("Leader changes above", DERIVED_WEIGHT, short="Above"),
            Column("New leader above", short="To"),
            Column("Crossings", COUNT),
        ),
        rows,
    )


def nearest_switches(sens: SensitivityResult, limit: int | None = None) -> list[str]:
    """The weight switching sentences, those nearest their weight now first."""

    from appraise.analysis.decision import nearest_point

    def distance(ws: WeightSwitch) -> float:
        near = nearest_point(ws)
        return math.inf if near is None else near[0]

    chosen = sorted((ws for ws in sens.weight_switches if ws.below or ws.above), key=distance)
    if limit is not None:
        chosen = chosen[:limit]
    return [wording.weight_sentence(sens, ws) for ws in chosen]


def score_switch_table(sens: SensitivityResult) -> Table | None:
    """One score that brings the runner-up level with the leader, criterion by criterion."""
    if not sens.score_switches or sens.leader is None:
        return None
    p, base = sens.problem, sens.base
    lead = sens.leader
    first = sens.score_switches[0]
    runner_id, lead_id = p.option_ids[first.option], p.option_ids[lead]
    rows = []
    for k, name in enumerate(p.criterion_names):
        rows.append(
            (
                cell(name, short=None),
                cell(base.scores[first.option, k]),
                cell(first.raise_by[k], blank="never"),
                cell("yes" if first.raise_feasible[k] else "no"),
                cell(base.scores[lead, k]),
                cell(first.lower_by[k], blank="never"),
                cell("yes" if first.lower_feasible[k] else "no"),
            )
        )
    return table(
        "score_switching",
        f"Score switching values: one score that brings {runner_id} level with {lead_id}",
        f"How far one score of {p.option_names[first.option]} would have to rise, or one "
        f"score of {p.option_names[lead]} fall, on each criterion alone for the two to "
        "tie, and whether that score would still be on the scale.",
        (
            Column("Criterion", wide=True),
            Column(f"{runner_id} score", SCORE, short=runner_id),
            Column(f"{runner_id} change", SCORE_CHANGE, short="Change"),
            Column(f"{runner_id} on scale", short="On scale"),
            Column(f"{lead_id} score", SCORE, short=lead_id),
            Column(f"{lead_id} change", SCORE_CHANGE, short="Change"),
            Column(f"{lead_id} on scale", short="On scale"),
        ),
        rows,
    )


def _smallest(change: np.ndarray, feasible: np.ndarray) -> int | None:
    ok = np.flatnonzero(feasible & np.isfinite(change))
    if ok.size == 0:
        return None
    return int(ok[np.argmin(np.abs(change[ok]))])


def closest_table(sens: SensitivityResult) -> Table | None:
    """For every other ranked option, the smallest single score change that ties it
    with the leader."""
    if not sens.score_switches or sens.leader is None:
        return None
    p, base = sens.problem, sens.base
    lead = sens.leader
    rows = []
    for sw in sens.score_switches:
        k = _smallest(sw.raise_by, sw.raise_feasible)
        behind = cell(base.totals[lead] - base.totals[sw.option])
        if k is None:
            rows.append(
                (
                    _option(sens, sw.option),
                    behind,
                    cell("no single score on the scale"),
                    cell(None),
                    cell(None),
                )
            )
            continue
        now = float(base.scores[sw.option, k])
        rows.append(
            (
                _option(sens, sw.option),
                behind,
                cell(p.criterion_names[k], short=p.criterion_ids[k]),
                cell(now),
                cell(now + float(sw.raise_by[k])),
            )
        )
    lead_id = p.option_ids[lead]
    return table(
        "closest",
        f"Closest challenge: the smallest single score change that ties with {lead_id}",
        f"For each option behind {p.option_names[lead]}, the one score that, changed "
        "alone and kept on the scale, would bring it level.",
        (
            Column("Option", wide=True),
            Column("Points behind", POINTS, short="Behind"),
            Column("Score to change", wide=True, short="Criterion"),
            Column("From", SCORE),
            Column("To", SCORE),
        ),
        rows,
    )


def cost_switch_table(sens: SensitivityResult) -> Table | None:
    """Where an option joins or leaves the cost–benefit frontier, and the cost below
    which it would be best value (the lowest incremental cost per extra benefit point
    over the baseline)."""
    if not sens.cost_switches:
        return None
    p = sens.problem
    rows = []
    for c in sens.cost_switches:
        at = c.frontier_at
        change = None if math.isinf(at) or c.cost == 0 else (at - c.cost) / c.cost
        best: float | None = c.best_value_at
        best_blank = "–"
        if math.isnan(c.best_value_at):
            best = None
        elif math.isinf(c.best_value_at):
            best, best_blank = None, "at any cost"
        rows.append(
            (
                _option(sens, c.option),
                cell(c.cost),
                cell(wording.FRONTIER_NAMES[c.status], short=wording.FRONTIER_SHORT[c.status]),
                cell(None if math.isinf(at) else at, blank="never"),
                cell(change),
                cell(
                    "yes" if c.best_value else "no" if not math.isnan(c.best_value_at) else None,
                    blank="–",
                ),
                cell(best, blank=best_blank),
            )
        )
    unit = p.cost_unit
    base = p.option_ids[p.baseline]
    return table(
        "cost_switching",
        f"Cost switching values ({unit})",
        "The cost at which each option leaves the efficient frontier (if on it now: its "
        "cost rising above this) or joins it (if off it: its cost falling below this), "
        "and the cost below which it would be best value.",
        (
            Column("Option", wide=True),
            Column(f"Cost ({unit})", COST, short="Cost"),
            Column("Frontier now", short="Now"),
            Column("Frontier changes at", COST, short="Changes at"),
            Column("Change", COST_CHANGE),
            Column("Best value now", short="Best"),
            Column("Best value below", COST, short="Best below"),
        ),
        rows,
        [wording.best_value_note(base)],
    )


def uplift_switch_table(sens: SensitivityResult) -> Table | None:
    """For each option with optimism bias, the uplift at which it would join or leave
    the frontier and start or stop being best value, and whether that uplift is
    possible (0% or more)."""
    found = [c for c in sens.cost_switches if c.uplift is not None]
    if not found:
        return None
    rows = []
    mixed = False
    for c in found:
        u = c.uplift
        assert u is not None
        mixed |= not u.shared
        at_q = UPLIFT if u.shared else UPLIFT_CHANGE
        on = c.status == "frontier"
        for what, at, feasible, never in (
            (
                "leaves the frontier" if on else "joins the frontier",
                u.frontier_at,
                u.frontier_feasible,
                "never",
            ),
            (
                "stops being best value" if c.best_value else "becomes best value",
                u.best_value_at,
                u.best_value_feasible,
                "at any uplift" if c.best_value else "never",
            ),
        ):
            finite = math.isfinite(at)
            rows.append(
                (
                    _option(sens, c.option),
                    cell(what),
                    cell(u.uplift, UPLIFT, blank="mixed"),
                    cell(at if finite else None, at_q, blank=never),
                    cell(("yes" if feasible else "no") if finite else None, blank=""),
                )
            )
    notes = [
        "Each option's cost rises with the uplift on its optimism-bias lines (cost = "
        "present value x (1 + uplift)); the switching uplift moves only that option's "
        "cost. Possible: 0% or more (below 0% the uplift alone cannot get there)."
    ]
    if mixed:
        notes.append(
            "Where an option's lines carry different uplifts (mixed), a signed value is "
            "the percentage points added to each line's uplift."
        )
    return table(
        "uplift_switching",
        "Optimism-bias switching values",
        "The optimism-bias uplift at which each option would join or leave the "
        "cost–benefit frontier, and start or stop being best value (Green Book 5.60).",
        (
            Column("Option", wide=True),
            Column("Switch", wide=True),
            Column("Uplift now", UPLIFT, short="Uplift"),
            Column("At uplift", UPLIFT),
            Column("Possible"),
        ),
        rows,
        notes,
    )


def scenarios_table(sens: SensitivityResult) -> Table | None:
    """Who leads under each alternative assumption, by how much, and where the base
    case's leader then ranks."""
    if not sens.scenarios:
        return None
    p = sens.problem
    lead = sens.leader
    lead_id = p.option_ids[lead] if lead is not None else ""
    rows = []
    for sc in sens.scenarios:
        leaders = sc.leaders
        rank = int(sc.ranks[lead]) if lead is not None else 0
        rows.append(
            Row(
                (
                    cell(sc.kind),
                    cell(sc.label),
                    cell(
                        " and ".join(p.option_names[i] for i in leaders) or None,
                        short="=".join(p.option_ids[i] for i in leaders) or None,
                        blank="–",
                    ),
                    cell(sc.margin()),
                    _option(sens, sc.runner_up()),
                    cell(rank or None, RANK, blank="–"),
                ),
            )
        )
    notes = []
    if lead is not None:
        led, of = sens.scenarios_led()
        notes.append(wording.first_in(p.option_names[lead], led, of))
    return table(
        "scenarios",
        "Scenarios and leave-one-out",
        "Who has the highest weighted benefit score under each alternative assumption, "
        "by how much, and where the base case's leader"
        + (f" ({p.option_names[lead]})" if lead is not None else "")
        + " then ranks.",
        (
            Column("Kind", terminal=False),
            Column("Scenario", wide=True),
            Column("Highest score", wide=True, short="Leader"),
            Column("Margin", POINTS),
            Column("Runner-up", wide=True, short="Next"),
            Column(f"{lead_id} rank", RANK),
        ),
        rows,
        notes,
    )


def methods_table(sens: SensitivityResult) -> Table | None:
    """The ranking under each method, side by side."""
    if not sens.methods:
        return None
    p = sens.problem
    results = list(sens.methods.values())
    rows = [(_option(sens, i), *[rank_cell(res, i) for res in results]) for i in sens.base.order]
    return table(
        "methods",
        "Ranking under each method",
        "The rank of each option under the weighted sum (the method used) and, for "
        "comparison, TOPSIS and PROMETHEE II on the same scores and weights.",
        (
            Column("Option", wide=True),
            *[Column(wording.METHOD_NAMES[m], RANK) for m in sens.methods],
        ),
        [Row(tuple(r)) for r in rows],
        [
            f"{len(p.option_ids)} options; – = not ranked (fails a hurdle"
            + (", or not yet scored)." if sens.base.not_yet_scored else ").")
        ],
    )


INTERVAL_COLUMNS = (
    Column("Total 5%", POINTS),
    Column("Total 95%", POINTS),
    Column("Rank 5%", RANK),
    Column("Rank 95%", RANK),
    Column("Confidence", PROBABILITY, short="Conf."),
)
"""The Monte Carlo tables' last columns: 5–95% ranges of total and rank, confidence."""


def _interval_cells(sens: SensitivityResult, k: int) -> tuple[Cell, ...]:
    """The :data:`INTERVAL_COLUMNS` cells of the ``k``-th option Monte Carlo ranked."""
    assert sens.monte_carlo is not None
    res = sens.monte_carlo.result
    tq, rq = res.total_quantiles(), res.rank_quantiles()
    return (
        cell(tq[k, 0]),
        cell(tq[k, 2]),
        cell(int(rq[k, 0])),
        cell(int(rq[k, 2])),
        cell(res.confidence[k]),
    )


def _mc_order(sens: SensitivityResult) -> list[int]:
    mc = sens.monte_carlo
    assert mc is not None
    res = mc.result
    return sorted(range(len(mc.options)), key=lambda k: (-res.best[k], -res.mean_totals[k]))


def montecarlo_table(sens: SensitivityResult) -> Table | None:
    """P(first), P(second), 5–95% ranges of total and rank, and confidence factors."""
    mc = sens.monte_carlo
    if mc is None:
        return None
    res = mc.result
    two = res.acceptability.shape[1] > 1
    rows = [
        (
            _option(sens, mc.options[k]),
            cell(res.best[k]),
            cell(res.acceptability[k, 1] if two else None),
            *_interval_cells(sens, k),
        )
        for k in _mc_order(sens)
    ]
    return table(
        "montecarlo",
        "Monte Carlo summary: first place, intervals and confidence",
        f"Share of {format_number(res.samples, COUNT)} simulated weightings and "
        "scores in which each option comes first and second, the 5–95% ranges of its "
        "total and rank, and its confidence factor (the share of score draws in which it "
        "is first under its central weights).",
        (
            Column("Option", wide=True),
            Column("P(1st)", PROBABILITY),
            Column("P(2nd)", PROBABILITY),
            *INTERVAL_COLUMNS,
        ),
        rows,
        [wording.monte_carlo_sentence(mc)],
    )


def montecarlo_costs_table(sens: SensitivityResult) -> Table | None:
    """P(on the frontier), P(best value) and 5/50/95% of cost per point and of cost,
    over the Monte Carlo samples (``None`` without costs)."""
    mc = sens.monte_carlo
    if mc is None or mc.result.costs is None or not mc.result.costs.costed.any():
        return None
    p = sens.problem
    c = mc.result.costs
    pq, cq = c.per_point_quantiles(), c.cost_quantiles()
    unit = p.cost_unit

    def bounded(x: float) -> Cell:
        return cell(x if math.isfinite(x) else None, blank="beyond")

    rows = [
        (
            _option(sens, mc.options[k]),
            cell(c.frontier[k]),
            cell(c.best_value[k], blank="–"),
            *[bounded(float(x)) for x in pq[k]],
            *[cell(x) for x in cq[k]],
        )
        for k in _mc_order(sens)
        if c.costed[k]
    ]
    what = "weightings, scores and costs" if c.drawn else "weightings and scores"
    notes = [wording.best_value_note(p.option_ids[p.baseline])]
    if np.isnan(c.best_value).all():
        notes.append(
            f"No best value: the baseline ({p.option_ids[p.baseline]}) is not ranked "
            "here, or has no cost, so there is nothing to measure extra benefit against."
        )
    if not c.drawn:
        notes.append("Every cost is fixed: only the benefits vary.")
    else:
        notes.append(
            "Costs drawn: each line's amount from a triangular distribution over its low, "
            "stated and high totals, its optimism-bias uplift likewise over the reference "
            "class's range, and each risk happening with its probability."
        )
    return table(
        "montecarlo_costs",
        "Monte Carlo value for money: the frontier, best value and cost ranges",
        f"Share of {format_number(c.samples, COUNT)} simulated {what} in which each "
        "option is on the cost–benefit frontier and is best value, with the 5%, 50% "
        f"and 95% points of its cost per benefit point and of its cost ({unit}).",
        (
            Column("Option", wide=True),
            Column("P(on the frontier)", PROBABILITY, short="P(on\nfrontier)", key="p_frontier"),
            Column("P(best value)", PROBABILITY, short="P(best\nvalue)", key="p_best_value"),
            Column(
                f"{unit} per point 5%",
                COST_PER_POINT,
                short=f"{unit}/pt\n5%",
                key="cost_per_point_5",
            ),
            Column(
                f"{unit} per point 50%",
                COST_PER_POINT,
                short=f"{unit}/pt\n50%",
                key="cost_per_point_50",
            ),
            Column(
                f"{unit} per point 95%",
                COST_PER_POINT,
                short=f"{unit}/pt\n95%",
                key="cost_per_point_95",
            ),
            Column(f"Cost 5% ({unit})", COST, short=f"{unit}\n5%", key="cost_5"),
            Column(f"Cost 50% ({unit})", COST, short=f"{unit}\n50%", key="cost_50"),
            Column(f"Cost 95% ({unit})", COST, short=f"{unit}\n95%", key="cost_95"),
        ),
        rows,
        notes,
    )


def acceptability_table(sens: SensitivityResult) -> Table | None:
    """The share of samples in which each option takes each rank."""
    mc = sens.monte_carlo
    if mc is None:
        return None
    res = mc.result
    m = len(mc.options)
    rows = [
        (
            _option(sens, mc.options[j]),
            *[cell(res.acceptability[j, k]) for k in range(m)],
            *_interval_cells(sens, j),
        )
        for j in _mc_order(sens)
    ]
    return table(
        "acceptability",
        "Monte Carlo: rank acceptability",
        f"Share of {format_number(res.samples, COUNT)} simulated weightings and "
        "scores in which each option takes each rank, with 5–95% ranges of its total and "
        "rank and its confidence factor.",
        (
            Column("Option", wide=True),
            *[Column(f"Rank {k + 1}", PROBABILITY, short=f"{k + 1}") for k in range(m)],
            *INTERVAL_COLUMNS,
        ),
        rows,
        [wording.monte_carlo_sentence(mc)],
    )


def central_weights_table(sens: SensitivityResult, most: int = 4) -> Table | None:
    """The typical weights that make each option first (those first in at least 1% of
    samples, at most ``most`` of them)."""
    mc = sens.monte_carlo
    if mc is None:
        return None
    p = sens.problem
    res = mc.result
    winners = [k for k in _mc_order(sens) if res.best[k] >= 0.01][:most]
    if not winners:
        return None
    whole = float(sens.base.weights.sum())
    rows = [
        (
            cell(name, short=None),
            cell(sens.base.weights[j]),
            *[cell(res.central_weights[k, j] * whole) for k in winners],
        )
        for j, name in enumerate(p.criterion_names)
    ]
    return table(
        "central_weights",
        "Central weights: the typical weights that make each option first",
        "For each option that comes first in at least 1% of samples, the mean of the "
        "weights in the samples where it does, beside the stated weights.",
        (
            Column("Criterion", wide=True),
            Column("Stated", WEIGHT),
            *[
                Column(
                    p.option_names[mc.options[k]],
                    DERIVED_WEIGHT,
                    short=p.option_ids[mc.options[k]],
                )
                for k in winners
            ],
        ),
        rows,
    )


def tornado_table(sens: SensitivityResult, limit: int | None = None) -> Table | None:
    """The leader's margin over the best other option at each end of each factor,
    widest swing first (the first ``limit`` factors when given)."""
    if not sens.tornado or sens.leader is None:
        return None
    p = sens.problem
    bars = sens.tornado if limit is None else sens.tornado[:limit]
    rows = [
        (
            cell(b.label),
            cell(b.low),
            _option(sens, b.low_other, blank=""),
            cell(b.high),
            _option(sens, b.high_other, blank=""),
            cell(b.swing),
            cell("yes" if b.low < 0 else ""),
        )
        for b in bars
    ]
    notes = []
    more = len(sens.tornado) - len(bars)
    if more > 0:
        notes.append(f"… and {more} narrower factors (all in --format json).")
    lead_id = p.option_ids[sens.leader]
    return table(
        "tornado",
        f"Tornado: {lead_id}'s margin over the best other option, widest swing first",
        f"{p.option_names[sens.leader]}'s lead over whichever other option scores highest "
        f"(now {format_number(sens.margin, POINTS)} points) at the low and high end "
        "of each factor, and which option that is; below 0 another option would lead.",
        (
            Column("Factor", wide=True),
            Column("Margin at low end", POINTS, short="Low"),
            Column("Best other at low end", short="Over"),
            Column("Margin at high end", POINTS, short="High"),
            Column("Best other at high end", short="Over"),
            Column("Swing", POINTS),
            Column("Reverses"),
        ),
        rows,
        notes,
    )


def builders(
    sens: SensitivityResult, *, tornado_rows: int | None = None
) -> dict[str, Callable[[], Table | None]]:
    """Each sensitivity table by its key, built when called (``None``: does not apply);
    the tornado cut to its widest ``tornado_rows`` factors when given."""
    return {
        "switching": lambda: switching_table(sens),
        "score_switching": lambda: score_switch_table(sens),
        "closest": lambda: closest_table(sens),
        "cost_switching": lambda: cost_switch_table(sens),
        "uplift_switching": lambda: uplift_switch_table(sens),
        "scenarios": lambda: scenarios_table(sens),
        "methods": lambda: methods_table(sens),
        "montecarlo": lambda: montecarlo_table(sens),
        "montecarlo_costs": lambda: montecarlo_costs_table(sens),
        "acceptability": lambda: acceptability_table(sens),
        "central_weights": lambda: central_weights_table(sens),
        "tornado": lambda: tornado_table(sens, tornado_rows),
    }
