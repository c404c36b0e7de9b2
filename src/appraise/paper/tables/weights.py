"""The output of ``appraise weights`` as one :class:`~appraise.paper.model.Paper`.

:func:`weights_paper` assembles where the weights come from: every weight set's global
weights side by side (:func:`global_table`), then each recorded elicitation, level by
level (:func:`level_table`): what was recorded, each participant's weights, their
combination, the weights used and the global weights, with the AHP consistency figures
(:func:`consistency_paras`) under each level. The terminal
(:func:`appraise.terminal.render.render_paper`) and every file format render this same
paper, so a weight has the same digits here as in ``appraise score`` and ``export``.
"""

from __future__ import annotations

from appraise.analysis.weights import SetWeights, WeightsView
from appraise.files.elicitation import Consistency, ElicitedSet
from appraise.paper import wording
from appraise.paper.model import (
    Block,
    Bullets,
    Column,
    Heading,
    Paper,
    Para,
    Row,
    Table,
    TableBlock,
    cell,
    table,
)
from appraise.paper.numbers import (
    DERIVED_WEIGHT,
    RANK,
    WEIGHT,
)
from appraise.paper.wording import RECORDED_KINDS, judgement

__all__ = [
    "consistency_paras",
    "elicitation_blocks",
    "global_table",
    "judgement",
    "level_table",
    "weights_paper",
]


def _depth(view: WeightsView, k: int) -> int:
    p = view.problem
    depth = 0
    q = int(p.parent[k])
    while q >= 0:
        depth += 1
        q = int(p.parent[q])
    return depth


def _label(view: WeightsView, ident: str) -> str:
    p = view.problem
    return f"{p.node_names[p.node_ids.index(ident)]} ({ident})"


def global_table(view: WeightsView) -> Table:
    """Every tree node's global weight under every weight set: a row per node (groups
    styled ``group``, criteria indented under them in the terminal; a ``Level`` column,
    not shown in the terminal, says which is which in files that show no row style),
    then a column per set (the set's id as its short heading)."""
    p = view.problem
    total = p.total
    leaves = {int(x) for x in p.leaves}
    columns = [
        Column("Criterion"),
        Column("Level", terminal=False),
        *[Column(s.name, WEIGHT, short=s.id) for s in view.sets],
    ]
    rows = []
    for k, ident in enumerate(p.node_ids):
        label = f"{p.node_names[k]} ({ident})"
        name = cell(label, short="  " * _depth(view, k) + label)
        level = cell("criterion" if k in leaves else "group")
        weights = [cell(float(s.global_[k]) * total) for s in view.sets]
        rows.append(Row((name, level, *weights), "" if k in leaves else "group"))
    return table(
        "global_weights", wording.global_title(total), wording.global_caption(total), columns, rows
    )


def level_table(view: WeightsView, s: SetWeights, k: int) -> Table:
    """One level of a recorded elicitation: what was recorded (one agreed record of
    swings, points or ranks), each participant's weights, the elicited or combined
    weights, the local weights used and the global weights."""
    es = s.elicited
    if es is None:
        raise ValueError(f"weight set {s.id!r} has no recorded elicitation")
    p = view.problem
    total = p.total
    lv = es.combined[k]
    index = {ident: n for n, ident in enumerate(p.node_ids)}
    recorded = not es.participants and lv.kind in RECORDED_KINDS
    columns = [Column("Criterion", wide=True)]
    if recorded:
        columns.append(Column(RECORDED_KINDS[lv.kind], RANK if lv.kind == "ranks" else WEIGHT))
    columns += [Column(r.id or "", DERIVED_WEIGHT) for r in es.participants]
    columns += [
        Column("Combined" if es.participants else "Elicited", DERIVED_WEIGHT),
        Column("Local weight used", WEIGHT, short="Used"),
        Column("Global weight", WEIGHT, short="Global"),
    ]
    rows = []
    for m, ident in enumerate(lv.ids):
        node = index[ident]
        row = [cell(_label(view, ident))]
        if recorded:
            row.append(cell(float(lv.recorded[ident])))
        for r in es.participants:
            mine = r.levels[k]
            row.append(cell(float(mine.shares[mine.ids.index(ident)]) * total))
        row += [
            cell(float(lv.shares[m]) * total),
            cell(float(s.local[node]), None if ident in es.written else DERIVED_WEIGHT),
            cell(float(s.global_[node]) * total),
        ]
        rows.append(tuple(row))
    title = wording.TOP_LEVEL if lv.group is None else _label(view, lv.group)
    key = f"elicited.{s.id}" + (f".{lv.group}" if lv.group is not None else "")
    caption = wording.level_caption(s, lv, participants=bool(es.participants))
    return table(key, title, caption, columns, rows)


def consistency_paras(es: ElicitedSet, k: int) -> list[Para]:
    """Under an AHP level: each record's consistency ratio (a note), and a warning for
    each record above its limit naming the judgements least consistent with the
    weights."""
    lv = es.combined[k]
    if lv.kind != "pairwise":
        return []
    figures: list[tuple[str, Consistency]] = []
    for r in es.participants or es.records:
        c = r.levels[k].consistency
        if c is not None:
            figures.append((r.id or "agreed", c))
    if es.participants and lv.consistency is not None:
        figures.append(("combined", lv.consistency))
    if not figures:
        return []
    first = figures[0][1]
    if first.n < 3:
        return [Para(wording.by_construction(first.n), "note")]
    pairs = first.n * (first.n - 1) // 2
    missing = [
        wording.missing_figure(who, c.missing, pairs)
        for who, c in figures
        if c.missing and who != "combined"
    ]
    out = [Para(wording.consistency_sentence(first, figures, missing), "note")]
    for who, c in figures:
        if who != "combined" and not c.acceptable:
            out.append(Para(wording.inconsistent_sentence(who, c), "warning"))
    return out


def elicitation_blocks(view: WeightsView, s: SetWeights) -> list[Block | Table]:
    """One recorded elicitation: its heading, where it came from, how it was turned into
    weights, who took part, then each level's table and consistency figures. Tables are
    returned bare; :func:`weights_paper` numbers them."""
    es = s.elicited
    if es is None:
        return []
    out: list[Block | Table] = [Heading(wording.elicitation_heading(s, es), level=2)]
    if s.id == "tree":
        said = " ".join(
            x
            for x in (wording.agreed_sentence(view.agreed) if view.agreed else "", view.rationale)
            if x
        )
        if said:
            out.append(Para(said, "note"))
    elif es.source:
        out.append(Para(es.source, "note"))
    if es.method == "ranking":
        out.append(Para(wording.rank_rule_sentence(es.rank_rule)))
    if es.combine:
        out.append(Para(wording.combine_sentence(es.combine)))
    people = [
        wording.participant_item(r.id or "", r.name, r.role)
        for r in es.participants
        if r.role or r.name
    ]
    if people:
        out.append(Bullets(tuple(people)))
    for k in range(len(es.combined)):
        out.append(level_table(view, s, k))
        out.extend(consistency_paras(es, k))
    return out


def weights_paper(view: WeightsView) -> Paper:
    """``appraise weights``: global weights by weight set, then each recorded elicitation
    level by level, then the sets whose weights were written directly."""
    p = view.problem
    parts: list[Block | Table] = [global_table(view), Para(wording.legend(view), "note")]
    for s in view.elicited:
        parts.extend(elicitation_blocks(view, s))
    direct = [s for s in view.sets if s.elicited is None]
    if direct:
        parts.append(Para(wording.unrecorded(direct)))
    blocks: list[Block] = []
    number = 0
    for part in parts:
        if isinstance(part, Table):
            number += 1
            blocks.append(TableBlock(part, number))
        else:
            blocks.append(part)
    return Paper(
        title=p.title,
        blocks=tuple(blocks),
        subtitle=wording.subtitle_line(view),
        illustrative=p.illustrative,
    )
