"""``appraise export`` and ``appraise report``: from an analysis to files on disk.

:func:`export_paper` assembles the tables and charts asked for into a
:class:`~appraise.paper.model.Paper`; :func:`write_paper` renders it in the format of
the output's suffix and writes it in one step. A CSV holds only its table; its
provenance goes beside it, in ``NAME.provenance.json``. An output that would replace
one of the appraisal's input files, or land as YAML inside the appraisal folder, is
refused; every file is made in memory first and renamed into place, so a failure
leaves the old files as they were.
"""

from __future__ import annotations

from pathlib import Path

from appraise.analysis.sensitivity import SensitivityResult
from appraise.atomic import write_files_atomic
from appraise.errors import OutputError, RequestError
from appraise.files.loading import Appraisal
from appraise.paper import wording
from appraise.paper.charts import figure
from appraise.paper.formats import (
    CHART_FORMATS,
    FIGURE_FORMATS,
    REPORT_FORMATS,
    TABLE_FORMATS,
    render,
)
from appraise.paper.model import Block, Paper, Para, TableBlock
from appraise.paper.provenance import Provenance
from appraise.paper.tables import TABLES, applicable_tables, build_table

__all__ = [
    "CHART_FORMATS",
    "REPORT_FORMATS",
    "TABLE_FORMATS",
    "check_request",
    "export_paper",
    "sidecar",
    "write_chart",
    "write_paper",
    "write_papers",
]


def check_request(
    output: Path, tables: list[str] | None, charts: list[str] | None
) -> tuple[str, list[str]]:
    """Check what ``export`` was asked for before any work is done.

    Returns:
        The output's suffix and the charts to draw (a chart file's default:
        ``contributions``).

    Raises:
        RequestError: an unknown suffix, table or chart, or a mix the format cannot hold.
    """
    from appraise.paper.charts import CHARTS

    suffix = output.suffix.lower()
    if suffix not in TABLE_FORMATS + CHART_FORMATS:
        raise RequestError(
            f"cannot tell the format of {output}",
            hint=f"end the file name with one of {' '.join(TABLE_FORMATS + CHART_FORMATS)}",
        )
    chosen = list(charts or [])
    for key in chosen:
        if key not in CHARTS:
            raise RequestError(f"no chart {key!r}", hint=f"choose from {', '.join(CHARTS)}")
    for key in tables or []:
        if key not in TABLES:
            raise RequestError(f"no table {key!r}", hint=f"choose from {', '.join(TABLES)}")
    if suffix in CHART_FORMATS:
        if tables:
            raise RequestError(
                f"a {suffix} file holds a chart, not tables", hint="use --chart, or a table format"
            )
        if len(chosen) > 1:
            raise RequestError(
                f"a {suffix} file holds one chart", hint="export each chart to its own file"
            )
        return suffix, chosen or ["contributions"]
    if chosen and suffix not in FIGURE_FORMATS:
        raise RequestError(
            f"a {suffix} file cannot hold charts",
            hint=f"use .png/.svg, or {'/'.join(FIGURE_FORMATS)}",
        )
    if suffix == ".csv" and tables and len(tables) > 1:
        raise RequestError(
            "a CSV file holds one table", hint="export each table to its own file, or use .xlsx"
        )
    return suffix, chosen


def export_paper(
    sens: SensitivityResult,
    appraisal: Appraisal,
    provenance: Provenance,
    *,
    tables: list[str] | None = None,
    charts: list[str] | None = None,
    criterion: str | None = None,
    csv: bool = False,
) -> Paper:
    """The paper ``export`` writes: the tables asked for (each must apply), or every
    table that applies (a CSV: the ranking); then the charts asked for.

    Raises:
        TableUnavailable: a table asked for does not apply to this appraisal.
        ChartUnavailable: likewise a chart.
    """
    if tables:
        chosen = [build_table(key, sens, appraisal) for key in tables]
    elif csv:
        chosen = [build_table("ranking", sens, appraisal)]
    else:
        chosen = applicable_tables(sens, appraisal)
    blocks: list[Block] = [TableBlock(t, n) for n, t in enumerate(chosen, 1)]
    if not tables and not csv and sens.monte_carlo_not_run:
        blocks.append(Para(wording.monte_carlo_not_run(sens.monte_carlo_not_run)))
    blocks += [figure(sens, key, n, criterion) for n, key in enumerate(charts or [], 1)]
    return Paper(
        title=provenance.title,
        blocks=tuple(blocks),
        illustrative=provenance.illustrative,
        provenance=provenance,
        provisional=provenance.provisional,
    )


def sidecar(target: Path) -> Path:
    """Where a CSV's provenance goes: ``NAME.provenance.json`` beside it."""
    return target.with_name(target.stem + ".provenance.json")


def check_target(target: Path, appraisal: Appraisal) -> None:
    """Refuse an output that is one of the appraisal's inputs (its YAML files, and the
    workbooks its costs are read from), or any YAML file inside the appraisal folder
    (where the next run would read it as input).

    Raises:
        OutputError: the output would replace or become an input.
    """
    from appraise.files.costing import cost_book

    resolved = target.resolve()
    inputs = {d.path.resolve() for d in appraisal.documents()}
    inputs |= {(appraisal.root / p).resolve() for p in cost_book(appraisal).workbooks}
    if resolved in inputs:
        raise OutputError(
            f"{target} is one of the appraisal's input files; it is never written",
            hint="choose another output file",
        )
    root = appraisal.root.resolve()
    if resolved.suffix.lower() in {".yaml", ".yml"} and resolved.is_relative_to(root):
        raise OutputError(
            f"{target} would be read as an input of the appraisal in {appraisal.root}",
            hint="write outputs outside the appraisal folder, or not as .yaml",
        )


def write_paper(target: Path, paper: Paper, appraisal: Appraisal) -> list[Path]:
    """Render ``paper`` in the format of ``target``'s suffix and write it (with the
    provenance beside a CSV), never over an input.

    Returns:
        The files written.
    """
    return write_papers([(target, paper)], appraisal)


def write_papers(papers: list[tuple[Path, Paper]], appraisal: Appraisal) -> list[Path]:
    """Render each paper in the format of its target's suffix and write them all in
    one step (all or none), never over an input.

    Returns:
        The files written.
    """
    files: dict[Path, bytes] = {}
    for target, paper in papers:
        suffix = target.suffix.lower()
        files[target] = render(paper, suffix)
        if suffix == ".csv" and paper.provenance is not None:
            from appraise.paper.formats.json import dumps

            files[sidecar(target)] = dumps(
                {"table": target.name, **paper.provenance.as_dict()}
            ).encode("utf-8")
    for path in files:
        check_target(path, appraisal)
    write_files_atomic(files)
    return list(files)


def write_chart(
    target: Path,
    sens: SensitivityResult,
    appraisal: Appraisal,
    key: str,
    criterion: str | None = None,
) -> list[Path]:
    """Draw chart ``key`` and write it as PNG or SVG (the target's suffix)."""
    from appraise.paper.charts import build_chart, render_chart

    chart = build_chart(sens, key, criterion=criterion)
    check_target(target, appraisal)
    write_files_atomic({target: render_chart(chart, target.suffix.lower()[1:])})
    return [target]
