"""``appraise report``: the whole appraisal as one board-paper document.

Summary (the option with the highest weighted benefit score, its margin and how robust
it is, in plain English), decision context, options and the long-list filter, value
tree and weights, ranking, value for money, sensitivity (switching values, scenarios,
Monte Carlo) with charts, and appendices: method statement, scale descriptors, panel
and dissent, score rationale, assumptions. Never calls the leader "the decision".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from appraise.analysis.score import value_for_money
from appraise.analysis.sensitivity import SensitivityResult
from appraise.files.loading import Appraisal
from appraise.paper import wording
from appraise.paper.model import Block, Bullets, Heading, Paper, Para, Table, TableBlock
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
from appraise.paper.tables import TableUnavailable, build_table
from appraise.paper.tables import appraisal as at

__all__ = ["build_report", "summary_sentences"]


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
    best: tuple[float, str] | None = None
    for ws in sens.weight_switches:
        for point in (ws.below, ws.above):
            if point is None:
                continue
            distance = abs(point[0] - ws.weight) / ws.whole
            if best is None or distance < best[0]:
                best = (distance, wording.weight_sentence(sens, ws))
    if best is None:
        return "No change to any single weight alone changes which option scores highest."
    return "Nearest switching value: " + best[1]


def build_report(
    sens: SensitivityResult,
    appraisal: Appraisal,
    provenance: Provenance,
    *,
    charts: bool = True,
) -> Paper:
    """The whole report as a :class:`Paper` (write it with any writer)."""
    info = appraisal.settings.appraisal
    blocks: list[Block] = []
    tables = _Counter()
    figures = _Counter()

    def table(key: str) -> None:
        try:
            t = build_table(key, sens, appraisal)
        except TableUnavailable as why:
            blocks.append(Para(why.message[:1].upper() + why.message[1:] + ".", "note"))
            return
        blocks.append(TableBlock(t, tables.next()))

    def own(t: Table | None) -> None:
        if t is not None:
            blocks.append(TableBlock(t, tables.next()))

    def chart(key: str) -> None:
        if not charts:
            return
        from appraise.paper.charts import ChartUnavailable, figure

        try:
            blocks.append(figure(sens, key, figures.peek()))
        except ChartUnavailable:
            return
        figures.next()

    paper = appraisal.settings.paper
    blocks.append(Heading("Cover sheet"))
    blocks.append(Bullets(tuple(f"{label}: {value}" for label, value in cover_sheet(appraisal))))
    blocks.append(Heading("The Board is asked to", 2))
    blocks.append(Para(paper.asked_to or NOT_PROVIDED, "lead" if paper.asked_to else "note"))
    blocks.append(Heading("Executive recommendation", 2))
    blocks.append(
        Para(
            paper.recommendation or NOT_PROVIDED,
            "body" if paper.recommendation else "note",
        )
    )
    blocks.append(
        Para(
            "The recommendation is the executive team's; the sections that follow say what "
            "the analysis shows.",
            "note",
        )
    )

    sentences = summary_sentences(sens)
    blocks.append(Heading("Summary: what the analysis shows"))
    blocks.append(Para(sentences[0], "lead"))
    blocks.extend(Para(s) for s in sentences[1:])

    blocks.append(Heading("Decision context"))
    blocks.append(Para(info.decision))
    context = [
        ("Decision maker", info.decision_maker),
        ("Senior responsible owner", info.owner),
        ("Panel chair", info.chair),
        ("Stage", info.stage),
        ("Status", info.status),
        ("Date", info.date),
        ("Version", info.version),
    ]
    blocks.append(Bullets(tuple(f"{k}: {v}" for k, v in context if v)))
    if info.objectives:
        blocks.append(Para("Objectives the criteria measure:"))
        blocks.append(Bullets(tuple(f"{o.id}: {o.text}" for o in info.objectives)))

    blocks.append(Heading("Options"))
    own(at.options_table(appraisal))
    own(at.hurdles_table(appraisal))

    blocks.append(Heading("Criteria and weights"))
    w = appraisal.settings.weights
    how = [f"Weights were set by the {w.method} method"]
    if w.agreed:
        how.append(f"agreed {w.agreed}")
    blocks.append(Para(", ".join(how) + "." + (f" {w.rationale}" if w.rationale else "")))
    blocks.extend(Para(s) for s in _elicitation_sentences(appraisal))
    table("weights")

    blocks.append(Heading("Ranking"))
    table("ranking")
    chart("contributions")
    table("matrix")

    blocks.append(Heading("Value for money"))
    if value_for_money(sens.base) is not None:
        table("vfm")
        chart("frontier")
    else:
        blocks.append(Para("Not shown: it needs a cost for every option.", "note"))

    blocks.append(Heading("Sensitivity and robustness"))
    blocks.append(Heading("Switching values", 2))
    sentences = [wording.weight_sentence(sens, ws) for ws in sens.weight_switches]
    if sentences:
        blocks.append(Bullets(tuple(s for s in sentences if s)))
    table("switching")
    chart("oneway")
    blocks.append(Heading("Scenarios", 2))
    table("scenarios")
    chart("tornado")
    if sens.monte_carlo is not None:
        blocks.append(Heading("Monte Carlo", 2))
        table("acceptability")
        chart("acceptability")
    elif sens.monte_carlo_not_run:
        blocks.append(Heading("Monte Carlo", 2))
        blocks.append(Para(wording.monte_carlo_not_run(sens.monte_carlo_not_run)))

    blocks.append(Heading("Implications and next steps"))
    for label, value in paper_sections(appraisal):
        blocks.append(Heading(label, 2))
        blocks.append(Para(value or NOT_PROVIDED, "body" if value else "note"))

    blocks.append(Heading("Appendix A: method"))
    blocks.extend(Para(s) for s in _method_statement(sens, appraisal))
    blocks.append(Heading("Appendix B: scale descriptors"))
    own(at.scale_table(appraisal))
    blocks.append(Heading("Appendix C: panel and dissent"))
    own(at.panel_table(appraisal))
    dissent = at.dissent_table(appraisal)
    if dissent is not None:
        own(dissent)
    else:
        blocks.append(Para("No panel member recorded dissent from a moderated score.", "note"))
    # the report shows the cells the panel discussed; the export has every cell
    from appraise.paper.tables.score import spread_table

    own(spread_table(sens.base, flagged_only=True))
    blocks.append(Heading("Appendix D: assumptions"))
    assumptions = _assumptions(appraisal)
    blocks.append(Bullets(tuple(assumptions)) if assumptions else Para("None recorded.", "note"))
    blocks.append(Heading("Appendix E: score rationale"))
    table("rationale")

    subtitle = f"Option appraisal for {info.decision_maker} · status {info.status}"
    return Paper(
        title=provenance.title,
        blocks=tuple(blocks),
        subtitle=subtitle,
        illustrative=provenance.illustrative,
        provenance=provenance,
    )


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
