"""Rules on costs: what the cost book could not work out, and the uplifts' sources.

The cost book (:func:`appraise.files.costing.cost_book`) reports the years outside the
period, negative amounts where the category forbids them, the missing price base or
price index, unreadable workbook cells, a written net present cost that the lines do not
give, and results written for computed hurdles. This module adds the rules on optimism
bias that depend on the appraisal's status.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from appraise.errors import Issue
from appraise.files.checks.context import Context, num
from appraise.files.costing import cost_book
from appraise.files.models import OptimismBias

__all__ = ["HIGH_UPLIFT", "check_costs"]

HIGH_UPLIFT = 200.0
"""The highest upper bound of the Green Book's generic optimism-bias classes (percent):
above it an uplift needs its source at any status."""


def _looks_wrong(
    ctx: Context, o: Any, item: str, ob: OptimismBias, where: tuple[Any, ...]
) -> Iterator[Issue]:
    """Warnings for an uplift that is probably a slip: a fraction where a percentage
    goes, and mitigation taking the uplift below the class's own lower bound."""
    if 0 < ob.upper_bound < 1:
        yield ctx.warning(
            "optimism-bias-fraction",
            f"`{o.item.id}`'s optimism bias on {item!r} has an upper bound of "
            f"{num(ob.upper_bound)}%: a fraction written where a percentage goes?",
            f"write the percentage: {num(ob.upper_bound * 100)} (or "
            f"'{num(ob.upper_bound * 100)}%') for {num(ob.upper_bound * 100)}%",
            o.doc,
            (*where, "upper_bound"),
            key=False,
        )
    applied = ob.upper_bound * (1 - ob.mitigation)
    if ob.lower_bound is not None and applied < ob.lower_bound - 1e-9:
        yield ctx.warning(
            "optimism-bias-below-lower",
            f"`{o.item.id}`'s optimism bias on {item!r} is mitigated to {num(applied)}%, "
            f"below its class's lower bound of {num(ob.lower_bound)}%",
            "full mitigation reaches the lower bound, not below it: mitigate at most "
            f"{1 - ob.lower_bound / ob.upper_bound:.2f} of the upper bound, or say why "
            "this line is better evidenced than the class",
            o.doc,
            (*where, "mitigation"),
            key=False,
        )


def check_costs(ctx: Context) -> Iterator[Issue]:
    """Issues of the cost book, and optimism bias without a source."""
    yield from cost_book(ctx.appraisal).issues
    for o in ctx.active:
        cost = o.item.cost
        if cost is None:
            continue
        for i, line in enumerate(cost.lines):
            ob = line.optimism_bias
            if ob is None:
                continue
            where = (*o.where, "cost", "lines", i, "optimism_bias")
            yield from _looks_wrong(ctx, o, line.item, ob, where)
            if ob.source and ob.source.strip():
                continue
            if ob.upper_bound > HIGH_UPLIFT:
                yield ctx.error(
                    "optimism-bias-high",
                    f"`{o.item.id}`'s optimism bias on {line.item!r} has an upper bound of "
                    f"{num(ob.upper_bound)}%, above the generic classes' highest "
                    f"({num(HIGH_UPLIFT)}%), and no source",
                    "give the reference class or study it comes from as `source:`",
                    o.doc,
                    where,
                )
            else:
                yield ctx.issue(
                    ctx.severity("optimism-bias-source"),
                    "optimism-bias-source",
                    f"`{o.item.id}`'s optimism bias on {line.item!r} "
                    f"({num(ob.upper_bound)}%, {ob.category}) has no source",
                    "say where the upper bound comes from as `source:` (the Green Book's "
                    "supplementary guidance on optimism bias, or your own reference class)",
                    o.doc,
                    where,
                )
