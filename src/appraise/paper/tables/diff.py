"""The output of ``appraise diff`` as one :class:`~appraise.paper.model.Paper`.

:func:`diff_paper` assembles what changed between two versions of an appraisal and what
it did to the result: plain-English sentences (:func:`summary_sentences`), the ranking
before and after (:func:`ranking_table`), the weight switching values that moved
(:func:`switching_table`) and every change, area by area (:func:`changes_table`). The
terminal (:func:`appraise.terminal.render.render_paper`) and the pull-request comment
(:func:`appraise.paper.formats.markdown.text`) render this same paper, so a total, a
rank or a margin has the same digits in both, and the same digits as ``appraise score``.
"""

from __future__ import annotations

from typing import Any

from appraise.analysis.diff import (
    NPC_FIELD,
    WORKBOOK_FIELD,
    AppraisalDiff,
    Change,
    Effect,
    RankRow,
    SwitchMove,
)
from appraise.paper import wording
from appraise.paper.model import (
    Block,
    Cell,
    Column,
    Heading,
    Paper,
    Para,
    Row,
    RowStyle,
    Sum,
    Table,
    TableBlock,
    cell,
    table,
)
from appraise.paper.numbers import (
    COST,
    COUNT,
    DERIVED_WEIGHT,
    POINTS,
    POINTS_CHANGE,
    RANK,
    SCALE,
    SCORE,
    WEIGHT,
    Quantity,
    format_number,
)

__all__ = [
    "changes_table",
    "diff_paper",
    "ranking_table",
    "summary_sentences",
    "switching_table",
    "workbook_sentences",
]

TERMINAL_LIMIT = 80
"""A before or after value longer than this is cut in the terminal (``Cell.short``)."""
FILE_LIMIT = 300
"""... and longer than this everywhere else (the Markdown of a pull-request comment)."""


def _count(n: int, one: str, many: str) -> str:
    return f"{format_number(n, COUNT)} {one if n == 1 else many}"


def _points(x: float | None) -> str:
    return wording.ABSENT if x is None else format_number(x, POINTS)


def _ids(ids: list[str]) -> str:
    return wording.names(ids) or wording.NO_OPTION


def _margin_same(e: Effect) -> bool:
    """The leader's margin over the runner-up is "unchanged" when the runner-up is the
    same and the two margins show the same digits (:func:`format_number` with
    :data:`POINTS` gives the same text), not when they differ by less than a fixed
    amount. So margins of 4.01 and 4.04 (both 4.0) are unchanged, and 4.04 and 4.05
    (4.0 and 4.1) are not, though they differ by less than 0.05: the sentence never
    says "unchanged" beside two different figures, nor "went from 4.0 to 4.0".
    """
    return (
        e.margin_before is not None
        and e.margin_after is not None
        and e.runner_before == e.runner_after
        and format_number(e.margin_before, POINTS) == format_number(e.margin_after, POINTS)
    )


def summary_sentences(d: AppraisalDiff, names: dict[str, str] | None = None) -> list[str]:
    """Plain-English sentences: what changed, and what it did to the ranking.

    Counts and margins go through :func:`format_number` (:data:`COUNT`, :data:`POINTS`),
    so a sentence has the digits of the tables. The margin is "unchanged" when the
    runner-up is the same and both margins show the same digits (see
    :func:`_margin_same`).
    """
    names = names or {}
    lines: list[str] = []
    if not d.changes:
        lines.append(wording.NOTHING_CHANGED)
    else:
        parts = [
            _count(d.count(area), one, many)
            for area, one, many in wording.SUMMARY_AREAS
            if d.count(area)
        ]
        who = sorted({c.who.split(",")[0] for c in d.changes if c.area == "score" and c.who})
        line = wording.CHANGED + ", ".join(parts)
        if who:
            line += wording.SCORES_OF.format(who=wording.names(who))
        lines.append(line + ".")
        lines += workbook_sentences(d)
    e = d.effect
    if e is None:
        return lines

    def named(ids: list[str]) -> str:
        return wording.names([names.get(i, i) for i in ids]) or wording.NO_OPTION

    after, before = named(e.leader_after), named(e.leader_before)
    if e.leader_changed:
        lines.append(wording.LEADER_CHANGED.format(after=after, before=before))
    elif e.rank_changed:
        lines.append(wording.ORDER_CHANGED.format(after=after))
    else:
        lines.append(wording.RANKING_SAME.format(after=after))
    if _margin_same(e):
        runner = e.runner_after or ""
        lines.append(
            wording.MARGIN_SAME.format(
                runner=names.get(runner, runner), margin=_points(e.margin_after)
            )
        )
    elif e.margin_before is not None or e.margin_after is not None:
        lines.append(
            wording.MARGIN_MOVED.format(
                before=_points(e.margin_before),
                runner_before=e.runner_before or wording.ABSENT,
                after=_points(e.margin_after),
                runner_after=e.runner_after or wording.ABSENT,
            )
        )
    if e.switches:
        n = len(e.switches)
        lines.append(wording.SWITCHES_MOVED[n != 1].format(n=format_number(n, COUNT)))
    if e.weight_sets:
        said = []
        for ws, a, b in e.weight_sets:
            if not a:
                said.append(wording.WEIGHT_SET_NEW.format(ws=ws, leads=_ids(b)))
            elif not b:
                said.append(wording.WEIGHT_SET_REMOVED.format(ws=ws, led=_ids(a)))
            else:
                said.append(wording.WEIGHT_SET_MOVED.format(ws=ws, leads=_ids(b), led=_ids(a)))
        lines.append(wording.WEIGHT_SETS + "; ".join(said) + ".")
    return lines


def workbook_sentences(d: AppraisalDiff) -> list[str]:
    """A sentence for each workbook that costs are read from whose bytes changed: its
    SHA-256 before and after (cut to :data:`~appraise.paper.wording.HASH_SHOWN` digits),
    and the options whose risk-adjusted NPC moved with it, or that none did."""
    readers: dict[str, list[Change]] = {}
    moved = {c.subject for c in d.changes if c.area == "cost" and c.field == NPC_FIELD}
    for c in d.changes:
        if c.area == "cost" and c.field.startswith(WORKBOOK_FIELD):
            readers.setdefault(c.file, []).append(c)
    lines = []
    for path, rows in readers.items():
        n = wording.HASH_SHOWN
        line = wording.WORKBOOK_CHANGED.format(
            path=path, before=str(rows[0].before)[:n], after=str(rows[0].after)[:n]
        )
        options = [c.subject for c in rows]
        if any(o in moved for o in options):
            line += wording.WORKBOOK_MOVED.format(
                options=wording.names([o for o in options if o in moved])
            )
        else:
            line += wording.WORKBOOK_STILL.format(options=wording.names(options))
        lines.append(line)
    return lines


# -- the ranking --------------------------------------------------------------------------------


def _rank(label: str | None) -> Cell:
    """A rank label of the analysis (``1``, ``4=``) as a number, ``=`` marking a tie;
    ``–`` for an option absent or not ranked."""
    if label is None:
        return cell(None, blank=wording.ABSENT)
    tied = label.endswith("=")
    return cell(int(label.rstrip("=")), RANK, mark="=" if tied else "")


def _option_name(r: RankRow) -> str:
    tag = (
        wording.NEW
        if r.total_before is None
        else (wording.REMOVED if r.total_after is None else "")
    )
    return f"{r.name} ({r.id}){tag}"


def ranking_table(d: AppraisalDiff) -> Table | None:
    """Each option's rank and total before and after, and how far its total moved.

    Totals are :data:`POINTS`, the change :data:`POINTS_CHANGE`, ranks :data:`RANK` with
    ``–`` for an option absent from a version or not ranked in it. The option first
    after the change is the ``leader`` row, one not ranked after it ``excluded``.
    ``None`` without an analysed effect.
    """
    e = d.effect
    if e is None:
        return None
    rows = []
    for r in e.ranking:
        style: RowStyle = (
            "leader"
            if r.rank_after in ("1", "1=")
            else ("excluded" if r.rank_after is None else "")
        )
        rows.append(
            Row(
                (
                    cell(_option_name(r)),
                    _rank(r.rank_before),
                    _rank(r.rank_after),
                    cell(r.total_before, blank=wording.ABSENT),
                    cell(r.total_after, blank=wording.ABSENT),
                    cell(r.moved),
                ),
                style,
            )
        )
    return table(
        "diff_ranking",
        wording.RANKING_TITLE,
        wording.RANKING_CAPTION.format(before=d.before, after=d.after),
        (
            Column("Option", wide=True),
            Column("Rank before", RANK, short="Rank\nbefore"),
            Column("Rank after", RANK, short="Rank\nafter"),
            Column("Total before", POINTS, short="Total\nbefore"),
            Column("Total after", POINTS, short="Total\nafter"),
            Column("Change", POINTS_CHANGE),
        ),
        rows,
        sums=[Sum(4, (3, 5), "total before and change")],
    )


# -- switching values ---------------------------------------------------------------------------


def _switch_cells(
    x: tuple[float, str] | None, present: bool, names: dict[str, str]
) -> tuple[Cell, Cell]:
    """The weight at which the leader changes (``never``), and the new leader."""
    if not present:
        return cell(None, blank=wording.ABSENT), cell(None)
    if x is None:
        return cell(None, blank=wording.NEVER), cell(None)
    return cell(x[0]), cell(names.get(x[1], x[1]), short=x[1])


def switching_table(d: AppraisalDiff, names: dict[str, str] | None = None) -> Table | None:
    """The weight switching values that moved: two rows per criterion or group, before
    and after, each with its global weight (:data:`WEIGHT`) and the weights below and
    above which the leader changes (:data:`DERIVED_WEIGHT`, as ``appraise sensitivity``
    shows them), and to whom. ``None`` when none moved."""
    e = d.effect
    if e is None or not e.switches:
        return None
    names = names or {}
    rows = []
    s: SwitchMove
    for s in e.switches:
        label = f"{s.name} ({s.id})" + (wording.GROUP if s.kind == "group" else "")
        sides = (
            (s.weight_before, s.below_before, s.above_before),
            (s.weight_after, s.below_after, s.above_after),
        )
        for version, (weight, below, above) in zip(wording.VERSIONS, sides, strict=True):
            present = weight is not None
            rows.append(
                (
                    cell(label),
                    cell(version),
                    cell(weight, blank=wording.ABSENT),
                    *_switch_cells(below, present, names),
                    *_switch_cells(above, present, names),
                )
            )
    return table(
        "diff_switching",
        wording.SWITCHING_TITLE,
        wording.SWITCHING_CAPTION.format(before=d.before, after=d.after),
        (
            Column("Criterion or group", wide=True),
            Column("Version", short=""),
            Column("Weight", WEIGHT),
            Column("Leader changes below", DERIVED_WEIGHT, short="Below"),
            Column("New leader below", short="To"),
            Column("Leader changes above", DERIVED_WEIGHT, short="Above"),
            Column("New leader above", short="To"),
        ),
        rows,
    )


# -- the changes ----------------------------------------------------------------------------------


def _quantity(area: str, field: str) -> Quantity:
    """How a number in a changed field is shown, by what it measures."""
    last = field.rsplit(".", 1)[-1]
    if area in ("score", "moderation") or last in ("q", "p") or field.startswith("moderation."):
        return SCORE
    if area == "cost" or (area == "option" and field.startswith("cost")):
        return COST
    if area in ("weights", "weight set") or field.startswith("weights."):
        return WEIGHT
    return SCALE  # a point of a scale, or another number as written (trimmed)


def _scalar(v: Any, q: Quantity) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int | float):
        return format_number(v, q)
    return " ".join(str(v).split())


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value(v: Any, area: str, field: str) -> Cell:
    """A before or after value as a text cell: numbers by what they measure, long text
    cut at :data:`FILE_LIMIT` characters (:data:`TERMINAL_LIMIT` in the terminal)."""
    if v is None:
        return cell(None, blank=wording.ABSENT)
    if area == "cost" and field.startswith(WORKBOOK_FIELD):  # a SHA-256, cut
        return cell(f"sha256 {str(v)[: wording.HASH_SHOWN]}…")
    q = _quantity(area, field)
    if isinstance(v, dict) and set(v) == {"local", "global"}:
        text = f"{format_number(v['local'], WEIGHT)} (global {format_number(v['global'], WEIGHT)})"
    elif isinstance(v, list):
        text = "; ".join(_scalar(x, q) for x in v) if v else wording.NONE_LISTED
    else:
        text = _scalar(v, q)
    if not text:
        text = wording.EMPTY
    long, short = _cut(text, FILE_LIMIT), _cut(text, TERMINAL_LIMIT)
    return cell(long, short=short if short != long else None)


def changes_table(d: AppraisalDiff, area: str) -> Table | None:
    """Every change in one area (:data:`~appraise.paper.wording.DIFF_AREAS`): added,
    removed or changed, what, which field, before, after, whose. ``None`` when the area
    has none."""
    mine: list[Change] = [c for c in d.changes if c.area == area]
    if not mine:
        return None
    rows = [
        (
            cell(c.kind),
            cell(c.subject),
            cell(c.field),
            _value(c.before, c.area, c.field),
            _value(c.after, c.area, c.field),
            cell(c.who),
        )
        for c in mine
    ]
    return table(
        "diff_" + area.replace(" ", "_"),
        wording.CHANGES_TITLE.format(
            area=wording.DIFF_AREAS.get(area, area), n=format_number(len(mine), COUNT)
        ),
        wording.CHANGES_CAPTION,
        (
            Column("Change", short=""),
            Column("What", wide=True),
            Column("Field", wide=True),
            Column("Before", wide=True),
            Column("After", wide=True),
            Column("Who", wide=True),
        ),
        rows,
    )


# -- the paper ----------------------------------------------------------------------------------


def diff_paper(
    d: AppraisalDiff, title: str, names: dict[str, str], illustrative: bool = False
) -> Paper:
    """``appraise diff``: the sentences, then the ranking and the switching values that
    moved (when anything changed, or the ranking did), then the changes area by area,
    then who committed them (git revisions).

    Args:
        d: the diff (:func:`appraise.analysis.diff.diff_appraisals`).
        title: the appraisal's title (the later version's); empty for none.
        names: option id → name, over both versions.
        illustrative: print the ILLUSTRATIVE banner (either version is illustrative).
    """
    versions = f"appraise diff: {d.before} → {d.after}"
    blocks: list[Block] = [Para(line) for line in summary_sentences(d, names)]
    blocks += [Para(note, "warning") for note in d.notes]
    tables: list[Table | None] = []
    e = d.effect
    if e is not None and (d.changes or e.rank_changed):
        tables += [ranking_table(d), switching_table(d, names)]
    effect = [t for t in tables if t is not None]
    changes = [t for area in wording.DIFF_AREAS if (t := changes_table(d, area)) is not None]
    number = 0
    for heading, group in ((wording.HEADING_EFFECT, effect), (wording.HEADING_CHANGES, changes)):
        if not group:
            continue
        blocks.append(Heading(heading))
        if heading == wording.HEADING_EFFECT and e is not None:
            basis = wording.RANKING_BASIS.format(
                scores=wording.scores_name(e.aggregate), weight_set=e.weight_set
            )
            blocks.append(Para(basis, "note"))
        for t in group:
            number += 1
            blocks.append(TableBlock(t, number))
    if d.authors:
        who = "; ".join(f"{f}: {', '.join(a)}" for f, a in d.authors.items() if a)
        if who:
            blocks.append(Para(wording.COMMITTED_BY.format(who=who), "note"))
    return Paper(
        title=title or versions,
        blocks=tuple(blocks),
        subtitle=versions if title else "",
        illustrative=illustrative,
    )
