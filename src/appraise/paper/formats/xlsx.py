"""Excel: an About sheet (title, banner, provenance, the tables, the input files), then
a sheet per table with numbers as numbers, formatted to show what every other format
shows, the header row frozen and widths set."""

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

__all__ = ["render"]


def _sheet_names(tables: list[Table]) -> Iterator[str]:
    used = {"about"}
    for t in tables:
        base = " ".join(re.sub(r"[\[\]:*?/\\]", " ", t.title).split())[:28].strip() or t.key
        name, k = base, 2
        while name.casefold() in used:
            name = f"{base[:25]} {k}"
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


def _text_cell(cell: Any, text: str) -> None:
    """A text cell that Excel shows as written and never runs as a formula."""
    text = xml_safe(text)
    cell.value = text
    cell.data_type = "s"
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def render(paper: Paper) -> bytes:
    """The paper's tables as a workbook.

    A number is written to 12 significant digits (the decimal it stands for) with the
    number format of its quantity, so Excel and LibreOffice show the digits the other
    formats show. A marked cell (flagged for moderation) is shaded.
    """
    openpyxl = need("openpyxl", "office", "Excel output")
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    about = wb.active
    about.title = "About"
    bold = Font(bold=True)
    prov = paper.provenance
    rows: list[tuple[str, str]] = [(paper.title, "")]
    if paper.illustrative:
        rows.append(("ILLUSTRATIVE", BANNER))
    if prov is not None:
        rows += [("", ""), *prov.summary()]
    rows += [("", ""), ("Tables", "")]
    names = list(_sheet_names(paper.tables))
    rows += [(n, f"{t.title}: {t.caption}") for n, t in zip(names, paper.tables, strict=True)]
    if prov is not None:
        rows += [("", ""), ("Input file", "SHA-256"), *list(prov.inputs)]
    for r, (a, b) in enumerate(rows, start=1):
        _text_cell(about.cell(row=r, column=1), a)
        _text_cell(about.cell(row=r, column=2), b)
    about.cell(row=1, column=1).font = Font(bold=True, size=14)
    if paper.illustrative:
        about.cell(row=2, column=1).font = Font(bold=True, color="B00020")
        about.cell(row=2, column=2).font = Font(bold=True, color="B00020")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 100
    fill = PatternFill("solid", fgColor="E8E8E8")
    marked = PatternFill("solid", fgColor="FFF2CC")
    for name, t in zip(names, paper.tables, strict=True):
        ws = wb.create_sheet(name)
        for k, column in enumerate(t.columns, start=1):
            cell = ws.cell(row=1, column=k)
            _text_cell(cell, column.name)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(t.rows, start=2):
            for k, (value, column) in enumerate(zip(row.cells, t.columns, strict=True), start=1):
                cell = ws.cell(row=r, column=k)
                if isinstance(value.value, str):
                    _text_cell(cell, value.value)
                    if column.wide:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                elif value.value is None:
                    if value.blank:
                        _text_cell(cell, value.blank)
                        cell.alignment = Alignment(horizontal="right")
                else:
                    x = float(value.value)
                    quantity = value.quantity or column.quantity
                    if x != x or x in (float("inf"), float("-inf")):
                        _text_cell(cell, show(value, column))
                        cell.alignment = Alignment(horizontal="right")
                        continue
                    if isinstance(value.value, int):
                        cell.value = value.value
                    else:
                        cell.value = stored(x, quantity)
                    if quantity is not None:
                        cell.number_format = quantity.excel_format(x)
                    if value.mark == "*":
                        cell.fill = marked
                if row.style in ("leader", "group"):
                    cell.font = bold
        below = len(t.rows) + 3
        for n, note in enumerate((t.caption, *t.notes)):
            _text_cell(ws.cell(row=below + n, column=1), note)
        ws.freeze_panes = f"{get_column_letter(_labels(t) + 1)}2"
        for k, column in enumerate(t.columns, start=1):
            longest = max(
                [len(t.text(r, k - 1)) for r in range(len(t.rows))] + [len(column.name) // 2 + 2]
            )
            width = min(max(longest + 2, 8), 60 if column.wide else 24)
            ws.column_dimensions[get_column_letter(k)].width = width
        ws.sheet_view.zoomScale = 100
    wb.properties.creator = prov.tool if prov is not None else "appraise"
    wb.properties.title = xml_safe(paper.title)
    when = stamp(paper)
    wb.properties.created = when
    wb.properties.modified = when
    out = io.BytesIO()
    wb.save(out)
    return fix_zip_times(out.getvalue(), when)
