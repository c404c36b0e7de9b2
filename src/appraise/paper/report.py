"""``appraise report``: the board paper and its evidence pack.

:func:`build_report` is the paper's core: page 1 the cover sheet (the paper's fields,
what the Board is asked to do, the executive recommendation kept apart from the
analysis), page 2 the decision summary (a row per option, the computed sentences of
:mod:`appraise.paper.summary`, why the leader leads), then contents, what the analysis
shows, context, options, hurdles, criteria and weights, ranking, value for money,
sensitivity, the paper's own sections and a glossary. :func:`build_pack` is the
evidence behind it: method, scale, hurdle reasons, every switching value and
scenario, the panel and dissent, assumptions, every score's rationale, provenance.
Neither calls the leader "the decision".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from appraise.analysis.score import value_for_money
from appraise.analysis.sensitivity import SensitivityResult
from appraise.files.loading import Appraisal
from appraise.paper import wording
from appraise.paper.model import (
    Block,
    Bullets,
    Contents,
    Fields,
    Heading,
    PageBreak,
    Paper,
    Para,
    Table,
    TableBlock,
)
from appraise.paper.numbers import (
    CONSISTENCY,
    COUNT,
    DECLARED_RATIO,
    POINTS,
    SCALE,
    SHARE,
    format_number,
)
from appraise.paper.provenance import Provenance
from appraise.paper.summary import decision_summary
from appraise.paper.tables import TableUnavailable, build_table
from appraise.paper.tables import appraisal as at
from appraise.paper.tables.sensitivity import nearest_switches

__all__ = ["build_pack", "build_report", "summary_sentences"]


def summary_sentences(sens: SensitivityResult) -> list[str]:
    """The summary in plain English: who scores highest, by how much, how robust."""
    base = sens.base
    p = base.problem
    if sens.leader is None:  # nobody ranked, or a tie at the top
        return [wording.leader_sentence(base)]
    lead = p.option_names[sens.leader]
    out = [
        f"{lead} has {wording.HIGHEST}: "
        f"{format_number(base.totals[sens.leader], POINTS)} of a possible "
        f"{format_number(base.maximum, SCALE)}."
    ]
    if sens.runner_up is not None:
        runner = p.option_names[sens.runner_up]
        share = float(base.gap_next_pct[sens.leader])
        out.append(
            f"Its lead over {runner}, second, is {format_number(sens.margin, POINTS)} points "
            f"({format_number(share, SHARE)} of its score)."
        )
    closest = _closest_switch(sens)
    if closest:
        out.append(closest)
    led, of = sens.scenarios_led()
    if of:
        out.append(
            wording.first_in(lead, led, of)[:-1]
            + " (other weight sets, equal weights, each criterion or group left out, each "
            "panel member's scores alone or left out, every score at the panel's lowest "
            "or highest)."
        )
    mc = sens.monte_carlo
    if mc is not None and sens.leader in mc.options:
        j = mc.options.index(sens.leader)
        best = float(mc.result.acceptability[j, 0])
        out.append(
            f"In {format_number(mc.result.samples, COUNT)} simulations varying the weights "
            f"and scores, it comes first in {wording.probability(best)} of them."
        )
    out.append(
        wording.INFORMS + " The ranking rests on the panel's judgements and the weights shown here."
    )
    return out


def _closest_switch(sens: SensitivityResult) -> str:
    """The weight switching value nearest its current weight, as a sentence."""
    from appraise.analysis.decision import nearest_weight_switch

    found = nearest_weight_switch(sens)
    if found is None:
        return "No change to any single weight alone changes which option scores highest."
    return "Nearest switching value: " + wording.weight_sentence(sens, found[0])


class _Builder:
    """Blocks in order, with tables and figures numbered as they come."""

    def __init__(self, sens: SensitivityResult, appraisal: Appraisal, charts: bool) -> None:
        self.sens = sens
        self.appraisal = appraisal
        self.charts = charts
        self.blocks: list[Block] = []
        self.tables = _Counter()
        self.figures = _Counter()

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def table(self, key: str, *, quiet: bool = False) -> None:
        """Table ``key``; where it does not apply, a note says why (``quiet``: nothing)."""
        try:
            t = build_table(key, self.sens, self.appraisal)
        except TableUnavailable as why:
            if not quiet:
                self.add(Para(why.message[:1].upper() + why.message[1:] + ".", "note"))
            return
        self.add(TableBlock(t, self.tables.next()))

    def own(self, t: Table | None) -> None:
        if t is not None:
            self.add(TableBlock(t, self.tables.next()))

    def chart(self, key: str) -> None:
        if not self.charts:
            return
        from appraise.paper.charts import ChartUnavailable, figure

        try:
            self.add(figure(self.sens, key, self.figures.peek()))
        except ChartUnavailable:
            return
        self.figures.next()


def running_text(appraisal: Appraisal, suffix: str = "") -> str:
    """What every page's margin carries: the paper's reference and the status."""
    paper = appraisal.settings.paper
    status = appraisal.settings.appraisal.status
    parts = [(paper.reference or "") + suffix, f"Status: {status}"]
    return " · ".join(x for x in parts if x)


def build_report(
    sens: SensitivityResult,
    appraisal: Appraisal,
    provenance: Provenance,
    *,
    charts: bool = True,
) -> Paper:
    """The board paper's core as a :class:`Paper`: the cover sheet (page 1), the
    decision summary (page 2), then contents, what the analysis shows, context,
    options, hurdles, criteria and weights, ranking, value for money, sensitivity,
    implications and a glossary. The evidence behind it is :func:`build_pack`."""
    info = appraisal.settings.appraisal
    paper = appraisal.settings.paper
    b = _Builder(sens, appraisal, charts)

    # page 1: the cover sheet
    b.add(Fields(tuple(cover_sheet(appraisal))))
    b.add(Heading("The Board is asked to", 2))
    b.add(Para(paper.asked_to or NOT_PROVIDED, "lead" if paper.asked_to else "note"))
    b.add(Heading("Executive recommendation", 2))
    b.add(Para(paper.recommendation or NOT_PROVIDED, "body" if paper.recommendation else "note"))
    b.add(
        Para(
            "The recommendation is the executive team's. What follows, from the decision "
            "summary on, says what the analysis shows; the analysis informs the decision "
            "and does not make it.",
            "note",
        )
    )
    b.add(PageBreak())

    # page 2: the decision summary
    b.add(Heading("Decision summary"))
    if provenance.provisional:
        b.add(Para(wording.provisional_sentence(provenance.provisional), "warning"))
    b.table("decision")
    said = decision_summary(sens, appraisal)
    b.add(Para(said.cost, "lead"))
    if said.changes:
        b.add(Para("The smallest single change of each kind that changes the result:"))
        b.add(Bullets(said.changes))
    if said.contested:
        b.add(Para(said.contested, "warning" if "rests on" in said.contested else "body"))
    b.add(Para(said.hurdles))
    b.chart("difference")

    b.add(Contents())
    sentences = summary_sentences(sens)
    b.add(Heading("What the analysis shows"))
    b.add(Para(sentences[0], "lead"))
    b.add(*(Para(s) for s in sentences[1:]))
    b.add(
        Para(
            "The evidence pack"
            + (f" ({paper.reference} evidence pack)" if paper.reference else "")
            + " holds the method, the panel and its interests, every score's rationale, "
            "recorded dissent, every scenario and the provenance of each figure.",
            "note",
        )
    )

    b.add(Heading("Decision context"))
    b.add(Para(info.decision))
    context = [
        ("Decision maker", info.decision_maker),
        ("Senior responsible owner", info.owner),
        ("Panel chair", info.chair),
        ("Stage", info.stage),
        ("Status", info.status),
        ("Date", info.date),
        ("Version", info.version),
    ]
    b.add(Bullets(tuple(f"{k}: {v}" for k, v in context if v)))
    if info.objectives:
        b.add(Para("Objectives the criteria measure:"))
        b.add(Bullets(tuple(f"{o.id}: {o.text}" for o in info.objectives)))

    b.add(Heading("Options"))
    b.own(at.options_table(appraisal))
    b.add(Heading("Hurdles"))
    b.table("hurdle_matrix")

    b.add(Heading("Criteria and weights"))
    w = appraisal.settings.weights
    how = [f"Weights were set by the {w.method} method"]
    if w.agreed:
        how.append(f"agreed {w.agreed}")
    b.add(Para(", ".join(how) + "." + (f" {w.rationale}" if w.rationale else "")))
    b.add(*(Para(s) for s in _elicitation_sentences(appraisal)))
    b.table("criteria")

    b.add(Heading("Ranking"))
    b.table("ranking")
    b.table("matrix")
    b.table("missing", quiet=True)
    b.chart("contributions")

    b.add(Heading("Value for money"))
    if value_for_money(sens.base) is not None:
        b.table("vfm")
        b.table("costs", quiet=True)
        b.chart("frontier")
        b.table("cost_profile", quiet=True)
        b.table("optimism_bias", quiet=True)
        b.table("affordability", quiet=True)
    else:
        b.add(Para("Not shown: it needs a cost for every option.", "note"))

    b.add(Heading("Sensitivity and robustness"))
    b.add(Heading("Switching values", 2))
    near = nearest_switches(sens, 3)
    if near:
        b.add(Bullets(tuple(near)))
    b.table("switches")
    b.add(Heading("Scenarios", 2))
    led, of = sens.scenarios_led()
    if of and sens.leader is not None:
        b.add(Para(wording.first_in(sens.problem.option_names[sens.leader], led, of)))
    b.table("scenario_summary")
    if sens.monte_carlo is not None:
        b.add(Heading("Monte Carlo", 2))
        b.table("montecarlo")
        b.table("montecarlo_costs", quiet=True)
        b.chart("acceptability")
    elif sens.monte_carlo_not_run:
        b.add(Heading("Monte Carlo", 2))
        b.add(Para(wording.monte_carlo_not_run(sens.monte_carlo_not_run)))

    b.add(Heading("Implications and next steps"))
    for label, value in paper_sections(appraisal):
        b.add(Heading(label, 2))
        b.add(Para(value or NOT_PROVIDED, "body" if value else "note"))

    b.add(Heading("Glossary"))
    b.add(Fields(GLOSSARY, terms=True))

    return Paper(
        title=provenance.title,
        blocks=tuple(b.blocks),
        subtitle=f"Option appraisal for {info.decision_maker} · status {info.status}",
        illustrative=provenance.illustrative,
        provisional=provenance.provisional,
        provenance=provenance,
        running=running_text(appraisal),
        cover=True,
        input_files=False,
    )


def build_pack(
    sens: SensitivityResult,
    appraisal: Appraisal,
    provenance: Provenance,
    *,
    charts: bool = True,
) -> Paper:
    """The evidence pack behind the board paper: method, scale, hurdles with their
    reasons, every weight, switching value and scenario, the panel, dissent and the
    cells discussed, assumptions, every score's rationale, and the provenance."""
    info = appraisal.settings.appraisal
    paper = appraisal.settings.paper
    b = _Builder(sens, appraisal, charts)
    b.add(
        Para(
            "The evidence behind the board paper"
            + (f" {paper.reference}" if paper.reference else "")
            + (f", {paper.meeting}" if paper.meeting else "")
            + (f", {paper.date}" if paper.date else "")
            + ". Table and figure numbers are this pack's own.",
            "lead",
        )
    )
    b.add(Contents())
    b.add(Heading("Method"))
    b.add(*(Para(s) for s in _method_statement(sens, appraisal)))
    b.add(Heading("Scoring scale"))
    b.own(at.scale_table(appraisal))
    b.add(Heading("Hurdle results and reasons"))
    b.table("hurdles", quiet=True)
    b.add(Heading("Weights"))
    b.table("weights")
    b.add(Heading("Switching values in full"))
    b.table("switching", quiet=True)
    b.chart("oneway")
    b.table("score_switching", quiet=True)
    b.table("closest", quiet=True)
    b.table("cost_switching", quiet=True)
    b.table("uplift_switching", quiet=True)
    from appraise.paper.tables.costs import risks_table

    if risks_table(sens.problem) is not None:
        b.add(Heading("Risk allowance"))
        b.table("risks")
    b.add(Heading("Every scenario"))
    b.table("scenarios", quiet=True)
    b.table("methods", quiet=True)
    b.table("tornado", quiet=True)
    b.chart("tornado")
    if sens.monte_carlo is not None:
        b.add(Heading("Monte Carlo in full"))
        b.table("acceptability")
        b.table("central_weights", quiet=True)
    b.add(Heading("Panel, interests and dissent"))
    b.own(at.panel_table(appraisal))
    dissent = at.dissent_table(appraisal)
    if dissent is not None:
        b.own(dissent)
    else:
        b.add(Para("No panel member recorded dissent from a moderated score.", "note"))
    from appraise.paper.tables.score import spread_table

    b.own(spread_table(sens.base, flagged_only=True))
    b.table("missing", quiet=True)
    b.add(Heading("Assumptions"))
    assumptions = _assumptions(appraisal)
    b.add(Bullets(tuple(assumptions)) if assumptions else Para("None recorded.", "note"))
    b.add(Heading("Score rationale"))
    b.table("rationale")
    b.add(Heading("Provenance"))
    b.add(
        Para(
            "The tool, its version, the settings and seed, and the SHA-256 of every input "
            "file follow; the same files and settings give the same figures.",
            "note",
        )
    )
    return Paper(
        title=f"{provenance.title}: evidence pack",
        blocks=tuple(b.blocks),
        subtitle=f"Option appraisal for {info.decision_maker} · status {info.status}",
        illustrative=provenance.illustrative,
        provisional=provenance.provisional,
        provenance=provenance,
        running=running_text(appraisal, " evidence pack"),
    )


GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "Weighted benefit score",
        "Each option's scores on the criteria, converted to points and multiplied by the "
        "criteria's weights, added up. The higher, the more of the objectives it meets.",
    ),
    ("Criterion", "One thing the options are judged on, with a definition and a weight."),
    (
        "Local and global weight",
        "A criterion's weight within its group (local), and its share of the whole "
        "(global: the local weights multiplied down the value tree).",
    ),
    (
        "Hurdle",
        "A pass/fail test an option must meet to be ranked; a conditional pass depends on "
        "a condition still to be met.",
    ),
    (
        "Moderated score",
        "The score the panel agreed at its moderation meeting for a cell where members' "
        "scores differed; otherwise the panel median.",
    ),
    ("Dissent", "A panel member's recorded disagreement with an agreed score, and why."),
    (
        "Switching value",
        "How far one weight, score or cost must move, the rest held, before the result changes.",
    ),
    (
        "Cost–benefit frontier",
        "The options that no other option, or mix of two, beats on both cost and "
        "benefit. Dominated: another costs less and scores more. Extendedly dominated: a "
        "mix of two frontier options would.",
    ),
    (
        "Cost per extra point",
        "The extra cost of an option for each extra benefit point over another (the "
        "baseline, or the frontier option below it).",
    ),
    ("Baseline", "Carrying on as now; every option is compared with it."),
    (
        "Scenario",
        "The ranking again under one other assumption: other weights, a criterion left "
        "out, one panel member's scores.",
    ),
    (
        "Monte Carlo; P(first)",
        "The ranking recomputed many times with weights and scores drawn at random around "
        "the agreed ones; P(first) is the share of draws in which an option is first.",
    ),
    (
        "Evidence pack",
        "The companion document with the method, the panel, every rationale, every "
        "scenario and the provenance.",
    ),
)
"""The terms the paper uses, in plain English."""


NOT_PROVIDED = "Not provided"
"""What the paper prints for a field of ``paper:`` that the appraisal leaves out, so
that the gap shows."""

PURPOSES = {
    "decision": "For decision",
    "assurance": "For assurance",
    "information": "For information",
}


def cover_sheet(appraisal: Appraisal) -> list[tuple[str, str]]:
    """The cover sheet's fields, in order, each with its value or :data:`NOT_PROVIDED`."""
    paper = appraisal.settings.paper
    return [
        (label, value or NOT_PROVIDED)
        for label, value in (
            ("Meeting", paper.meeting),
            ("Date of meeting", paper.date),
            ("Agenda item", paper.agenda_item),
            ("Paper reference", paper.reference),
            ("Purpose", PURPOSES.get(paper.purpose or "")),
            ("Author", paper.author),
            ("Presented by", paper.presenter),
        )
    ]


def paper_sections(appraisal: Appraisal) -> list[tuple[str, str | None]]:
    """The paper's own sections, in a board paper's order, with their text (``None``
    where the appraisal leaves one out)."""
    paper = appraisal.settings.paper
    return [
        ("Financial implications", paper.financial_implications),
        ("Risks", paper.risks),
        ("Equality and quality impact", paper.equality_and_quality),
        ("Legal implications", paper.legal),
        ("Engagement and consultation", paper.engagement),
        ("Previous consideration", paper.previous_consideration),
        ("Next steps", paper.next_steps),
    ]


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def peek(self) -> int:
        return self.n + 1

    def next(self) -> int:
        self.n += 1
        return self.n


def _assumptions(appraisal: Appraisal) -> list[str]:
    out: list[str] = []
    costs = appraisal.settings.costs
    if costs.basis:
        out.append(f"Costs: {costs.basis} ({costs.unit}).")
    for _, file in appraisal.options_files:
        for o in file.options:
            out.extend(f"{o.name}: {a}" for a in o.assumptions)
    return out


_ELICITED = {
    "swing": "swing weighting",
    "points": "points allocation",
    "ranking": "a ranking",
    "ahp": "AHP pairwise comparisons",
}
"""What a recorded elicitation is, as the report's sentences name it."""


def _elicitation_sentences(appraisal: Appraisal) -> list[str]:
    """Where each recorded weight set's weights come from, in a sentence each."""
    from appraise.files.elicitation import derive

    out = []
    for es in derive(appraisal)[0]:
        owner = (
            "The value tree's weights"
            if es.set_id == "tree"
            else f"The weights of weight set {es.name}"
        )
        levels = len(es.combined)
        line = (
            f"{owner} are derived from the {_ELICITED.get(es.method, es.method)} recorded "
            f"beside them ({levels} level{'s' * (levels != 1)} of the tree"
        )
        people = es.participants
        if people:
            rule = (
                "the geometric mean of each judgement"
                if es.combine == "geometric_mean" and es.method == "ahp"
                else "the geometric mean of their weights"
                if es.combine == "geometric_mean"
                else "the mean of their weights"
            )
            line += f", {len(people)} participants combined by {rule}"
        else:
            line += ", one agreed record"
        line += ")."
        ratios = [
            lv.consistency.cr
            for r in es.records
            for lv in r.levels
            if lv.consistency is not None and lv.consistency.cr is not None and lv.consistency.n > 2
        ]
        if ratios:
            limit = es.records[0].levels[0].consistency
            cap = limit.limit if limit is not None else 0.10
            line += (
                f" Consistency ratios range from {format_number(min(ratios), CONSISTENCY)} to "
                f"{format_number(max(ratios), CONSISTENCY)} "
                f"(limit {format_number(cap, DECLARED_RATIO)})."
            )
        if len(people) > 1:
            line += (
                " Each participant's own weights are also analysed as a weight set of "
                "their own (see the scenarios)."
            )
        out.append(line)
    return out


def _method_statement(sens: SensitivityResult, appraisal: Appraisal) -> list[str]:
    base = sens.base
    p = base.problem
    scale = appraisal.settings.scale
    names: dict[str, Callable[[], str]] = {
        "wsm": lambda: (
            "Options are ranked by the weighted sum: each score is converted to points on "
            f"the {format_number(scale.min, SCALE)}–{format_number(scale.max, SCALE)} scale "
            "(criteria scored lower-is-better are "
            "reversed), multiplied by its criterion's global weight (the product of the "
            "weights down the value tree) and added up."
        ),
        "topsis": lambda: "Options are ranked by TOPSIS closeness to the ideal option.",
        "promethee": lambda: "Options are ranked by PROMETHEE II net outranking flow.",
    }
    out = [
        names[base.method](),
        (
            "The scores that count are the moderated scores agreed at the panel meeting; "
            "where a cell was not moderated, the panel median."
            if base.aggregate == "moderated"
            else f"The scores that count are the panel {base.aggregate}."
        ),
    ]
    if p.hurdle_ids:
        out.append(
            "Options that fail a hurdle criterion are shown but not ranked"
            + (" (here they are ranked too, on request)." if base.include_failed else ".")
        )
    out.append(
        "Switching values are exact: totals are straight lines in any one weight (the "
        "others rescaled in proportion), so the weight at which the leader changes is "
        "where two lines cross. Score switching values are the change in one score that "
        "levels an option with the leader."
    )
    mc = sens.monte_carlo
    if mc is not None:
        out.append(wording.monte_carlo_sentence(mc) + " The same seed gives the same numbers.")
    ranked = int(np.sum(base.ranks > 0))
    out.append(
        f"{format_number(ranked, COUNT)} options were ranked against "
        f"{format_number(len(p.criterion_ids), COUNT)} criteria, scored "
        f"by {len(p.scorer_ids)} panel members."
    )
    return out
