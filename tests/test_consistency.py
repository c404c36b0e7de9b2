"""The same number shows the same digits in every format.

Every table of the example (every table ``export`` knows that applies) is rendered
through every format, and each cell read back from what was written: the terminal's
Rich tables, CSV, Markdown, HTML, Excel, Word, LaTeX and JSON. Numbers written raw
(CSV, JSON, Excel) must round, by the one rule, to the digits the text formats show;
Excel's number format must be the quantity's; and the report's sentences must quote
the tables' digits. ``test_libreoffice_shows_the_same_digits`` then has a real
spreadsheet program show the workbook.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import appraise
from appraise.analysis.sensitivity import SensitivityResult
from appraise.files.loading import Appraisal
from appraise.paper import formats
from appraise.paper.export import export_paper
from appraise.paper.formats import csv as csv_format
from appraise.paper.model import Cell, Column, Paper, Table
from appraise.paper.numbers import POINTS, PROBABILITY, format_number
from appraise.paper.provenance import build_provenance
from appraise.paper.report import build_report, summary_sentences
from appraise.terminal.render import render_table
from conftest import REPO

SAMPLES = 2_000
SEED = 7


@pytest.fixture(scope="module")
def analysed() -> tuple[Appraisal, SensitivityResult]:
    appraisal = appraise.load(REPO)
    return appraisal, appraise.sensitivity(appraisal, samples=SAMPLES, seed=SEED)


@pytest.fixture(scope="module")
def paper(analysed: tuple[Appraisal, SensitivityResult]) -> Paper:
    appraisal, sens = analysed
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    return export_paper(sens, appraisal, build_provenance(appraisal, sens))


def _quantity(c: Cell, column: Column):  # type: ignore[no-untyped-def]
    return c.quantity or column.quantity


def _numbers(t: Table) -> list[tuple[int, int, str]]:
    """(row, column, shown) for every numeric cell."""
    return [
        (r, k, t.text(r, k))
        for r, row in enumerate(t.rows)
        for k, c in enumerate(row.cells)
        if c.is_number
    ]


def test_every_table_of_the_example_is_in_the_paper(paper: Paper) -> None:
    keys = [t.key for t in paper.tables]
    assert len(keys) >= 20, keys
    for key in ("ranking", "matrix", "vfm", "acceptability", "tornado", "rationale"):
        assert key in keys


# --- text formats: read the cells back -------------------------------------------------


def _md_tables(text: str) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("### Table "):
            current = []
            tables.append(current)
        elif line.startswith("|") and current is not None:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            current.append([re.sub(r"\\(.)", r"\1", c) for c in cells])
    return [t[2:] for t in tables]  # header and separator rows dropped


class _Html(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.inside = any(k == "id" for k, _ in attrs)  # the paper's tables only
            if self.inside:
                self.tables.append([])
        elif tag == "tr" and self.inside:
            self.tables[-1].append([])
        elif tag == "td" and self.inside:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _html_tables(text: str) -> list[list[list[str]]]:
    parser = _Html()
    parser.feed(text)
    return [[row for row in t if row] for t in parser.tables]


def _tex_tables(text: str) -> list[list[list[str]]]:
    out = []
    for body in re.findall(r"\\endhead\n(.*?)\\bottomrule", text, flags=re.S):
        rows = []
        for line in body.splitlines():
            cells = re.split(r"(?<!\\)&", line.removesuffix(r" \\"))
            rows.append([c.strip().replace(r"\%", "%") for c in cells])
        out.append(rows)
    return out


@pytest.mark.parametrize("suffix", [".md", ".html", ".tex"])
def test_text_formats_show_the_tables_digits(paper: Paper, suffix: str) -> None:
    text = formats.render(paper, suffix).decode("utf-8")
    read = {".md": _md_tables, ".html": _html_tables, ".tex": _tex_tables}[suffix](text)
    assert len(read) == len(paper.tables)
    for t, rows in zip(paper.tables, read, strict=True):
        assert len(rows) == len(t.rows), t.key
        for r, k, shown in _numbers(t):
            assert rows[r][k] == shown, (suffix, t.key, r, t.columns[k].name)


def test_word_shows_the_tables_digits(paper: Paper) -> None:
    import docx

    document = docx.Document(io.BytesIO(formats.render(paper, ".docx")))
    tables = document.tables[: len(paper.tables)]  # the provenance table comes last
    for t, word in zip(paper.tables, tables, strict=True):
        assert len(word.rows) == len(t.rows) + 1, t.key
        for r, k, shown in _numbers(t):
            assert word.rows[r + 1].cells[k].text == shown, (t.key, r, t.columns[k].name)


def test_the_terminal_shows_the_tables_digits(paper: Paper) -> None:
    for t in paper.tables:
        parts = render_table(t, width=10_000)
        rich = parts[0]
        visible = [k for k, c in enumerate(t.columns) if c.terminal]
        columns = {k: rich.columns[j] for j, k in enumerate(visible)}  # type: ignore[attr-defined]
        for r, k, shown in _numbers(t):
            if k in columns:
                assert list(columns[k].cells)[r] == shown, (t.key, r, t.columns[k].name)


# --- raw formats: the numbers round to the same digits ----------------------------------


def test_csv_numbers_round_to_the_shown_digits(paper: Paper) -> None:
    for t in paper.tables:
        rows = list(csv.reader(io.StringIO(csv_format.table_text(t))))[1:]
        for r, k, shown in _numbers(t):
            c, column = t.rows[r].cells[k], t.columns[k]
            raw = float(rows[r][k])
            assert format_number(raw, _quantity(c, column)) + c.mark == shown, t.key


def test_json_numbers_round_to_the_shown_digits(paper: Paper) -> None:
    payload = json.loads(formats.render(paper, ".json"))
    for t, data in zip(paper.tables, payload["tables"], strict=True):
        assert data["key"] == t.key
        for r, k, shown in _numbers(t):
            c, column = t.rows[r].cells[k], t.columns[k]
            raw = data["rows"][r][k]
            assert format_number(raw, _quantity(c, column)) + c.mark == shown, t.key


def test_excel_numbers_and_formats_show_the_same_digits(paper: Paper) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(formats.render(paper, ".xlsx")))
    sheets = wb.worksheets[1:]
    assert len(sheets) == len(paper.tables)
    for t, ws in zip(paper.tables, sheets, strict=True):
        for r, k, shown in _numbers(t):
            c, column = t.rows[r].cells[k], t.columns[k]
            cell = ws.cell(row=r + 2, column=k + 1)
            if shown in ("∞", "-∞"):
                assert cell.value == shown
                continue
            q = _quantity(c, column)
            assert isinstance(cell.value, int | float), (t.key, r, k)
            assert format_number(cell.value, q) + c.mark == shown, (t.key, r, column.name)
            assert cell.number_format == q.excel_format(cell.value), (t.key, column.name)


# --- what the issue found, pinned --------------------------------------------------------


def test_the_example_reconciles(
    paper: Paper, analysed: tuple[Appraisal, SensitivityResult]
) -> None:
    """447.25 is 447.3 everywhere; the lead is 11.0 in the summary and the tables; the
    report and the workbook quote the same P(first); scenarios counted one way."""
    _, sens = analysed
    ranking = next(t for t in paper.tables if t.key == "ranking")
    baseline = next(r for r, row in enumerate(ranking.rows) if row.cells[1].value == "BAU")
    assert ranking.text(baseline, 3) == "447.3"
    for suffix in (".md", ".html", ".tex"):
        text = formats.render(paper, suffix).decode("utf-8")
        assert "447.3" in text
        assert "447.2" not in text
    summary = " ".join(summary_sentences(sens))
    assert f"{format_number(sens.margin, POINTS)} points" in summary
    assert ranking.text(0, 6) == format_number(sens.margin, POINTS) == "11.0"
    mc = sens.monte_carlo
    assert mc is not None
    first = format_number(mc.result.best[mc.options.index(sens.leader)], PROBABILITY)
    assert f"comes first in {first} of them" in summary
    montecarlo = next(t for t in paper.tables if t.key == "montecarlo")
    assert montecarlo.text(0, 1) == first
    led, of = sens.scenarios_led()
    scenarios = next(t for t in paper.tables if t.key == "scenarios")
    assert any(f"is first in {led} of {of} alternative scenarios." in n for n in scenarios.notes)
    assert f"first in {led} of {of} alternative scenarios" in summary


def test_the_report_quotes_the_tables(analysed: tuple[Appraisal, SensitivityResult]) -> None:
    appraisal, sens = analysed
    report = build_report(sens, appraisal, build_provenance(appraisal, sens), charts=False)
    page = formats.render(report, ".html").decode("utf-8")
    tables = _html_tables(page)
    assert len(tables) == len(report.tables)
    for t, rows in zip(report.tables, tables, strict=True):
        for r, k, shown in _numbers(t):
            assert rows[r][k] == shown, (t.key, r)
    assert "447.3" in page
    assert "447.2" not in page


def test_every_ranking_row_adds_up_or_says_why(paper: Paper) -> None:
    """Where the rounded group subtotals do not add to the rounded total, a note says
    so and names the rows (CT and CIC on the example)."""
    from decimal import Decimal

    from appraise.paper.numbers import rounded

    ranking = next(t for t in paper.tables if t.key == "ranking")
    off = []
    for row in ranking.rows:
        total, parts = row.cells[3], row.cells[4:6]
        if not total.is_number:
            continue
        shown = sum((rounded(float(p.value), POINTS) for p in parts), Decimal(0))  # type: ignore[arg-type]
        if shown != rounded(float(total.value), POINTS):  # type: ignore[arg-type]
            off.append(row.cells[1].value)
    assert off == ["CT", "CIC"]
    note = next(n for n in ranking.notes if n.startswith("Figures are rounded separately"))
    assert "CT and CIC" in note


# --- a real spreadsheet program ----------------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _awkward() -> Paper:
    """A table of the values where a spreadsheet's own arithmetic could show other
    digits: every half-way share (k/2000 as a percentage to 1 place), half-way points,
    and small signed values that round to zero."""
    from appraise.paper.model import Row, Table, TableBlock, cell
    from appraise.paper.numbers import COST_CHANGE, SCORE_CHANGE, SHARE, WEIGHT

    columns = (
        Column("Share", PROBABILITY),
        Column("Points", POINTS),
        Column("Change", SCORE_CHANGE),
        Column("Cost change", COST_CHANGE),
        Column("Percent", SHARE),
        Column("Weight", WEIGHT),
    )
    rows = []
    for k in range(2001):
        rows.append(
            Row(
                (
                    cell(k / 2000),
                    cell((k - 1000) / 20 + 0.05),
                    cell((k - 1000) / 400),
                    cell((k - 1000) / 300_000),
                    cell((k - 1000) / 40),
                    cell(k / 400),
                )
            )
        )
    t = Table("awkward", "Awkward values", "Half-way values.", columns, tuple(rows))
    return Paper("Awkward", (TableBlock(t, 1),))


@pytest.mark.skipif(
    _soffice() is None and not os.environ.get("APPRAISE_REQUIRE_LIBREOFFICE"),
    reason="LibreOffice is not installed (CI installs it)",
)
@pytest.mark.parametrize("which", ["example", "awkward"])
def test_libreoffice_shows_the_same_digits(paper: Paper, tmp_path: Path, which: str) -> None:
    """LibreOffice opens the workbook and prints every sheet as shown: each number
    appears with the digits every other format shows (the example's tables, and a table
    of half-way values where binary arithmetic would tip the other way)."""
    if which == "awkward":
        paper = _awkward()
    exe = _soffice()
    assert exe is not None, "APPRAISE_REQUIRE_LIBREOFFICE is set but soffice is missing"
    book = tmp_path / "tables.xlsx"
    book.write_bytes(formats.render(paper, ".xlsx"))
    # CSV filter options: comma, double quote, UTF-8, first line 1, no cell formats,
    # language, quoted text, detect numbers, *save as shown*, ..., every sheet (-1)
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,true,true,true,false,false,-1"
    subprocess.run(
        [exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         target, "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheets = sorted(tmp_path.glob("tables-*.csv"))
    shown_sheets = {p.stem.removeprefix("tables-"): p for p in sheets}
    assert len(shown_sheets) == len(paper.tables) + 1, sorted(shown_sheets)
    import openpyxl

    names = openpyxl.load_workbook(book).sheetnames[1:]
    for t, name in zip(paper.tables, names, strict=True):
        path = shown_sheets[name]
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))[1:]
        for r, k, shown in _numbers(t):
            plain = shown.removesuffix(t.rows[r].cells[k].mark)  # Excel shades marks
            assert rows[r][k] == plain, (t.key, r, t.columns[k].name, rows[r][k])
