"""The presentation model: documents of headings, paragraphs, tables and figures.

Every output appraise makes is a :class:`Paper`: ``appraise score``'s tables in the
terminal, its Markdown and CSV, every ``export`` format and the board report. Tables are
built once as typed cells (a value, its :class:`~appraise.paper.numbers.Quantity`, a
short form for narrow displays, a mark); each format only renders them, through
:func:`show`, so a number has the same digits in every format.

Why:
    When each format built its own rows, the same total was 447.2 in one file and 447.3
    in another, and a ranking row's parts did not add to its total. Here a table is
    data; the formats cannot disagree about what it says, and a table that cannot add
    up once rounded says so itself (:func:`table`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Integral
from typing import TYPE_CHECKING, Literal

from appraise.paper.numbers import Quantity, format_number, rounded

if TYPE_CHECKING:
    from appraise.paper.provenance import Provenance

__all__ = [
    "FIRST_ROWS",
    "KEEP_ROWS",
    "Block",
    "Bullets",
    "Cell",
    "Column",
    "Contents",
    "Fields",
    "Figure",
    "Heading",
    "PageBreak",
    "Paper",
    "Para",
    "Row",
    "Sum",
    "Table",
    "TableBlock",
    "cell",
    "prints_whole",
    "show",
    "table",
]


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell.

    Attributes:
        value: text, a number, or ``None`` (nothing to show).
        quantity: how a number is shown; ``None`` takes the column's.
        short: a shorter text for narrow displays (the terminal): an option's id for
            its name.
        mark: shown right after a number in text formats (``*`` for a cell flagged for
            moderation, ``=`` for a tied rank); Excel shades a marked cell instead.
        blank: shown when ``value`` is ``None`` (``–`` for an option not ranked).
    """

    value: str | float | int | None = None
    quantity: Quantity | None = None
    short: str | None = None
    mark: str = ""
    blank: str = ""

    @property
    def is_number(self) -> bool:
        """True when the cell holds a finite or infinite number (not NaN, not text)."""
        return isinstance(self.value, int | float) and not (
            isinstance(self.value, float) and math.isnan(self.value)
        )


def cell(
    value: str | float | int | None,
    quantity: Quantity | None = None,
    *,
    short: str | None = None,
    mark: str = "",
    blank: str = "",
) -> Cell:
    """A cell; a NaN number becomes ``None`` (shown as ``blank``)."""
    if value is not None and not isinstance(value, str):
        if isinstance(value, bool):
            raise TypeError("a cell holds text or a number, not a bool")
        value = int(value) if isinstance(value, Integral) else float(value)  # type: ignore[unreachable]
        if isinstance(value, float) and math.isnan(value):
            value = None
    return Cell(value, quantity, short, mark, blank)


@dataclass(frozen=True, slots=True)
class Column:
    """One column.

    Attributes:
        name: the heading.
        quantity: how its numbers are shown; ``None`` for a text column.
        short: a shorter heading for the terminal (``None``: the name).
        wide: long free text (wrapped and given room).
        terminal: shown in the terminal too (``False``: a column only the files need,
            such as a scenario's kind beside its label).
        key: its machine name, a CSV header that pandas and R read as it is
            (``None``: made from the name, ``Gap % of leader`` → ``gap_pct_of_leader``).
    """

    name: str
    quantity: Quantity | None = None
    short: str | None = None
    wide: bool = False
    terminal: bool = True
    key: str | None = None

    @property
    def machine_name(self) -> str:
        """:attr:`key`, or a lower-case ``snake_case`` form of the name."""
        if self.key is not None:
            return self.key
        text = self.name.replace("%", " pct ").replace("£", "").replace("\n", " ")
        return "_".join(re.findall(r"[^\W_]+", text.casefold()))

    @property
    def numeric(self) -> bool:
        """True for a column of numbers (right-aligned)."""
        return self.quantity is not None


RowStyle = Literal["", "leader", "excluded", "group"]


@dataclass(frozen=True, slots=True)
class Row:
    """One row: its cells (one per column) and how it stands out.

    Attributes:
        cells: the cells.
        style: ``leader`` (the option with the highest score), ``excluded`` (shown but
            not ranked), ``group`` (a group heading row in a tree) or ``""``.
    """

    cells: tuple[Cell, ...]
    style: RowStyle = ""


@dataclass(frozen=True, slots=True)
class Sum:
    """Columns ``parts`` add up to column ``total`` in every row (before rounding)."""

    total: int
    parts: tuple[int, ...]
    what: str = "parts"


@dataclass(frozen=True)
class Table:
    """A titled table of typed cells.

    Attributes:
        key: its name (``ranking``, ``vfm``...), for ``--table`` and JSON.
        title: the heading shown above it.
        caption: one or two sentences saying what it shows.
        columns: the columns.
        rows: the rows.
        notes: sentences shown under it (findings, cautions, rounding).
        sums: columns that add up, checked once rounded (:func:`table`).
    """

    key: str
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    sums: tuple[Sum, ...] = ()

    def text(self, row: int, col: int, *, narrow: bool = False) -> str:
        """The text of one cell as every format shows it (``narrow``: the terminal)."""
        return show(self.rows[row].cells[col], self.columns[col], narrow=narrow)


def show(c: Cell, column: Column, *, narrow: bool = False) -> str:
    """A cell as text: numbers by their quantity (:mod:`appraise.paper.numbers`), then
    the mark; text as written (its short form when ``narrow``)."""
    if c.value is None:
        return c.blank
    if isinstance(c.value, str):
        return c.short if narrow and c.short is not None else c.value
    quantity = c.quantity or column.quantity
    if quantity is None:
        return f"{c.value:g}" + c.mark
    return format_number(c.value, quantity) + c.mark


def _row_label(row: Row) -> str:
    for c in row.cells:
        if isinstance(c.value, str) and c.value:
            return c.short or c.value
    return ""


def table(
    key: str,
    title: str,
    caption: str,
    columns: Iterable[Column],
    rows: Iterable[Row | Sequence[Cell]],
    notes: Iterable[str] = (),
    sums: Iterable[Sum] = (),
) -> Table:
    """A :class:`Table`, with a note where rounded parts do not add to a rounded total.

    Each :class:`Sum` is checked row by row on the numbers as shown: where the parts,
    each rounded, do not add up to the total as rounded, a note names the rows, so a
    reader adding across is not left wondering.
    """
    cols = tuple(columns)
    body = tuple(r if isinstance(r, Row) else Row(tuple(r)) for r in rows)
    for r in body:
        if len(r.cells) != len(cols):
            raise ValueError(f"table {key}: a row has {len(r.cells)} cells for {len(cols)}")
    said = list(notes)
    for s in sums:
        off = []
        for r in body:
            total = r.cells[s.total]
            parts = [r.cells[k] for k in s.parts]
            if not total.is_number or not all(p.is_number for p in parts):
                continue
            q_total = total.quantity or cols[s.total].quantity
            if q_total is None:
                continue
            shown_parts = Decimal(0)
            for p, k in zip(parts, s.parts, strict=True):
                shown_parts += rounded(float(p.value), p.quantity or cols[k].quantity or q_total)  # type: ignore[arg-type]
            if shown_parts != rounded(float(total.value), q_total):  # type: ignore[arg-type]
                off.append(_row_label(r))
        if off:
            from appraise.paper.wording import rounding_note

            said.append(rounding_note(s.what, cols[s.total].name, off))
    return Table(key, title, caption, cols, body, tuple(said), tuple(sums))


KEEP_ROWS = 15
"""In print, a table of at most this many rows (and :data:`KEEP_CHARS` of text) is
kept on one page; a longer one keeps its caption, heading row and first
:data:`FIRST_ROWS` rows together."""
KEEP_CHARS = 2500
"""The most text (all its cells) a table kept on one page holds: beyond it, a few rows
of long reasons fill more than a page."""
FIRST_ROWS = 3


def prints_whole(t: Table) -> bool:
    """Whether ``t`` is small enough to print on one page, never split (HTML, Word)."""
    if len(t.rows) > KEEP_ROWS:
        return False
    size = sum(len(t.text(r, k)) for r in range(len(t.rows)) for k in range(len(t.columns)))
    return size <= KEEP_CHARS


@dataclass(frozen=True)
class Heading:
    """A section heading (level 1 a section, 2 a subsection)."""

    text: str
    level: int = 1


ParaStyle = Literal["body", "lead", "note", "warning"]


@dataclass(frozen=True)
class Para:
    """A paragraph; ``lead`` opens a summary, ``note`` is a smaller aside, ``warning``
    something the reader must not miss (an AHP consistency ratio over its limit)."""

    text: str
    style: ParaStyle = "body"


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    """A table in a paper, with its number (``Table 3``)."""

    table: Table
    number: int


@dataclass(frozen=True)
class Figure:
    """A chart: PNG bytes (and SVG where a format takes it) with its alt text."""

    key: str
    title: str
    alt: str
    png: bytes
    number: int
    svg: bytes | None = None


@dataclass(frozen=True)
class Fields:
    """Labelled values, such as a cover sheet's meeting, date and reference; with
    ``terms``, terms and their meanings (a glossary)."""

    items: tuple[tuple[str, str], ...]
    terms: bool = False


@dataclass(frozen=True)
class PageBreak:
    """Start a new page when printed (HTML and Word); nothing on screen or in text."""


@dataclass(frozen=True)
class Contents:
    """A contents list: the paper's headings down to ``depth`` (Word: a contents field
    that shows page numbers once updated; HTML: links)."""

    depth: int = 1


Block = Heading | Para | Bullets | TableBlock | Figure | Fields | PageBreak | Contents


@dataclass(frozen=True)
class Paper:
    """A document: what every output is before a format renders it.

    Attributes:
        title: the appraisal's title.
        blocks: headings, paragraphs, tables and figures, in order.
        subtitle: one line under the title (the method line of ``appraise score``).
        illustrative: print the ILLUSTRATIVE banner.
        provisional: the PROVISIONAL banner (why: panel scores still missing), printed
            on every output; ``""`` for none.
        provenance: where it came from (``None`` for terminal-style outputs).
        running: the text printed in every page's margin (the paper's reference and
            status), ``""`` for none.
        cover: the first page is a cover sheet: no page number on it.
        input_files: list each input file's SHA-256 after the provenance (``False``:
            only their fingerprint, the list being in a companion document).
    """

    title: str
    blocks: tuple[Block, ...] = field(default=())
    subtitle: str = ""
    illustrative: bool = False
    provenance: Provenance | None = None
    provisional: str = ""
    running: str = ""
    cover: bool = False
    input_files: bool = True

    @property
    def tables(self) -> list[Table]:
        """Every table, in order."""
        return [b.table for b in self.blocks if isinstance(b, TableBlock)]

    @property
    def figures(self) -> list[Figure]:
        """Every figure, in order."""
        return [b for b in self.blocks if isinstance(b, Figure)]
