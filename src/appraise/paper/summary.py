"""The report's sentences for what a board asks first, computed from the analysis:

* what the leader's extra benefit costs against the runner-up;
* the smallest single change of a weight, a score or a cost that changes the result,
  and any disputed cell the lead rests on;
* the hurdles passed only conditionally (and those failed).

Every figure comes from the sensitivity result and the files; change a score or a
cost and the sentences change with it (a test does exactly that).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from appraise.analysis.decision import (
    Contested,
    contested_cells,
    nearest_weight_switch,
    smallest_score_change,
)
from appraise.analysis.problem import Problem
from appraise.analysis.score import value_for_money
from appraise.analysis.sensitivity import SensitivityResult
from appraise.files.loading import Appraisal
from appraise.paper import wording
from appraise.paper.numbers import (
    COST_CHANGE,
    COST_PER_POINT,
    DERIVED_WEIGHT,
    POINTS,
    SCORE,
    UPLIFT,
    WEIGHT,
    format_number,
)

__all__ = ["DecisionSummary", "decision_summary", "dissent_by_cell"]

MOST_CONTESTED = 3
"""The disputed cells named in the summary; the rest are counted."""


@dataclass(frozen=True)
class DecisionSummary:
    """The decision summary's sentences.

    Attributes:
        cost: what the leader's extra benefit costs against the runner-up.
        changes: the smallest change of one weight, one score and one cost, a
            sentence each (those that apply).
        contested: the disputed cells the lead rests on, or that none does.
        hurdles: the hurdles passed only conditionally, and those failed.
    """

    cost: str
    changes: tuple[str, ...]
    contested: str
    hurdles: str

    @property
    def sentences(self) -> list[str]:
        """Every sentence, in order."""
        return [self.cost, *self.changes, self.contested, self.hurdles]


def dissent_by_cell(appraisal: Appraisal) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """``(option id, criterion id) → [(member, score), …]``: the recorded dissent."""
    out: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for _, mod in appraisal.moderations:
        for option, cells in mod.scores.items():
            for criterion, moderated in cells.items():
                for d in moderated.dissent:
                    if d.score is not None:  # a dissent may give no score of its own
                        out.setdefault((option, criterion), []).append((d.scorer, float(d.score)))
    return out


def _roles(appraisal: Appraisal) -> dict[str, str]:
    return {s.scorer.id: s.scorer.role for _, s in appraisal.sheets if s.scorer.role}


def decision_summary(sens: SensitivityResult, appraisal: Appraisal) -> DecisionSummary:
    """The decision summary's sentences for this analysis."""
    p = sens.problem
    if sens.leader is None or sens.runner_up is None:
        lone = wording.leader_sentence(sens.base)
        return DecisionSummary(lone, (), "", _hurdles(sens, appraisal))
    return DecisionSummary(
        _cost(sens),
        tuple(s for s in (_weight(sens), _score(sens), _cost_switch(sens)) if s),
        _contested(sens, appraisal, p.option_names[sens.leader]),
        _hurdles(sens, appraisal),
    )


def _cost(sens: SensitivityResult) -> str:
    p = sens.problem
    lead, runner = sens.leader, sens.runner_up
    assert lead is not None
    assert runner is not None
    name, other = p.option_names[lead], p.option_names[runner]
    vfm = value_for_money(sens.base)
    if vfm is None or not (math.isfinite(vfm.costs[lead]) and math.isfinite(vfm.costs[runner])):
        return (
            f"{name} scores {format_number(sens.margin, POINTS)} benefit points more than "
            f"{other}, second; with no cost recorded for both, what that extra benefit costs "
            "is not shown."
        )
    unit = p.cost_unit
    extra = float(vfm.costs[lead] - vfm.costs[runner])
    points = format_number(sens.margin, POINTS)
    if extra > 0:
        per = wording.money(extra / sens.margin, unit, COST_PER_POINT)
        what = (
            " in risk-adjusted net present cost"
            if p.cost_book is not None and p.cost_book.profiled
            else ""
        )
        out = (
            f"{name} costs {wording.money(extra, unit)} more{what} than {other}, second, "
            f"for {points} more benefit points: {per} for each extra point."
        )
    elif extra < 0:
        out = (
            f"{name} scores {points} benefit points more than {other}, second, and costs "
            f"{wording.money(-extra, unit)} less."
        )
    else:
        out = f"{name} scores {points} benefit points more than {other}, second, at the same cost."
    label = vfm.label(lead)
    if label != "frontier":
        out += (
            f" It is {wording.FRONTIER_NAMES[label]} on cost and benefit: another option, or a "
            "mix of two, gives at least as much benefit for less."
        )
    return out


def _weight(sens: SensitivityResult) -> str:
    found = nearest_weight_switch(sens)
    if found is None:
        return "No change of a single weight alone changes which option is first."
    ws, at, who = found
    p = sens.problem
    what = f"the weight on {ws.name}" + (" (group)" if ws.kind == "group" else "")
    way = "rising" if at > ws.weight else "falling"
    return (
        f"Weight: {what} {way} from {format_number(ws.weight, WEIGHT)} to "
        f"{format_number(at, DERIVED_WEIGHT)} (of {format_number(ws.whole, WEIGHT)}) puts "
        f"{p.option_names[who]} first."
    )


def _score(sens: SensitivityResult) -> str:
    change = smallest_score_change(sens)
    if change is None:
        return "No change of a single score on its scale brings another option level."
    p = sens.problem
    way = "rising" if change.change > 0 else "falling"
    whose = wording.possessive(p.option_names[change.option])
    return (
        f"Score: {whose} score on {p.criterion_names[change.criterion]}"
        f" {way} from {format_number(change.now, SCORE)} to {format_number(change.to, SCORE)}"
        f" brings {p.option_names[change.challenger]} level; past it, "
        f"{p.option_names[change.challenger]} is first."
    )


def _cost_switch(sens: SensitivityResult) -> str:
    """The nearest cost switching value of the leader or the runner-up."""
    if not sens.cost_switches:
        return ""
    p = sens.problem
    near = [
        c
        for c in sens.cost_switches
        if c.option in (sens.leader, sens.runner_up) and math.isfinite(c.frontier_at) and c.cost > 0
    ]
    lead = p.option_names[sens.leader] if sens.leader is not None else ""
    tail = f"no cost changes which option scores highest ({lead})."
    if not near:
        return f"Cost: {tail[:1].upper()}{tail[1:]}"
    c = min(near, key=lambda c: abs(c.frontier_at - c.cost) / c.cost)
    way = "rose above" if c.frontier_at > c.cost else "fell below"
    then = "leave" if c.status == "frontier" else "join"
    u = c.uplift
    uplift = ""
    if u is not None and u.uplift is not None and u.frontier_feasible:
        uplift = (
            f"; an optimism-bias uplift of {format_number(u.frontier_at, UPLIFT)} rather "
            f"than {format_number(u.uplift, UPLIFT)}"
        )
    return (
        f"Cost: if {wording.possessive(p.option_names[c.option])} cost {way} "
        f"{wording.money(c.frontier_at, p.cost_unit)} "
        f"({format_number((c.frontier_at - c.cost) / c.cost, COST_CHANGE)}{uplift}), it "
        f"would {then} the cost–benefit frontier; {tail}"
    )


def _contested(sens: SensitivityResult, appraisal: Appraisal, lead: str) -> str:
    assert sens.leader is not None
    found = contested_cells(sens.base, sens.leader, dissent_by_cell(appraisal))
    if not found:
        return (
            "No disputed cell (a recorded dissent, or a panel member's own score in a cell "
            f"flagged for moderation) would on its own put another option ahead of {lead}."
        )
    roles = _roles(appraisal)
    p = sens.problem

    def one(c: Contested) -> str:
        who = c.scorer + (f" ({roles[c.scorer]})" if c.scorer in roles else "")
        whose = "its" if c.option == sens.leader else wording.possessive(p.option_names[c.option])
        view = "dissented at" if c.dissent else "scored it"
        other = format_number(c.other, SCORE)
        return (
            f"{whose} score on {p.criterion_names[c.criterion]}, agreed at "
            f"{format_number(c.agreed, SCORE)}: {who} {view} {other}, and at {other} "
            f"{p.option_names[c.leader]} would be first (the two are level at "
            f"{format_number(c.level_at, SCORE)})"
        )

    head = found[:MOST_CONTESTED]
    disputed = "disputed cell" if len(found) == 1 else "disputed cells"
    text = (
        f"{wording.possessive(lead)} lead rests on {_count(len(found))} {disputed}: "
        + "; ".join(map(one, head))
    )
    if len(found) > len(head):
        text += f"; and {len(found) - len(head)} more (see the evidence pack)"
    return text + "."


def _count(n: int) -> str:
    return ("one", "two", "three", "four", "five")[n - 1] if 1 <= n <= 5 else f"{n:,}"


def _over_envelope(p: Problem, option: str, hurdles: list[str]) -> str:
    """How far an option's counted costs are over each computed hurdle's envelope it
    fails: ``its transition costs are £685k over the £2,500k envelope``."""
    book = p.cost_book
    if book is None:
        return ""
    out = []
    for h in hurdles:
        test = book.envelopes.get(h, {}).get(option)
        rule = book.rules.get(h)
        if test is None or rule is None or test.passed:
            continue
        what = " and ".join(rule.categories) if rule.categories else "counted"
        year = f" in {book.label(test.year)}" if test.year is not None else ""
        out.append(
            f"its {what} costs are {wording.money(-test.headroom, p.cost_unit)} over the "
            f"{wording.money(test.limit, p.cost_unit)} envelope{year}"
        )
    return "; ".join(out)


def _hurdles(sens: SensitivityResult, appraisal: Appraisal) -> str:
    p = sens.problem
    if not p.hurdle_ids:
        return "No hurdle criteria were set."
    named = {h.id: h.name for _, f in appraisal.criteria_files for h in f.hurdles}
    parts = []
    for h, hid in enumerate(p.hurdle_ids):
        who = [
            p.option_ids[i] for i in sens.base.order if str(p.hurdle_results[i, h]) == "conditional"
        ]
        if who:
            parts.append(f"{hid} ({named.get(hid, hid)}) by {wording.names(who)}")
    out = (
        "Hurdles passed only conditionally: " + "; ".join(parts) + " (the conditions are set "
        "out with the hurdles)."
        if parts
        else "No option passes a hurdle only conditionally."
    )
    if sens.leader is not None:
        lead_conditional = [
            hid
            for h, hid in enumerate(p.hurdle_ids)
            if str(p.hurdle_results[sens.leader, h]) == "conditional"
        ]
        if lead_conditional:
            out += (
                f" The leader, {p.option_names[sens.leader]}, passes "
                f"{wording.names(lead_conditional)} only conditionally."
            )
    failed = []
    for i in sens.base.order:
        fails = [hid for h, hid in enumerate(p.hurdle_ids) if str(p.hurdle_results[i, h]) == "fail"]
        if fails:
            said = f"{p.option_names[i]} fails {wording.names(fails)}"
            over = _over_envelope(p, p.option_ids[i], fails)
            failed.append(said + (f" ({over})" if over else ""))
    if failed:
        out += " " + "; ".join(failed) + (" and is" if len(failed) == 1 else "; they are")
        out += " not ranked."
    return out
