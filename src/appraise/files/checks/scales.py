"""Scales: sound bounds and steps, and descriptors for points that can be scored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from appraise.errors import Issue
from appraise.files.checks.context import Context, num, on_scale, scale_problem, scale_text
from appraise.files.models import Scale
from appraise.files.yamlio import Document

__all__ = ["check_scales"]


def check_scales(ctx: Context) -> Iterator[Issue]:
    """The appraisal's scale and each criterion's own scale.

    Args:
        ctx: the appraisal being checked.

    Yields:
        Issues: a criterion's scale with bad bounds or step, descriptors off the scale,
        and too few descriptors.
    """
    doc = ctx.appraisal.settings_doc
    yield from _descriptors(ctx, ctx.appraisal.settings.scale, doc, ("scale",))
    for node in ctx.leaves:
        override = node.criterion.scale
        if override is None:
            continue
        scale = ctx.scales[node.criterion.id]
        where = (*node.where, "scale")
        problem = scale_problem(scale)
        if problem:
            yield ctx.error(
                "bad-scale",
                f"`{node.criterion.id}`'s scale: {problem}",
                "e.g. min 0, max 10, step 1",
                node.doc,
                where,
            )
            continue
        if override.descriptors is not None:
            yield from _descriptors(ctx, scale, node.doc, where)


def _descriptors(
    ctx: Context, scale: Scale, doc: Document | None, where: tuple[Any, ...]
) -> Iterator[Issue]:
    points = list(scale.descriptors)
    for point in points:
        if not on_scale(point, scale):
            yield ctx.error(
                "descriptor-off-scale",
                f"descriptor for {num(point)} is not a point of the scale {scale_text(scale)}",
                "describe points that can be scored",
                doc,
                (*where, "descriptors", point),
            )
    if doc is None:
        return
    ends = [p for p in (scale.min, scale.max) if p not in scale.descriptors]
    middle = [p for p in points if scale.min < p < scale.max]
    if ends or not middle:
        missing = [num(p) for p in ends] + ([] if middle else ["a middle point"])
        yield ctx.warning(
            "few-descriptors",
            f"the scale has no descriptor for {', '.join(missing)}",
            "describe at least both ends and the middle, so scorers "
            "share one meaning of each score",
            doc,
            where,
        )
