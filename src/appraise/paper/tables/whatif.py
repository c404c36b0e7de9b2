"""The tables of ``appraise score``'s what-ifs and explanations: the ranking with some
weights or scores set against the agreed one, the weights before and after, one
option's contributions, and where one option gains or loses against another."""

from __future__ import annotations

import numpy as np

from appraise.analysis.score import ScoreResult
from appraise.analysis.whatif import WhatIf
from appraise.errors import RequestError
from appraise.paper import wording
from appraise.paper.model import Column, Row, Table, cell, table
from appraise.paper.numbers import (
    DERIVED_WEIGHT,
    POINTS,
    POINTS_CHANGE,
    RANK,
    SCORE,
    SHARE,
    WEIGHT_CHANGE,
    format_number,
)
from appraise.paper.tables.score import option_cell, rank_cell, row_style

__all__ = [
    "compare_table",
    "explain_table",
    "leader_sentence",
    "option_index",
    "what_if_table",
    "what_if_weights_table",
]


def option_index(r: ScoreResult, ident: str, flag: str) -> int:
    """The index of option ``ident``.

    Raises:
        RequestError: no such option (the hint names the closest or lists them).
    """
    import difflib

    p = r.problem
    if ident in p.option_ids:
        return p.option_ids.index(ident)
    close = difflib.get_close_matches(ident, p.option_ids, n=1, cutoff=0.5)
    raise RequestError(
        f"{flag}: no option {ident!r}",
        hint=f"did you mean {close[0]}?" if close else f"options: {', '.join(p.option_ids)}",
    )


def leader_sentence(w: WhatIf) -> str:
    """Whether the leader changed: ``Social enterprise now leads (NHS community
    foundation trust led as agreed).`` or ``NHS community foundation trust still leads,
    by 4.2 points (11.0 as agreed).``"""
    p = w.agreed.problem
    before, after = w.leaders
    name = wording.names
    if not after:
        return "With these changes no option is ranked."
    if before == after:
        lead = after[0]
        return (
            f"{name([p.option_names[i] for i in after])} still "
            f"{'leads' if len(after) == 1 else 'lead'}"
            + (
                f", by {format_number(float(w.changed.gap_next[lead]), POINTS)} points "
                f"({format_number(float(w.agreed.gap_next[lead]), POINTS)} as agreed)."
                if len(after) == 1 and np.isfinite(w.changed.gap_next[lead])
                else "."
            )
        )
    return (
        f"{name([p.option_names[i] for i in after])} now "
        f"{'leads' if len(after) == 1 else 'lead'} "
        f"({name([p.option_names[i] for i in before]) or 'no option'} led as agreed)."
    )


def what_if_table(w: WhatIf) -> Table:
    """Every option's rank and total as agreed and with the what-ifs, in the what-if
    order, with the change."""
    a, b = w.agreed, w.changed
    p = a.problem
    q = wording.total_quantity(a.method)
    rows = [
        Row(
            (
                option_cell(b, i),
                rank_cell(a, i),
                rank_cell(b, i),
                cell(float(a.totals[i]), q),
                cell(float(b.totals[i]), q),
                cell(float(b.totals[i] - a.totals[i]), POINTS_CHANGE if q is POINTS else q),
            ),
            row_style(b, i),  # type: ignore[arg-type]
        )
        for i in b.order
    ]
    notes = [leader_sentence(w)]
    for c in w.scores:
        k = p.criterion_ids.index(c.criterion)
        o = p.option_ids.index(c.option)
        was = a.scores[o, k]
        notes.append(
            f"Score set: {c.option} on {c.criterion} "
            f"{format_number(float(was), SCORE) if np.isfinite(was) else 'unscored'} → "
            f"{format_number(c.value, SCORE)}."
        )
    if w.weights:
        notes.append(
            "Weights set: "
            + "; ".join(
                f"{c.node} {format_number(_weight(a, c.node), DERIVED_WEIGHT)} → "
                f"{format_number(c.value, DERIVED_WEIGHT)}"
                for c in w.weights
            )
            + " (of "
            + format_number(p.total, SCORE)
            + "); every other weight rescaled in proportion."
        )
    return table(
        "what_if",
        "What if: the ranking with the changes, against the agreed one",
        "Each option's rank and total as agreed and with the weights or scores set, in "
        "the order with the changes, and how far each total moved.",
        (
            Column("Option", wide=True),
            Column("Rank agreed", RANK, short="Rank\nagreed", key="rank_agreed"),
            Column("Rank now", RANK, short="Rank\nnow", key="rank_what_if"),
            Column("Total agreed", q, short="Total\nagreed", key="total_agreed"),
            Column("Total now", q, short="Total\nnow", key="total_what_if"),
            Column("Change", POINTS_CHANGE if q is POINTS else q, key="change"),
        ),
        rows,
        notes,
    )


def _weight(r: ScoreResult, node: str) -> float:
    """A node's global weight in a result (a group's is its criteria's sum)."""
    p = r.problem
    k = p.node_ids.index(node)
    if k in p.leaves:
        return float(r.weights[list(p.leaves).index(k)])
    g = list(p.groups).index(k) if k in p.groups else None
    if g is not None:
        return float(r.group_weights[g])
    inside = [j for j, leaf in enumerate(p.leaves) if _under(p.parent, int(leaf), k)]
    return float(r.weights[inside].sum())


def _under(parent: object, leaf: int, node: int) -> bool:
    k = leaf
    while k >= 0:
        if k == node:
            return True
        k = int(parent[k])  # type: ignore[index]
    return False


def what_if_weights_table(w: WhatIf) -> Table | None:
    """Every criterion's global weight as agreed and with the weights set."""
    if not w.weights:
        return None
    a, b = w.agreed, w.changed
    p = a.problem
    rows = [
        (
            cell(p.criterion_ids[k]),
            cell(p.criterion_names[k]),
            cell(float(a.weights[k]), DERIVED_WEIGHT),
            cell(float(b.weights[k]), DERIVED_WEIGHT),
            cell(float(b.weights[k] - a.weights[k]), WEIGHT_CHANGE),
        )
        for k in range(len(p.criterion_ids))
    ]
    return table(
        "what_if_weights",
        "What if: the weights",
        f"Each criterion's weight (of {format_number(p.total, SCORE)}) as agreed and with "
        "the weights set; those not set are rescaled in proportion.",
        (
            Column("Id"),
            Column("Criterion", wide=True),
            Column("Agreed", DERIVED_WEIGHT),
            Column("Now", DERIVED_WEIGHT, key="what_if"),
            Column("Change", WEIGHT_CHANGE),
        ),
        rows,
    )


def explain_table(r: ScoreResult, option: str) -> Table:
    """One option's total, criterion by criterion: weight, score, points on the
    appraisal's scale, contribution and its share of the total.

    Raises:
        RequestError: no such option, or a method other than the weighted sum.
    """
    _wsm(r, "--explain")
    i = option_index(r, option, "--explain")
    p = r.problem
    total = float(r.totals[i])
    rows = [
        (
            cell(p.criterion_ids[k]),
            cell(p.criterion_names[k]),
            cell(float(r.weights[k]), DERIVED_WEIGHT),
            cell(float(r.scores[i, k]), SCORE),
            cell(float(r.contributions[i, k]), POINTS),
            cell(100 * float(r.contributions[i, k]) / total if total else None, SHARE),
        )
        for k in np.argsort(-np.nan_to_num(r.contributions[i]), kind="stable")
    ]
    return table(
        "explain",
        f"Where {p.option_names[i]}'s total comes from",
        f"{p.option_names[i]}'s weighted score on each criterion, largest first: the "
        "criterion's weight times its score (on the appraisal's scale), and its share of "
        f"the total of {format_number(total, POINTS)}.",
        (
            Column("Id"),
            Column("Criterion", wide=True),
            Column("Weight", DERIVED_WEIGHT),
            Column("Score", SCORE),
            Column("Points", POINTS),
            Column("Share", SHARE),
        ),
        rows,
        [f"Total: {format_number(total, POINTS)}; rank {int(r.ranks[i]) or '–'}."],
    )


def compare_table(r: ScoreResult, first: str, second: str) -> Table:
    """Where one option gains or loses against another, criterion by criterion, the
    largest difference first.

    Raises:
        RequestError: no such option, the same option twice, or a method other than
            the weighted sum.
    """
    _wsm(r, "--compare")
    a = option_index(r, first, "--compare")
    b = option_index(r, second, "--compare")
    if a == b:
        raise RequestError("--compare: give two different options")
    p = r.problem
    diff = r.contributions[a] - r.contributions[b]
    order = np.argsort(-np.abs(np.nan_to_num(diff)), kind="stable")
    rows = [
        (
            cell(p.criterion_ids[k]),
            cell(p.criterion_names[k]),
            cell(float(r.weights[k]), DERIVED_WEIGHT),
            cell(float(r.scores[a, k]), SCORE),
            cell(float(r.scores[b, k]), SCORE),
            cell(float(diff[k]), POINTS_CHANGE),
        )
        for k in order
    ]
    margin = float(r.totals[a] - r.totals[b])
    ida, idb = p.option_ids[a], p.option_ids[b]
    gains = [p.criterion_ids[k] for k in order if diff[k] > 0][:3]
    losses = [p.criterion_ids[k] for k in order if diff[k] < 0][:3]
    said = (
        f"{p.option_names[a]} {'leads' if margin >= 0 else 'trails'} {p.option_names[b]} by "
        f"{format_number(abs(margin), POINTS)} points"
    )
    if gains:
        said += f"; it gains most on {wording.names(gains)}"
    if losses:
        said += f" and loses most on {wording.names(losses)}"
    return table(
        "compare",
        f"{ida} against {idb}, criterion by criterion",
        f"Each criterion's weight, the two options' scores, and the difference it makes "
        f"to {ida}'s total over {idb}'s (weight × score difference), largest first.",
        (
            Column("Id"),
            Column("Criterion", wide=True),
            Column("Weight", DERIVED_WEIGHT),
            Column(f"{ida} score", SCORE, key="score_first"),
            Column(f"{idb} score", SCORE, key="score_second"),
            Column(f"{ida} − {idb}", POINTS_CHANGE, key="difference"),
        ),
        rows,
        [said + "."],
    )


def _wsm(r: ScoreResult, flag: str) -> None:
    if r.method != "wsm":
        raise RequestError(
            f"{flag} needs the weighted sum", hint="leave out --method (wsm is the default)"
        )
