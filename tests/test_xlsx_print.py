"""The workbook prints well: every sheet A4, one page wide, landscape when wide, the
header row (and label columns) on every page, the table's title above and page numbers
below, ranks and other numbers as numbers, and sheet names of whole words."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

import appraise
from appraise.paper import formats
from appraise.paper.export import export_paper
from appraise.paper.formats.xlsx import PORTRAIT_WIDTH, SHEET_NAME, _labels, _sheet_names
from appraise.paper.model import Column, Paper, Table, TableBlock, cell, table
from appraise.paper.numbers import POINTS, RANK
from appraise.paper.provenance import build_provenance
from conftest import REPO

FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Paper]:
    """The example's every table exported to a workbook, opened, with the paper it
    was made from (same settings, so the same tables in the same order)."""
    import openpyxl

    out = tmp_path_factory.mktemp("print") / "tables.xlsx"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        appraise.export(REPO, out, samples=2000, seed=7)
        appraisal = appraise.load(REPO)
        sens = appraise.sensitivity(appraisal, samples=2000, seed=7)
        paper = export_paper(sens, appraisal, build_provenance(appraisal, sens))
    wb = openpyxl.load_workbook(out)
    assert len(wb.worksheets) == len(paper.tables) + 1
    return wb, paper


def _sheets(exported: tuple[Any, Paper]) -> list[tuple[Any, Table]]:
    wb, paper = exported
    return list(zip(wb.worksheets[1:], paper.tables, strict=True))


def _width(ws: Any, columns: int) -> float:
    from openpyxl.utils import get_column_letter

    return float(
        sum(ws.column_dimensions[get_column_letter(k)].width for k in range(1, columns + 1))
    )


# --- page setup --------------------------------------------------------------------------


def test_every_sheet_is_a4_one_page_wide_and_centred(exported: tuple[Any, Paper]) -> None:
    wb, _ = exported
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages tall as needed
        assert ws.print_options.horizontalCentered, ws.title
        margins = ws.page_margins
        assert 0.25 <= margins.left <= 1, ws.title
        assert 0.25 <= margins.right <= 1, ws.title
        assert margins.top > margins.header, ws.title
        assert margins.bottom > margins.footer, ws.title


def test_a_sheet_is_landscape_when_wider_than_a_portrait_page(
    exported: tuple[Any, Paper],
) -> None:
    orientations = {}
    for ws, t in _sheets(exported):
        wide = _width(ws, len(t.columns)) > PORTRAIT_WIDTH
        orientations[t.key] = ws.page_setup.orientation
        assert ws.page_setup.orientation == ("landscape" if wide else "portrait"), t.key
        if len(t.columns) > 9:
            assert wide, t.key
    assert orientations["ranking"] == orientations["matrix"] == "landscape"
    assert orientations["scale"] == "portrait"
    wb, _ = exported
    assert wb["About"].page_setup.orientation == "landscape"  # 133 characters wide


def test_the_header_row_and_label_columns_print_on_every_page(
    exported: tuple[Any, Paper],
) -> None:
    from openpyxl.utils import get_column_letter

    for ws, t in _sheets(exported):
        assert ws.print_title_rows == "$1:$1", t.key  # the header row: nothing above it
        labels = _labels(t)
        if labels:
            assert ws.print_title_cols == f"$A:${get_column_letter(labels)}", t.key
        last = get_column_letter(len(t.columns))
        notes = 1 + len(t.notes)
        assert ws.print_area.endswith(f"!$A$1:${last}${ws.max_row}"), t.key
        assert ws.max_row >= len(t.rows) + 2 + notes, t.key  # the caption and notes in it
        assert ws.max_column == len(t.columns), t.key  # nothing to the right of the table


def test_the_caption_and_notes_wrap_within_the_table(exported: tuple[Any, Paper]) -> None:
    """A note runs across the table's columns and wraps there, with the height it
    needs, instead of running on past the printed page's right edge."""
    from openpyxl.utils import get_column_letter

    for ws, t in _sheets(exported):
        merged = {str(m) for m in ws.merged_cells.ranges}
        last = get_column_letter(len(t.columns))
        first = len(t.rows) + 3
        for n, note in enumerate((t.caption, *t.notes)):
            row = first + n
            assert ws.cell(row, 1).value == note, t.key
            assert ws.cell(row, 1).alignment.wrap_text, t.key
            if len(t.columns) > 1:
                assert f"A{row}:{last}{row}" in merged, t.key
            assert ws.row_dimensions[row].height >= 15, t.key


def test_every_page_has_the_title_and_page_numbers(exported: tuple[Any, Paper]) -> None:
    wb, paper = exported
    for ws in wb.worksheets:
        footer = ws.oddFooter
        assert "&P" in footer.right.text, ws.title
        assert "&N" in footer.right.text, ws.title
        assert footer.left.text == paper.title, ws.title
        assert ws.oddHeader.right.text == "&BILLUSTRATIVE&B", ws.title  # the example is
    for ws, t in _sheets(exported):
        assert t.title in ws.oddHeader.left.text, t.key  # the full title, never cut


# --- numbers -----------------------------------------------------------------------------


def test_ranks_are_whole_numbers(exported: tuple[Any, Paper]) -> None:
    seen = 0
    for ws, t in _sheets(exported):
        for k, column in enumerate(t.columns, start=1):
            if column.quantity is not RANK:
                continue
            for r, row in enumerate(t.rows, start=2):
                value = ws.cell(r, k).value
                c = row.cells[k - 1]
                if c.value is None:
                    assert value == c.blank, (t.key, column.name)  # – : not ranked
                    continue
                assert type(value) is int, (t.key, column.name, value)
                assert ws.cell(r, k).data_type == "n", (t.key, column.name)
                assert ws.cell(r, k).number_format == "0", (t.key, column.name)
                seen += 1
    assert seen > 20


def test_every_number_is_a_number_and_text_stays_text(exported: tuple[Any, Paper]) -> None:
    for ws, t in _sheets(exported):
        for r, row in enumerate(t.rows, start=2):
            for k, c in enumerate(row.cells, start=1):
                got = ws.cell(r, k)
                if isinstance(c.value, str) and c.value:
                    assert got.value == c.value, (t.key, r, k)
                    assert got.data_type == "s", (t.key, r, k)
                elif c.is_number and abs(float(c.value)) != float("inf"):  # type: ignore[arg-type]
                    assert isinstance(got.value, int | float), (t.key, r, k, got.value)


def _one_table(t: Table, title: str = "Tied") -> Any:
    import openpyxl

    paper = Paper(title, (TableBlock(t, 1),))
    return openpyxl.load_workbook(io.BytesIO(formats.render(paper, ".xlsx")))


def test_a_tied_rank_is_a_shaded_number_and_number_like_text_is_text() -> None:
    t = table(
        "tied",
        "Tied ranking",
        "Two options tie for first.",
        [
            Column("Rank", RANK),
            Column("Option", wide=True),
            Column("Code"),
            Column("Total", POINTS),
        ],
        [
            [cell(1, RANK, mark="="), cell("Alpha"), cell("007"), cell(10.0)],
            [cell(1, RANK, mark="="), cell("Beta"), cell("1,000"), cell(10.0)],
            [cell(3, RANK), cell("Gamma"), cell("2"), cell(9.0)],
            [cell(None, blank="–"), cell("Delta"), cell("1e3"), cell(8.0)],
        ],
    )
    ws = _one_table(t).worksheets[1]
    for r in (2, 3):
        assert ws.cell(r, 1).value == 1
        assert type(ws.cell(r, 1).value) is int
        assert ws.cell(r, 1).number_format == "0"
        assert ws.cell(r, 1).fill.fgColor.rgb.endswith("FFF2CC")  # shaded: the = mark
    assert ws.cell(4, 1).value == 3
    assert ws.cell(4, 1).fill.fill_type is None
    assert ws.cell(5, 1).value == "–"
    assert [ws.cell(r, 3).value for r in range(2, 6)] == ["007", "1,000", "2", "1e3"]
    assert all(ws.cell(r, 3).data_type == "s" for r in range(2, 6))
    notes = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1)]
    assert notes == [
        "Two options tie for first.",
        "Shaded: a number the other formats mark (= a tied rank).",
    ]


def test_an_ampersand_in_a_title_prints_as_itself() -> None:
    t = table("rd", "R&D costs", "Costs.", [Column("Item"), Column("Cost", POINTS)], [])
    ws = _one_table(t, "R&D appraisal").worksheets[1]
    assert ws.oddFooter.left.text == "R&&D appraisal"  # && is Excel's literal &
    assert ws.oddHeader.left.text == "&BR&&D costs&B"
    assert ws.title == "R&D costs"


# --- sheet names -------------------------------------------------------------------------


def _is_whole_words(name: str, t: Table) -> bool:
    """``name`` (less a `` 2`` suffix) is the table's key or its title's first words."""
    base = re.sub(r" \d+$", "", name)
    if base == t.key:
        return True
    words = base.split()
    return words == FORBIDDEN.sub(" ", t.title).split()[: len(words)]


def test_sheet_names_are_whole_words_unique_and_fit(exported: tuple[Any, Paper]) -> None:
    wb, _ = exported
    names = wb.sheetnames
    assert len({n.casefold() for n in names}) == len(names)
    for ws, t in _sheets(exported):
        name = ws.title
        assert len(name) <= SHEET_NAME, name
        assert not FORBIDDEN.search(name), name
        assert _is_whole_words(name, t), (name, t.title)
    assert "Monte Carlo rank acceptability" in names  # 30 characters: not cut to 28


def test_the_about_sheet_gives_every_sheet_its_tables_full_title(
    exported: tuple[Any, Paper],
) -> None:
    wb, paper = exported
    about = [[c.value for c in row] for row in wb["About"].iter_rows()]
    assert ["Sheet", "Table: what it shows"] in about
    for ws, t in _sheets(exported):
        assert [ws.title, f"{t.title}: {t.caption}"] in about, t.key
    assert wb["About"].cell(1, 1).value == paper.title
    assert wb["About"].cell(1, 2).value is None  # so the title runs on, not cut off


def _named(*titles: str) -> list[str]:
    tables = [Table(f"table_{k}", title, "", (Column("A"),), ()) for k, title in enumerate(titles)]
    return list(_sheet_names(tables))


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Ranking", "Ranking"),
        ("Monte Carlo: rank acceptability", "Monte Carlo rank acceptability"),
        ("Monte Carlo summary: first place, intervals and confidence", "Monte Carlo summary"),
        ("Options and the long-list filter", "Options and the long-list"),
        ("Tornado – CFT's margin over the best other option", "Tornado"),
        ("Costs [£k] / benefit? *all* \\ options", "Costs £k benefit all options"),
        ("Extraordinarily-long-hyphenated-compound-words", "table_0"),
        ("Extraordinarily-long-hyphenated-compound-words: and more", "table_0"),
        ("'Quoted' options", "Quoted' options"),
        ("   ", "table_0"),
    ],
)
def test_a_sheet_name_is_whole_words_of_the_title(title: str, name: str) -> None:
    assert _named(title) == [name]


def test_a_repeated_name_drops_words_to_make_room_for_its_number() -> None:
    names = _named(
        "Monte Carlo rank acceptability",
        "Monte Carlo: rank acceptability",
        "monte carlo rank acceptability",
        "About",
        "History",
        "Ranking",
        "RANKING",
    )
    assert names == [
        "Monte Carlo rank acceptability",
        "Monte Carlo rank 2",
        "monte carlo rank 3",
        "About 2",  # the About sheet is first
        "History 2",  # a name Excel keeps for itself
        "Ranking",
        "RANKING 2",
    ]
    assert all(len(n) <= SHEET_NAME for n in names)


def test_every_sheet_of_a_one_table_export_prints_well(tmp_path: Path) -> None:
    """``--table`` gives one sheet, set up the same way."""
    import openpyxl

    out = tmp_path / "ranking.xlsx"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        appraise.export(REPO, out, tables=["ranking"], samples=0)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["About", "Ranking"]
    ws = wb["Ranking"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_title_cols == "$A:$C"
    assert ws.freeze_panes == "D2"
