"""``appraise export`` and ``appraise report``: files for a board paper."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, progress, stderr
from appraise.cli.options import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    AggregateChoice,
    AggregateOption,
    DirArgument,
    IncludeFailedOption,
    OutputOption,
    SamplesOption,
    SeedOption,
    WeightsOption,
)

TABLE_KEYS = (
    "ranking",
    "matrix",
    "weights",
    "vfm",
    "switching",
    "score_switching",
    "closest",
    "cost_switching",
    "scenarios",
    "methods",
    "montecarlo",
    "acceptability",
    "central_weights",
    "tornado",
    "options",
    "hurdles",
    "scale",
    "panel",
    "dissent",
    "spread",
    "flagged",
    "rationale",
)
"""The tables of :data:`appraise.paper.tables.TABLES`, for ``--help`` without importing
the analysis (a test keeps the two the same)."""


@command()
def export(
    folder: DirArgument = Path("."),
    output: OutputOption = Path("appraisal.xlsx"),
    table: Annotated[
        list[str] | None,
        typer.Option(
            "--table",
            "-t",
            help="Tables to include (repeat): " + ", ".join(TABLE_KEYS) + ". Default: every "
            "table that applies (CSV: ranking).",
        ),
    ] = None,
    chart: Annotated[
        list[str] | None,
        typer.Option(
            "--chart",
            "-c",
            help="Charts (repeat): contributions, oneway, tornado, acceptability, "
            "frontier. A .png or .svg file holds one (default contributions); .html, "
            ".docx and .md files can add charts to their tables.",
        ),
    ] = None,
    criterion: Annotated[
        str | None,
        typer.Option("--criterion", help="The criterion the oneway chart varies (its id)."),
    ] = None,
    aggregate: AggregateOption = AggregateChoice.moderated,
    weights: WeightsOption = "tree",
    include_failed: IncludeFailedOption = False,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = DEFAULT_SEED,
) -> None:
    """Write tables or charts for a board paper, the format taken from the file's suffix.

    Tables: .csv (one table; its provenance goes beside it in NAME.provenance.json)
    .md .html .xlsx .docx .json .tex; charts: .png .svg. Every file carries its
    provenance (tool version, input file hashes, settings, seed, time —
    SOURCE_DATE_EPOCH when set) and the ILLUSTRATIVE banner where it applies.

    Example:

        appraise export -o board/ranking.xlsx --table ranking --table vfm
    """
    from appraise import api
    from appraise.paper.export import check_request

    check_request(output, table, chart)  # a bad request fails before any work
    appraisal = api.load(folder)
    with progress(samples) as advance:
        written = api.export(
            appraisal,
            output,
            tables=table,
            charts=chart,
            criterion=criterion,
            aggregate=aggregate.value,
            weights=weights,
            include_failed=include_failed,
            samples=samples,
            seed=seed,
            progress=advance,
        )
    what = ", ".join([*(table or []), *(chart or [])])
    stderr(
        f"appraise: wrote {', '.join(str(p) for p in written)}"
        + (f" ({what})" if what else "")
        + "\n"
    )


@command()
def report(
    folder: DirArgument = Path("."),
    output: OutputOption = Path("report.html"),
    aggregate: AggregateOption = AggregateChoice.moderated,
    weights: WeightsOption = "tree",
    include_failed: IncludeFailedOption = False,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = DEFAULT_SEED,
    no_charts: Annotated[
        bool, typer.Option("--no-charts", help="Leave the charts out (no matplotlib needed).")
    ] = False,
) -> None:
    """Write the whole appraisal as one board-paper document: .html or .docx.

    Summary in plain English, decision context, options and the long-list filter,
    weights, ranking, value for money, sensitivity (switching values, scenarios, Monte
    Carlo) with charts, and appendices (method, scale, panel and dissent, assumptions,
    score rationale). The HTML is one self-contained file that prints to A4.

    Example:

        appraise report -o board/option-appraisal.docx --seed 7
    """
    from appraise import api
    from appraise.errors import RequestError
    from appraise.paper.formats import REPORT_FORMATS

    if output.suffix.lower() not in REPORT_FORMATS:
        raise RequestError(
            f"a report is .html or .docx, not {output.name}",
            hint="name the file report.html or report.docx",
        )
    appraisal = api.load(folder)
    with progress(samples) as advance:
        written = api.report(
            appraisal,
            output,
            aggregate=aggregate.value,
            weights=weights,
            include_failed=include_failed,
            samples=samples,
            seed=seed,
            charts=not no_charts,
            progress=advance,
        )
    stderr(f"appraise: wrote {', '.join(str(p) for p in written)}\n")
