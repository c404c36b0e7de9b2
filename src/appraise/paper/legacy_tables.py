"""The tables of a board paper as plain typed data, for every export format.

Each table is a title, a caption, typed columns and rows of cells (text, numbers or
nothing), built from a scoring and sensitivity result. Numbers stay numbers here, so
Excel gets numbers and each text format rounds them its own way; nothing in this
module formats, escapes or writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from appraise.analysis.score import ScoreResult, panel_spread, value_for_money
from appraise.analysis.sensitivity import SensitivityResult
from appraise.files.loading import Appraisal

__all__ = ["TABLES", "Cell", "Column", "Table", "TableUnavailable", "build_table"]

Cell = str | float | int | None
"""A table cell: text, a number, or nothing (shown empty)."""

TABLES: tuple[str, ...] = (
    "ranking",
    "matrix",
    "weights",
    "vfm",
    "switching",
    "scenarios",
    "acceptability",
    "spread",
    "rationale",
)
"""Every table ``appraise export --table`` knows, in board-paper order."""


class TableUnavailable(Exception):
    """A table cannot be built from this appraisal (the message says why)."""


@dataclass(frozen=True)
class Column:
    """One column: its heading, what its cells hold and how to show them.

    Attributes:
        name: the heading.
        kind: ``text``, ``number`` (shown to ``places`` decimals) or ``percent`` (a
            fraction 0–1, shown as a percentage to ``places`` decimals).
        places: decimals shown.
        wide: long free text (wrapped, given more room).
    """

    name: str
    kind: Literal["text", "number", "percent"] = "text"
    places: int = 1
    wide: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table of typed cells.

    Attributes:
        key: its name in :data:`TABLES`.
        title: heading shown above it.
        caption: one or two sentences saying what it shows.
        columns: the columns.
        rows: the rows, one cell per column.
        notes: sentences shown under it (plain English findings, cautions).
    """

    key: str
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = field(default=())


def _num(x: float) -> float | None:
    return None if x is None or math.isnan(float(x)) else float(x)


def build_table(key: str, sens: SensitivityResult, appraisal: Appraisal | None = None) -> Table:
    """The table ``key`` (one of :data:`TABLES`).

    Args:
        key: which table.
        sens: the analysis (its ``base`` is the scoring result shown).
        appraisal: the loaded files, for the rationale matrix.

    Raises:
        TableUnavailable: the appraisal lacks what the table needs (no costs, no Monte
            Carlo run, no panel...).
    """
    builders = {
        "ranking": lambda: _ranking(sens.base),
        "matrix": lambda: _matrix(sens.base),
        "weights": lambda: _weights(sens.base),
        "vfm": lambda: _vfm(sens.base),
        "switching": lambda: _switching(sens),
        "scenarios": lambda: _scenarios(sens),
        "acceptability": lambda: _acceptability(sens),
        "spread": lambda: _spread(sens.base),
        "rationale": lambda: _rationale(sens.base, appraisal),
    }
    if key not in builders:
        raise TableUnavailable(f"no table {key!r}; choose from {', '.join(TABLES)}")
    return builders[key]()


def _places(result: ScoreResult) -> int:
    return 1 if result.method == "wsm" else 3


def _ranking(r: ScoreResult) -> Table:
    p = r.problem
    places = _places(r)
    groups = [p.node_names[g] for g in p.groups]
    columns = (
        Column("Rank"),
        Column("Option", wide=True),
        Column("Total", "number", places),
        *[Column(g, "number", places) for g in groups],
        Column("Gap to next", "number", places),
        Column("Gap % of leader", "number", 1),
        Column("Fails hurdles"),
    )
    rows = []
    for i in r.order:
        name = p.option_names[i] + (" (baseline)" if i == p.baseline else "")
        rows.append(
            (
                r.rank_label(i),
                name,
                _num(r.totals[i]),
                *[_num(v) for v in r.subtotals[i]],
                _num(r.gap_next[i]),
                _num(r.gap_next_pct[i]),
                ", ".join(r.failed_hurdles(i)),
            )
        )
    notes = []
    if any(not r.eligible[i] for i in range(len(p.option_ids))) and not r.include_failed:
        notes.append("Options failing a hurdle (–) are shown but not ranked.")
    notes.append(
        "The first-ranked option has the highest weighted benefit score on this "
        "analysis; the scores inform the decision and do not make it."
    )
    return Table(
        "ranking",
        "Ranking",
        f"Weighted benefit score of each option (maximum {r.maximum:g}), with the "
        "part each group of criteria contributes and the gap to the next option.",
        columns,
        tuple(rows),
        tuple(notes),
    )


def _weight_label(w: float) -> str:
    return f"{w:.2f}".rstrip("0").rstrip(".")


def _matrix(r: ScoreResult) -> Table:
    p = r.problem
    columns = (
        Column("Option", wide=True),
        *[
            Column(f"{cid} ({_weight_label(w)})", "number", 0 if _integral(r, k) else 1)
            for k, (cid, w) in enumerate(zip(p.criterion_ids, r.weights, strict=True))
        ],
        Column("Total", "number", _places(r)),
    )
    rows = tuple(
        (p.option_names[i], *[_num(s) for s in r.scores[i]], _num(r.totals[i])) for i in r.order
    )
    flagged = [
        f"{p.option_ids[i]}/{p.criterion_ids[k]}"
        for i in r.order
        for k in range(len(p.criterion_ids))
        if r.flagged[i, k]
    ]
    notes = [
        "Criteria: "
        + "; ".join(f"{c} {n}" for c, n in zip(p.criterion_ids, p.criterion_names, strict=True))
        + "."
    ]
    if flagged:
        notes.append(
            f"Cells flagged for moderation (panel spread): {', '.join(flagged)}. "
            "See the panel spread table."
        )
    return Table(
        "matrix",
        "Score matrix",
        "The scores that count (moderated where the panel met, otherwise the panel "
        "median) on each criterion; each heading gives the criterion's id and global weight.",
        columns,
        rows,
        tuple(notes),
    )


def _integral(r: ScoreResult, k: int) -> bool:
    col = r.scores[:, k]
    col = col[~np.isnan(col)]
    return bool(np.all(col == np.round(col)))


def _weights(r: ScoreResult) -> Table:
    p = r.problem
    ws = p.weight_set(r.weight_set)
    rows: list[tuple[Cell, ...]] = []
    for g, node in enumerate(p.groups):
        rows.append(
            (
                p.node_names[node],
                p.node_ids[node],
                "group",
                _num(ws.local[node]),
                _num(r.group_weights[g]),
            )
        )
        for k in np.flatnonzero(p.leaf_group == g):
            leaf = int(p.leaves[k])
            if leaf == node:  # a top-level criterion is its own group
                continue
            rows.append(
                (
                    "    " + p.criterion_names[k],
                    p.criterion_ids[k],
                    "criterion",
                    _num(ws.local[leaf]),
                    _num(r.weights[k]),
                )
            )
    return Table(
        "weights",
        f"Weights: {ws.name}",
        f"Each group's and criterion's weight: local (within its group) and global "
        f"(its share of the whole); weights at each level sum to {p.total:g}.",
        (
            Column("Criterion", wide=True),
            Column("Id"),
            Column("Level"),
            Column("Local weight", "number", 2),
            Column("Global weight", "number", 2),
        ),
        tuple(rows),
    )


_FRONTIER = {
    "frontier": "on the frontier",
    "dominated": "dominated",
    "extendedly dominated": "extendedly dominated",
    "": "",
}


def _vfm(r: ScoreResult) -> Table:
    vfm = value_for_money(r)
    if vfm is None:
        raise TableUnavailable(
            "no value-for-money table: it needs a cost for every option and the weighted sum"
        )
    p = r.problem
    unit = p.cost_unit
    base = p.option_ids[p.baseline]
    rows = tuple(
        (
            p.option_names[i],
            _num(vfm.costs[i]),
            _num(vfm.benefits[i]),
            _num(vfm.cost_per_point[i]),
            _num(vfm.delta_benefit[i]),
            _num(vfm.delta_cost[i]),
            _num(vfm.delta_cost_per_point[i]),
            _FRONTIER[vfm.label(i)],
            _num(vfm.icer[i]),
        )
        for i in r.order
    )
    caution = (
        "The scale is relative, so cost per point is not meaningful."
        if p.scale_type == "relative"
        else "Cost per point assumes the scores are on an interval scale with a "
        "meaningful zero; read it beside the frontier, not as a single answer."
    )
    return Table(
        "vfm",
        "Value for money",
        f"Cost ({unit}) against weighted benefit points, compared with the baseline "
        f"({base}); the efficient frontier holds the options no cheaper mix beats.",
        (
            Column("Option", wide=True),
            Column(f"Cost ({unit})", "number", 0),
            Column("Benefit points", "number", 1),
            Column(f"{unit} per point", "number", 2),
            Column(f"Extra points vs {base}", "number", 1),
            Column(f"Extra cost vs {base} ({unit})", "number", 0),
            Column(f"{unit} per extra point", "number", 2),
            Column("Frontier"),
            Column(f"{unit} per extra point along the frontier", "number", 2),
        ),
        rows,
        (caution,),
    )


def _switching(sens: SensitivityResult) -> Table:
    if not sens.weight_switches or sens.leader is None:
        raise TableUnavailable("no switching values: they need a single leader (weighted sum)")
    p = sens.problem
    rows = []
    for ws in sens.weight_switches:
        below = ws.below
        above = ws.above
        rows.append(
            (
                ws.name,
                ws.kind,
                _num(ws.weight),
                None if below is None else _num(below[0]),
                None if below is None else p.option_names[below[1]],
                None if above is None else _num(above[0]),
                None if above is None else p.option_names[above[1]],
                sens.weight_sentence(ws),
            )
        )
    return Table(
        "switching",
        "Switching values: weights",
        "For each criterion and group, the weight at which the option with the highest "
        "weighted benefit score would change, the other weights rescaled in proportion.",
        (
            Column("Criterion or group", wide=True),
            Column("Level"),
            Column("Weight now", "number", 1),
            Column("Leader changes below", "number", 1),
            Column("To"),
            Column("Leader changes above", "number", 1),
            Column("To"),
            Column("In words", wide=True),
        ),
        tuple(rows),
    )


def _scenarios(sens: SensitivityResult) -> Table:
    if not sens.scenarios:
        raise TableUnavailable("no scenarios: run the sensitivity analysis with its scenarios")
    p = sens.problem
    base_leader = sens.leader
    rows = []
    for sc in sens.scenarios:
        leaders = sc.leaders
        runner = sc.runner_up()
        now = 0 if base_leader is None else int(sc.ranks[base_leader])
        rank_of_leader = now or None
        rows.append(
            (
                sc.kind,
                sc.label,
                " and ".join(p.option_names[i] for i in leaders) or "none",
                _num(sc.margin()),
                None if runner is None else p.option_names[runner],
                rank_of_leader,
            )
        )
    lead = "" if base_leader is None else p.option_names[base_leader]
    return Table(
        "scenarios",
        "Scenarios and leave-one-out",
        "Who has the highest weighted benefit score under each alternative assumption, "
        f"by how much, and where the base case's leader ({lead}) then ranks.",
        (
            Column("Kind"),
            Column("Scenario", wide=True),
            Column("Highest score", wide=True),
            Column("Margin", "number", 1),
            Column("Runner-up", wide=True),
            Column("Base leader's rank", "number", 0),
        ),
        tuple(rows),
    )


def _acceptability(sens: SensitivityResult) -> Table:
    mc = sens.monte_carlo
    if mc is None:
        raise TableUnavailable("no rank acceptability: run with Monte Carlo samples (--samples)")
    p = sens.problem
    res = mc.result
    m = len(mc.options)
    q_total = res.total_quantiles()
    q_rank = res.rank_quantiles()
    order = np.argsort(-res.acceptability[:, 0], kind="stable")
    rows = []
    for j in order:
        i = mc.options[j]
        rows.append(
            (
                p.option_names[i],
                *[float(res.acceptability[j, k]) for k in range(m)],
                _num(q_total[j, 0]),
                _num(q_total[j, 2]),
                int(q_rank[j, 0]),
                int(q_rank[j, 2]),
                _num(res.confidence[j]),
            )
        )
    return Table(
        "acceptability",
        "Monte Carlo: rank acceptability",
        f"Share of {res.samples:,} simulated weightings and scores (weights: "
        f"{mc.weight_model}, scores: {mc.score_model}, seed {mc.seed}) in which each "
        "option takes each rank, with 5–95% ranges of its total and rank and its "
        "confidence factor.",
        (
            Column("Option", wide=True),
            *[Column(f"Rank {k + 1}", "percent", 1) for k in range(m)],
            Column("Total 5%", "number", 1),
            Column("Total 95%", "number", 1),
            Column("Rank 5%", "number", 0),
            Column("Rank 95%", "number", 0),
            Column("Confidence", "percent", 0),
        ),
        tuple(rows),
    )


def _spread(r: ScoreResult) -> Table:
    p = r.problem
    if not p.scorer_ids:
        raise TableUnavailable("no panel spread: there are no panel score sheets")
    spread = panel_spread(p)
    rows = []
    for i in r.order:
        for k in range(len(p.criterion_ids)):
            if spread.n[i, k] == 0:
                continue
            rows.append(
                (
                    p.option_names[i],
                    p.criterion_names[k],
                    *[_num(p.scores[j, i, k]) for j in range(len(p.scorer_ids))],
                    _num(spread.median[i, k]),
                    _num(spread.range[i, k]),
                    _num(spread.sd[i, k]),
                    _num(spread.moderated[i, k]),
                    "yes" if spread.flagged[i, k] else "",
                )
            )
    return Table(
        "spread",
        "Panel scores and spread",
        f"Every panel member's score in each cell, the median, range and standard "
        f"deviation, the agreed (moderated) score, and the cells flagged for "
        f"discussion (range at least {p.flag_range:g}, or a score more than "
        f"{p.flag_distance:g} from the median).",
        (
            Column("Option", wide=True),
            Column("Criterion", wide=True),
            *[Column(s, "number", 0) for s in p.scorer_ids],
            Column("Median", "number", 1),
            Column("Range", "number", 0),
            Column("SD", "number", 2),
            Column("Agreed", "number", 0),
            Column("Flagged"),
        ),
        tuple(rows),
    )


def _rationale(r: ScoreResult, appraisal: Appraisal | None) -> Table:
    if appraisal is None or not appraisal.sheets:
        raise TableUnavailable("no rationale matrix: there are no panel score sheets")
    p = r.problem
    notes: dict[tuple[str, str], str] = {}
    for _, mod in appraisal.moderations:
        for option, cells in mod.scores.items():
            for criterion, moderated in cells.items():
                if moderated.note:
                    notes[(option, criterion)] = moderated.note
    rows: list[tuple[Cell, ...]] = []
    for i in r.order:
        oid = p.option_ids[i]
        for k, cid in enumerate(p.criterion_ids):
            if (oid, cid) in notes:
                rows.append(
                    (
                        p.option_names[i],
                        p.criterion_names[k],
                        "Panel (moderated)",
                        _num(p.moderated[i, k]),
                        notes[(oid, cid)],
                    )
                )
            for _, sheet in appraisal.sheets:
                cell = sheet.scores.get(oid, {}).get(cid)
                if cell is None:
                    continue
                rows.append(
                    (
                        p.option_names[i],
                        p.criterion_names[k],
                        sheet.scorer.id,
                        float(cell.score),
                        cell.rationale,
                    )
                )
    return Table(
        "rationale",
        "Score rationale",
        "Each panel member's score and the reason given for it, cell by cell, with the "
        "moderation note where the panel recorded one.",
        (
            Column("Option", wide=True),
            Column("Criterion", wide=True),
            Column("Scorer"),
            Column("Score", "number", 0),
            Column("Rationale", wide=True),
        ),
        tuple(rows),
    )
