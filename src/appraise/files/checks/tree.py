"""The value tree: weights at each level, definitions, references, and duplicates."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from appraise.errors import Issue
from appraise.files.checks.context import Context, num
from appraise.files.yamlio import Document

__all__ = ["MANY_CRITERIA", "check_tree", "level_sum", "near_duplicate"]

MANY_CRITERIA = 15
"""More scored criteria than this draw a ``many-criteria`` warning."""

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "promote",
        "promotes",
        "promoting",
        "support",
        "supports",
        "supporting",
        "improve",
        "improves",
        "improving",
        "enable",
        "enables",
        "robust",
    ]
)


def near_duplicate(a: str, b: str) -> bool:
    """True when two criterion names would read as the same criterion.

    Names are compared without case, punctuation, filler words (``promotes``,
    ``supports``, ``the`` …) and doubled letters (``focussed`` = ``focused``). They are
    near duplicates when what is left is equal, or at least 90 % similar with the same
    numbers in both (``Criterion 1`` and ``Criterion 11`` differ).
    """
    left, right = _name_key(a), _name_key(b)
    if not left or not right:
        return a.casefold().strip() == b.casefold().strip()
    if left == right:
        return True
    if re.findall(r"\d+", left) != re.findall(r"\d+", right):
        return False
    matcher = difflib.SequenceMatcher(None, left, right)
    return (
        matcher.real_quick_ratio() >= 0.9
        and matcher.quick_ratio() >= 0.9
        and matcher.ratio() >= 0.9
    )


def _name_key(name: str) -> str:
    words = re.sub(r"[^\w]+", " ", name.casefold()).split()
    kept = [w for w in words if w not in _STOPWORDS]
    return re.sub(r"([^\W\d_])\1+", r"\1", " ".join(kept))


def check_tree(ctx: Context) -> Iterator[Issue]:
    """The value tree as a whole and each node in it.

    Args:
        ctx: the appraisal being checked.

    Yields:
        Issues: no criteria, weights that do not sum at a level, missing definitions,
        unknown objectives and ``distinct_from`` ids, criteria covered by cost, near
        duplicate names, and too many criteria.
    """
    a = ctx.appraisal
    if not ctx.nodes:
        doc = a.criteria_files[0][0] if a.criteria_files else None
        yield ctx.error(
            "no-criteria",
            "the value tree has no criteria",
            "add criteria under `criteria:` in a file in criteria/",
            doc,
        )
        return
    settings = a.settings.weights
    top = [n for n in ctx.nodes if n.parent is None]
    yield from level_sum(
        ctx,
        "the top level",
        [n.criterion.weight for n in top],
        settings.normalise,
        top[0].doc,
        (*top[0].where, "weight"),
    )
    objective_ids = {o.id for o in a.settings.appraisal.objectives}
    for node in ctx.nodes:
        c = node.criterion
        if c.criteria is not None:
            yield from level_sum(
                ctx,
                f"`{c.id}`",
                [ch.weight for ch in c.criteria],
                settings.normalise or c.normalise,
                node.doc,
                (*node.where, "criteria"),
            )
        if not c.definition.strip():
            yield ctx.issue(
                ctx.severity("no-definition"),
                "no-definition",
                f"`{c.id}` ({c.name}) has no definition",
                "say what is judged, in service or output terms",
                node.doc,
                (*node.where, "id"),
            )
        for i, ref in enumerate(c.objectives):
            if ref not in objective_ids:
                hint = (
                    ctx.suggest(ref, objective_ids)
                    or "list it under appraisal.objectives in appraisal.yaml"
                )
                yield ctx.error(
                    "unknown-objective",
                    f"unknown objective `{ref}`",
                    hint,
                    node.doc,
                    (*node.where, "objectives", i),
                    key=False,
                )
        for i, distinct in enumerate(c.distinct_from):
            if distinct.id not in ctx.by_id:
                yield ctx.error(
                    "unknown-criterion",
                    f"unknown criterion `{distinct.id}`",
                    ctx.suggest(distinct.id, ctx.by_id) or "check the id",
                    node.doc,
                    (*node.where, "distinct_from", i, "id"),
                    key=False,
                )
        if c.covered_by_cost:
            yield ctx.warning(
                "covered-by-cost",
                f"`{c.id}` is also covered by the costs: cost per benefit "
                "point would count it twice",
                "leave it out of value for money, or redefine it",
                node.doc,
                (*node.where, "covered_by_cost"),
            )
    yield from _duplicates(ctx)
    if len(ctx.leaves) > MANY_CRITERIA:
        first = ctx.leaves[0]
        yield ctx.warning(
            "many-criteria",
            f"{len(ctx.leaves)} scored criteria; more than about "
            f"{MANY_CRITERIA} are hard to judge consistently",
            "group or merge criteria that overlap",
            first.doc,
            first.where,
        )


def level_sum(
    ctx: Context,
    label: str,
    values: list[float],
    normalise: bool,
    doc: Document,
    where: tuple[Any, ...],
) -> Iterator[Issue]:
    """The weights of one level: not all zero, and summing to the total unless normalised.

    Args:
        ctx: the appraisal being checked.
        label: the level in the message (``the top level``, ```group```).
        values: the level's weights.
        normalise: whether the weights are scaled to the total, so need not sum to it.
        doc: the file to point at.
        where: the place in it.

    Yields:
        A ``weights-all-zero`` or ``weights-sum`` error, if any.
    """
    total = ctx.appraisal.settings.weights.total
    tolerance = ctx.appraisal.settings.weights.tolerance
    ssum = sum(values)
    terms = " + ".join(num(w) for w in values)
    if ssum == 0:
        yield ctx.error(
            "weights-all-zero",
            f"every weight at {label} is zero",
            "give at least one criterion a weight above zero",
            doc,
            where,
        )
    elif not normalise and abs(ssum - total) > tolerance:
        yield ctx.error(
            "weights-sum",
            f"weights at {label} sum to {num(ssum)} ({terms}), not {num(total)}",
            f"make them sum to {num(total)}, or set `normalise: true` to scale them explicitly",
            doc,
            where,
        )


def _duplicates(ctx: Context) -> Iterator[Issue]:
    allowed: set[frozenset[str]] = set()
    for node in ctx.nodes:
        for distinct in node.criterion.distinct_from:
            allowed.add(frozenset((node.criterion.id, distinct.id)))
    leaves = ctx.leaves
    for j, right in enumerate(leaves):
        for left in leaves[:j]:
            pair = frozenset((left.criterion.id, right.criterion.id))
            if pair in allowed or not near_duplicate(left.criterion.name, right.criterion.name):
                continue
            loc = left.doc.locate((*left.where, "name"))
            yield ctx.error(
                "duplicate-criterion",
                f"criterion `{right.criterion.id}` ({right.criterion.name!r}) duplicates "
                f"`{left.criterion.id}` ({left.criterion.name!r}) at "
                f"{left.doc.path}:{loc.line}: scoring both counts it twice",
                f"keep one, or split them into distinct criteria with different "
                f"definitions and list `distinct_from: [{{id: {left.criterion.id}, "
                f"reason: ...}}]`",
                right.doc,
                (*right.where, "name"),
                key=False,
            )
