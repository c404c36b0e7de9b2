"""The board paper: what a final appraisal going to the board must say for itself."""

from __future__ import annotations

from collections.abc import Iterator

from appraise.errors import Issue
from appraise.files.checks.context import RANK, Context

__all__ = ["check_paper"]

NEEDED_AT_FINAL = {
    "asked_to": "what the board is asked to do",
    "recommendation": "the executive recommendation",
}
"""The paper's fields a final appraisal should fill, and what each holds."""


def check_paper(ctx: Context) -> Iterator[Issue]:
    """At status ``final``, a warning for each of :data:`NEEDED_AT_FINAL` left out.

    Args:
        ctx: the appraisal being checked.

    Yields:
        ``paper-incomplete`` warnings, at the ``paper:`` section (or the status).
    """
    if RANK[ctx.status] < RANK["final"]:
        return
    paper = ctx.appraisal.settings.paper
    doc = ctx.appraisal.settings_doc
    for name, what in NEEDED_AT_FINAL.items():
        if not (getattr(paper, name) or "").strip():
            yield ctx.warning(
                "paper-incomplete",
                f"status is final but the paper does not say {what} (`paper.{name}`): "
                "the report will print 'Not provided'",
                f"add `{name}:` under `paper:` in appraisal.yaml",
                doc,
                ("paper", name) if doc is not None else (),
            )
