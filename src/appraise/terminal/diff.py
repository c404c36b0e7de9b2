"""``appraise diff`` as terminal tables (Rich) or Markdown (a pull-request comment)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from appraise.analysis.diff import AppraisalDiff, Change, Effect, SwitchMove
from appraise.terminal.score import _table as render_table

__all__ = ["diff_markdown", "render_diff", "summary"]

AREAS = {
    "settings": "Appraisal settings",
    "option": "Options",
    "criterion": "Criteria",
    "hurdle": "Hurdles",
    "weights": "Weights as used (local and global)",
    "weight set": "Weight sets and elicitation records",
    "panel": "Panel members",
    "score": "Panel scores and rationale",
    "moderation": "Moderated scores",
}
AGGREGATES = {
    "moderated": "moderated scores",
    "mean": "panel mean scores",
    "median": "panel median scores",
}


def _n(x: float | None, places: int = 1) -> str:
    return "–" if x is None else f"{x:,.{places}f}"


def _value(v: Any, limit: int) -> str:
    if v is None:
        return "–"
    if isinstance(v, dict) and set(v) == {"local", "global"}:
        return f"{v['local']:.4g} (global {v['global']:.1f})"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, list):
        text = "; ".join(str(x) for x in v) if v else "(none)"
    else:
        text = " ".join(str(v).split())
    if not text:
        return "(empty)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ids(ids: list[str]) -> str:
    return " and ".join(ids) if ids else "no option"


def summary(d: AppraisalDiff, names: dict[str, str] | None = None) -> list[str]:
    """Plain-English sentences: what changed, and what it did to the ranking."""
    names = names or {}
    lines: list[str] = []
    if not d.changes:
        lines.append("Nothing changed: the two versions hold the same appraisal.")
    else:
        parts = []
        for area, label in (
            ("score", "panel score field"),
            ("moderation", "moderated score field"),
            ("option", "option change"),
            ("criterion", "criterion change"),
            ("weights", "weight change"),
            ("weight set", "weight-set or elicitation field"),
            ("hurdle", "hurdle change"),
            ("panel", "panel change"),
            ("settings", "setting"),
        ):
            n = d.count(area)
            if n:
                parts.append(f"{n} {label}{'s' * (n != 1)}")
        who = sorted({c.who.split(",")[0] for c in d.changes if c.area == "score" and c.who})
        line = "Changed: " + ", ".join(parts)
        if who:
            line += f" (scores of {', '.join(who)})"
        lines.append(line + ".")
    e = d.effect
    if e is None:
        return lines

    def name(ids: list[str]) -> str:
        return " and ".join(names.get(i, i) for i in ids) or "no option"

    if e.leader_changed:
        lines.append(
            f"The leader changed: {name(e.leader_after)} now has the highest weighted benefit "
            f"score (was {name(e.leader_before)})."
        )
    elif e.rank_changed:
        lines.append(
            f"The order changed below the leader: {name(e.leader_after)} still has the "
            "highest weighted benefit score."
        )
    else:
        lines.append(
            f"The ranking did not change: {name(e.leader_after)} still has the highest "
            "weighted benefit score."
        )
    same_margin = (
        e.margin_before is not None
        and e.margin_after is not None
        and abs(e.margin_before - e.margin_after) < 0.05
        and e.runner_before == e.runner_after
    )
    if same_margin:
        lines.append(
            f"Its margin over {names.get(e.runner_after or '', e.runner_after)} is unchanged "
            f"at {_n(e.margin_after)}."
        )
    elif e.margin_before is not None or e.margin_after is not None:
        lines.append(
            f"Its margin over the runner-up went from {_n(e.margin_before)} "
            f"({e.runner_before or '–'}) to {_n(e.margin_after)} ({e.runner_after or '–'})."
        )
    if e.switches:
        lines.append(f"{len(e.switches)} weight switching value(s) moved.")
    if e.weight_sets:
        said = []
        for ws, a, b in e.weight_sets:
            if not a:
                said.append(f"{ws} is new ({_ids(b)} leads)")
            elif not b:
                said.append(f"{ws} was removed ({_ids(a)} led)")
            else:
                said.append(f"under {ws} {_ids(b)} now leads (was {_ids(a)})")
        lines.append("Weight sets: " + "; ".join(said) + ".")
    return lines


def _table(title: str, headers: list[str], left: int = 1) -> Table:
    """An empty table: the first ``left`` columns text, the rest figures; any may wrap."""
    return render_table(title, headers, [], left=set(headers[:left]), wrap=frozenset(headers))


def _switch(x: tuple[float, str] | None) -> str:
    return "never" if x is None else f"{x[0]:.1f} ({x[1]})"


def _switch_cells(s: SwitchMove) -> list[str]:
    def pair(a: tuple[float, str] | None, b: tuple[float, str] | None) -> str:
        if a == b:
            return _switch(a)
        return f"{_switch(a)} → {_switch(b)}"

    return [
        f"{s.name} ({s.id})" + (" [group]" if s.kind == "group" else ""),
        f"{_n(s.weight_before)} → {_n(s.weight_after)}",
        pair(s.below_before, s.below_after),
        pair(s.above_before, s.above_after),
    ]


def _ranking_rows(e: Effect) -> list[list[str]]:
    """Option, rank (``2 → 1`` when it moved), total before → after, change."""
    rows = []
    for r in e.ranking:
        moved = r.moved
        a, b = r.rank_before or "–", r.rank_after or "–"
        name = f"{r.name} ({r.id})"
        if r.total_before is None:
            name += " [new]"
        elif r.total_after is None:
            name += " [removed]"
        rows.append(
            [
                name,
                a if a == b else f"{a} → {b}",
                f"{_n(r.total_before)} → {_n(r.total_after)}",
                "" if moved is None else f"{moved:+.1f}",
            ]
        )
    return rows


def _change_row(c: Change, limit: int) -> list[str]:
    return [
        c.kind,
        c.subject,
        c.field or "",
        _value(c.before, limit),
        _value(c.after, limit),
        c.who or "",
    ]


def render_diff(d: AppraisalDiff, title: str = "", names: dict[str, str] | None = None) -> Group:
    """The terminal output of ``appraise diff``."""
    parts: list[object] = []
    if title:
        parts.append(Text(title, style="bold"))
    parts.append(Text(f"{d.before} → {d.after}", style="dim"))
    for line in summary(d, names):
        parts.append(Text(line))
    e = d.effect
    if e is not None and (d.changes or e.rank_changed):
        headers = ["Option", "Rank", "Total", "Change"]
        table = _table(
            f"Ranking (weighted sum, {AGGREGATES.get(e.aggregate, e.aggregate)}, "
            f"weights: {e.weight_set})",
            headers,
        )
        for row in _ranking_rows(e):
            table.add_row(*row, style="bold" if "→" in row[1] else None)
        parts.append(table)
        if e.switches:
            table = _table(
                "Weight switching values that moved (the weight at which the leader changes, "
                "and to whom)",
                ["Criterion", "Weight", "Below", "Above"],
            )
            for s in e.switches:
                table.add_row(*_switch_cells(s))
            parts.append(table)
    for area, label in AREAS.items():
        mine = [c for c in d.changes if c.area == area]
        if not mine:
            continue
        table = _table(
            f"{label} ({len(mine)})", ["", "What", "Field", "Before", "After", "Who"], left=6
        )
        for c in mine:
            table.add_row(*_change_row(c, 80))
        parts.append(table)
    if d.authors:
        who = "; ".join(f"{f}: {', '.join(a)}" for f, a in d.authors.items() if a)
        if who:
            parts.append(Text(f"Committed by: {who}.", style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def _md(text: str) -> str:
    """Table-cell text for GitHub Markdown."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`<>[]":
        out = out.replace(ch, "\\" + ch)
    return out


def _md_table(headers: list[str], rows: list[list[str]], right: int = 1) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" if k < right else "---:" for k in range(len(headers))) + "|")
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def diff_markdown(d: AppraisalDiff, title: str = "", names: dict[str, str] | None = None) -> str:
    """``appraise diff --format md``: a pull-request comment."""
    out = [f"### appraise diff: {_md(d.before)} → {_md(d.after)}", ""]
    if title:
        out += [f"**{_md(title)}**", ""]
    out += [_md(line) for line in summary(d, names)]
    out.append("")
    e = d.effect
    if e is not None and (d.changes or e.rank_changed):
        out += [
            f"**Ranking** (weighted sum, {AGGREGATES.get(e.aggregate, e.aggregate)}, "
            f"weights: {_md(e.weight_set)})",
            "",
        ]
        out += _md_table(["Option", "Rank", "Total", "Change"], _ranking_rows(e))
        out.append("")
        if e.switches:
            out += ["**Weight switching values that moved**", ""]
            out += _md_table(
                ["Criterion", "Weight", "Below", "Above"], [_switch_cells(s) for s in e.switches]
            )
            out.append("")
    for area, label in AREAS.items():
        mine = [c for c in d.changes if c.area == area]
        if not mine:
            continue
        out += ["<details><summary>" + _md(f"{label} ({len(mine)})") + "</summary>", ""]
        out += _md_table(
            ["", "What", "Field", "Before", "After", "Who"],
            [_change_row(c, 300) for c in mine],
            right=6,
        )
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"
