"""Markdown: a board paper's tables for a wiki, a pull-request comment or pandoc.

User text is escaped, so a name holding ``<img onerror=…>`` or ``|`` stays text.
"""

from __future__ import annotations

import base64

from appraise.paper.formats.escape import md_escape
from appraise.paper.model import (
    Block,
    Bullets,
    Fields,
    Figure,
    Heading,
    Paper,
    Para,
    TableBlock,
    show,
)
from appraise.paper.wording import BANNER

__all__ = ["render", "text"]


def text(paper: Paper) -> str:
    """The paper as Markdown text."""
    lines = [f"# {md_escape(paper.title)}", ""]
    if paper.illustrative:
        lines += [f"> **{md_escape(BANNER)}**", ""]
    if paper.provisional:
        lines += [f"> **{md_escape(paper.provisional)}**", ""]
    if paper.subtitle:
        lines += [md_escape(paper.subtitle), ""]
    for block in paper.blocks:
        lines += _block(block)
    if paper.provenance is not None:
        lines += ["---", "", "Provenance:", ""]
        lines += [f"- {md_escape(k)}: {md_escape(v)}" for k, v in paper.provenance.summary()]
        lines.append("")
    return "\n".join(lines)


def render(paper: Paper) -> bytes:
    """The paper as Markdown (UTF-8)."""
    return text(paper).encode("utf-8")


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * (block.level + 1) + " " + md_escape(block.text), ""]
    if isinstance(block, Para):
        body = md_escape(block.text)
        return [f"**{body}**" if block.style in ("lead", "warning") else body, ""]
    if isinstance(block, Bullets):
        return [*[f"- {md_escape(i)}" for i in block.items], ""]
    if isinstance(block, Fields):
        return [*[f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in block.items], ""]
    if not isinstance(block, Figure | TableBlock):
        return []  # page breaks and contents are for print
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        alt = " ".join(block.alt.replace("[", "(").replace("]", ")").split())
        return [
            f"![{alt}](data:image/png;base64,{data})",
            "",
            f"*Figure {block.number}: {md_escape(block.title)}.* {md_escape(block.alt)}",
            "",
        ]
    t = block.table
    out = [f"### Table {block.number}: {md_escape(t.title)}", "", md_escape(t.caption), ""]
    out.append("| " + " | ".join(md_escape(c.name, cell=True) for c in t.columns) + " |")
    out.append("|" + "|".join("--:" if c.numeric else "---" for c in t.columns) + "|")
    for row in t.rows:
        shown_cells = (show(v, c) for v, c in zip(row.cells, t.columns, strict=True))
        cells = [md_escape(text, cell=True) for text in shown_cells]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    if t.notes:
        out += [*[md_escape(n) for n in t.notes], ""]
    return out
