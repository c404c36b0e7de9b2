"""Terminal tables for ``appraise sensitivity`` (Rich, readable at 80 columns)."""

from __future__ import annotations

import math

import numpy as np
from rich.console import Group
from rich.text import Text

from appraise.analysis.score import METHOD_NAMES, ScoreResult
from appraise.analysis.sensitivity import SECTIONS, SensitivityResult
from appraise.terminal.score import BANNER, _table

__all__ = ["render_sensitivity"]

TORNADO_ROWS = 15


def _n(x: float | None, places: int = 1) -> str:
    return "" if x is None or math.isnan(x) else f"{x:,.{places}f}"


def _signed(x: float, places: int = 2) -> str:
    return "" if math.isnan(x) else ("never" if math.isinf(x) else f"{x:+.{places}f}")


def render_sensitivity(r: SensitivityResult, sections: tuple[str, ...] = SECTIONS) -> Group:
    """Every selected section, in the order of :data:`SECTIONS`."""
    p = r.problem
    parts: list[Text | object] = []
    if p.illustrative:
        parts.append(Text(f" {BANNER} ", style="bold black on yellow"))
    parts.append(Text(p.title, style="bold"))
    ws = p.weight_set(r.base.weight_set).name
    parts.append(
        Text(
            f"Sensitivity of the weighted sum · {r.base.aggregate} scores · weights: {ws}",
            style="dim",
        )
    )
    if r.leader is None:
        parts.append(Text("No option is ranked, so there is nothing to test."))
        return Group(*parts)  # type: ignore[arg-type]
    lead = p.option_names[r.leader]
    if r.runner_up is not None:
        parts.append(
            Text(
                f"{lead} has the highest weighted benefit score on this analysis, "
                f"{_n(r.margin)} points ahead of {p.option_names[r.runner_up]}. "
                "What follows is what would change that."
            )
        )
    builders = {
        "weights": _weights,
        "scores": _scores,
        "costs": _costs,
        "scenarios": _scenarios,
        "methods": _methods,
        "montecarlo": _monte_carlo,
        "tornado": _tornado,
    }
    for name in SECTIONS:
        if name in sections:
            parts.extend(builders[name](r))
    return Group(*parts)  # type: ignore[arg-type]


def _weights(r: SensitivityResult) -> list[object]:
    if not r.weight_switches:
        return []
    p = r.problem
    rows = []
    for ws in r.weight_switches:
        name = ws.name + (" (group)" if ws.kind == "group" else "")
        below = f"{_n(ws.below[0])} → {p.option_ids[ws.below[1]]}" if ws.below else "–"
        above = f"{_n(ws.above[0])} → {p.option_ids[ws.above[1]]}" if ws.above else "–"
        rows.append([name, _n(ws.weight), below, above, str(len(ws.crossings.at))])
    out: list[object] = [
        _table(
            "Weight switching values (the weight at which the leader changes; the others "
            f"rescaled in proportion; out of {_n(r.weight_switches[0].whole, 0)})",
            ["Criterion", "Now", "Below", "Above", "Crossings"],
            rows,
            left={"Criterion", "Below", "Above"},
            wrap=frozenset({"Criterion"}),
        )
    ]
    near = sorted(
        (ws for ws in r.weight_switches if ws.below or ws.above),
        key=lambda ws: min(
            abs(ws.weight - x[0]) / max(ws.weight, 1e-9) for x in (ws.below, ws.above) if x
        ),
    )
    for ws in near[:5]:
        out.append(Text("• " + r.weight_sentence(ws)))
    if not near:
        out.append(Text(f"{p.option_names[r.leader or 0]} leads at any single weight."))
    return out


def _scores(r: SensitivityResult) -> list[object]:
    if not r.score_switches or r.leader is None:
        return []
    p, base = r.problem, r.base
    lead = r.leader
    first = r.score_switches[0]
    rows = []
    for k, name in enumerate(p.criterion_names):
        up, down = first.raise_by[k], first.lower_by[k]
        rows.append(
            [
                name,
                _n(base.scores[first.option, k], 2),
                _signed(up),
                "yes" if first.raise_feasible[k] else "no",
                _n(base.scores[lead, k], 2),
                _signed(down),
                "yes" if first.lower_feasible[k] else "no",
            ]
        )
    runner_id, lead_id = p.option_ids[first.option], p.option_ids[lead]
    out: list[object] = [
        _table(
            f"Score switching values: one score that brings {runner_id} level with {lead_id}",
            ["Criterion", runner_id, "Change", "On scale", lead_id, "Change", "On scale"],
            rows,
            left={"Criterion"},
            wrap=frozenset({"Criterion"}),
        )
    ]
    rows = []
    for sw in r.score_switches:
        best = _smallest(sw.raise_by, sw.raise_feasible)
        what = (
            "no single score on the scale"
            if best is None
            else f"{p.criterion_ids[best]} {_n(base.scores[sw.option, best], 2)}"
            f" → {_n(base.scores[sw.option, best] + sw.raise_by[best], 2)}"
        )
        rows.append(
            [
                p.option_names[sw.option],
                _n(base.totals[lead] - base.totals[sw.option]),
                what,
            ]
        )
    out.append(
        _table(
            f"Closest challenge: the smallest single score change that ties with {lead_id}",
            ["Option", "Behind", "Score to change (from → to)"],
            rows,
            left={"Option", "Score to change (from → to)"},
            wrap=frozenset({"Option", "Score to change (from → to)"}),
        )
    )
    return out


def _smallest(change: np.ndarray, feasible: np.ndarray) -> int | None:
    ok = np.flatnonzero(feasible & np.isfinite(change))
    if ok.size == 0:
        return None
    return int(ok[np.argmin(np.abs(change[ok]))])


def _costs(r: SensitivityResult) -> list[object]:
    if not r.cost_switches:
        return []
    p = r.problem
    rows = []
    for c in r.cost_switches:
        if math.isinf(c.frontier_at):
            flip = "never off"
        elif c.status == "frontier":
            flip = f"off above {_n(c.frontier_at, 0)}"
        else:
            flip = f"on below {_n(c.frontier_at, 0)}"
        change = (
            ""
            if math.isinf(c.frontier_at) or c.cost == 0
            else f"{(c.frontier_at - c.cost) / c.cost * 100:+.0f}%"
        )
        best = (
            "–"
            if math.isnan(c.best_value_at) or c.best_value_at <= 0
            else f"{_n(c.best_value_at, 0)}"
        )
        status = "ext. dominated" if c.status == "extendedly dominated" else c.status
        rows.append([p.option_names[c.option], _n(c.cost, 0), status, flip, change, best])
    return [
        _table(
            f"Cost switching values ({p.cost_unit}): where an option joins or leaves the "
            "frontier, and the cost below which it is best value (lowest cost a point)",
            ["Option", "Cost", "Now", "Frontier", "Change", "Best value"],
            rows,
            left={"Option", "Now", "Frontier"},
            wrap=frozenset({"Option", "Now"}),
        )
    ]


def _scenarios(r: SensitivityResult) -> list[object]:
    if not r.scenarios:
        return []
    p = r.problem
    rows = []
    for sc in r.scenarios:
        leaders = sc.leaders
        runner = sc.runner_up()
        lead = "=".join(p.option_ids[i] for i in leaders) or "–"
        base_rank = int(sc.ranks[r.leader]) if r.leader is not None else 0
        rows.append(
            [
                sc.label,
                lead,
                p.option_ids[runner] if runner is not None else "–",
                _n(sc.margin()),
                str(base_rank) if base_rank else "–",
            ]
        )
    lead_id = p.option_ids[r.leader] if r.leader is not None else ""
    changed = sum(1 for sc in r.scenarios if r.leader not in sc.leaders)
    return [
        _table(
            "Scenarios and leave-one-out (weighted sum)",
            ["Scenario", "Leader", "Next", "Margin", f"{lead_id} rank"],
            rows,
            left={"Scenario", "Leader", "Next"},
            wrap=frozenset({"Scenario"}),
        ),
        Text(
            f"{p.option_names[r.leader or 0]} leads in {len(r.scenarios) - changed} of "
            f"{len(r.scenarios)} scenarios."
        ),
    ]


def _methods(r: SensitivityResult) -> list[object]:
    if not r.methods:
        return []
    p = r.problem
    results: list[ScoreResult] = list(r.methods.values())
    rows = [[p.option_names[i]] + [res.rank_label(i) for res in results] for i in r.base.order]
    return [
        _table(
            "Ranking under each method",
            ["Option"] + [METHOD_NAMES[m] for m in r.methods],
            rows,
            left={"Option"},
            wrap=frozenset({"Option"}),
        )
    ]


def _monte_carlo(r: SensitivityResult) -> list[object]:
    mc = r.monte_carlo
    if mc is None:
        return []
    p = r.problem
    res = mc.result
    tq, rq = res.total_quantiles(), res.rank_quantiles()
    how = {
        "dirichlet": f"Dirichlet around the stated weights (concentration {mc.concentration:g})",
        "uniform": "uniform over all weights",
        "bounds": f"each within ±{mc.bounds:g} of the stated weight",
        "fixed": "as stated",
    }[mc.weight_model]
    scores = {
        "panel": "triangular from each cell's panel minimum, score and maximum",
        "declared": "triangular from each cell's declared low, score and high",
        "fixed": "fixed",
    }[mc.score_model]
    order = sorted(range(len(mc.options)), key=lambda k: (-res.best[k], -res.mean_totals[k]))
    rows = [
        [
            p.option_names[mc.options[k]],
            f"{res.best[k]:.3f}",
            f"{res.acceptability[k, 1]:.3f}" if res.acceptability.shape[1] > 1 else "",
            f"{_n(tq[k, 0])}–{_n(tq[k, 2])}",
            f"{rq[k, 0]}–{rq[k, 2]}",
            _n(res.confidence[k], 2),
        ]
        for k in order
    ]
    out: list[object] = [
        Text(
            f"Monte Carlo (SMAA-2): {res.samples:,} samples, seed {mc.seed}; weights {how}; "
            f"scores {scores}."
            + (
                f" Confidence factors from {res.confidence_samples:,} score draws."
                if 1 < res.confidence_samples < res.samples
                else ""
            ),
            style="dim",
        ),
        _table(
            "Rank acceptability, intervals and confidence",
            ["Option", "P(1st)", "P(2nd)", "Total 5–95%", "Rank 5–95%", "Confidence"],
            rows,
            left={"Option"},
            wrap=frozenset({"Option"}),
        ),
    ]
    winners = [k for k in order if res.best[k] >= 0.01][:4]
    if winners:
        whole = float(r.base.weights.sum())
        rows = [
            [name, _n(r.base.weights[j])] + [_n(res.central_weights[k, j] * whole) for k in winners]
            for j, name in enumerate(p.criterion_names)
        ]
        out.append(
            _table(
                "Central weights: the typical weights that make each option first",
                ["Criterion", "Stated"] + [p.option_ids[mc.options[k]] for k in winners],
                rows,
                left={"Criterion"},
                wrap=frozenset({"Criterion"}),
            )
        )
    return out


def _tornado(r: SensitivityResult) -> list[object]:
    if not r.tornado or r.runner_up is None or r.leader is None:
        return []
    p = r.problem
    rows = [
        [b.label, _n(b.low), _n(b.high), _n(b.swing), "yes" if b.low < 0 else ""]
        for b in r.tornado[:TORNADO_ROWS]
    ]
    more = len(r.tornado) - TORNADO_ROWS
    out: list[object] = [
        _table(
            f"Tornado: {p.option_ids[r.leader]}'s margin over {p.option_ids[r.runner_up]} "
            f"(now {_n(r.margin)}) at each end of each factor, widest first",
            ["Factor", "Low", "High", "Swing", "Reverses"],
            rows,
            left={"Factor", "Reverses"},
            wrap=frozenset({"Factor"}),
        )
    ]
    if more > 0:
        out.append(Text(f"… and {more} narrower factors (all in --format json).", style="dim"))
    return out
