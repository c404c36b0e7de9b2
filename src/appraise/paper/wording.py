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

import numpy as np

from appraise.analysis import DEFAULT_SAMPLES
from appraise.paper.numbers import (
    CLOSENESS,
    CONSISTENCY,
    COUNT,
    DECLARED_RATIO,
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
    from appraise.analysis.weights import SetWeights, WeightsView
    from appraise.files.elicitation import Consistency, ElicitedSet, LevelWeights

__all__ = [
    "BANNER",
    "INFORMS",
    "METHOD_NAMES",
    "best_value_note",
    "describe",
    "first_in",
    "lead_sentence",
    "leader_sentence",
    "monte_carlo_sentence",
    "none_ranked",
    "not_yet_scored",
    "provisional_sentence",
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


def best_value_note(baseline: str) -> str:
    """What *best value* means, under a table that shows it."""
    return (
        "Best value: the lowest incremental cost per extra benefit point over the "
        f"baseline ({baseline}) among the options that add benefit; one that adds benefit "
        "for no more cost than the baseline is lowest. (Cost per point alone says nothing "
        "when the baseline costs 0.)"
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


def not_yet_scored(result: ScoreResult) -> str:
    """The options not ranked because a cell has no score yet, each with the criteria
    it lacks (``""`` when there are none)."""
    p = result.problem
    if result.scorer is not None:
        why = f"no score from {result.scorer}"
    elif result.aggregate == "moderated":
        why = "no panel member's score and no moderated score"
    else:
        why = "no panel member's score"
    options = result.not_yet_scored
    if not options:
        return ""
    n = len(p.criterion_ids)
    if len(options) == len(p.option_ids) and all(result.unscored[i].all() for i in options):
        return f"Not yet scored, so not ranked: every option on every criterion ({why})."
    shown = []
    for i in options:
        lacking = [p.criterion_ids[k] for k in np.flatnonzero(result.unscored[i])]
        if len(lacking) == n and n > 1:
            listed = f"all {n} criteria"
        else:
            listed = ", ".join(lacking[:6]) + (
                f" and {len(lacking) - 6} more" if len(lacking) > 6 else ""
            )
        shown.append(f"{p.option_names[i]} on {listed}")
    return f"Not yet scored, so not ranked ({why}): {'; '.join(shown)}."


def provisional_sentence(reason: str) -> str:
    """What a PROVISIONAL banner means for the figures that follow."""
    return (
        f"{reason}. Every figure is provisional: each cell counts with the panel members "
        "who have scored it, and the ranking may change as the missing scores come in "
        "(they are listed under Missing scores)."
    )


def none_ranked(result: ScoreResult) -> str:
    """Why no option is ranked: every option fails a hurdle, or has a cell not yet
    scored."""
    if result.not_yet_scored:
        return "No option is ranked: each one fails a hurdle or is not yet scored."
    return "No option passes every hurdle, so none is ranked."


def leader_sentence(result: ScoreResult) -> str:
    """Which option has the highest weighted benefit score, by how much; and that this
    informs the decision and does not make it."""
    p = result.problem
    leaders = result.leaders
    if not leaders:
        return none_ranked(result)
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


def lead_sentence(sens: SensitivityResult) -> str:
    """One short sentence for a chart's alt text: who leads, with what, by how much."""
    p = sens.problem
    if sens.leader is None:
        return "No option is ranked."
    lead = p.option_names[sens.leader]
    total = format_number(sens.base.totals[sens.leader], POINTS)
    if sens.runner_up is None:
        return f"{lead} has the highest weighted benefit score ({total})."
    return (
        f"{lead} has the highest weighted benefit score ({total}), "
        f"{format_number(sens.margin, POINTS)} points ahead of "
        f"{p.option_names[sens.runner_up]}."
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


def monte_carlo_not_run(reason: str) -> str:
    """Why an asked-for Monte Carlo section is missing, in one sentence."""
    if reason.startswith("--samples"):
        return (
            f"Monte Carlo: not run ({reason}); run with --samples "
            f"{format_number(DEFAULT_SAMPLES, COUNT)} (the default) to see how often each "
            "option comes first as the weights and scores vary."
        )
    return f"Monte Carlo: not run ({reason})."


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


def possessive(name: str) -> str:
    """``Care trust's``; ``Hub and spokes'`` (a name ending in s takes the apostrophe
    alone)."""
    return name + ("'" if name.endswith(("s", "S")) else "'s")


def money(x: float, unit: str, quantity: Quantity | None = None) -> str:
    """An amount in the appraisal's cost unit as a sentence says it: ``£600k`` for a
    unit of ``£k``, ``£1.2m`` for ``£m``, ``600 EUR`` for any other unit."""
    from appraise.paper.numbers import COST

    text = format_number(abs(x), quantity or COST)
    sign = "-" if x < 0 and text.strip("0.,") else ""
    if unit and unit[0] in "£$€" and (unit[1:].isalpha() or not unit[1:]):
        return f"{sign}{unit[0]}{text}{unit[1:]}"
    return f"{sign}{text} {unit}".rstrip()


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
    "cost": "Costs (risk-adjusted net present cost) and the workbooks they read",
    "criterion": "Criteria",
    "hurdle": "Hurdles",
    "weights": "Weights as used (local and global)",
    "weight set": "Weight sets and elicitation records",
    "panel": "Panel members",
    "score": "Panel scores and rationale",
    "moderation": "Moderated scores",
}
"""Each area of ``appraise diff``'s changes, as a heading."""


# -- appraise diff's sentences, headings and cell words ---------------------------------------
NOTHING_CHANGED = "Nothing changed: the two versions hold the same appraisal."

SUMMARY_AREAS = (
    ("score", "panel score field", "panel score fields"),
    ("moderation", "moderated score field", "moderated score fields"),
    ("option", "option change", "option changes"),
    ("cost", "cost change", "cost changes"),
    ("criterion", "criterion change", "criterion changes"),
    ("weights", "weight change", "weight changes"),
    ("weight set", "weight-set or elicitation field", "weight-set or elicitation fields"),
    ("hurdle", "hurdle change", "hurdle changes"),
    ("panel", "panel change", "panel changes"),
    ("settings", "setting", "settings"),
)
"""Each area of changes, as counted in the first sentence (singular, plural)."""

CHANGED = "Changed: "
WORKBOOK_CHANGED = "{path} changed (sha256 {before}… → {after}…)"
"""A workbook that costs are read from, re-saved: its SHA-256 before and after, cut."""
WORKBOOK_MOVED = ": it moved the cost of {options}."
WORKBOOK_STILL = ": no cost read from it moved ({options} read it)."
HASH_SHOWN = 12
"""How many hex digits of a SHA-256 the diff shows (JSON has them all)."""
SCORES_OF = " (scores of {who})"
NO_OPTION = "no option"

LEADER_CHANGED = (
    "The leader changed: {after} now has the highest weighted benefit score (was {before})."
)
ORDER_CHANGED = (
    "The order changed below the leader: {after} still has the highest weighted benefit score."
)
RANKING_SAME = "The ranking did not change: {after} still has the highest weighted benefit score."
MARGIN_SAME = "Its margin over {runner} is unchanged at {margin}."
MARGIN_MOVED = (
    "Its margin over the runner-up went from {before} ({runner_before}) to {after} "
    "({runner_after})."
)
SWITCHES_MOVED = ("{n} weight switching value moved.", "{n} weight switching values moved.")
WEIGHT_SETS = "Weight sets: "
WEIGHT_SET_NEW = "{ws} is new ({leads} leads)"
WEIGHT_SET_REMOVED = "{ws} was removed ({led} led)"
WEIGHT_SET_MOVED = "under {ws} {leads} now leads (was {led})"
COMMITTED_BY = "Committed by: {who}."

HEADING_EFFECT = "Effect on the ranking"
HEADING_CHANGES = "Changes"

RANKING_TITLE = "Ranking before and after"
RANKING_BASIS = "Weighted sum · {scores} · weights: {weight_set}."
RANKING_CAPTION = (
    "Each option's rank and weighted benefit score in the earlier version ({before}) and "
    "the later one ({after}), and how far its total moved; – where an option is absent or "
    "not ranked."
)
SWITCHING_TITLE = "Weight switching values that moved"
SWITCHING_CAPTION = (
    "For each criterion and group whose switching value moved, its global weight and the "
    "weight at which the leader changes, and to whom, in the earlier version ({before}) "
    "and the later one ({after}); never where no weight would change the leader."
)
CHANGES_TITLE = "{area} ({n})"
CHANGES_CAPTION = (
    "Each change: added, removed or changed; what and which field; the value before and "
    "after; and whose it is."
)
VERSIONS = ("before", "after")
"""How the two versions are named in the switching table's rows."""
NEW, REMOVED, GROUP = " [new]", " [removed]", " [group]"
NEVER, ABSENT = "never", "–"
NONE_LISTED, EMPTY = "(none)", "(empty)"


# -- appraise weights' sentences and headings -------------------------------------------------


OWN_WEIGHTS = "each participant's own weights"
"""What the participants' weight sets are, in the legend."""

ONE_RECORD = "one agreed record"
"""Who an elicitation records when nobody is named."""

TOP_LEVEL = "Top level"
"""The title of the top level's table."""

AS_WRITTEN = "their weights are as written in the files."
"""Why a weight set without an elicitation has no level tables."""


def method_name(method: str) -> str:
    """How a weight set's weights were set, in words (the method itself if unknown)."""
    return ELICITATION_METHODS.get(method, method)


def subtitle_line(view: WeightsView) -> str:
    """'Value tree: swing weighting, agreed 2008-11-12 · each level sums to 100'."""
    total = format_number(view.problem.total, WEIGHT)
    tree = next((s for s in view.sets if s.id == "tree"), None)  # None under --set
    if tree is None:
        return f"Each level sums to {total}"
    line = f"Value tree: {method_name(tree.method)}"
    if view.agreed:
        line += f", agreed {view.agreed}"
    return line + f" · each level sums to {total}"


def global_title(total: float) -> str:
    """The global weights table's title."""
    return (
        f"Global weights by weight set (% of the whole; leaves sum to "
        f"{format_number(total, WEIGHT)})"
    )


def global_caption(total: float) -> str:
    """What the global weights table shows."""
    return (
        "Each group's and criterion's global weight (its share of the whole) under every "
        f"weight set; in each set the criteria sum to {format_number(total, WEIGHT)}."
    )


def legend(view: WeightsView) -> str:
    """'Weight sets: tree = Value tree (swing weighting); …'."""
    described = [
        f"{s.id} = {s.name} ({method_name(s.method)})"
        for s in view.sets
        if s.participant_of is None
    ]
    own = [s.id for s in view.sets if s.participant_of is not None]
    if own:
        described.append(f"{', '.join(own)}: {OWN_WEIGHTS}")
    return f"Weight sets: {'; '.join(described)}."


def unrecorded(sets: Sequence[SetWeights]) -> str:
    """'No elicitation recorded for staff_side (swing weighting), …: their weights are as
    written in the files.'"""
    named = ", ".join(f"{s.id} ({method_name(s.method)})" for s in sets)
    return f"No elicitation recorded for {named}: {AS_WRITTEN}"


def elicitation_heading(s: SetWeights, es: ElicitedSet) -> str:
    """'Clinical reference group (AHP) (clinical): AHP pairwise comparison, 3
    participants (CRG1, CRG2, CRG3)'."""
    if es.participants:
        ids = ", ".join(r.id or "" for r in es.participants)
        who = f"{format_number(len(es.participants), COUNT)} participants ({ids})"
    else:
        who = ONE_RECORD
    return f"{s.name} ({s.id}): {method_name(es.method)}, {who}"


def agreed_sentence(agreed: str) -> str:
    """'Agreed 2008-11-12.'"""
    return f"Agreed {agreed}."


def rank_rule_sentence(rule: str) -> str:
    """'Weights from ranks by the rank-order centroid rule.'"""
    return f"Weights from ranks by the {RANK_RULES[rule]} rule."


def combine_sentence(rule: str) -> str:
    """'Participants combined by the geometric mean of each judgement.'"""
    return f"Participants combined by {COMBINE_RULES[rule]}."


def participant_item(ident: str, name: str | None, role: str | None) -> str:
    """'CRG1: Community matron (pseudonym M. Ashby), Community nursing'."""
    return f"{ident}: {name}" + (f", {role}" if role else "")


def level_caption(s: SetWeights, lv: LevelWeights, *, participants: bool) -> str:
    """What a level's table shows."""
    where = "the top level" if lv.group is None else f"the criteria under {lv.group}"
    recorded = (
        "each participant's weights, their combination"
        if participants
        else "what was recorded, the weights elicited from it"
    )
    return f"{s.name} ({s.id}), {where}: {recorded}, the local weights used and the global weights."


def by_construction(n: int) -> str:
    """Why a level of one or two criteria has no consistency ratio."""
    count = "Two criteria" if n == 2 else "One criterion"
    return f"{count}: consistent by construction (no consistency ratio)."


def consistency_sentence(
    first: Consistency, figures: Sequence[tuple[str, Consistency]], missing: Sequence[str]
) -> str:
    """'Consistency ratio (limit 0.100, random index 1.240 for 6): CRG1 0.001, ….
    Comparisons left out and completed (Harker): CRG3 2 of 15.'"""
    n = format_number(first.n, COUNT)
    ri = (
        f"random index {format_number(first.ri, DECLARED_RATIO)} for {n}"
        if first.ri is not None
        else "no random index"
    )
    shown = ", ".join(
        f"{who} {format_number(c.cr, CONSISTENCY)}"
        if c.cr is not None
        else f"{who} CI {format_number(c.ci, CONSISTENCY)}"
        for who, c in figures
    )
    line = f"Consistency ratio (limit {format_number(first.limit, DECLARED_RATIO)}, {ri}): {shown}."
    if missing:
        line += " Comparisons left out and completed (Harker): " + ", ".join(missing) + "."
    return line


def missing_figure(who: str, missing: int, pairs: int) -> str:
    """'CRG3 2 of 15': comparisons one record left out."""
    return f"{who} {format_number(missing, COUNT)} of {format_number(pairs, COUNT)}"


def inconsistent_sentence(who: str, c: Consistency) -> str:
    """'agreed: consistency ratio 0.294 is above 0.100. Least consistent: QUAL over RISK
    1/8 (line 12), weights imply 1.78; …'."""
    worst = "; ".join(
        f"{j.row} over {j.col} {judgement(j.given)}"
        + (f" (line {j.line})" if j.line else "")
        + f", weights imply {judgement(j.implied)}"
        for j in c.worst
    )
    return (
        f"{who}: consistency ratio {format_number(c.cr, CONSISTENCY)} is above "
        f"{format_number(c.limit, DECLARED_RATIO)}. Least consistent: {worst}."
    )


def judgement(x: float) -> str:
    """An AHP judgement as people write them: ``3``, ``2.5``, ``1/3``, ``1/2.5``.

    A judgement is a ratio on Saaty's 1/9–9 scale, written as a whole number or its
    reciprocal, so it is shown as a fraction to three significant figures rather than
    as a decimal quantity.
    """
    if x >= 1:
        return f"{x:.3g}"
    inverse = 1 / x
    if abs(inverse - round(inverse)) < 1e-6:
        return f"1/{round(inverse)}"
    return f"1/{inverse:.3g}"


def submodule_note(side: str, path: str) -> str:
    """Why a submodule's files are missing from a diff."""
    return (
        f"{path} is a git submodule in {side}: its files are not part of that revision "
        "and are not compared; commit them to the appraisal's own repository."
    )
