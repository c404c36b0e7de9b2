"""Weights: each weight set's levels, and the recorded elicitation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from appraise.errors import Issue
from appraise.files.checks.context import Context
from appraise.files.checks.tree import level_sum

__all__ = ["check_elicitation", "check_weight_sets"]


def check_weight_sets(ctx: Context) -> Iterator[Issue]:
    """Each weight set: known criteria, and weights that sum at each level it sets.

    Args:
        ctx: the appraisal being checked.

    Yields:
        Issues: unknown criteria, and levels whose weights do not sum. A set derived from
        an elicitation with errors is left to :func:`check_elicitation`.
    """
    a = ctx.appraisal
    for doc, file in a.criteria_files:
        for i, ws in enumerate(file.weight_sets):
            where = ("weight_sets", i)
            unknown = [ident for ident in ws.weights if ident not in ctx.by_id]
            for ident in unknown:
                yield ctx.error(
                    "unknown-criterion",
                    f"weight set `{ws.id}` names unknown criterion `{ident}`",
                    ctx.suggest(ident, ctx.by_id) or "use the ids of criteria/ and groups",
                    doc,
                    (*where, "weights", ident),
                )
            if unknown:
                continue
            if ws.elicitation is not None and ws.id not in ctx.elicited[0]:
                continue  # the elicitation has errors, reported by check_elicitation
            derived = ctx.elicited[0].get(ws.id, {}) if ws.elicitation else {}
            if ws.elicitation is not None and not ws.weights:
                continue  # derived weights: each level sums by construction
            normalise = ws.normalise or a.settings.weights.normalise
            levels: dict[str | None, list[tuple[str, float]]] = defaultdict(list)
            for node in ctx.nodes:
                ident = node.criterion.id
                weight = ws.weights.get(ident, derived.get(ident, node.criterion.weight))
                levels[node.parent].append((ident, weight))
            for parent, entries in levels.items():
                own = any(n in ws.weights for n, _ in entries)
                if not own and not normalise:
                    continue
                label = "the top level" if parent is None else f"`{parent}`"
                yield from level_sum(
                    ctx,
                    f"{label} in weight set `{ws.id}`",
                    [w for _, w in entries],
                    normalise,
                    doc,
                    (*where, "weights"),
                )


def check_elicitation(ctx: Context) -> Iterator[Issue]:
    """The recorded elicitation (see :func:`appraise.files.elicitation.derive`).

    Args:
        ctx: the appraisal being checked.

    Yields:
        Every issue found deriving the elicited weights.
    """
    yield from ctx.elicited[1]
