"""``appraise export`` and ``appraise report``: from an analysis to a file on disk.

The format comes from the output file's suffix. The output is made in memory first and
written in one step (:func:`appraise.atomic.write_bytes_atomic`), so a failure leaves
the old file as it was; an output that would replace one of the appraisal's own input
files is refused.
"""

from __future__ import annotations

from pathlib import Path

from appraise.analysis.sensitivity import SensitivityResult
from appraise.atomic import OutputError, write_bytes_atomic
from appraise.files.loading import Appraisal
from appraise.paper.legacy_tables import TABLES
from appraise.paper.provenance import input_paths
from appraise.paper.writers import (
    Figure,
    Paper,
    to_csv,
    to_docx,
    to_html,
    to_json,
    to_markdown,
    to_tex,
    to_xlsx,
)

__all__ = [
    "CHART_FORMATS",
    "REPORT_FORMATS",
    "TABLE_FORMATS",
    "render_paper",
    "write_output",
]

TABLE_FORMATS = (".csv", ".md", ".html", ".xlsx", ".docx", ".json", ".tex")
CHART_FORMATS = (".png", ".svg")
REPORT_FORMATS = (".html", ".docx")


def figure(sens: SensitivityResult, key: str, number: int, criterion: str | None = None) -> Figure:
    """Chart ``key`` as a figure block (PNG, and SVG for HTML)."""
    from appraise.paper.charts import build_chart, render

    chart = build_chart(sens, key, criterion=criterion)
    return Figure(
        key=chart.key,
        title=chart.title,
        alt=chart.alt,
        png=render(chart, "png"),
        number=number,
    )


def render_paper(paper: Paper, suffix: str) -> bytes:
    """The paper in the format of ``suffix`` (``.html``, ``.docx``...)."""
    writers = {
        ".csv": to_csv,
        ".md": to_markdown,
        ".html": to_html,
        ".json": to_json,
        ".tex": to_tex,
    }
    if suffix in writers:
        return writers[suffix](paper).encode("utf-8")
    if suffix == ".xlsx":
        return to_xlsx(paper)
    if suffix == ".docx":
        return to_docx(paper)
    raise ValueError(f"no writer for {suffix}")


def check_target(target: Path, appraisal: Appraisal) -> None:
    """Refuse an output that is one of the appraisal's inputs, or any YAML file inside
    the appraisal folder (where the next run would read it as input)."""
    resolved = target.resolve()
    inputs = {p.resolve() for p in input_paths(appraisal)}
    if resolved in inputs:
        raise OutputError(f"{target} is one of the appraisal's input files; it is never written")
    root = appraisal.root.resolve()
    if resolved.suffix.lower() in {".yaml", ".yml"} and resolved.is_relative_to(root):
        raise OutputError(
            f"{target} would be read as an input of the appraisal in {appraisal.root}"
        )


def write_output(target: Path, data: bytes, appraisal: Appraisal) -> None:
    """Write an output file in one step, never over an input."""
    check_target(target, appraisal)
    write_bytes_atomic(target, data, overwrite=True)


def default_tables(suffix: str) -> tuple[str, ...]:
    """What ``export`` writes when no ``--table`` is given: CSV holds one table."""
    return ("ranking",) if suffix == ".csv" else TABLES
