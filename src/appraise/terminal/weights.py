"""Terminal tables for ``appraise weights`` (Rich, readable at 80 columns)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from appraise.analysis.weights import SetWeights, WeightsView
from appraise.files.elicitation import Consistency, ElicitedSet, LevelWeights
from appraise.terminal.score import BANNER, column_chunks
from appraise.terminal.score import _table as render_table

__all__ = ["render_weights"]

METHODS = {
    "direct": "weights set directly",
    "swing": "swing weighting",
    "points": "points allocation",
    "ranking": "ranking",
    "ahp": "AHP pairwise comparison",
}
RECORDED = {"swings": "Swing", "points": "Points", "ranks": "Rank"}
RANK_RULES = {
    "roc": "rank-order centroid",
    "rank_sum": "rank sum",
    "reciprocal": "reciprocal of rank",
}
COMBINE = {
    "geometric_mean": "the geometric mean of each judgement",
    "mean_weights": "the mean of the participants' weights",
}


def _w(x: float) -> str:
    return f"{x:.1f}"


def _table(title: str, headers: list[str], left: int = 1) -> Table:
    """An empty table: the first ``left`` columns text (may wrap), the rest figures."""
    return render_table(
        title, headers, [], left=set(headers[:left]), wrap=frozenset(headers[:left])
    )


def render_weights(view: WeightsView, width: int = 80) -> Group:
    """The whole of ``appraise weights``: global weights by set, then each recorded
    elicitation level by level."""
    p = view.problem
    parts: list[object] = []
    if p.illustrative:
        parts.append(Text(f" {BANNER} ", style="bold black on yellow"))
    parts.append(Text(p.title, style="bold"))
    tree = next((s for s in view.sets if s.id == "tree"), None)  # None under --set
    if tree is not None:
        line = f"Value tree: {METHODS.get(tree.method, tree.method)}"
        if view.agreed:
            line += f", agreed {view.agreed}"
        line += f" · each level sums to {p.total:g}"
    else:
        line = f"Each level sums to {p.total:g}"
    parts.append(Text(line, style="dim"))
    parts.extend(_global_tables(view, width))
    described = [
        f"{s.id} = {s.name} ({METHODS.get(s.method, s.method)})"
        for s in view.sets
        if s.participant_of is None
    ]
    own = [s.id for s in view.sets if s.participant_of is not None]
    if own:
        described.append(f"{', '.join(own)}: each participant's own weights")
    legend = "; ".join(described)
    parts.append(Text(f"Weight sets: {legend}.", style="dim"))
    for s in view.elicited:
        parts.extend(_elicitation(view, s))
    direct = [s for s in view.sets if s.elicited is None]
    if direct:
        parts.append(Text())
        parts.append(
            Text(
                "No elicitation recorded for "
                + ", ".join(f"{s.id} ({METHODS.get(s.method, s.method)})" for s in direct)
                + ": their weights are as written in the files.",
            )
        )
    return Group(*parts)  # type: ignore[arg-type]


def _global_tables(view: WeightsView, width: int) -> list[Table]:
    p = view.problem
    names = []
    for k, ident in enumerate(p.node_ids):
        depth = 0
        q = int(p.parent[k])
        while q >= 0:
            depth += 1
            q = int(p.parent[q])
        names.append("  " * depth + f"{p.node_names[k]} ({ident})")
    name_width = min(34, max(len(n) for n in names))
    widths = [max(len(s.id), 5) + 2 for s in view.sets]
    chunks = column_chunks(name_width, widths, width)
    groups = set(range(len(p.node_ids))) - {int(x) for x in p.leaves}
    tables = []
    for n, chunk in enumerate(chunks):
        title = f"Global weights by weight set (% of the whole; leaves sum to {p.total:g})"
        if len(chunks) > 1:
            title += f" ({n + 1} of {len(chunks)})"
        table = _table(title, ["Criterion", *(view.sets[k].id for k in chunk)])
        for i, name in enumerate(names):
            cells = [_w(view.sets[k].global_[i] * p.total) for k in chunk]
            table.add_row(name, *cells, style="bold" if i in groups else None)
        tables.append(table)
    return tables


def _elicitation(view: WeightsView, s: SetWeights) -> list[object]:
    es = s.elicited
    assert es is not None
    p = view.problem
    out: list[object] = [Text()]
    who = (
        f"{len(es.participants)} participants ({', '.join(r.id or '' for r in es.participants)})"
        if es.participants
        else "one agreed record"
    )
    head = f"{s.name} ({s.id}): {METHODS.get(es.method, es.method)}, {who}"
    out.append(Text(head, style="bold"))
    if s.id == "tree":
        said = " ".join(
            x for x in (f"Agreed {view.agreed}." if view.agreed else "", view.rationale) if x
        )
        if said:
            out.append(Text(said, style="dim"))
    elif es.source:
        out.append(Text(es.source, style="dim"))
    if es.method == "ranking":
        out.append(Text(f"Weights from ranks by the {RANK_RULES[es.rank_rule]} rule."))
    if es.combine:
        out.append(Text(f"Participants combined by {COMBINE[es.combine]}."))
    for r in es.participants:
        if r.role or r.name:
            out.append(Text(f"  {r.id}: {r.name}" + (f", {r.role}" if r.role else ""), style="dim"))
    index = {ident: k for k, ident in enumerate(p.node_ids)}
    for k, lv in enumerate(es.combined):
        out.append(Text())
        out.append(_level_table(view, s, es, k, lv, index))
        out.extend(_consistency_lines(es, k, lv))
    return out


def _level_title(view: WeightsView, lv: LevelWeights) -> str:
    if lv.group is None:
        return "Top level"
    p = view.problem
    return f"{p.node_names[p.node_ids.index(lv.group)]} ({lv.group})"


def _level_table(
    view: WeightsView,
    s: SetWeights,
    es: ElicitedSet,
    k: int,
    lv: LevelWeights,
    index: dict[str, int],
) -> Table:
    p = view.problem
    total = p.total
    headers = ["Criterion"]
    if not es.participants and lv.kind in RECORDED:
        headers.append(RECORDED[lv.kind])
    headers += [r.id or "" for r in es.participants]
    headers += ["Elicited" if not es.participants else "Combined", "Used", "Global"]
    table = _table(_level_title(view, lv), headers)
    for m, ident in enumerate(lv.ids):
        row = [f"{p.node_names[index[ident]]} ({ident})"]
        if not es.participants and lv.kind in RECORDED:
            row.append(f"{lv.recorded[ident]:g}")
        for r in es.participants:
            mine = r.levels[k]
            row.append(_w(float(mine.shares[mine.ids.index(ident)]) * total))
        row += [
            _w(float(lv.shares[m]) * total),
            f"{s.local[index[ident]]:g}" if ident in es.written else _w(s.local[index[ident]]),
            _w(s.global_[index[ident]] * total),
        ]
        table.add_row(*row)
    return table


def _consistency_lines(es: ElicitedSet, k: int, lv: LevelWeights) -> list[Text]:
    if lv.kind != "pairwise":
        return []
    records = es.participants or es.records
    figures: list[tuple[str, Consistency]] = []
    for r in records:
        c = r.levels[k].consistency
        if c is not None:
            figures.append((r.id or "agreed", c))
    if es.participants and lv.consistency is not None:
        figures.append(("combined", lv.consistency))
    if not figures:
        return []
    first = figures[0][1]
    if first.n < 3:
        count = "Two criteria" if first.n == 2 else "One criterion"
        return [Text(f"{count}: consistent by construction (no consistency ratio).", style="dim")]
    ri = f"random index {first.ri:g} for {first.n}" if first.ri is not None else "no random index"
    shown = ", ".join(
        f"{who} {c.cr:.3f}" if c.cr is not None else f"{who} CI {c.ci:.3f}" for who, c in figures
    )
    pairs = first.n * (first.n - 1) // 2
    missing = [
        f"{who} {c.missing} of {pairs}" for who, c in figures if c.missing and who != "combined"
    ]
    line = f"Consistency ratio (limit {_limit(first.limit)}, {ri}): {shown}."
    if missing:
        line += " Comparisons left out and completed (Harker): " + ", ".join(missing) + "."
    out = [Text(line, style="dim")]
    for who, c in figures:
        if who == "combined" or c.acceptable:
            continue
        worst = "; ".join(
            f"{j.row} over {j.col} {_judgement(j.given)}"
            + (f" (line {j.line})" if j.line else "")
            + f", weights imply {_judgement(j.implied)}"
            for j in c.worst
        )
        out.append(
            Text(
                f"{who}: consistency ratio {c.cr:.3f} is above {_limit(c.limit)}. "
                f"Least consistent: {worst}.",
                style="bold red",
            )
        )
    return out


def _limit(x: float) -> str:
    """A consistency limit: 0.10 as people write it, 0.001 or 0.125 in full."""
    return f"{x:.2f}" if abs(x - round(x, 2)) < 1e-12 else f"{x:g}"


def _judgement(x: float) -> str:
    if x >= 1:
        return f"{x:.3g}"
    inverse = 1 / x
    if abs(inverse - round(inverse)) < 1e-6:
        return f"1/{round(inverse)}"
    return f"1/{inverse:.3g}"
