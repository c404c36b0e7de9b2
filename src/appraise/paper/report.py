"""``appraise report``: the whole appraisal as one board-paper document.

Summary (the option with the highest weighted benefit score, its margin and how robust
it is, in plain English), decision context, options and the long-list filter, value
tree and weights, ranking, value for money, sensitivity (switching values, scenarios,
Monte Carlo) with charts, and appendices: method statement, scale descriptors, panel
and dissent, score rationale, assumptions. Never calls the leader "the decision".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from appraise.analysis.score import value_for_money
from appraise.analysis.sensitivity import SensitivityResult
from appraise.files.loading import Appraisal
from appraise.paper.legacy_tables import Cell, Column, Table, TableUnavailable, build_table
from appraise.paper.provenance import Provenance
from appraise.paper.writers import Bullets, Figure, Heading, Paper, Para, TableBlock

__all__ = ["build_report", "summary_sentences"]

Block = Heading | Para | Bullets | TableBlock | Figure


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def summary_sentences(sens: SensitivityResult) -> list[str]:
    """The summary in plain English: who scores highest, by how much, how robust."""
    base = sens.base
    p = base.problem
    if sens.leader is None:
        leaders = " and ".join(p.option_names[i] for i in base.leaders)
        return [f"{leaders} share the highest weighted benefit score on this analysis."]
    lead = p.option_names[sens.leader]
    out = [
        f"{lead} has the highest weighted benefit score on this analysis: "
        f"{base.totals[sens.leader]:,.1f} of a possible {base.maximum:,.0f}."
    ]
    if sens.runner_up is not None:
        runner = p.option_names[sens.runner_up]
        share = sens.margin / base.totals[sens.leader] if base.totals[sens.leader] else 0.0
        out.append(
            f"Its lead over {runner}, second, is {sens.margin:,.2f} points "
            f"({100 * share:.1f}% of its score)."
        )
    closest = _closest_switch(sens)
    if closest:
        out.append(closest)
    others = [s for s in sens.scenarios if s.kind != "base"]
    if others:
        kept = sum(1 for s in others if s.leaders == [sens.leader])
        out.append(
            f"It stays first in {kept} of {len(others)} alternative scenarios "
            "(other weight sets, equal weights, each criterion or group left out, each "
            "panel member's scores alone or left out, every score at the panel's "
            "lowest or highest)."
        )
    mc = sens.monte_carlo
    if mc is not None and sens.leader in mc.options:
        j = mc.options.index(sens.leader)
        best = float(mc.result.acceptability[j, 0])
        out.append(
            f"In {mc.result.samples:,} simulations varying the weights and scores, it "
            f"comes first in {_pct(best)} of them."
        )
    out.append(
        "The scores inform the board's decision and do not make it: the ranking rests "
        "on the panel's judgements and the weights shown here."
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
                best = (distance, sens.weight_sentence(ws))
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
            blocks.append(Para(str(why).capitalize() + ".", "note"))
            return
        blocks.append(TableBlock(t, tables.next()))

    def own(t: Table) -> None:
        blocks.append(TableBlock(t, tables.next()))

    def chart(key: str) -> None:
        if not charts:
            return
        from appraise.paper.charts import ChartUnavailable
        from appraise.paper.export import figure

        try:
            blocks.append(figure(sens, key, figures.peek()))
        except ChartUnavailable:
            return
        figures.next()

    sentences = summary_sentences(sens)
    blocks.append(Heading("Summary"))
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
    own(_options_table(appraisal))
    hurdles = _hurdles_table(appraisal)
    if hurdles is not None:
        own(hurdles)

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
    sentences = [sens.weight_sentence(ws) for ws in sens.weight_switches]
    if sentences:
        blocks.append(Bullets(tuple(s for s in sentences if s)))
    try:
        switching = build_table("switching", sens, appraisal)
    except TableUnavailable as why:
        blocks.append(Para(str(why).capitalize() + ".", "note"))
    else:
        # the sentences are the bullets above: the table keeps the numbers
        own(_drop_last_column(switching))
    chart("oneway")
    blocks.append(Heading("Scenarios", 2))
    table("scenarios")
    chart("tornado")
    if sens.monte_carlo is not None:
        blocks.append(Heading("Monte Carlo", 2))
        table("acceptability")
        chart("acceptability")

    blocks.append(Heading("Appendix A: method"))
    blocks.extend(Para(s) for s in _method_statement(sens, appraisal))
    blocks.append(Heading("Appendix B: scale descriptors"))
    own(_scale_table(appraisal))
    blocks.append(Heading("Appendix C: panel and dissent"))
    panel = _panel_table(appraisal)
    if panel is not None:
        own(panel)
    dissent = _dissent_table(appraisal)
    if dissent is not None:
        own(dissent)
    else:
        blocks.append(Para("No panel member recorded dissent from a moderated score.", "note"))
    try:
        spread = build_table("spread", sens, appraisal)
    except TableUnavailable:
        pass
    else:
        # the report shows the cells the panel discussed; the export has every cell
        flagged = tuple(r for r in spread.rows if r[-1] == "yes")
        if flagged:
            own(replace(spread, title="Cells flagged for moderation", rows=flagged))
    blocks.append(Heading("Appendix D: assumptions"))
    assumptions = _assumptions(appraisal)
    blocks.append(Bullets(tuple(assumptions)) if assumptions else Para("None recorded.", "note"))
    blocks.append(Heading("Appendix E: score rationale"))
    table("rationale")

    subtitle = f"Option appraisal for {info.decision_maker} · status {info.status}"
    return Paper(
        title=provenance.title, provenance=provenance, blocks=tuple(blocks), subtitle=subtitle
    )


def _drop_last_column(t: Table) -> Table:
    return replace(t, columns=t.columns[:-1], rows=tuple(r[:-1] for r in t.rows))


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def peek(self) -> int:
        return self.n + 1

    def next(self) -> int:
        self.n += 1
        return self.n


def _table(
    key: str, title: str, caption: str, columns: list[Column], rows: list[list[Cell]]
) -> Table:
    return Table(key, title, caption, tuple(columns), tuple(tuple(r) for r in rows))


def _options_table(appraisal: Appraisal) -> Table:
    rows: list[list[Cell]] = []
    for _, file in appraisal.options_files:
        for o in file.options:
            outcome = o.filter.outcome.replace("_", " ") if o.filter else ""
            if o.baseline:
                outcome = (outcome + ", baseline").lstrip(", ")
            reason = o.filter.reason if o.filter and o.filter.reason else ""
            rows.append([o.id, o.name, outcome, reason or (o.description or "")])
    return _table(
        "options",
        "Options and the long-list filter",
        "Every option considered, the outcome of the long-list filter and the reason; "
        "discounted options are not scored.",
        [Column("Id"), Column("Option", wide=True), Column("Outcome"), Column("Reason", wide=True)],
        rows,
    )


def _hurdles_table(appraisal: Appraisal) -> Table | None:
    hurdles = [h for _, f in appraisal.criteria_files for h in f.hurdles]
    if not hurdles:
        return None
    options = [o for _, f in appraisal.options_files for o in f.options if not o.discounted]
    rows: list[list[Cell]] = []
    for o in options:
        cells: list[Cell] = [o.name]
        for h in hurdles:
            res = o.hurdles.get(h.id)
            cells.append(
                "" if res is None else res.result + (f": {res.reason}" if res.reason else "")
            )
        rows.append(cells)
    return _table(
        "hurdles",
        "Hurdle criteria",
        "Pass/fail tests every shortlisted option must meet before it is ranked: "
        + "; ".join(f"{h.id} {h.name}" for h in hurdles)
        + ".",
        [Column("Option", wide=True), *[Column(h.id, wide=True) for h in hurdles]],
        rows,
    )


def _scale_table(appraisal: Appraisal) -> Table:
    scale = appraisal.settings.scale
    rows: list[list[Cell]] = [
        [float(k), v] for k, v in sorted(scale.descriptors.items(), key=lambda kv: float(kv[0]))
    ]
    return _table(
        "scale",
        "Scoring scale",
        f"Scores run from {scale.min:g} to {scale.max:g}"
        + (f" in steps of {scale.step:g}" if scale.step else "")
        + f"; the scale is {scale.type} ("
        + (
            "anchored on defined reference levels, so scores compare across options"
            if scale.type == "fixed"
            else "best option = max, worst = min"
        )
        + "). Criteria with their own scales are converted onto it.",
        [Column("Score", "number", 0), Column("Descriptor", wide=True)],
        rows,
    )


def _panel_table(appraisal: Appraisal) -> Table | None:
    if not appraisal.sheets:
        return None
    rows: list[list[Cell]] = [
        [s.scorer.id, s.scorer.name, s.scorer.role, s.scorer.interests or "none declared"]
        for _, s in appraisal.sheets
    ]
    chair = appraisal.settings.appraisal.chair
    return _table(
        "panel",
        "Scoring panel",
        "Who scored, in what role, and the interests they declared"
        + (f"; chaired by {chair}." if chair else "."),
        [Column("Id"), Column("Name"), Column("Role", wide=True), Column("Interests", wide=True)],
        rows,
    )


def _dissent_table(appraisal: Appraisal) -> Table | None:
    rows: list[list[Cell]] = []
    for _, mod in appraisal.moderations:
        for option, cells in mod.scores.items():
            for criterion, cell in cells.items():
                for d in cell.dissent:
                    rows.append([option, criterion, cell.score, d.scorer, d.score, d.reason])
    if not rows:
        return None
    return _table(
        "dissent",
        "Recorded dissent",
        "Panel members who disagreed with a moderated score, the score they would "
        "have given, and why.",
        [
            Column("Option"),
            Column("Criterion"),
            Column("Agreed", "number", 0),
            Column("Member"),
            Column("Their score", "number", 0),
            Column("Reason", wide=True),
        ],
        rows,
    )


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
                f" Consistency ratios range from {min(ratios):.3f} to {max(ratios):.3f} "
                f"(limit {cap:.2f})."
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
            f"the {scale.min:g}–{scale.max:g} scale (criteria scored lower-is-better are "
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
        weights = {
            "dirichlet": f"drawn around the stated weights (Dirichlet, concentration "
            f"{mc.concentration:g})",
            "uniform": "drawn uniformly over all possible weights",
            "bounds": f"each varied within ±{mc.bounds:g} of its value",
            "fixed": "held at their stated values",
        }[mc.weight_model]
        scores = {
            "panel": "each score drawn from a triangular distribution over the panel's "
            "lowest score, the agreed score and the panel's highest",
            "declared": "each score drawn between the lowest and highest plausible "
            "scores the panel members declared",
            "fixed": "scores held at their agreed values",
        }[mc.score_model]
        out.append(
            f"The Monte Carlo analysis (SMAA-2) used {mc.result.samples:,} samples with "
            f"seed {mc.seed}: weights {weights}; {scores}. The same seed gives the same "
            "numbers."
        )
    ranked = int(np.sum(base.ranks > 0))
    out.append(
        f"{ranked} options were ranked against {len(p.criterion_ids)} criteria, scored "
        f"by {len(p.scorer_ids)} panel members."
    )
    return out
