"""A :class:`~appraise.paper.model.Paper` as Rich renderables, readable at 80 columns.

The terminal shows the same tables as every other format, through the same
:func:`~appraise.paper.model.show`, with their short headings and ids where a name
would not fit. A table too wide for the terminal drops its cell padding, then splits
its columns over several tables, each repeating the row labels, so no figure is cut.
User text (names, rationale) is never read as Rich markup or emoji codes.
"""

from __future__ import annotations

from dataclasses import replace

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from appraise.paper.model import (
    Bullets,
    Fields,
    Figure,
    Heading,
    Paper,
    Para,
    Table,
    TableBlock,
    show,
)
from appraise.paper.wording import BANNER
from appraise.text import shown

__all__ = ["console", "render_paper", "render_table"]

STYLES = {"leader": "bold", "excluded": "dim", "group": "bold", "": ""}
"""How a row stands out."""

PARA = {"body": "", "lead": "bold", "note": "dim", "warning": "bold red"}
"""How a paragraph stands out."""

WRAP_AT = 20
"""A wrapping text column is counted at most this wide when fitting a table."""


def console(*, stderr: bool = False) -> Console:
    """The terminal console: user text printed as written (no markup, no emoji codes)."""
    return Console(highlight=False, markup=False, emoji=False, stderr=stderr)


def render_paper(paper: Paper, width: int = 80) -> Group:
    """Every block of ``paper``: banner, title, the method line, then its blocks."""
    parts: list[RenderableType] = []
    if paper.illustrative:
        parts.append(Text(f" {BANNER} ", style="bold black on yellow"))
    if paper.provisional:
        parts.append(Text(f" {shown(paper.provisional)} ", style="bold white on red"))
    parts.append(Text(shown(paper.title), style="bold"))
    if paper.subtitle:
        parts.append(Text(shown(paper.subtitle), style="dim"))
    for block in paper.blocks:
        spaced = isinstance(block, Heading | TableBlock) and not isinstance(parts[-1], RichTable)
        if spaced and len(parts) > 2:
            parts.append(Text())
        if isinstance(block, Heading):
            style = "bold underline" if block.level <= 1 else "bold"
            parts.append(Text(shown(block.text), style=style))
        elif isinstance(block, Para):
            parts.append(Text(shown(block.text, multiline=True), style=PARA[block.style]))
        elif isinstance(block, Bullets):
            parts.extend(Text(f"• {shown(item)}") for item in block.items)
        elif isinstance(block, Fields):
            parts.extend(Text(f"{shown(k)}: {shown(v)}") for k, v in block.items)
        elif isinstance(block, TableBlock):
            parts.extend(render_table(block.table, width))
        elif isinstance(block, Figure):
            continue  # charts are for files; the tables hold their numbers
    return Group(*parts)


def _texts(t: Table) -> list[list[str]]:
    return [
        [shown(show(c, col, narrow=True)) for c, col in zip(r.cells, t.columns, strict=True)]
        for r in t.rows
    ]


def _heading(t: Table, k: int) -> str:
    column = t.columns[k]
    return shown(column.short if column.short is not None else column.name, multiline=True)


def _widths(t: Table, texts: list[list[str]]) -> list[int]:
    """Each column's width as the terminal would lay it out unsqueezed."""
    out = []
    for k, column in enumerate(t.columns):
        head = max((len(line) for line in _heading(t, k).split("\n")), default=0)
        body = max((len(row[k]) for row in texts), default=0)
        if not column.numeric and column.wide:
            words = max((len(w) for row in texts for w in row[k].split()), default=0)
            body = max(min(body, WRAP_AT), words)
            head = min(head, max(body, 8))
        out.append(max(head, body, 1))
    return out


def _fits(widths: list[int], pad: int) -> int:
    return sum(widths) + (len(widths) - 1) * (1 + 2 * pad)


def render_table(t: Table, width: int = 80) -> list[RenderableType]:
    """One table (split into several when too wide), then its notes."""
    if not all(c.terminal for c in t.columns):
        keep = [k for k, c in enumerate(t.columns) if c.terminal]
        t = replace(
            t,
            columns=tuple(t.columns[k] for k in keep),
            rows=tuple(replace(r, cells=tuple(r.cells[k] for k in keep)) for r in t.rows),
        )
    texts = _texts(t)
    widths = _widths(t, texts)
    pad = 1 if _fits(widths, 1) <= width else 0
    keep = _labels(t)
    chunks: list[list[int]] = [list(range(len(t.columns)))]
    if _fits(widths, pad) > width:
        chunks = _chunks(widths, keep, width, pad)
    out: list[RenderableType] = []
    for n, chunk in enumerate(chunks):
        name = shown(t.title)
        title = name if len(chunks) == 1 else f"{name} ({n + 1} of {len(chunks)})"
        out.append(_rich(t, texts, chunk, title, pad))
    out.extend(Text(shown(note, multiline=True), style="dim") for note in t.notes)
    return out


def _labels(t: Table) -> list[int]:
    """The leading text columns, repeated in every part of a split table."""
    keep = []
    for k, column in enumerate(t.columns):
        if column.numeric:
            break
        keep.append(k)
    return keep[:2] or [0]


def _chunks(widths: list[int], keep: list[int], width: int, pad: int) -> list[list[int]]:
    rest = [k for k in range(len(widths)) if k not in keep]
    chunks: list[list[int]] = []
    current: list[int] = []
    for k in rest:
        trial = keep + current + [k]
        if current and _fits([widths[j] for j in trial], pad) > width:
            chunks.append(keep + current)
            current = []
        current.append(k)
    chunks.append(keep + current)
    return chunks


def _rich(t: Table, texts: list[list[str]], chunk: list[int], title: str, pad: int) -> RichTable:
    table = RichTable(
        title=title,
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, pad),
    )
    for k in chunk:
        column = t.columns[k]
        table.add_column(
            _heading(t, k),
            justify="right" if column.numeric else "left",
            no_wrap=column.numeric or not column.wide,
            overflow="fold",
            ratio=1 if column.wide and not column.numeric else None,
        )
    for row, cells in zip(t.rows, texts, strict=True):
        table.add_row(*(cells[k] for k in chunk), style=STYLES[row.style] or None)
    return table
