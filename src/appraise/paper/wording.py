"""Every sentence and name appraise prints, in one place.

The ILLUSTRATIVE banner, the names of methods and of which scores counted, the
sentence that the scores inform the decision and do not make it, how scenarios are
counted, frontier labels, how Monte Carlo drew its samples, and the plain-English
sentences of results. Numbers inside sentences go through
:func:`appraise.paper.numbers.format_number`, so a sentence and a table agree.

Why:
    A board paper must never call the option with the highest score "the decision"
    (Green Book; ISPOR), and a reader comparing the terminal, the workbook and the
    report must read the same words and the same counts. When each output had its own
    copy, there were three banners and two counts of the same scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from appraise.paper.numbers import (
    CLOSENESS,
    COUNT,
    DERIVED_WEIGHT,
    NET_FLOW,
    POINTS,
    PROBABILITY,
    SCALE,
    SHARE,
    WEIGHT,
    Quantity,
    format_number,
)

if TYPE_CHECKING:
    from appraise.analysis.score import ScoreResult
    from appraise.analysis.sensitivity import MonteCarlo, SensitivityResult, WeightSwitch

__all__ = [
    "BANNER",
    "INFORMS",
    "METHOD_NAMES",
    "describe",
    "first_in",
    "leader_sentence",
    "monte_carlo_sentence",
    "rounding_note",
    "scores_name",
    "total_quantity",
    "weight_sentence",
]

BANNER = "ILLUSTRATIVE: invented data for demonstration, not a real appraisal"
"""Printed on every output of an appraisal marked ``illustrative``."""

INFORMS = "This informs the decision; it is not the decision."
"""What every ranking says about itself (Green Book; ISPOR good practice)."""

HIGHEST = "the highest weighted benefit score on this analysis"
"""How the first-ranked option is described: never "the decision" or "the winner"."""

METHOD_NAMES = {"wsm": "Weighted sum", "topsis": "TOPSIS", "promethee": "PROMETHEE II"}
"""Each aggregation method's name."""

AGGREGATE_NAMES = {
    "moderated": "moderated scores (panel median where none)",
    "mean": "panel mean scores",
    "median": "panel median scores",
}
"""Which scores counted, by ``--aggregate``."""

FRONTIER_NAMES = {
    "frontier": "on the frontier",
    "dominated": "dominated",
    "extendedly dominated": "extendedly dominated",
    "": "",
}
"""An option's place against the cost–benefit frontier."""

FRONTIER_SHORT = {
    "frontier": "on",
    "dominated": "dominated",
    "extendedly dominated": "extended",
    "": "",
}
"""The same, short enough for a terminal column."""

FRONTIER_KEY = (
    "Frontier: on = efficient; dominated = another option costs no more for at least as "
    "much benefit; extended = a mix of two frontier options does better."
)

VFM_CAUTION = (
    "Cost per point assumes the scores are on an interval scale with a meaningful zero; "
    "read it beside the frontier, not as a single answer."
)
VFM_RELATIVE = (
    "Caution: the scale is relative (best = max, worst = min), so benefit points have no "
    "meaningful zero and cost per point is not meaningful."
)

WEIGHT_MODELS = {
    "dirichlet": "drawn around the stated weights (Dirichlet, concentration {concentration})",
    "uniform": "drawn uniformly over all possible weights",
    "bounds": "each within ±{bounds} of its stated value",
    "fixed": "held at their stated values",
}
SCORE_MODELS = {
    "panel": "each drawn from a triangular distribution over the panel's lowest score, the "
    "score that counts and the panel's highest",
    "declared": "each drawn between the lowest and highest plausible scores the panel declared",
    "fixed": "held at the scores that count",
}


def scores_name(aggregate: str, scorer: str | None = None) -> str:
    """Which scores counted, in words."""
    if scorer:
        return f"{scorer}'s scores"
    return AGGREGATE_NAMES.get(aggregate, aggregate)


def total_quantity(method: str) -> Quantity:
    """How a method's totals are shown: points, closeness or net flow."""
    return {"wsm": POINTS, "topsis": CLOSENESS, "promethee": NET_FLOW}.get(method, POINTS)


def describe(result: ScoreResult, *, every_weight_set: bool = False) -> str:
    """One line: method, scores and weights used, and the scale of the totals."""
    p = result.problem
    weights = (
        "every weight set"
        if every_weight_set
        else f"weights: {p.weight_set(result.weight_set).name}"
    )
    scale = {
        "wsm": f"maximum {format_number(result.maximum, SCALE)}",
        "topsis": "closeness 0–1",
        "promethee": "net flow −1 to 1",
    }[result.method]
    failed = " · options failing a hurdle ranked too" if result.include_failed else ""
    who = scores_name(result.aggregate, result.scorer)
    return f"{METHOD_NAMES[result.method]} · {who} · {weights} · {scale}{failed}"


def names(items: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def leader_sentence(result: ScoreResult) -> str:
    """Which option has the highest weighted benefit score, by how much; and that this
    informs the decision and does not make it."""
    p = result.problem
    leaders = result.leaders
    if not leaders:
        return "No option passes every hurdle, so none is ranked."
    q = total_quantity(result.method)
    who = names([p.option_names[i] for i in leaders])
    if len(leaders) > 1:
        return (
            f"{who} tie for {HIGHEST} ({format_number(result.totals[leaders[0]], q)}). " + INFORMS
        )
    lead = leaders[0]
    total = format_number(result.totals[lead], q)
    margin = result.gap_next[lead]
    runners = [i for i in result.order if result.ranks[i] > 1]
    if not runners or margin != margin:  # NaN: nobody else ranked
        return f"{who} has {HIGHEST} ({total}). " + INFORMS
    unit = " points" if result.method == "wsm" else ""
    share = result.gap_next_pct[lead]
    pct = "" if share != share else f" ({format_number(share, SHARE)})"
    return (
        f"{who} has {HIGHEST} ({total}), {format_number(margin, q)}{unit}{pct} ahead of "
        f"{p.option_names[runners[0]]}. " + INFORMS
    )


def weight_sentence(sens: SensitivityResult, ws: WeightSwitch) -> str:
    """'X stays first unless the weight on Y rises above 32.84 (now 13.95).'"""
    p = sens.problem
    if sens.leader is None:
        return ""
    lead = p.option_names[sens.leader]
    what = f"the weight on {ws.name}" + (" (group)" if ws.kind == "group" else "")
    now = format_number(ws.weight, WEIGHT)
    parts = []
    if ws.above is not None:
        parts.append(
            f"rises above {format_number(ws.above[0], DERIVED_WEIGHT)}, when "
            f"{p.option_names[ws.above[1]]} leads"
        )
    if ws.below is not None:
        parts.append(
            f"falls below {format_number(ws.below[0], DERIVED_WEIGHT)}, when "
            f"{p.option_names[ws.below[1]]} leads"
        )
    if not parts:
        return (
            f"{lead} stays first whatever {what} (now {now}), from 0 to "
            f"{format_number(ws.whole, WEIGHT)}."
        )
    return f"{lead} stays first unless {what} " + " or ".join(parts) + f" (now {now})."


def first_in(name: str, kept: int, total: int) -> str:
    """'X is first in 22 of 33 alternative scenarios.' (the base case not counted)."""
    return f"{name} is first in {format_number(kept, COUNT)} of {format_number(total, COUNT)} " + (
        "alternative scenario." if total == 1 else "alternative scenarios."
    )


def monte_carlo_sentence(mc: MonteCarlo) -> str:
    """How the Monte Carlo samples were drawn, in one sentence."""
    weights = WEIGHT_MODELS[mc.weight_model].format(
        concentration=f"{mc.concentration:g}", bounds=format_number(mc.bounds, WEIGHT)
    )
    scores = SCORE_MODELS[mc.score_model]
    out = (
        f"Monte Carlo (SMAA-2): {format_number(mc.result.samples, COUNT)} samples, seed "
        f"{mc.seed}; weights {weights}; scores {scores}."
    )
    used = mc.result.confidence_samples
    if 1 < used < mc.result.samples:
        out += f" Confidence factors from {format_number(used, COUNT)} score draws."
    return out


def probability(x: float) -> str:
    """A probability as every output shows it (54.7%)."""
    return format_number(x, PROBABILITY)


def rounding_note(what: str, total: str, rows: Sequence[str]) -> str:
    """Why a row's rounded parts do not add to its rounded total."""
    return (
        f"Figures are rounded separately: in the rows for {names(list(rows))} the {what} "
        f"shown do not add exactly to the {total.lower()} shown, which is rounded from the "
        "exact sum."
    )


# -- weights and how they were set ---------------------------------------------------------

ELICITATION_METHODS = {
    "direct": "weights set directly",
    "swing": "swing weighting",
    "points": "points allocation",
    "ranking": "ranking",
    "ahp": "AHP pairwise comparison",
}
"""How a weight set's weights were set, by ``method``."""

RECORDED_KINDS = {"swings": "Swing", "points": "Points", "ranks": "Rank"}
"""The heading of what a level of an elicitation records."""

RANK_RULES = {
    "roc": "rank-order centroid",
    "rank_sum": "rank sum",
    "reciprocal": "reciprocal of rank",
}
"""How ranks become weights."""

COMBINE_RULES = {
    "geometric_mean": "the geometric mean of each judgement",
    "mean_weights": "the mean of the participants' weights",
}
"""How several participants' judgements are combined."""


# -- what changed between two versions --------------------------------------------------------

DIFF_AREAS = {
    "settings": "Appraisal settings",
    "option": "Options",
    "criterion": "Criteria",
    "hurdle": "Hurdles",
    "weights": "Weights as used (local and global)",
    "weight set": "Weight sets and elicitation records",
    "panel": "Panel members",
    "score": "Panel scores and rationale",
    "moderation": "Moderated scores",
}
"""Each area of ``appraise diff``'s changes, as a heading."""
