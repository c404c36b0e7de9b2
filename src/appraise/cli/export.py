"""``appraise export`` and ``appraise report``: files for a board paper."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, progress, provisional_note, stderr
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
    "decision",
    "ranking",
    "matrix",
    "weights",
    "criteria",
    "vfm",
    "costs",
    "switching",
    "score_switching",
    "closest",
    "cost_switching",
    "uplift_switching",
    "switches",
    "scenarios",
    "scenario_summary",
    "methods",
    "montecarlo",
    "montecarlo_costs",
    "acceptability",
    "central_weights",
    "tornado",
    "options",
    "hurdles",
    "hurdle_matrix",
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
            "frontier, difference. A .png or .svg file holds one (default contributions); .html, "
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
    provisional_note(api.problem(appraisal))


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
    pack: Annotated[
        Path | None,
        typer.Option(
            "--pack",
            help="Also write the evidence pack to this file (.html or .docx): method, "
            "panel and interests, dissent, every scenario, every score's rationale, "
            "provenance.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Write the board paper: .html or .docx, and with --pack its evidence pack.

    Page 1 is the cover sheet (meeting, reference, what the Board is asked to do, the
    executive recommendation); page 2 the decision summary (a row per option with
    cost, hurdles and robustness, the sentences a board asks first, why the leader
    leads); then contents, context, options, hurdles, criteria and weights, ranking,
    value for money, sensitivity, implications and a glossary. The HTML is one
    self-contained file that prints to A4 with page numbers.

    Example:

        appraise report -o board/paper.docx --pack board/evidence-pack.docx
    """
    from appraise import api
    from appraise.errors import RequestError
    from appraise.paper.formats import REPORT_FORMATS

    for target in (output, pack):
        if target is not None and target.suffix.lower() not in REPORT_FORMATS:
            raise RequestError(
                f"a report is .html or .docx, not {target.name}",
                hint="name the file report.html or report.docx (the pack likewise)",
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
            pack=pack,
            progress=advance,
        )
    stderr(f"appraise: wrote {', '.join(str(p) for p in written)}\n")
    provisional_note(api.problem(appraisal))
