"""Excel: an About sheet (title, banner, provenance, each sheet's name beside its
table's full title, the input files), then a sheet per table with numbers as numbers,
formatted to show what every other format shows, the header row frozen and widths set.

Every sheet prints as it should: A4, one page wide and as many tall as it needs,
horizontally centred; landscape when its columns are wider than a portrait page holds
at full size (:data:`PORTRAIT_WIDTH`), portrait otherwise; the header row (and the
label columns) repeated on every page; the table's title in the page header, the
paper's title and "Page n of m" in the footer; the print area the table and its notes.

Why:
    A board paper is printed. With a spreadsheet's defaults a wide table prints across
    several portrait pages, with no headings after the first page, no page numbers and
    its notes cut off at the right edge; and a sheet name cut to 28 characters ("Monte
    Carlo rank acceptabili") read as a typo. A sheet name is now whole words of the
    table's title, and the About sheet gives every sheet's table its full title.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from appraise.paper.formats.escape import FORMULA_STARTS, xml_safe
from appraise.paper.formats.office import fix_zip_times, need, stamp
from appraise.paper.model import Paper, Table, show
from appraise.paper.numbers import Quantity, rounded, significant
from appraise.paper.wording import BANNER

__all__ = ["LINE", "render", "text_cell", "wrapped_lines"]

SHEET_NAME = 31
"""The longest sheet name Excel takes."""
PORTRAIT_WIDTH = 95
"""The column width (in characters) an A4 portrait page holds at full size between its
margins; a sheet wider than this is printed landscape."""
_NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\]")
_BREAK = re.compile(r"\s*:\s*|\s+[–—-]\s+")
_RESERVED = {"about", "history"}  # ours, and one Excel keeps for itself
_MARKS = {"*": "flagged for moderation", "=": "a tied rank"}


def _name_words(text: str) -> list[str]:
    """The words of ``text`` once the characters a sheet name cannot hold are spaces."""
    return _NOT_IN_NAMES.sub(" ", xml_safe(text)).split()


def _clean(words: list[str]) -> str:
    """Words joined as a sheet name, which cannot begin or end with an apostrophe."""
    return " ".join(words).strip("' ")


def _fit(words: list[str], room: int) -> str:
    """As many leading whole words as fit in ``room`` characters."""
    best = ""
    for n in range(1, len(words) + 1):
        name = _clean(words[:n])
        if len(name) > room:
            break
        best = name
    return best


def _sheet_names(tables: list[Table]) -> Iterator[str]:
    """A sheet name for each table: its whole title if it fits in 31 characters, else
    the part before a colon or dash (``Monte Carlo summary``), else the part before an
    aside in brackets (``Cost profile by year``), else as many leading whole
    words as fit; never part of a word. A title with no word that fits gives the
    table's key. A name already used (case aside) gets `` 2``, `` 3``..., with words
    dropped to make room."""
    used = set(_RESERVED)
    for t in tables:
        words = _name_words(t.title)
        head = _name_words(_BREAK.split(t.title, maxsplit=1)[0])
        bare = _name_words(t.title.split(" (", 1)[0])
        if len(_clean(words)) <= SHEET_NAME:
            chosen = words
        elif head and len(_clean(head)) <= SHEET_NAME:
            chosen = head
        elif bare and len(_clean(bare)) <= SHEET_NAME:
            chosen = bare  # a title's closing aside dropped whole: `Cost profile by year`
        else:
            chosen = words
        key = _NOT_IN_NAMES.sub("_", t.key)
        name = _fit(chosen, SHEET_NAME) or key[:SHEET_NAME]
        k = 2
        while name.casefold() in used:
            suffix = f" {k}"
            room = SHEET_NAME - len(suffix)
            name = (_fit(chosen, room) or key[:room]) + suffix
            k += 1
        used.add(name.casefold())
        yield name


def stored(x: float, quantity: Quantity | None) -> float:
    """The value written for ``x``: its 12 significant digits, adjusted where a
    spreadsheet would otherwise show other digits than every other format.

    Why:
        A value that shows as zero is stored as 0, or Excel shows ``-0.0`` (a negative)
        or ``+0%`` (a signed quantity) where the rest show ``0.0`` and ``0%``. And a
        percentage is shown by multiplying by 100 in binary: 0.1205 becomes
        12.049999…, which LibreOffice rounds to 12.0% while the decimal rule says
        12.1%; such a value is nudged a few parts in 10^13 towards the way it rounds.
    """
    v = significant(x)
    if quantity is None:
        return v
    shown = rounded(v, quantity)
    if shown == 0:
        return 0.0
    if quantity.percent:
        step = Decimal(1).scaleb(-quantity.places)
        binary = Decimal(repr(v * 100)).quantize(step, rounding=ROUND_HALF_UP)
        if binary != shown:
            v = math.copysign(abs(v) * (1 + 5e-13), v)
    return v


def _labels(t: Table) -> int:
    """How many leading columns label a row (kept in view when scrolling right): up to
    the first wide text column among the first three, else the first text column."""
    for k, column in enumerate(t.columns[:3]):
        if column.wide and not column.numeric:
            return k + 1
    return 0 if t.columns[0].numeric else 1


def text_cell(cell: Any, text: str) -> None:
    """A text cell that Excel shows as written and never runs as a formula."""
    text = xml_safe(text)
    cell.value = text
    cell.data_type = "s"
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _widths(t: Table) -> list[int]:
    """Each column's width in characters: its longest text, within limits, and room for
    the longest word of its heading (in bold), so no heading breaks inside a word."""
    widths = []
    for k, column in enumerate(t.columns):
        longest = max([len(t.text(r, k)) for r in range(len(t.rows))] + [len(column.name) // 2 + 2])
        word = max((len(w) for w in column.name.split()), default=0) + 3
        widths.append(min(max(longest + 2, 8, word), 60 if column.wide else 24))
    return widths


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (word by
    word, a character of width taken as 1.2 characters of text less a margin), for the
    row's height."""
    room = max(int(width * 1.2) - 1, 4)
    lines = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= room:
                used += 1 + len(word)
                continue
            if used:
                count += 1
            pieces = max(math.ceil(len(word) / room), 1)  # a word longer than a line
            count += pieces - 1
            used = len(word) - (pieces - 1) * room
        lines += count
    return max(lines, 1)


LINE = 15
"""The height of one line of 11 point text, in points."""


def _header_text(text: str, longest: int = 100) -> str:
    """Text for a page header or footer: Excel's ``&`` codes escaped, at most
    ``longest`` characters (whole words, then an ellipsis)."""
    text = " ".join(xml_safe(text).split())
    if len(text) > longest:
        cut = text[: longest - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return text.replace("&", "&&")


def _print_setup(ws: Any, width: int, title: str, paper: Paper) -> None:
    """A4, one page wide, landscape when ``width`` (characters) is more than a portrait
    page holds, centred, with the title and page numbers on every page."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wide = width > PORTRAIT_WIDTH
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if wide else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(
        left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3
    )
    ws.print_options.horizontalCentered = True
    for part in (ws.oddHeader, ws.oddFooter):
        for side in (part.left, part.center, part.right):
            side.size = 9
    ws.oddHeader.left.text = "&B" + _header_text(title) + "&B"
    marks = " · ".join(
        m
        for m, on in (("ILLUSTRATIVE", paper.illustrative), ("PROVISIONAL", paper.provisional))
        if on
    )
    if marks:
        ws.oddHeader.right.text = f"&B{marks}&B"
        ws.oddHeader.right.color = "B00020"
    ws.oddFooter.left.text = _header_text(paper.title)
    running = getattr(paper, "running", "")  # the paper's reference and status, if any
    if running:
        ws.oddFooter.center.text = _header_text(running)
    ws.oddFooter.right.text = "Page &P of &N"


def _note_rows(ws: Any, first: int, notes: tuple[str, ...], widths: list[int]) -> None:
    """The caption and notes under a table, each across the table's columns and wrapped,
    so nothing runs past the printed page's right edge."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    span = sum(widths)
    last = get_column_letter(len(widths))
    for n, note in enumerate(notes):
        row = first + n
        cell = ws.cell(row=row, column=1)
        text_cell(cell, note)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(widths) > 1:
            ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = LINE * wrapped_lines(note, span)


def render(paper: Paper) -> bytes:
    """The paper's tables as a workbook.

    A number is written to 12 significant digits (the decimal it stands for) with the
    number format of its quantity, so Excel and LibreOffice show the digits the other
    formats show; a rank is a whole number like any other. A marked cell (flagged for
    moderation ``*``, a tied rank ``=``) is shaded instead of carrying its mark, and a
    note under the table says what the shading means. Text is always text, even where
    it looks like a number. Rows of wrapped text are given the height they need (an
    estimate that errs on the tall side), as LibreOffice does not measure them when it
    opens a file and would print the lines over each other.
    """
    openpyxl = need("openpyxl", "office", "Excel output")
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    about = wb.active
    about.title = "About"
    bold = Font(name="Calibri", size=11, bold=True)
    prov = paper.provenance
    rows: list[tuple[str, str]] = [(paper.title, "")]
    if paper.illustrative:
        rows.append(("ILLUSTRATIVE", BANNER))
    if paper.provisional:
        rows.append(("PROVISIONAL", paper.provisional))
    if prov is not None:
        rows += [("", ""), *prov.summary()]
    rows += [("", ""), ("Sheet", "Table: what it shows")]
    headings = [len(rows)]
    names = list(_sheet_names(paper.tables))
    rows += [(n, f"{t.title}: {t.caption}") for n, t in zip(names, paper.tables, strict=True)]
    if prov is not None:
        rows += [("", ""), ("Input file", "SHA-256")]
        headings.append(len(rows))
        rows += list(prov.inputs)
    about_widths = (33, 100)
    top = Alignment(wrap_text=True, vertical="top")
    for r, (a, b) in enumerate(rows, start=1):
        for k, text in enumerate((a, b), start=1):
            if text:  # an empty string would stop the title running on into column B
                text_cell(about.cell(row=r, column=k), text)
                about.cell(row=r, column=k).alignment = top if r > 1 else Alignment()
        lines = max(wrapped_lines(a, about_widths[0]), wrapped_lines(b, about_widths[1]))
        if r > 1 and lines > 1:
            about.row_dimensions[r].height = LINE * lines
    about.cell(row=1, column=1).font = Font(name="Calibri", bold=True, size=14)
    about.row_dimensions[1].height = 20
    for r in headings:
        about.cell(row=r, column=1).font = bold
        about.cell(row=r, column=2).font = bold
    banners = int(paper.illustrative) + int(bool(paper.provisional))
    for r in range(2, 2 + banners):
        about.cell(row=r, column=1).font = Font(name="Calibri", bold=True, color="B00020")
        about.cell(row=r, column=2).font = Font(name="Calibri", bold=True, color="B00020")
    about.column_dimensions["A"].width = about_widths[0]
    about.column_dimensions["B"].width = about_widths[1]
    _print_setup(about, sum(about_widths), "About this workbook", paper)
    about.print_area = f"A1:B{len(rows)}"
    fill = PatternFill("solid", fgColor="E8E8E8")
    marked = PatternFill("solid", fgColor="FFF2CC")
    line = Side(style="thin", color="BFBFBF")
    grid = Border(left=line, right=line, top=line, bottom=line)
    heading = Border(left=line, right=line, top=line, bottom=Side(style="thin", color="000000"))
    for name, t in zip(names, paper.tables, strict=True):
        ws = wb.create_sheet(name)
        widths = _widths(t)
        for k, column in enumerate(t.columns, start=1):
            cell = ws.cell(row=1, column=k)
            text_cell(cell, column.name)
            cell.font = bold
            cell.fill = fill
            cell.border = heading
            cell.alignment = Alignment(
                horizontal="right" if column.numeric else None, wrap_text=True, vertical="top"
            )
        lines = max(wrapped_lines(c.name, w) for c, w in zip(t.columns, widths, strict=True))
        if lines > 1:
            ws.row_dimensions[1].height = LINE * lines
        marks: set[str] = set()
        for r, row in enumerate(t.rows, start=2):
            lines = 1
            for k, (value, column) in enumerate(zip(row.cells, t.columns, strict=True), start=1):
                cell = ws.cell(row=r, column=k)
                cell.border = grid
                cell.alignment = Alignment(vertical="top")
                if row.style in ("leader", "group"):
                    cell.font = bold
                if isinstance(value.value, str):
                    text_cell(cell, value.value)
                    if column.wide or len(value.value) > widths[k - 1] - 2:  # else cut off
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                        lines = max(lines, wrapped_lines(value.value, widths[k - 1]))
                elif value.value is None:
                    if value.blank:
                        text_cell(cell, value.blank)
                        cell.alignment = Alignment(horizontal="right", vertical="top")
                else:
                    x = float(value.value)
                    quantity = value.quantity or column.quantity
                    if x != x or x in (float("inf"), float("-inf")):
                        text_cell(cell, show(value, column))
                        cell.alignment = Alignment(horizontal="right", vertical="top")
                        continue
                    if isinstance(value.value, int):
                        cell.value = value.value
                    else:
                        cell.value = stored(x, quantity)
                    if quantity is not None:
                        cell.number_format = quantity.excel_format(x)
                    if value.mark:
                        cell.fill = marked
                        marks.add(value.mark.strip())
            if lines > 1:
                ws.row_dimensions[r].height = LINE * lines
        notes = (t.caption, *t.notes)
        if marks:
            said = "; ".join(f"{m} {_MARKS[m]}" if m in _MARKS else m for m in sorted(marks))
            notes += (f"Shaded: a number the other formats mark ({said}).",)
        below = len(t.rows) + 3
        _note_rows(ws, below, notes, widths)
        labels = _labels(t)
        ws.freeze_panes = f"{get_column_letter(labels + 1)}2"
        for k, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(k)].width = width
        ws.sheet_view.zoomScale = 100
        _print_setup(ws, sum(widths), t.title, paper)
        ws.print_title_rows = "1:1"
        if labels:
            ws.print_title_cols = f"A:{get_column_letter(labels)}"
        ws.print_area = f"A1:{get_column_letter(len(t.columns))}{below + len(notes) - 1}"
    wb.properties.creator = prov.tool if prov is not None else "appraise"
    wb.properties.title = xml_safe(paper.title)
    when = stamp(paper)
    wb.properties.created = when
    wb.properties.modified = when
    out = io.BytesIO()
    wb.save(out)
    return fix_zip_times(out.getvalue(), when)
