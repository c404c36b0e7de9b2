"""What each command shows, as a :class:`~appraise.paper.model.Paper`.

``appraise score`` prints :func:`score_paper` in the terminal (Rich) or as Markdown;
``export`` and ``report`` assemble their papers from the same tables. A command's output
is one paper, whatever the format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appraise.analysis import SECTIONS
from appraise.analysis.missing import provisional
from appraise.paper import wording
from appraise.paper.model import Block, Bullets, Paper, Para, TableBlock
from appraise.paper.numbers import POINTS, format_number
from appraise.paper.tables.score import (
    matrix_table,
    missing_table,
    ranking_table,
    spread_table,
    vfm_table,
    weight_sets_table,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from appraise.analysis.score import ScoreResult
    from appraise.analysis.sensitivity import SensitivityResult
    from appraise.analysis.whatif import WhatIf
    from appraise.paper.model import Table

__all__ = [
    "numbered",
    "score_paper",
    "sensitivity_paper",
    "tables_paper",
    "weight_sets_paper",
    "what_if_paper",
]


def numbered(*tables: object) -> list[Block]:
    """Table blocks numbered 1, 2, … (``None`` entries skipped)."""
    from appraise.paper.model import Table

    out: list[Block] = []
    for t in tables:
        if isinstance(t, Table):
            out.append(TableBlock(t, len(out) + 1))
    return out


def score_paper(result: ScoreResult, *, costs: bool = False) -> Paper:
    """``appraise score``: ranking, score matrix, flagged cells, value for money; with
    ``costs``, the cost tables too (before and after uplift, the profile with its
    discount factors, the uplifts, the risks and affordability)."""
    from appraise.paper.tables import costs as ct

    p = result.problem
    order = [int(i) for i in result.order]
    extra = (
        [
            ct.cost_summary_table(p, order),
            ct.cost_profile_table(p, order),
            ct.optimism_bias_table(p, order),
            ct.risks_table(p, order),
            ct.affordability_table(p, order),
        ]
        if costs
        else []
    )
    blocks = numbered(
        ranking_table(result),
        matrix_table(result),
        spread_table(result, flagged_only=True),
        vfm_table(result),
        *extra,
        missing_table(result),
    )
    return Paper(
        title=p.title,
        blocks=tuple(blocks),
        subtitle=wording.describe(result),
        illustrative=p.illustrative,
        provisional=provisional(p),
    )


def weight_sets_paper(results: list[ScoreResult]) -> Paper:
    """``appraise score --weights all``: every weight set side by side."""
    first = results[0]
    p = first.problem
    return Paper(
        title=p.title,
        blocks=tuple(numbered(weight_sets_table(results), missing_table(first))),
        subtitle=wording.describe(first, every_weight_set=True),
        illustrative=p.illustrative,
        provisional=provisional(p),
    )


SECTION_TABLES = {
    "weights": ("switching",),
    "scores": ("score_switching", "closest"),
    "costs": ("cost_switching", "uplift_switching"),
    "scenarios": ("scenarios",),
    "methods": ("methods",),
    "montecarlo": ("montecarlo", "montecarlo_costs", "central_weights"),
    "tornado": ("tornado",),
}
"""The tables each section of ``appraise sensitivity`` shows."""

TORNADO_ROWS = 15
"""The terminal's tornado table lists the widest this many factors (JSON has all)."""


def sensitivity_paper(sens: SensitivityResult, sections: tuple[str, ...] = SECTIONS) -> Paper:
    """``appraise sensitivity``: every selected section, in the order of ``SECTIONS``."""
    from appraise.paper.tables import sensitivity as st

    p = sens.problem
    base = sens.base
    ws = p.weight_set(base.weight_set).name
    subtitle = (
        f"Sensitivity of the weighted sum · {wording.scores_name(base.aggregate, base.scorer)}"
        f" · weights: {ws}"
    )
    blocks: list[Block] = []
    if sens.leader is None:
        nothing = (
            f"{wording.none_ranked(base)} There is nothing to test."
            if base.not_yet_scored
            else "No option is ranked, so there is nothing to test."
        )
        blocks.append(Para(nothing))
    else:
        lead = p.option_names[sens.leader]
        if sens.runner_up is not None:
            blocks.append(
                Para(
                    f"{lead} has {wording.HIGHEST}, "
                    f"{format_number(sens.margin, POINTS)} points ahead of "
                    f"{p.option_names[sens.runner_up]}. What follows is what would change that."
                )
            )
        builders = st.builders(sens, tornado_rows=TORNADO_ROWS)
        number = 0
        for name in SECTIONS:
            if name not in sections:
                continue
            if name == "montecarlo" and sens.monte_carlo_not_run:
                blocks.append(Para(wording.monte_carlo_not_run(sens.monte_carlo_not_run)))
            for key in SECTION_TABLES[name]:
                t = builders[key]()
                if t is None:
                    continue
                number += 1
                blocks.append(TableBlock(t, number))
                if key == "switching":
                    near = st.nearest_switches(sens, 5)
                    blocks.append(
                        Bullets(tuple(near))
                        if near
                        else Para(f"{lead} leads at any single weight.")
                    )
    missing = missing_table(base)
    if missing is not None:
        number = sum(isinstance(b, TableBlock) for b in blocks)
        blocks.append(TableBlock(missing, number + 1))
    return Paper(
        title=p.title,
        blocks=tuple(blocks),
        subtitle=subtitle,
        illustrative=p.illustrative,
        provisional=provisional(p),
    )


def what_if_paper(w: WhatIf, extra: Sequence[Table] = ()) -> Paper:
    """``appraise score --set-weight … --set-score …``: the ranking with the changes
    against the agreed one and the weights before and after (then any ``--explain`` or
    ``--compare`` table, with the changes)."""
    from appraise.paper.tables.whatif import what_if_table, what_if_weights_table

    p = w.changed.problem
    blocks = numbered(what_if_table(w), what_if_weights_table(w), *extra)
    return Paper(
        title=p.title,
        blocks=tuple(blocks),
        subtitle=wording.describe(w.changed),
        illustrative=p.illustrative,
        provisional=provisional(p),
    )


def tables_paper(result: ScoreResult, tables: Sequence[Table]) -> Paper:
    """A few tables of one result (``appraise score --explain`` or ``--compare``)."""
    p = result.problem
    return Paper(
        title=p.title,
        blocks=tuple(numbered(*tables)),
        subtitle=wording.describe(result),
        illustrative=p.illustrative,
        provisional=provisional(p),
    )
