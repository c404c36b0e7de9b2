"""Every table appraise shows, built once, by name.

Modules: :mod:`.score` (ranking, matrix, spread, value for money, weight sets),
:mod:`.sensitivity` (switching values, scenarios, methods, Monte Carlo, tornado),
:mod:`.appraisal` (options, hurdles, weights, scale, panel, dissent, rationale), and
the tables of ``appraise weights`` and ``appraise diff``. :func:`build_table` is how
``export`` and the report ask for a table by its key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from appraise.errors import RequestError
from appraise.paper.model import Table

if TYPE_CHECKING:
    from appraise.analysis.sensitivity import SensitivityResult
    from appraise.files.loading import Appraisal

__all__ = ["TABLES", "TableUnavailable", "applicable_tables", "build_table"]


class TableUnavailable(RequestError):
    """A table cannot be built from this appraisal or analysis (the message says why)."""


TABLES: dict[str, str] = {
    "missing": "the panel's missing scores, by member (PROVISIONAL results only)",
    "decision": "the decision summary: a row per option",
    "ranking": "ranking, totals and group subtotals",
    "matrix": "the score matrix",
    "weights": "local and global weights",
    "criteria": "the criteria, their definitions and weights",
    "vfm": "value for money and the frontier",
    "costs": "each option's cost before and after optimism bias and risk (or its breakdown)",
    "cost_profile": "every cost line by year, with the discount factors",
    "optimism_bias": "the optimism-bias uplifts, their classes and sources",
    "risks": "the monetised risks of the risk allowance",
    "affordability": "each affordability envelope, its headroom and result",
    "switching": "weight switching values",
    "score_switching": "score switching values",
    "closest": "the closest challenge to the leader",
    "cost_switching": "cost switching values",
    "uplift_switching": "optimism-bias switching values",
    "switches": "one table of weight, score and cost switching values",
    "scenarios": "scenarios and leave-one-out",
    "scenario_summary": "the scenarios summarised by kind",
    "methods": "the ranking under each method",
    "montecarlo": "Monte Carlo summary",
    "montecarlo_costs": "Monte Carlo value for money: frontier, best value, cost ranges",
    "acceptability": "rank acceptability",
    "central_weights": "central weights",
    "tornado": "the tornado's factors",
    "options": "options and the long-list filter",
    "hurdles": "hurdle results",
    "hurdle_matrix": "the hurdles as a pass / conditional / fail matrix",
    "scale": "the scoring scale",
    "panel": "the scoring panel",
    "dissent": "recorded dissent",
    "spread": "every panel score and the spread",
    "flagged": "the cells flagged for moderation",
    "rationale": "every score's rationale",
}
"""Every table ``appraise export --table`` knows, in board-paper order, with what it
holds."""

_WHY = {
    "missing": "no missing scores: every panel member has scored every cell",
    "vfm": "no value-for-money table: it needs a cost for every option and the weighted sum",
    "switching": "no switching values: they need a single leader",
    "score_switching": "no score switching values: they need a leader and a runner-up",
    "closest": "no closest challenge: it needs a leader and a runner-up",
    "cost_switching": "no cost switching values: they need a cost for every option",
    "uplift_switching": "no optimism-bias switching values: no option's cost lines carry an uplift",
    "scenarios": "no scenarios: run the sensitivity analysis with its scenarios",
    "methods": "no method comparison: run the sensitivity analysis with its methods",
    "montecarlo": "no Monte Carlo: run with Monte Carlo samples (--samples)",
    "montecarlo_costs": "no Monte Carlo of costs: it needs costs and Monte Carlo samples "
    "(--samples)",
    "acceptability": "no rank acceptability: run with Monte Carlo samples (--samples)",
    "central_weights": "no central weights: run with Monte Carlo samples (--samples)",
    "tornado": "no tornado: it needs a leader and a runner-up",
    "hurdles": "no hurdle table: the criteria files declare no hurdles",
    "hurdle_matrix": "no hurdle matrix: the criteria files declare no hurdles",
    "costs": "no cost table: no option has a cost",
    "cost_profile": "no cost profile: no option's cost is given as lines by year",
    "optimism_bias": "no optimism-bias table: no cost line has an optimism-bias uplift",
    "risks": "no risk table: no option has monetised risks",
    "affordability": "no affordability table: no hurdle has an envelope",
    "switches": "no switching values: they need a single leader",
    "scenario_summary": "no scenario summary: it needs a single leader and scenarios",
    "panel": "no panel table: there are no panel score sheets",
    "dissent": "no dissent table: no panel member recorded dissent",
    "spread": "no panel spread: there are no panel score sheets",
    "flagged": "no flagged cells: the panel's scores spread nowhere past the flags",
    "rationale": "no rationale matrix: there are no panel score sheets",
}


def _builders(
    sens: SensitivityResult, appraisal: Appraisal
) -> dict[str, Callable[[], Table | None]]:
    from appraise.paper.tables import appraisal as at
    from appraise.paper.tables import costs as ct
    from appraise.paper.tables import decision as dt
    from appraise.paper.tables import score as sc
    from appraise.paper.tables import sensitivity as st

    base = sens.base
    p = base.problem
    order = [int(i) for i in base.order]
    return {
        "missing": lambda: sc.missing_table(base),
        "decision": lambda: dt.decision_table(sens),
        "ranking": lambda: sc.ranking_table(base),
        "matrix": lambda: sc.matrix_table(base),
        "weights": lambda: at.weights_table(base),
        "criteria": lambda: dt.criteria_table(sens, appraisal),
        "vfm": lambda: sc.vfm_table(base),
        "costs": lambda: (
            ct.cost_summary_table(p, order)
            if p.cost_book is not None and p.cost_book.profiled
            else dt.costs_table(sens, appraisal)
        ),
        "cost_profile": lambda: ct.cost_profile_table(p, order),
        "optimism_bias": lambda: ct.optimism_bias_table(p, order),
        "risks": lambda: ct.risks_table(p, order),
        "affordability": lambda: ct.affordability_table(p, order),
        **st.builders(sens),
        "switches": lambda: dt.switches_table(sens),
        "scenario_summary": lambda: dt.scenario_summary_table(sens),
        "options": lambda: at.options_table(appraisal),
        "hurdles": lambda: at.hurdles_table(appraisal),
        "hurdle_matrix": lambda: dt.hurdle_matrix(appraisal),
        "scale": lambda: at.scale_table(appraisal),
        "panel": lambda: at.panel_table(appraisal),
        "dissent": lambda: at.dissent_table(appraisal),
        "spread": lambda: sc.spread_table(base),
        "flagged": lambda: sc.spread_table(base, flagged_only=True),
        "rationale": lambda: at.rationale_table(base, appraisal),
    }


def build_table(key: str, sens: SensitivityResult, appraisal: Appraisal) -> Table:
    """The table ``key`` (one of :data:`TABLES`).

    Raises:
        TableUnavailable: no such table, or the appraisal lacks what it needs.
    """
    builders = _builders(sens, appraisal)
    if key not in builders:
        raise TableUnavailable(f"no table {key!r}", hint=f"choose from {', '.join(TABLES)}")
    t = builders[key]()
    if t is None:
        if key != "missing" and not (sens.base.ranks > 0).any():
            raise TableUnavailable(
                f"no {key} table: no option passes every hurdle, so none is ranked",
                hint="see the hurdles table; --include-failed ranks them all",
            )
        raise TableUnavailable(_WHY.get(key, f"no {key} table for this appraisal"))
    return t


def applicable_tables(sens: SensitivityResult, appraisal: Appraisal) -> list[Table]:
    """Every table of :data:`TABLES` that applies, in order."""
    builders = _builders(sens, appraisal)
    return [t for key in TABLES if (t := builders[key]()) is not None]
