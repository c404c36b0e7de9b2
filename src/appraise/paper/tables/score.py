"""The tables of a scoring result: ranking, score matrix, panel spread, value for money,
and every weight set side by side.

Each function builds one :class:`~appraise.paper.model.Table` from an
:class:`~appraise.analysis.score.ScoreResult`; the terminal, ``score --format md|csv``,
``export`` and the report all render these same tables.
"""

from __future__ import annotations

from appraise.analysis.score import ScoreResult, panel_spread, value_for_money
from appraise.engine.ranking import EXACT_DOMINANCE
from appraise.paper import wording
from appraise.paper.model import Cell, Column, Row, Sum, Table, cell, table
from appraise.paper.numbers import (
    COST,
    COST_PER_POINT,
    COUNT,
    POINTS,
    RANK,
    SCALE,
    SCORE,
    SD,
    SHARE,
    format_number,
)
from appraise.paper.numbers import WEIGHT as WEIGHT_Q

__all__ = [
    "matrix_table",
    "missing_table",
    "ranking_table",
    "spread_table",
    "vfm_table",
    "weight_sets_long_table",
    "weight_sets_table",
]


def option_cell(r: ScoreResult, i: int, *, baseline: bool = False, short: bool = True) -> Cell:
    """An option's name (its id in narrow displays, unless ``short`` is false);
    ``(baseline)`` marked if asked."""
    p = r.problem
    name = p.option_names[i] + (" (baseline)" if baseline and i == p.baseline else "")
    return cell(name, short=p.option_ids[i] if short else None)


def rank_cell(r: ScoreResult, i: int) -> Cell:
    """A competition rank, ``=`` marking a tie, ``–`` for an option not ranked."""
    rank = int(r.ranks[i])
    if rank == 0:
        return cell(None, blank="–")
    tied = int((r.ranks == rank).sum()) > 1
    return cell(rank, RANK, mark="=" if tied else "")


def row_style(r: ScoreResult, i: int) -> str:
    """``leader`` for the first-ranked, ``excluded`` for an option not ranked."""
    rank = int(r.ranks[i])
    return "excluded" if rank == 0 else ("leader" if rank == 1 else "")


def ranking_table(r: ScoreResult) -> Table:
    """Rank, option, total, each group's part, the gap to the next, hurdles failed."""
    p = r.problem
    q = wording.total_quantity(r.method)
    groups = list(p.groups)
    columns = [
        Column("Rank", RANK),
        Column("Id"),
        Column("Option", wide=True),
        Column("Total", q),
        *[Column(p.node_names[g], q, short=p.node_ids[g], key=p.node_ids[g]) for g in groups],
        Column("Gap to next", q, short="Gap"),
        Column("Gap % of leader", SHARE, short="%", key="gap_to_next_pct"),
        Column("Fails hurdles", short="Fails", key="failed_hurdles"),
    ]
    rows = []
    for i in r.order:
        rows.append(
            Row(
                (
                    rank_cell(r, i),
                    cell(p.option_ids[i]),
                    option_cell(r, i, baseline=True, short=False),
                    cell(r.totals[i]),
                    *[cell(v) for v in r.subtotals[i]],
                    cell(r.gap_next[i]),
                    cell(r.gap_next_pct[i]),
                    cell(", ".join(r.failed_hurdles(i))),
                ),
                row_style(r, i),  # type: ignore[arg-type]
            )
        )
    notes = []
    complete = r.complete
    unranked = [p.option_names[i] for i in r.order if r.ranks[i] == 0 and complete[i]]
    ranked_failing = [p.option_names[i] for i in r.order if r.ranks[i] > 0 and r.failed_hurdles(i)]
    if unranked:
        notes.append(
            f"Not ranked (fails a hurdle; total shown for reference): {wording.names(unranked)}."
        )
    if ranked_failing:
        notes.append(
            f"Ranked for reference only (fails a hurdle): {wording.names(ranked_failing)}."
        )
    if r.not_yet_scored:
        notes.append(wording.not_yet_scored(r))
    notes.append(wording.leader_sentence(r))
    maximum = (
        f"maximum {format_number(r.maximum, SCALE)}"
        if r.method == "wsm"
        else ("closeness 0–1" if r.method == "topsis" else "net flow −1 to 1")
    )
    return table(
        "ranking",
        "Ranking",
        f"Weighted benefit score of each option ({maximum}), the part each group of "
        "criteria contributes, and the gap to the next option.",
        columns,
        rows,
        notes,
        sums=[Sum(3, tuple(range(4, 4 + len(groups))), "group subtotals")]
        if len(groups) > 1
        else [],
    )


def _weight_heading(cid: str, w: float) -> tuple[str, str]:
    shown = format_number(w, WEIGHT_Q)
    return f"{cid} ({shown})", f"{cid}\n{shown}"


def matrix_table(r: ScoreResult) -> Table:
    """Options × criteria: the scores that count, global weights in the headings."""
    p = r.problem
    columns = [Column("Id", terminal=False), Column("Option", wide=True)]
    for cid, w in zip(p.criterion_ids, r.weights, strict=True):
        name, short = _weight_heading(cid, float(w))
        columns.append(Column(name, SCORE, short=short, key=cid))
    columns.append(Column("Total", wording.total_quantity(r.method)))
    rows = []
    for i in r.order:
        cells = [cell(p.option_ids[i]), option_cell(r, i)]
        cells += [cell(s, mark="*" if r.flagged[i, k] else "") for k, s in enumerate(r.scores[i])]
        cells.append(cell(r.totals[i]))
        rows.append(Row(tuple(cells), row_style(r, i)))  # type: ignore[arg-type]
    notes = [
        "Criteria: "
        + "; ".join(f"{c} {n}" for c, n in zip(p.criterion_ids, p.criterion_names, strict=True))
        + "."
    ]
    if r.flagged.any():
        notes.append(
            "* = flagged for moderation: the panel's scores spread widely (see the spread)."
        )
    place = {i: k for k, i in enumerate(r.order)}
    dominance = []
    for j in r.order:
        by = [p.option_ids[i] for i in sorted(r.dominators[j], key=place.__getitem__)]
        if by:
            dominance.append(f"{p.option_ids[j]} by {', '.join(by)}")
    if dominance:
        among = (
            ""
            if len(r.order) <= EXACT_DOMINANCE
            else f" (with more than {EXACT_DOMINANCE:,} options, only undominated ones are named)"
        )
        notes.append(
            "Dominated options (another scores at least as well on every criterion and "
            f"better on one){among}: " + "; ".join(dominance) + "."
        )
    return table(
        "matrix",
        "Score matrix",
        f"The {wording.scores_name(r.aggregate, r.scorer)} on each criterion; each heading "
        "gives the criterion's id and global weight.",
        columns,
        rows,
        notes,
    )


def spread_table(r: ScoreResult, *, flagged_only: bool = False) -> Table | None:
    """Every panel member's score in each cell, with the spread and the agreed score;
    only the cells flagged for moderation when ``flagged_only``. ``None`` without a
    panel (or, flagged only, without a flagged cell)."""
    p = r.problem
    if not p.scorer_ids:
        return None
    spread = panel_spread(p)
    cells = [
        (i, k)
        for i in r.order
        for k in range(len(p.criterion_ids))
        if spread.n[i, k] > 0 and (spread.flagged[i, k] or not flagged_only)
    ]
    if flagged_only and not cells:
        return None
    columns = [
        Column("Option", wide=True),
        Column("Criterion", wide=True),
        *[Column(s, SCORE) for s in p.scorer_ids],
        Column("Median", SCORE),
        Column("Range", SCORE),
        Column("SD", SD),
        Column("Agreed", SCORE),
    ]
    if not flagged_only:
        columns.append(Column("Flagged"))
    rows = []
    for i, k in cells:
        row = [
            option_cell(r, i),
            cell(p.criterion_names[k], short=p.criterion_ids[k]),
            *[cell(p.scores[j, i, k]) for j in range(len(p.scorer_ids))],
            cell(spread.median[i, k]),
            cell(spread.range[i, k]),
            cell(spread.sd[i, k]),
            cell(spread.moderated[i, k]),
        ]
        if not flagged_only:
            row.append(cell("yes" if spread.flagged[i, k] else ""))
        rows.append(tuple(row))
    rule = (
        f"range at least {format_number(p.flag_range, SCORE)}, or a score more than "
        f"{format_number(p.flag_distance, SCORE)} from the median"
    )
    if flagged_only:
        return table(
            "flagged",
            "Cells flagged for moderation",
            f"The cells where the panel's scores spread widely ({rule}): every member's "
            "score, the median, range and standard deviation, and the agreed score.",
            columns,
            rows,
        )
    return table(
        "spread",
        "Panel scores and spread",
        "Every panel member's score in each cell, the median, range and standard "
        "deviation, the agreed (moderated) score, and the cells flagged for discussion "
        f"({rule}).",
        columns,
        rows,
    )


def vfm_table(r: ScoreResult) -> Table | None:
    """Cost against benefit (SCIM A3.23): per point, against the baseline, the frontier.
    ``None`` when the method is not the weighted sum or there are no costs."""
    vfm = value_for_money(r)
    if vfm is None:
        return None
    p = r.problem
    unit = p.cost_unit
    base = p.option_ids[p.baseline]
    columns = [
        Column("Id", terminal=False),
        Column("Option", wide=True),
        Column(f"Cost ({unit})", COST, short=f"Cost\n{unit}", key="cost"),
        Column("Benefit points", POINTS, short="Benefit\npoints", key="benefit"),
        Column(
            f"{unit} per point", COST_PER_POINT, short=f"{unit} per\npoint", key="cost_per_point"
        ),
        Column(f"Extra points vs {base}", POINTS, short=f"+points\nvs {base}", key="extra_points"),
        Column(
            f"Extra cost vs {base} ({unit})", COST, short=f"+{unit}\nvs {base}", key="extra_cost"
        ),
        Column(
            f"{unit} per extra point",
            COST_PER_POINT,
            short=f"{unit} per\n+point",
            key="cost_per_extra_point",
        ),
        Column("Frontier"),
        Column(
            f"{unit} per extra point along the frontier",
            COST_PER_POINT,
            short=f"{unit}/+point\non frontier",
            key="cost_per_extra_point_on_frontier",
        ),
    ]
    rows = []
    for i in r.order:
        label = vfm.label(i)
        per_extra = (
            cell("dominates the baseline", short="dominates")
            if vfm.dominates_baseline[i]
            else cell(vfm.delta_cost_per_point[i])
        )
        rows.append(
            Row(
                (
                    cell(p.option_ids[i]),
                    option_cell(r, i),
                    cell(vfm.costs[i]),
                    cell(vfm.benefits[i]),
                    cell(vfm.cost_per_point[i]),
                    cell(vfm.delta_benefit[i]),
                    cell(vfm.delta_cost[i]),
                    per_extra,
                    cell(wording.FRONTIER_NAMES[label], short=wording.FRONTIER_SHORT[label]),
                    cell(vfm.icer[i]),
                ),
                row_style(r, i),  # type: ignore[arg-type]
            )
        )
    notes = [wording.FRONTIER_KEY]
    from appraise.paper.tables.costs import costs_basis

    said = costs_basis(p)
    if said:
        notes.append(said[0])
    notes.append(wording.VFM_RELATIVE if p.scale_type == "relative" else wording.VFM_CAUTION)
    if vfm.dominates_baseline.any():
        notes.append(
            f"An option that dominates the baseline costs no more than {base} for more "
            "benefit, so it has no cost per extra point."
        )
    return table(
        "vfm",
        "Value for money",
        f"Cost ({unit}) against weighted benefit points, compared with the baseline "
        f"({base}); the efficient frontier holds the options no cheaper mix beats.",
        columns,
        rows,
        notes,
    )


def weight_sets_table(results: list[ScoreResult]) -> Table:
    """Each option's total and rank under every weight set, side by side (F5: reported,
    not averaged)."""
    first = results[0]
    p = first.problem
    q = wording.total_quantity(first.method)
    columns = [Column("Option", wide=True)] + [
        Column(p.weight_set(r.weight_set).name, q, short=r.weight_set) for r in results
    ]
    rows = []
    for i in first.order:
        rows.append(
            (
                option_cell(first, i, short=False),
                *[cell(r.totals[i], mark=f" ({r.rank_label(i)})") for r in results],
            )
        )
    leaders = {
        r.weight_set: " and ".join(p.option_ids[i] for i in r.leaders) or "none" for r in results
    }
    if len(set(leaders.values())) == 1:
        only = next(iter(leaders.values()))
        summary = (
            f"{only} has the highest weighted benefit score under every weight set "
            f"({len(results)})."
        )
    else:
        summary = (
            "Highest weighted benefit score by weight set: "
            + "; ".join(f"{ws}: {who}" for ws, who in leaders.items())
            + "."
        )
    key = ", ".join(f"{ws.id} = {ws.name}" for ws in p.weight_sets)
    return table(
        "weight_sets",
        "Total (rank) under each weight set",
        "Each option's weighted benefit score and rank under every weight set.",
        columns,
        rows,
        [
            f"Weight sets: {key}.",
            *([wording.not_yet_scored(first)] if first.not_yet_scored else []),
            summary,
            wording.INFORMS,
        ],
    )


def weight_sets_long_table(results: list[ScoreResult]) -> Table:
    """The same in long form, a row per weight set and option (for CSV)."""
    columns = [
        Column("Weight set"),
        Column("Rank", RANK),
        Column("Id"),
        Column("Option", wide=True),
        Column("Total", wording.total_quantity(results[0].method)),
    ]
    rows = []
    for r in results:
        p = r.problem
        for i in r.order:
            rank = int(r.ranks[i])
            rows.append(
                (
                    cell(r.weight_set),
                    cell(rank or None, blank="–"),
                    cell(p.option_ids[i]),
                    cell(p.option_names[i]),
                    cell(r.totals[i]),
                )
            )
    return table(
        "weight_sets_long",
        "Totals under each weight set",
        "A row per weight set and option.",
        columns,
        rows,
    )


def missing_table(r: ScoreResult) -> Table | None:
    """The panel's missing scores, by member (``None`` when every member has scored
    every cell: the result is then not provisional)."""
    from appraise.analysis.missing import missing_scores

    p = r.problem
    gaps = missing_scores(p)
    if gaps is None:
        return None
    columns = [
        Column("Panel member", short="Member", key="scorer"),
        Column("Missing scores", wide=True, short="Missing", key="missing"),
        Column("Cells missing", COUNT, short="Cells", key="cells"),
        Column("Cells to score", COUNT, short="Of", key="of"),
    ]
    rows = [
        (cell(m.scorer), cell(m.summary(gaps.criteria)), cell(len(m.cells)), cell(m.of))
        for m in gaps.members
    ]
    notes = [
        f"{gaps.reason}. Each cell counts with the panel members who have scored it; "
        "the results may change as the missing scores come in."
    ]
    if r.not_yet_scored:
        notes.append(wording.not_yet_scored(r))
    return table(
        "missing",
        "Missing scores (PROVISIONAL)",
        "The cells each panel member has not yet scored (left out of the sheet, or "
        "`score:` left blank).",
        columns,
        rows,
        notes,
    )
