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

from collections.abc import Sequence

from appraise.analysis.weights import SetWeights, WeightsView
from appraise.files.elicitation import Consistency, ElicitedSet, LevelWeights
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
    CONSISTENCY,
    COUNT,
    DECLARED_RATIO,
    DERIVED_WEIGHT,
    RANK,
    WEIGHT,
    format_number,
)
from appraise.paper.wording import COMBINE_RULES, ELICITATION_METHODS, RANK_RULES, RECORDED_KINDS

__all__ = [
    "consistency_paras",
    "elicitation_blocks",
    "global_table",
    "judgement",
    "level_table",
    "weights_paper",
]

# wording to move into paper/wording.py -------------------------------------------------------

OWN_WEIGHTS = "each participant's own weights"
"""What the participants' weight sets are, in the legend."""

ONE_RECORD = "one agreed record"
"""Who an elicitation records when nobody is named."""

TOP_LEVEL = "Top level"
"""The title of the top level's table."""

AS_WRITTEN = "their weights are as written in the files."
"""Why a weight set without an elicitation has no level tables."""


def method_name(method: str) -> str:
    """How a weight set's weights were set, in words (the method itself if unknown)."""
    return ELICITATION_METHODS.get(method, method)


def subtitle_line(view: WeightsView) -> str:
    """'Value tree: swing weighting, agreed 2008-11-12 · each level sums to 100'."""
    total = format_number(view.problem.total, WEIGHT)
    tree = next((s for s in view.sets if s.id == "tree"), None)  # None under --set
    if tree is None:
        return f"Each level sums to {total}"
    line = f"Value tree: {method_name(tree.method)}"
    if view.agreed:
        line += f", agreed {view.agreed}"
    return line + f" · each level sums to {total}"


def global_title(total: float) -> str:
    """The global weights table's title."""
    return (
        f"Global weights by weight set (% of the whole; leaves sum to "
        f"{format_number(total, WEIGHT)})"
    )


def global_caption(total: float) -> str:
    """What the global weights table shows."""
    return (
        "Each group's and criterion's global weight (its share of the whole) under every "
        f"weight set; in each set the criteria sum to {format_number(total, WEIGHT)}."
    )


def legend(view: WeightsView) -> str:
    """'Weight sets: tree = Value tree (swing weighting); …'."""
    described = [
        f"{s.id} = {s.name} ({method_name(s.method)})"
        for s in view.sets
        if s.participant_of is None
    ]
    own = [s.id for s in view.sets if s.participant_of is not None]
    if own:
        described.append(f"{', '.join(own)}: {OWN_WEIGHTS}")
    return f"Weight sets: {'; '.join(described)}."


def unrecorded(sets: Sequence[SetWeights]) -> str:
    """'No elicitation recorded for staff_side (swing weighting), …: their weights are as
    written in the files.'"""
    named = ", ".join(f"{s.id} ({method_name(s.method)})" for s in sets)
    return f"No elicitation recorded for {named}: {AS_WRITTEN}"


def elicitation_heading(s: SetWeights, es: ElicitedSet) -> str:
    """'Clinical reference group (AHP) (clinical): AHP pairwise comparison, 3
    participants (CRG1, CRG2, CRG3)'."""
    if es.participants:
        ids = ", ".join(r.id or "" for r in es.participants)
        who = f"{format_number(len(es.participants), COUNT)} participants ({ids})"
    else:
        who = ONE_RECORD
    return f"{s.name} ({s.id}): {method_name(es.method)}, {who}"


def agreed_sentence(agreed: str) -> str:
    """'Agreed 2008-11-12.'"""
    return f"Agreed {agreed}."


def rank_rule_sentence(rule: str) -> str:
    """'Weights from ranks by the rank-order centroid rule.'"""
    return f"Weights from ranks by the {RANK_RULES[rule]} rule."


def combine_sentence(rule: str) -> str:
    """'Participants combined by the geometric mean of each judgement.'"""
    return f"Participants combined by {COMBINE_RULES[rule]}."


def participant_item(ident: str, name: str | None, role: str | None) -> str:
    """'CRG1: Community matron (pseudonym M. Ashby), Community nursing'."""
    return f"{ident}: {name}" + (f", {role}" if role else "")


def level_caption(s: SetWeights, lv: LevelWeights, *, participants: bool) -> str:
    """What a level's table shows."""
    where = "the top level" if lv.group is None else f"the criteria under {lv.group}"
    recorded = (
        "each participant's weights, their combination"
        if participants
        else "what was recorded, the weights elicited from it"
    )
    return f"{s.name} ({s.id}), {where}: {recorded}, the local weights used and the global weights."


def by_construction(n: int) -> str:
    """Why a level of one or two criteria has no consistency ratio."""
    count = "Two criteria" if n == 2 else "One criterion"
    return f"{count}: consistent by construction (no consistency ratio)."


def consistency_sentence(
    first: Consistency, figures: Sequence[tuple[str, Consistency]], missing: Sequence[str]
) -> str:
    """'Consistency ratio (limit 0.100, random index 1.240 for 6): CRG1 0.001, ….
    Comparisons left out and completed (Harker): CRG3 2 of 15.'"""
    n = format_number(first.n, COUNT)
    ri = (
        f"random index {format_number(first.ri, DECLARED_RATIO)} for {n}"
        if first.ri is not None
        else "no random index"
    )
    shown = ", ".join(
        f"{who} {format_number(c.cr, CONSISTENCY)}"
        if c.cr is not None
        else f"{who} CI {format_number(c.ci, CONSISTENCY)}"
        for who, c in figures
    )
    line = f"Consistency ratio (limit {format_number(first.limit, DECLARED_RATIO)}, {ri}): {shown}."
    if missing:
        line += " Comparisons left out and completed (Harker): " + ", ".join(missing) + "."
    return line


def missing_figure(who: str, missing: int, pairs: int) -> str:
    """'CRG3 2 of 15': comparisons one record left out."""
    return f"{who} {format_number(missing, COUNT)} of {format_number(pairs, COUNT)}"


def inconsistent_sentence(who: str, c: Consistency) -> str:
    """'agreed: consistency ratio 0.294 is above 0.100. Least consistent: QUAL over RISK
    1/8 (line 12), weights imply 1.78; …'."""
    worst = "; ".join(
        f"{j.row} over {j.col} {judgement(j.given)}"
        + (f" (line {j.line})" if j.line else "")
        + f", weights imply {judgement(j.implied)}"
        for j in c.worst
    )
    return (
        f"{who}: consistency ratio {format_number(c.cr, CONSISTENCY)} is above "
        f"{format_number(c.limit, DECLARED_RATIO)}. Least consistent: {worst}."
    )


# -------------------------------------------------------------------------------------------


def judgement(x: float) -> str:
    """An AHP judgement as people write them: ``3``, ``2.5``, ``1/3``, ``1/2.5``.

    A judgement is a ratio on Saaty's 1/9–9 scale, written as a whole number or its
    reciprocal, so it is shown as a fraction to three significant figures rather than
    as a decimal quantity.
    """
    if x >= 1:
        return f"{x:.3g}"
    inverse = 1 / x
    if abs(inverse - round(inverse)) < 1e-6:
        return f"1/{round(inverse)}"
    return f"1/{inverse:.3g}"


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
    return table("global_weights", global_title(total), global_caption(total), columns, rows)


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
            cell(float(s.local[node])),
            cell(float(s.global_[node]) * total),
        ]
        rows.append(tuple(row))
    title = TOP_LEVEL if lv.group is None else _label(view, lv.group)
    key = f"elicited.{s.id}" + (f".{lv.group}" if lv.group is not None else "")
    caption = level_caption(s, lv, participants=bool(es.participants))
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
        return [Para(by_construction(first.n), "note")]
    pairs = first.n * (first.n - 1) // 2
    missing = [
        missing_figure(who, c.missing, pairs)
        for who, c in figures
        if c.missing and who != "combined"
    ]
    out = [Para(consistency_sentence(first, figures, missing), "note")]
    for who, c in figures:
        if who != "combined" and not c.acceptable:
            out.append(Para(inconsistent_sentence(who, c), "warning"))
    return out


def elicitation_blocks(view: WeightsView, s: SetWeights) -> list[Block | Table]:
    """One recorded elicitation: its heading, where it came from, how it was turned into
    weights, who took part, then each level's table and consistency figures. Tables are
    returned bare; :func:`weights_paper` numbers them."""
    es = s.elicited
    if es is None:
        return []
    out: list[Block | Table] = [Heading(elicitation_heading(s, es), level=2)]
    if s.id == "tree":
        said = " ".join(
            x for x in (agreed_sentence(view.agreed) if view.agreed else "", view.rationale) if x
        )
        if said:
            out.append(Para(said, "note"))
    elif es.source:
        out.append(Para(es.source, "note"))
    if es.method == "ranking":
        out.append(Para(rank_rule_sentence(es.rank_rule)))
    if es.combine:
        out.append(Para(combine_sentence(es.combine)))
    people = [
        participant_item(r.id or "", r.name, r.role) for r in es.participants if r.role or r.name
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
    parts: list[Block | Table] = [global_table(view), Para(legend(view), "note")]
    for s in view.elicited:
        parts.extend(elicitation_blocks(view, s))
    direct = [s for s in view.sets if s.elicited is None]
    if direct:
        parts.append(Para(unrecorded(direct)))
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
        subtitle=subtitle_line(view),
        illustrative=p.illustrative,
    )
