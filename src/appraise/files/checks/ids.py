"""Ids: each criterion, option, scorer, hurdle, weight set and objective used once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from appraise.errors import Issue
from appraise.files.checks.context import Context
from appraise.files.yamlio import Document

__all__ = ["check_ids"]


def check_ids(ctx: Context) -> Iterator[Issue]:
    """Ids given twice within one kind of thing.

    Args:
        ctx: the appraisal being checked.

    Yields:
        A ``duplicate-id`` error at each later use, naming the first.
    """
    a = ctx.appraisal
    groups: dict[str, list[tuple[str, Document, tuple[Any, ...]]]] = {
        "criterion": [(n.criterion.id, n.doc, (*n.where, "id")) for n in ctx.nodes],
        "option": [(o.item.id, o.doc, (*o.where, "id")) for o in ctx.options],
        "scorer": [(s.scorer.id, d, ("scorer", "id")) for d, s in a.sheets],
        "hurdle": [
            (h.id, d, ("hurdles", i, "id"))
            for d, f in a.criteria_files
            for i, h in enumerate(f.hurdles)
        ],
        "weight set": [
            (w.id, d, ("weight_sets", i, "id"))
            for d, f in a.criteria_files
            for i, w in enumerate(f.weight_sets)
        ],
    }
    if a.settings_doc is not None:
        groups["objective"] = [
            (o.id, a.settings_doc, ("appraisal", "objectives", i, "id"))
            for i, o in enumerate(a.settings.appraisal.objectives)
        ]
    for what, entries in groups.items():
        first: dict[str, tuple[Document, tuple[Any, ...]]] = {}
        for ident, doc, where in entries:
            if ident in first:
                prev_doc, prev_where = first[ident]
                loc = prev_doc.locate(prev_where)
                yield ctx.error(
                    "duplicate-id",
                    f"{what} id `{ident}` is already used at {prev_doc.path}:{loc.line}",
                    f"give each {what} its own id",
                    doc,
                    where,
                    key=False,
                )
            else:
                first[ident] = (doc, where)
