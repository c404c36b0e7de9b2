"""The tables of the report's decision summary and core: the decision summary (one
row per option), the hurdles as a pass / conditional / fail matrix, the criteria with
their definitions, and one switching-value table for weights, scores and costs."""

from __future__ import annotations

import math

import numpy as np

from appraise.analysis.score import value_for_money
from appraise.analysis.sensitivity import SensitivityResult
from appraise.files.loading import Appraisal
from appraise.paper import wording
from appraise.paper.model import Cell, Column, Row, Sum, Table, cell, table
from appraise.paper.numbers import (
    COST,
    COST_DELTA,
    COST_PER_POINT,
    COUNT,
    DERIVED_WEIGHT,
    PROBABILITY,
    RANK,
    RELATIVE_CHANGE,
    SCORE,
    SCORE_CHANGE,
    WEIGHT,
    WEIGHT_CHANGE,
    format_number,
)
from appraise.paper.tables.score import option_cell, rank_cell, row_style

__all__ = [
    "costs_table",
    "criteria_table",
    "decision_table",
    "hurdle_matrix",
    "hurdle_summary",
    "scenario_summary_table",
    "switches_table",
]

HURDLE_WORDS = {"pass": "pass", "conditional": "conditional", "fail": "FAIL", "": "not assessed"}
"""A hurdle result as the matrix shows it (a failure in capitals, to be seen in grey)."""


def hurdle_summary(sens: SensitivityResult, i: int) -> str:
    """One option's hurdles in a few words: ``all passed``, ``conditional: H4``,
    ``fails H5``."""
    p = sens.problem
    if not p.hurdle_ids:
        return ""
    results = [str(r) for r in p.hurdle_results[i]]
    failed = [h for h, r in zip(p.hurdle_ids, results, strict=True) if r == "fail"]
    conditional = [h for h, r in zip(p.hurdle_ids, results, strict=True) if r == "conditional"]
    parts = []
    if failed:
        parts.append("fails " + ", ".join(failed))
    if conditional:
        parts.append("conditional: " + ", ".join(conditional))
    return "; ".join(parts) if parts else "all passed"


def scenarios_led_by(sens: SensitivityResult) -> tuple[list[int], int]:
    """For each option, how many alternative scenarios (the base case not counted) it
    alone leads; and how many there are."""
    others = [sc for sc in sens.scenarios if sc.kind != "base"]
    led = [0] * len(sens.problem.option_ids)
    for sc in others:
        if len(sc.leaders) == 1:
            led[sc.leaders[0]] += 1
    return led, len(others)


def decision_table(sens: SensitivityResult) -> Table:
    """A row per option: rank, benefit, cost, cost per extra point along the frontier,
    hurdles, P(first) and the scenarios it leads."""
    base = sens.base
    p = sens.problem
    q = wording.total_quantity(base.method)
    vfm = value_for_money(base)
    unit = p.cost_unit
    mc = sens.monte_carlo
    led, of = scenarios_led_by(sens)
    columns = [
        Column("Rank", RANK),
        Column("Option", wide=True),
        Column("Benefit score", q, short="Benefit"),
    ]
    if vfm is not None:
        columns += [
            Column(f"Cost ({unit})", COST, short="Cost", key="cost"),
            Column(
                f"{unit} per extra point on the frontier",
                COST_PER_POINT,
                short=f"{unit}/+pt",
                key="cost_per_extra_point_on_frontier",
            ),
        ]
    if p.hurdle_ids:
        columns.append(Column("Hurdles", key="hurdles"))
    if mc is not None:
        columns.append(Column("P(first)", PROBABILITY, key="p_first"))
    if of:
        columns.append(Column(f"Scenarios led (of {of})", COUNT, short="Led", key="scenarios_led"))
    rows = []
    for i in base.order:
        cells: list[Cell] = [
            rank_cell(base, i),
            option_cell(base, i, baseline=True, short=False),
            cell(base.totals[i]),
        ]
        if vfm is not None:
            label = vfm.label(int(i))
            cells.append(cell(vfm.costs[i]))
            icer = float(vfm.icer[i])
            if label != "frontier":
                cells.append(cell(None, blank=wording.FRONTIER_SHORT[label] or "–"))
            elif math.isnan(icer):
                cells.append(cell(None, blank="lowest cost"))
            else:
                cells.append(cell(icer))
        if p.hurdle_ids:
            cells.append(cell(hurdle_summary(sens, int(i))))
        if mc is not None:
            j = mc.options.index(int(i)) if int(i) in mc.options else None
            cells.append(
                cell(None, blank="–") if j is None else cell(mc.result.acceptability[j, 0])
            )
        if of:
            cells.append(cell(led[i]) if base.ranks[i] > 0 else cell(None, blank="–"))
        rows.append(Row(tuple(cells), row_style(base, int(i))))  # type: ignore[arg-type]
    said = []
    if vfm is not None:
        said.append(
            f"{unit} per extra point on the frontier: the extra cost of each option on the "
            "cost–benefit frontier for each extra benefit point over the frontier option "
            "below it. Dominated: another option costs less and scores more; extended: "
            "extendedly dominated (a mix of two frontier options would)."
        )
    if mc is not None:
        said.append(
            f"P(first): the share of {format_number(mc.result.samples, COUNT)} Monte Carlo "
            "simulations, varying weights and scores, in which the option comes first."
        )
    shows = ["rank and weighted benefit score"]
    if vfm is not None:
        shows.append("cost and value for money")
    if p.hurdle_ids:
        shows.append("the hurdles it passes only conditionally or fails")
    if mc is not None or of:
        shows.append("how robust its place is")
    return table(
        "decision",
        "Decision summary",
        "Each option's "
        + (", ".join(shows[:-1]) + ", and " if len(shows) > 1 else "")
        + shows[-1]
        + ".",
        columns,
        rows,
        said,
    )


def hurdle_matrix(appraisal: Appraisal) -> Table | None:
    """Options × hurdles: pass, conditional or FAIL; the reasons for a conditional
    pass or a failure as notes (every reason is in the evidence pack)."""
    hurdles = [h for _, f in appraisal.criteria_files for h in f.hurdles]
    if not hurdles:
        return None
    options = [o for _, f in appraisal.options_files for o in f.options if not o.discounted]
    rows = []
    notes = []
    for o in options:
        cells = [cell(o.name, short=o.id)]
        for h in hurdles:
            res = o.hurdles.get(h.id)
            result = "" if res is None else res.result
            cells.append(cell(HURDLE_WORDS[result]))
            if res is not None and result in ("conditional", "fail"):
                reason = " ".join(res.reason.split())
                notes.append(f"{o.id} {HURDLE_WORDS[result].lower()} on {h.id}: {reason}")
        rows.append(tuple(cells))
    return table(
        "hurdle_matrix",
        "Hurdles: pass, conditional or fail",
        "Tests every shortlisted option must meet before it is ranked: "
        + "; ".join(f"{h.id} {h.name}" for h in hurdles)
        + ". An option that fails one is shown but not ranked.",
        (Column("Option", wide=True), *[Column(h.id) for h in hurdles]),
        rows,
        notes,
    )


def criteria_table(sens: SensitivityResult, appraisal: Appraisal) -> Table:
    """Each criterion with its definition and its local and global weight."""
    base = sens.base
    p = sens.problem
    ws = p.weight_set(base.weight_set)
    defined: dict[str, str] = {}
    stack = [c for _, f in appraisal.criteria_files for c in f.criteria]
    while stack:
        node = stack.pop()
        if node.definition:
            defined[node.id] = " ".join(node.definition.split())
        stack.extend(node.criteria or ())
    rows: list[Row] = []
    for g, node in enumerate(p.groups):
        leaf_only = [int(k) for k in np.flatnonzero(p.leaf_group == g)]
        own = len(leaf_only) == 1 and int(p.leaves[leaf_only[0]]) == int(node)
        if not own:
            rows.append(
                Row(
                    (
                        cell(p.node_names[node], short=p.node_ids[node]),
                        cell(defined.get(p.node_ids[node], "")),
                        cell(ws.local[node]),
                        cell(base.group_weights[g]),
                    ),
                    "group",
                )
            )
        for k in leaf_only:
            leaf = int(p.leaves[k])
            rows.append(
                Row(
                    (
                        cell(
                            ("" if own else "    ") + p.criterion_names[k], short=p.criterion_ids[k]
                        ),
                        cell(defined.get(p.criterion_ids[k], "")),
                        cell(ws.local[leaf]),
                        cell(base.weights[k]),
                    )
                )
            )
    return table(
        "criteria",
        f"Criteria and weights: {ws.name}",
        "Each group of criteria and each criterion under it, what it measures, and its "
        f"weight within its group (local) and of the whole (global, out of "
        f"{format_number(p.total, WEIGHT)}).",
        (
            Column("Criterion", wide=True),
            Column("Definition", wide=True),
            Column("Local weight", WEIGHT, short="Local"),
            Column("Global weight", WEIGHT, short="Global"),
        ),
        rows,
    )


def switches_table(sens: SensitivityResult) -> Table | None:
    """One table of switching values: each weight at which the leader changes, the
    smallest change in each score that brings the runner-up level, and each cost at
    which an option joins or leaves the cost–benefit frontier."""
    if sens.leader is None:
        return None
    p = sens.problem
    base = sens.base
    leader = sens.leader
    rows: list[tuple[Cell, ...]] = []

    def relative(change: float, now: float) -> Cell:
        return cell(change / now if now else None, RELATIVE_CHANGE, blank="–")

    for ws in sens.weight_switches:
        for point in (ws.below, ws.above):
            if point is None:
                continue
            at, who = point
            what = ws.name + (" (group)" if ws.kind == "group" else "")
            rows.append(
                (
                    cell("weight"),
                    cell(what, short=ws.id),
                    cell(ws.weight, WEIGHT),
                    cell(at, DERIVED_WEIGHT),
                    cell(at - ws.weight, WEIGHT_CHANGE),
                    relative(at - ws.weight, ws.weight),
                    cell(f"{p.option_ids[who]} first"),
                )
            )
    runner = sens.runner_up
    for sw in sens.score_switches:
        if sw.option != runner:
            continue
        for k, cid in enumerate(p.criterion_ids):
            options = [
                (abs(float(sw.raise_by[k])), sw.option, float(sw.raise_by[k]))
                if sw.raise_feasible[k]
                else None,
                (abs(float(sw.lower_by[k])), leader, float(sw.lower_by[k]))
                if sw.lower_feasible[k]
                else None,
            ]
            feasible = [x for x in options if x is not None and np.isfinite(x[2])]
            if not feasible:
                continue
            _, whose, change = min(feasible, key=lambda x: (x[0], x[1] != leader))
            now = float(base.scores[whose, k])
            rows.append(
                (
                    cell("score"),
                    cell(
                        f"{p.option_ids[whose]} on {p.criterion_names[k]}",
                        short=f"{p.option_ids[whose]}.{cid}",
                    ),
                    cell(now, SCORE),
                    cell(now + change, SCORE),
                    cell(change, SCORE_CHANGE),
                    relative(change, now),
                    cell(f"level with {p.option_ids[runner if whose == leader else leader]}"),
                )
            )
    for c in sens.cost_switches:
        if math.isinf(c.frontier_at) or math.isnan(c.frontier_at):
            continue
        on = c.status == "frontier"
        rows.append(
            (
                cell("cost"),
                cell(f"{p.option_ids[c.option]} cost", short=p.option_ids[c.option]),
                cell(c.cost, COST),
                cell(c.frontier_at, COST),
                cell(c.frontier_at - c.cost, COST_DELTA),
                relative(c.frontier_at - c.cost, c.cost),
                cell("leaves the frontier" if on else "joins the frontier"),
            )
        )
    if not rows:
        return None
    unit = p.cost_unit
    lead = p.option_ids[leader]
    return table(
        "switches",
        "Switching values: weights, scores and costs",
        f"How far one number must move, the others held, before the result changes: a "
        f"weight (the others rescaled in proportion) until {lead} is no longer first; a "
        f"score until {p.option_ids[runner] if runner is not None else 'the runner-up'} "
        f"draws level with {lead} (the smaller of raising the one or lowering the other); a "
        f"cost ({unit}) until the option joins or leaves the cost–benefit frontier.",
        (
            Column("Kind"),
            Column("What changes", wide=True),
            Column("Now", WEIGHT),
            Column("Switches at", DERIVED_WEIGHT, short="At"),
            Column("Change", WEIGHT_CHANGE),
            Column("Change %", RELATIVE_CHANGE, short="%", key="change_pct"),
            Column("Then", wide=True),
        ),
        rows,
    )


def costs_table(sens: SensitivityResult, appraisal: Appraisal) -> Table | None:
    """Each option's cost and the lines it is made of, with the basis."""
    p = sens.problem
    costed = [o for _, f in appraisal.options_files for o in f.options if o.cost is not None]
    if not costed:
        return None
    items: list[str] = []
    for o in costed:
        assert o.cost is not None
        for line in o.cost.breakdown:
            if line.item not in items:
                items.append(line.item)
    place = {oid: k for k, oid in enumerate(p.option_ids)}
    order = {int(i): n for n, i in enumerate(sens.base.order)}
    costed.sort(key=lambda o: order.get(place.get(o.id, -1), len(order)))
    unit = p.cost_unit
    rows = []
    for o in costed:
        assert o.cost is not None
        lines: dict[str, float] = {}
        for line in o.cost.breakdown:
            lines[line.item] = lines.get(line.item, 0.0) + float(line.amount)
        rows.append(
            (
                cell(o.name, short=o.id),
                *[cell(lines.get(item)) for item in items],
                cell(float(p.costs[place[o.id]]) if o.id in place else None),
            )
        )
    basis = appraisal.settings.costs.basis
    notes = [f"Basis: {' '.join(basis.split())}."] if basis else []
    notes += [
        f"{o.id}: {' '.join(o.cost.basis.split())}."
        for o in costed
        if o.cost is not None and o.cost.basis
    ]
    n = len(items)
    return table(
        "costs",
        f"Costs and their breakdown ({unit})",
        f"The cost of each option used for value for money ({unit}) and the lines it is made "
        "of; costs are held apart from the benefit criteria.",
        (
            Column("Option", wide=True),
            *[Column(item, COST, key=f"line_{k + 1}") for k, item in enumerate(items)],
            Column(f"Cost ({unit})", COST, short="Cost", key="cost"),
        ),
        rows,
        notes,
        sums=[Sum(n + 1, tuple(range(1, n + 1)), "cost lines")] if n else [],
    )


SCENARIO_KINDS = {
    "weight set": "Other weight sets",
    "weights": "Equal weights",
    "without group": "Each group of criteria left out",
    "without criterion": "Each criterion left out",
    "panel member": "Each panel member's scores alone",
    "panel without": "Each panel member left out",
    "panel": "Every score at the panel's lowest or highest",
}
"""Each kind of scenario as the summary names it."""


def scenario_summary_table(sens: SensitivityResult) -> Table | None:
    """The scenarios by kind: how many, in how many the leader stays first, and who
    leads in the others (every scenario is in the evidence pack)."""
    if sens.leader is None:
        return None
    p = sens.problem
    lead = sens.leader
    kinds: dict[str, list[list[int]]] = {}
    for sc in sens.scenarios:
        if sc.kind == "base":
            continue
        kinds.setdefault(sc.kind, []).append(sc.leaders)
    if not kinds:
        return None
    rows = []
    for kind, leaders in kinds.items():
        kept = sum(1 for ls in leaders if ls == [lead])
        others: dict[int, int] = {}
        for ls in leaders:
            if ls != [lead]:
                for i in ls:
                    others[i] = others.get(i, 0) + 1
        who = ", ".join(
            f"{p.option_ids[i]} {n}" for i, n in sorted(others.items(), key=lambda x: -x[1])
        )
        rows.append(
            (
                cell(SCENARIO_KINDS.get(kind, kind)),
                cell(len(leaders)),
                cell(kept),
                cell(who or "none"),
            )
        )
    name = p.option_ids[lead]
    return table(
        "scenario_summary",
        "Scenarios summarised",
        f"The alternative scenarios by kind: how many there are, in how many {name} is "
        "still first, and which options lead in the rest (with how many each).",
        (
            Column("Scenarios", wide=True),
            Column("Number", COUNT),
            Column(f"{name} first", COUNT),
            Column("Others first", wide=True),
        ),
        rows,
    )
