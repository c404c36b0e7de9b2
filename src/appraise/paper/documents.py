"""What each command shows, as a :class:`~appraise.paper.model.Paper`.

``appraise score`` prints :func:`score_paper` in the terminal (Rich) or as Markdown;
``export`` and ``report`` assemble their papers from the same tables. A command's output
is one paper, whatever the format.
"""

from __future__ import annotations

from appraise.analysis.score import ScoreResult
from appraise.paper import wording
from appraise.paper.model import Block, Paper, TableBlock
from appraise.paper.tables.score import (
    matrix_table,
    ranking_table,
    spread_table,
    vfm_table,
    weight_sets_table,
)

__all__ = ["numbered", "score_paper", "weight_sets_paper"]


def numbered(*tables: object) -> list[Block]:
    """Table blocks numbered 1, 2, … (``None`` entries skipped)."""
    from appraise.paper.model import Table

    out: list[Block] = []
    for t in tables:
        if isinstance(t, Table):
            out.append(TableBlock(t, len(out) + 1))
    return out


def score_paper(result: ScoreResult) -> Paper:
    """``appraise score``: ranking, score matrix, flagged cells, value for money."""
    p = result.problem
    blocks = numbered(
        ranking_table(result),
        matrix_table(result),
        spread_table(result, flagged_only=True),
        vfm_table(result),
    )
    return Paper(
        title=p.title,
        blocks=tuple(blocks),
        subtitle=wording.describe(result),
        illustrative=p.illustrative,
    )


def weight_sets_paper(results: list[ScoreResult]) -> Paper:
    """``appraise score --weights all``: every weight set side by side."""
    first = results[0]
    p = first.problem
    return Paper(
        title=p.title,
        blocks=tuple(numbered(weight_sets_table(results))),
        subtitle=wording.describe(first, every_weight_set=True),
        illustrative=p.illustrative,
    )
