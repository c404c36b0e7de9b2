"""``appraise sensitivity``: how robust the ranking is, and what would change it."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, progress, provisional_note, stdout
from appraise.cli.options import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    AggregateChoice,
    AggregateOption,
    DirArgument,
    IncludeFailedOption,
    SamplesOption,
    SeedOption,
    TableFormat,
    WeightsOption,
)


class WeightModelChoice(enum.StrEnum):
    """How Monte Carlo draws weights."""

    dirichlet = "dirichlet"
    uniform = "uniform"
    bounds = "bounds"
    fixed = "fixed"


class ScoreModelChoice(enum.StrEnum):
    """How Monte Carlo draws scores."""

    panel = "panel"
    declared = "declared"
    fixed = "fixed"


@command()
def sensitivity(
    folder: DirArgument = Path("."),
    aggregate: AggregateOption = AggregateChoice.moderated,
    weights: WeightsOption = "tree",
    include_failed: IncludeFailedOption = False,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            help="Show only these sections (repeat): weights, scores, costs, scenarios, "
            "methods, montecarlo, tornado. Default: all.",
        ),
    ] = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = DEFAULT_SEED,
    weight_model: Annotated[
        WeightModelChoice,
        typer.Option(
            "--weight-model",
            help="How weights are drawn: dirichlet (around the stated weights), uniform "
            "(any weights at all), bounds (each within ±--bounds), fixed.",
        ),
    ] = WeightModelChoice.dirichlet,
    concentration: Annotated[
        float,
        typer.Option(
            "--concentration",
            min=0.01,
            max=1_000_000,
            help="Dirichlet concentration: higher keeps draws closer to the stated weights.",
        ),
    ] = 50.0,
    bounds: Annotated[
        float,
        typer.Option(
            "--bounds",
            min=0.0,
            max=1_000_000.0,
            help="± range of each weight for --weight-model bounds.",
        ),
    ] = 5.0,
    score_model: Annotated[
        ScoreModelChoice,
        typer.Option(
            "--score-model",
            help="How scores are drawn: panel (triangular: panel min, score, max), declared "
            "(the sheets' low/high), fixed.",
        ),
    ] = ScoreModelChoice.panel,
    swing: Annotated[
        float,
        typer.Option(
            "--swing",
            min=0.0,
            max=100.0,
            help="Tornado: move each weight ± this % of itself (at most 100).",
        ),
    ] = 50.0,
    output_format: Annotated[
        TableFormat,
        typer.Option("--format", "-f", help="table (terminal) or json (every number, unrounded)."),
    ] = TableFormat.table,
) -> None:
    """How robust the ranking is, and what would change it (weighted sum).

    Exact switching values for every weight, score and cost; scenarios and
    leave-one-out; Monte Carlo (SMAA-2) rank acceptability; the ranking under each
    method; a tornado of the leader's margin over the best other option.

    Example:

        appraise sensitivity --samples 1000000 --seed 7 --section montecarlo
    """
    from appraise import api
    from appraise.analysis import SECTIONS

    chosen = tuple(section) if section else SECTIONS
    appraisal = api.load(folder)
    runs = samples if ("montecarlo" in chosen or "tornado" in chosen) else 0
    with progress(runs) as advance:
        analysis = api.sensitivity(
            appraisal,
            aggregate=aggregate.value,
            weights=weights,
            include_failed=include_failed,
            samples=samples,
            seed=seed,
            weight_model=weight_model.value,
            concentration=concentration,
            bounds=bounds,
            score_model=score_model.value,
            swing=swing,
            sections=chosen,
            progress=advance,
        )
    if output_format is TableFormat.json:
        from appraise.paper.formats.json import dumps, sensitivity_payload

        provisional_note(analysis.problem)
        stdout(dumps(sensitivity_payload(analysis)))
        return
    from appraise.paper.documents import sensitivity_paper
    from appraise.terminal.render import console, render_paper

    out = console()
    out.print(render_paper(sensitivity_paper(analysis, chosen), out.width))
