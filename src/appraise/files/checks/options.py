"""Options: the baseline, the long-list filter, hurdles, costs, scope and the shortlist."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from appraise.errors import Issue
from appraise.files.checks.context import Context, num

__all__ = ["check_options"]


def check_options(ctx: Context) -> Iterator[Issue]:
    """The options as a set and each option in it.

    Args:
        ctx: the appraisal being checked.

    Yields:
        Issues: every option discounted, no baseline or more than one, a discounted
        baseline, filter outcomes without a reason, unknown or missing hurdle results,
        negative costs, cost breakdowns that do not add up, some options without a
        cost, options of a different scope, and a short shortlist.
    """
    if not ctx.options:
        return
    first = ctx.options[0]
    if not ctx.active:
        yield ctx.error(
            "no-options",
            "every option is discounted: nothing to appraise",
            "carry at least the baseline forward",
            first.doc,
            first.where,
        )
        return
    baselines = [o for o in ctx.options if o.item.baseline]
    for o in baselines:
        if o.item.discounted:
            yield ctx.error(
                "baseline-discounted",
                f"the baseline `{o.item.id}` is discounted",
                "the baseline (business as usual) must be appraised",
                o.doc,
                (*o.where, "baseline"),
            )
    if not baselines:
        yield ctx.error(
            "no-baseline",
            "no option is the baseline",
            "mark business as usual with `baseline: true` (Green Book: "
            "options are compared with BAU)",
            first.doc,
            first.where,
        )
    for extra in baselines[1:]:
        yield ctx.error(
            "many-baselines",
            f"`{extra.item.id}` is a second baseline (first: `{baselines[0].item.id}`)",
            "exactly one option is business as usual",
            extra.doc,
            (*extra.where, "baseline"),
        )
    hurdles = [
        (h, d, ("hurdles", i))
        for d, f in ctx.appraisal.criteria_files
        for i, h in enumerate(f.hurdles)
    ]
    hurdle_ids = {h.id for h, _, _ in hurdles}
    for o in ctx.options:
        option = o.item
        if option.discounted and option.filter is not None and not option.filter.reason.strip():
            yield ctx.error(
                "no-filter-reason",
                f"`{option.id}` is discounted without a reason",
                "say precisely how it fails the long-list filter",
                o.doc,
                (*o.where, "filter", "outcome"),
            )
        for ident in option.hurdles:
            if ident not in hurdle_ids:
                yield ctx.error(
                    "unknown-hurdle",
                    f"unknown hurdle `{ident}`",
                    ctx.suggest(ident, hurdle_ids)
                    or "define hurdles under `hurdles:` in criteria/",
                    o.doc,
                    (*o.where, "hurdles", ident),
                )
        if not option.discounted:
            missing = [
                h.id for h, _, _ in hurdles if h.id not in option.hurdles and h.envelope is None
            ]
            if missing:
                yield ctx.error(
                    "hurdle-missing",
                    f"`{option.id}` has no result for hurdle(s) {', '.join(missing)}",
                    "add `hurdles: {" + missing[0] + ": {result: pass, reason: ...}}`",
                    o.doc,
                    o.where,
                )
        cost = option.cost
        written = cost.amount if cost is not None and isinstance(cost.amount, float) else None
        if cost is not None and written is not None and written < 0:
            yield ctx.error(
                "cost-negative",
                f"`{option.id}`'s cost is negative ({num(written)}): a cost is an amount "
                "spent, and cost per point and the frontier mean nothing below zero",
                "record what the option costs in full, on the same basis as the others "
                "(a saving it makes against the baseline shows in the increments); "
                "an income or saving inside the cost can be a negative breakdown line",
                o.doc,
                (*o.where, "cost", "amount"),
                key=False,
            )
        if cost is not None and cost.breakdown and written is not None:
            total = sum(line.amount for line in cost.breakdown)
            if abs(total - written) > 1e-6 * max(1.0, abs(written)):
                yield ctx.error(
                    "cost-breakdown",
                    f"`{option.id}`'s cost breakdown adds up to {num(total)}, "
                    f"not its amount {num(written)}",
                    "correct the amount or the breakdown",
                    o.doc,
                    (*o.where, "cost", "amount"),
                    key=False,
                )
    costed = [o for o in ctx.active if o.item.cost is not None]
    if costed and len(costed) < len(ctx.active):
        for o in ctx.active:
            if o.item.cost is None:
                yield ctx.warning(
                    "cost-missing",
                    f"`{o.item.id}` has no cost while other options do",
                    "add `cost: {amount: ...}` so value for money covers every option",
                    o.doc,
                    o.where,
                )
    scopes = Counter(o.item.scope for o in ctx.active if o.item.scope)
    if len(scopes) > 1:
        common = scopes.most_common(1)[0][0]
        for o in ctx.active:
            if o.item.scope and o.item.scope != common:
                yield ctx.warning(
                    "scope-differs",
                    f"`{o.item.id}` covers a different scope "
                    f"({o.item.scope!r}) from most options ({common!r}): "
                    "their scores are not comparable",
                    "combine partial options into one whole-scope option, "
                    "or score all options for a common scope",
                    o.doc,
                    (*o.where, "scope"),
                )
    if ctx.appraisal.settings.appraisal.stage == "shortlist" and len(ctx.active) < 4:
        yield ctx.warning(
            "short-shortlist",
            f"the shortlist has {len(ctx.active)} option(s)",
            "the Green Book expects at least BAU, a do-minimum, the "
            "preferred way forward and one other option",
            first.doc,
            first.where,
        )
