"""Score results as Rich tables (terminal), CSV and Markdown.

One row builder per table feeds every format, so the formats cannot disagree. Totals
are shown to one decimal place (differences smaller than the panel's disagreement are
not meaningful); JSON carries the unrounded numbers.
"""

from __future__ import annotations

import csv
import io
import math

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from appraise.analysis.score import METHOD_NAMES, ScoreResult, panel_spread, value_for_money

__all__ = [
    "BANNER",
    "describe",
    "leader_sentence",
    "matrix_rows",
    "ranking_rows",
    "render_tables",
    "to_csv",
    "to_markdown",
]

BANNER = "ILLUSTRATIVE: invented data for demonstration, not a real appraisal"

_AGGREGATES = {
    "moderated": "moderated scores (panel median where none)",
    "mean": "panel mean scores",
    "median": "panel median scores",
    "scorer": "one panel member's scores",
}


def _fmt(value: float, places: int = 1) -> str:
    return "" if math.isnan(value) else f"{value:,.{places}f}"


def _weight(value: float) -> str:
    """A weight to two decimals without trailing zeros: 9.9, 8.25, 12."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(result: ScoreResult, *, every_weight_set: bool = False) -> str:
    """One line: method, scores and weights used (or "every weight set")."""
    p = result.problem
    weights = (
        "every weight set"
        if every_weight_set
        else (f"weights: {p.weight_set(result.weight_set).name}")
    )
    who = f"{result.scorer}'s scores" if result.scorer else _AGGREGATES[result.aggregate]
    scale = (
        f"maximum {_fmt(result.maximum, 0)}"
        if result.method == "wsm"
        else "closeness 0–1"
        if result.method == "topsis"
        else "net flow −1 to 1"
    )
    failed = " · options failing a hurdle ranked too" if result.include_failed else ""
    return f"{METHOD_NAMES[result.method]} · {who} · {weights} · {scale}{failed}"


def _places(result: ScoreResult) -> int:
    return 1 if result.method == "wsm" else 3


def ranking_rows(result: ScoreResult) -> tuple[list[str], list[list[str]]]:
    """The ranking table: rank, option, total, group subtotals, gap, hurdle failures."""
    p = result.problem
    places = _places(result)
    groups = [p.node_ids[g] for g in p.groups]
    headers = ["Rank", "Option", "Total", *groups, "Gap to next", "Fails"]
    rows = []
    for i in result.order:
        name = p.option_names[i] + (" (baseline)" if i == p.baseline else "")
        gap = _fmt(result.gap_next[i], places)
        if gap and not math.isnan(result.gap_next_pct[i]):
            gap += f" ({_fmt(result.gap_next_pct[i])}%)"
        rows.append(
            [
                result.rank_label(i),
                name,
                _fmt(result.totals[i], places),
                *[_fmt(v, places) for v in result.subtotals[i]],
                gap,
                ", ".join(result.failed_hurdles(i)),
            ]
        )
    return headers, rows


def matrix_rows(result: ScoreResult) -> tuple[list[str], list[list[str]]]:
    """The score matrix: options × criteria, global weights in the header, flags marked."""
    p = result.problem
    headers = [
        "Option",
        *[f"{c}\n{_weight(w)}" for c, w in zip(p.criterion_ids, result.weights, strict=True)],
        "Total",
    ]
    rows = []
    for i in result.order:
        cells = [
            _fmt(s, 0 if float(s).is_integer() else 1) + ("*" if result.flagged[i, k] else "")
            for k, s in enumerate(result.scores[i])
        ]
        rows.append([p.option_ids[i], *cells, _fmt(result.totals[i], _places(result))])
    return headers, rows


_SHORT_FRONTIER = {
    "frontier": "on",
    "dominated": "dominated",
    "extendedly dominated": "extended",
    "": "",
}


def vfm_rows(result: ScoreResult) -> tuple[list[str], list[list[str]]] | None:
    """The value-for-money table (SCIM A3.23), or ``None`` without costs or weighted sum."""
    vfm = value_for_money(result)
    if vfm is None:
        return None
    p = result.problem
    unit = p.cost_unit
    base = p.option_ids[p.baseline]
    headers = [
        "Option",
        f"Cost\n{unit}",
        "Benefit\npoints",
        f"{unit} per\npoint",
        f"+points\nvs {base}",
        f"+{unit}\nvs {base}",
        f"{unit} per\n+point",
        "Frontier",
        f"{unit}/+point\non frontier",
    ]
    rows = []
    for i in result.order:
        rows.append(
            [
                p.option_ids[i],
                _fmt(vfm.costs[i], 0),
                _fmt(vfm.benefits[i]),
                _fmt(vfm.cost_per_point[i], 2),
                _fmt(vfm.delta_benefit[i]),
                _fmt(vfm.delta_cost[i], 0),
                _fmt(vfm.delta_cost_per_point[i], 2),
                _SHORT_FRONTIER[vfm.label(i)],
                _fmt(vfm.icer[i], 2),
            ]
        )
    return headers, rows


def vfm_caution(result: ScoreResult) -> str:
    """What cost per point assumes (WRF06; MCA manual), stronger on relative scales."""
    if result.problem.scale_type == "relative":
        return (
            "Caution: the scale is relative (best = max, worst = min), so benefit points "
            "have no meaningful zero and cost per point is not meaningful."
        )
    return (
        "Frontier: on = efficient; dominated = another option costs no more for at "
        "least as much benefit; extended = a mix of two frontier options does better. "
        "Cost per point assumes the scores are on an interval scale with a meaningful "
        "zero; read it beside the frontier, not as a single answer."
    )


def spread_rows(result: ScoreResult) -> tuple[list[str], list[list[str]]] | None:
    """The cells flagged for moderation, with every panel score and the spread (G2)."""
    p = result.problem
    spread = panel_spread(p)
    cells = [
        (i, k) for i in result.order for k in range(len(p.criterion_ids)) if spread.flagged[i, k]
    ]
    if not cells or not p.scorer_ids:
        return None
    headers = ["Option", "Criterion", *p.scorer_ids, "Median", "Range", "SD", "Agreed"]
    rows = []
    for i, k in cells:
        rows.append(
            [
                p.option_ids[i],
                p.criterion_ids[k],
                *[_fmt(p.scores[j, i, k], 0) for j in range(len(p.scorer_ids))],
                _fmt(spread.median[i, k], 1),
                _fmt(spread.range[i, k], 0),
                _fmt(spread.sd[i, k], 2),
                _fmt(spread.moderated[i, k], 0),
            ]
        )
    return headers, rows


def weight_sets_rows(results: list[ScoreResult]) -> tuple[list[str], list[list[str]]]:
    """Totals and ranks under every weight set, side by side (F5: reported, not averaged)."""
    first = results[0]
    p = first.problem
    places = _places(first)
    headers = ["Option", *[r.weight_set for r in results]]
    rows = []
    for i in first.order:
        rows.append(
            [
                p.option_names[i],
                *[f"{_fmt(r.totals[i], places)} ({r.rank_label(i)})" for r in results],
            ]
        )
    return headers, rows


def weight_sets_summary(results: list[ScoreResult]) -> str:
    """Which option leads under each weight set, in plain English."""
    p = results[0].problem
    leaders = {
        r.weight_set: " and ".join(p.option_ids[i] for i in r.leaders) or "none" for r in results
    }
    if len(set(leaders.values())) == 1:
        only = next(iter(leaders.values()))
        return (
            f"{only} has the highest weighted benefit score under every weight set "
            f"({len(results)})."
        )
    return (
        "Highest weighted benefit score by weight set: "
        + "; ".join(f"{ws}: {who}" for ws, who in leaders.items())
        + "."
    )


def column_chunks(first: int, widths: list[int], width: int) -> list[list[int]]:
    """Split columns of ``widths`` (indices into it) over as few tables as fit in
    ``width`` terminal columns, each table also holding a first column ``first`` wide."""
    chunks: list[list[int]] = [[]]
    used = first + 2
    for k, w in enumerate(widths):
        if chunks[-1] and used + w > width:
            chunks.append([])
            used = first + 2
        chunks[-1].append(k)
        used += w
    return chunks


def render_weight_sets(results: list[ScoreResult], width: int = 80) -> Group:
    """The terminal output of ``appraise score --weights all``.

    The sets go side by side; when they do not fit in ``width`` columns they are split
    over several tables, each with the options, so no figure is cut.
    """
    first = results[0]
    parts = _header(first, every_weight_set=True)
    headers, rows = weight_sets_rows(results)
    name_width = min(30, max(len(r[0]) for r in rows))
    widths = [max(len(h), *(len(r[k]) for r in rows)) + 2 for k, h in enumerate(headers)]
    chunks = column_chunks(name_width, widths[1:], width)
    for n, chunk in enumerate(chunks):
        title = "Total (rank) under each weight set"
        if len(chunks) > 1:
            title += f" ({n + 1} of {len(chunks)})"
        shown = [headers[k + 1] for k in chunk]
        table = _table(
            title,
            ["Option", *shown],
            [[row[0], *(row[k + 1] for k in chunk)] for row in rows],
            left={"Option"},
            wrap=frozenset({"Option"}),
        )
        table.columns[0].min_width = min(name_width, 12)
        parts.append(table)
    names = ", ".join(f"{ws.id} = {ws.name}" for ws in first.problem.weight_sets)
    parts.append(Text(f"Weight sets: {names}.", style="dim"))
    parts.append(Text(weight_sets_summary(results)))
    return Group(*parts)


def weight_sets_markdown(results: list[ScoreResult]) -> str:
    """``--weights all`` as Markdown."""
    first = results[0]
    lines = []
    if first.problem.illustrative:
        lines += [f"> **{BANNER}**", ""]
    headers, rows = weight_sets_rows(results)
    lines += [
        f"**{_md_cell(first.problem.title)}**",
        "",
        "### Total (rank) under each weight set",
        "",
        "| " + " | ".join(_md_cell(h) for h in headers) + " |",
        "|---|" + "|".join("--:" for _ in headers[1:]) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    lines += ["", weight_sets_summary(results)]
    return "\n".join(lines) + "\n"


def weight_sets_csv(results: list[ScoreResult]) -> str:
    """``--weights all`` as long-form CSV: one row per weight set and option."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["weight_set", "rank", "option_id", "option", "total"])
    for r in results:
        p = r.problem
        for i in r.order:
            writer.writerow(
                [
                    r.weight_set,
                    int(r.ranks[i]) or "",
                    p.option_ids[i],
                    neutralise(p.option_names[i]),
                    _csv_num(r.totals[i]),
                ]
            )
    return out.getvalue()


def leader_sentence(result: ScoreResult) -> str:
    """Plain English: which option has the highest weighted benefit score, and by how much."""
    p = result.problem
    leaders = result.leaders
    if not leaders:
        return "No option passes every hurdle, so none is ranked."
    names = " and ".join(p.option_names[i] for i in leaders)
    places = _places(result)
    if len(leaders) > 1:
        return (
            f"{names} tie for the highest weighted benefit score on this analysis "
            f"({_fmt(result.totals[leaders[0]], places)})."
        )
    lead = leaders[0]
    margin = result.gap_next[lead]
    if math.isnan(margin):
        return f"{names} has the highest weighted benefit score on this analysis."
    runner = next(i for i in result.order if result.ranks[i] > 1)
    unit = " points" if result.method == "wsm" else ""
    pct = "" if math.isnan(result.gap_next_pct[lead]) else f" ({_fmt(result.gap_next_pct[lead])}%)"
    return (
        f"{names} has the highest weighted benefit score on this analysis "
        f"({_fmt(result.totals[lead], places)}), {_fmt(margin, places)}{unit}{pct} ahead of "
        f"{p.option_names[runner]}. This informs the decision; it is not the decision."
    )


def _table(
    title: str,
    headers: list[str],
    rows: list[list[str]],
    *,
    left: set[str],
    compact: bool = False,
    wrap: frozenset[str] = frozenset(),
) -> Table:
    """A plain terminal table; ``compact`` drops cell padding to fit 80 columns; columns
    in ``wrap`` may wrap onto a second line rather than push the table past the width."""
    table = Table(
        title=title,
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 0) if compact else (0, 1),
    )
    for h in headers:
        table.add_column(
            h,
            justify="left" if h in left else "right",
            no_wrap=h not in wrap,
            overflow="fold",
        )
    for row in rows:
        table.add_row(*row)
    return table


def _header(result: ScoreResult, *, every_weight_set: bool = False) -> list[Text | Table]:
    """The banner (when illustrative), the title and the method line."""
    parts: list[Text | Table] = []
    if result.problem.illustrative:
        parts.append(Text(f" {BANNER} ", style="bold black on yellow"))
    parts.append(Text(result.problem.title, style="bold"))
    parts.append(Text(describe(result, every_weight_set=every_weight_set), style="dim"))
    return parts


def render_tables(result: ScoreResult) -> Group:
    """The terminal output of ``appraise score``."""
    parts = _header(result)
    headers, rows = ranking_rows(result)
    ranking = Table(
        title="Ranking",
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for h in headers:
        numeric = h not in ("Option", "Fails")
        ranking.add_column(
            h,
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=h != "Option",
            ratio=1 if h == "Option" else None,
        )
    for i, row in zip(result.order, rows, strict=True):
        style = "dim" if result.ranks[i] == 0 else ("bold" if result.ranks[i] == 1 else "")
        ranking.add_row(*row, style=style)
    parts.append(ranking)
    parts.append(Text(leader_sentence(result)))
    unranked = [i for i in result.order if result.ranks[i] == 0]
    ranked_failing = [i for i in result.order if result.ranks[i] > 0 and result.failed_hurdles(i)]
    if ranked_failing:
        names = ", ".join(result.problem.option_names[i] for i in ranked_failing)
        parts.append(Text(f"Ranked for reference only (fails a hurdle): {names}.", style="dim"))
    if unranked:
        names = ", ".join(result.problem.option_names[i] for i in unranked)
        parts.append(
            Text(f"Not ranked (fails a hurdle; total shown for reference): {names}.", style="dim")
        )
    headers, rows = matrix_rows(result)
    parts.append(
        _table(
            "Scores (global weight under each criterion; * = flagged for moderation)",
            headers,
            rows,
            left={"Option"},
            compact=True,
        )
    )
    spread = spread_rows(result)
    if spread is not None:
        parts.append(
            _table(
                "Cells flagged for moderation (panel spread)", *spread, left={"Option", "Criterion"}
            )
        )
    vfm = vfm_rows(result)
    if vfm is not None:
        parts.append(
            _table("Value for money (SCIM A3.23)", *vfm, left={"Option", "Frontier"}, compact=True)
        )
        parts.append(Text(vfm_caution(result), style="dim"))
    dominance = _dominance_lines(result)
    if dominance:
        parts.append(Text("Dominated options: " + "; ".join(dominance) + "."))
    return Group(*parts)


def _dominance_lines(result: ScoreResult) -> list[str]:
    p = result.problem
    lines = []
    for j in result.order:
        by = [p.option_ids[i] for i in result.order if result.dominated[i, j]]
        if by:
            lines.append(f"{p.option_ids[j]} by {', '.join(by)}")
    return lines


def _csv_num(value: float) -> str:
    return "" if math.isnan(value) else repr(round(float(value), 6))


def to_csv(result: ScoreResult) -> str:
    """The ranking table as CSV, numbers to 6 decimal places (JSON has them unrounded)."""
    p = result.problem
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    groups = [p.node_ids[g] for g in p.groups]
    writer.writerow(
        [
            "rank",
            "option_id",
            "option",
            "baseline",
            "total",
            *groups,
            "gap_to_next",
            "gap_to_next_pct",
            "failed_hurdles",
        ]
    )
    for i in result.order:
        writer.writerow(
            [
                int(result.ranks[i]) or "",
                p.option_ids[i],
                neutralise(p.option_names[i]),
                "yes" if i == p.baseline else "",
                _csv_num(result.totals[i]),
                *[_csv_num(v) for v in result.subtotals[i]],
                _csv_num(result.gap_next[i]),
                _csv_num(result.gap_next_pct[i]),
                " ".join(result.failed_hurdles(i)),
            ]
        )
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell begins when a spreadsheet would run it as a formula."""


def neutralise(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (a leading ``'``, as
    OWASP advises for CSV injection); other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(result: ScoreResult) -> str:
    """The ranking and the score matrix as Markdown tables, with the method line."""
    lines = []
    if result.problem.illustrative:
        lines += [f"> **{BANNER}**", ""]
    lines += [f"**{_md_cell(result.problem.title)}**", "", describe(result), ""]
    tables = [("Ranking", ranking_rows(result)), ("Scores", matrix_rows(result))]
    spread = spread_rows(result)
    if spread is not None:
        tables.append(("Cells flagged for moderation", spread))
    vfm = vfm_rows(result)
    if vfm is not None:
        tables.append(("Value for money", vfm))
    for title, (headers, rows) in tables:
        lines += [
            f"### {title}",
            "",
            "| " + " | ".join(_md_cell(h.replace("\n", " ")) for h in headers) + " |",
            "|"
            + "|".join("---" if h in ("Option", "Fails", "Frontier") else "--:" for h in headers)
            + "|",
        ]
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    if vfm is not None:
        lines += [vfm_caution(result), ""]
    lines.append(leader_sentence(result))
    return "\n".join(lines) + "\n"
