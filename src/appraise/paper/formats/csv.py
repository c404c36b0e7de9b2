"""CSV: one table and nothing else, so pandas, R and Excel read it as it is.

The header row is the columns' machine names (``rank``, ``option``, ``total``);
numbers are written to 12 significant digits (622.75, not 622.7500000000001: every
digit that means anything, none of the binary noise); text that a spreadsheet would
run as a formula is neutralised. The provenance goes in a file beside it (``export``
writes ``NAME.provenance.json``).
"""

from __future__ import annotations

import csv as _csv
import io

from appraise.errors import RequestError
from appraise.paper.formats.escape import csv_cell
from appraise.paper.model import Cell, Paper, Table
from appraise.paper.numbers import SIGNIFICANT

__all__ = ["render", "table_text"]


def _cell(c: Cell) -> str:
    if c.value is None:
        return ""
    if isinstance(c.value, str):
        return csv_cell(c.value)
    if isinstance(c.value, int):
        return str(c.value)
    return format(c.value, f".{SIGNIFICANT}g")


def table_text(t: Table) -> str:
    """One table as CSV text."""
    out = io.StringIO()
    writer = _csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(c.machine_name) for c in t.columns])
    for row in t.rows:
        writer.writerow([_cell(c) for c in row.cells])
    return out.getvalue()


def render(paper: Paper) -> bytes:
    """The paper's one table as CSV.

    Raises:
        RequestError: the paper holds other than one table.
    """
    tables = paper.tables
    if len(tables) != 1:
        raise RequestError(
            "a CSV file holds one table", hint="export each table to its own file, or use .xlsx"
        )
    return table_text(tables[0]).encode("utf-8")
