"""HTML: one self-contained file (styles and images inline, nothing remote) that reads
on screen and prints to A4."""

from __future__ import annotations

import base64

from appraise.paper.formats.escape import css_string
from appraise.paper.formats.escape import html_escape as _h
from appraise.paper.model import (
    FIRST_ROWS,
    Block,
    Bullets,
    Column,
    Contents,
    Fields,
    Figure,
    Heading,
    PageBreak,
    Paper,
    Para,
    TableBlock,
    prints_whole,
    show,
)
from appraise.paper.wording import BANNER

__all__ = ["render", "text"]

_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
:root { color-scheme: light; }
body { font-family: "Segoe UI", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 10.5pt; line-height: 1.4; color: #111; max-width: 178mm; margin: 1.5em auto;
  padding: 0 4mm; }
h1 { font-size: 18pt; margin: 0 0 .2em; }
h2 { font-size: 13.5pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #999;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1.1em 0 .3em; break-after: avoid; page-break-after: avoid; }
p.subtitle { color: #333; margin-top: 0; }
p.lead { font-size: 11.5pt; font-weight: 600; }
p.warning { font-weight: 600; color: #b00020; }
p.note, .notes p { font-size: 9pt; color: #333; }
.banner { border: 2px solid #b00020; color: #b00020; font-weight: 700; padding: .4em .6em;
  margin: .6em 0 1em; text-align: center; letter-spacing: .03em; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .2em; font-size: 8.5pt;
  page-break-inside: auto; }
div.caption { text-align: left; font-weight: 600; font-size: 10pt; margin-top: .6em;
  padding-bottom: .2em; }
div.caption span { display: block; font-weight: 400; font-size: 9pt; color: #333; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top;
  overflow-wrap: break-word; hyphens: manual; }
th { background: #e8e8e8; text-align: left; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
td.w { min-width: 24mm; overflow-wrap: anywhere; }
tr.leader td { font-weight: 600; }
tr.excluded td { color: #555; }
tr.group td { font-weight: 600; background: #f4f4f4; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; max-width: 165mm; height: auto; margin: 0 auto; }
figcaption { font-size: 9pt; color: #333; }
.provenance { margin-top: 2em; font-size: 8pt; color: #444; border-top: 1px solid #999; }
.provenance table { font-size: 7.5pt; }
.provenance td { border: none; padding: 0 6px 0 0; }
table.fields { width: auto; font-size: 10.5pt; margin: .8em 0 1.2em; }
table.fields th, table.fields td { border: none; border-bottom: 1px solid #ddd;
  padding: 3px 12px 3px 0; background: none; }
table.fields th { font-weight: 600; white-space: nowrap; }
div.keep { break-inside: avoid; page-break-inside: avoid; }
div.lead { break-inside: avoid; page-break-inside: avoid; break-after: avoid;
  page-break-after: avoid; }
tbody.first { break-inside: avoid; page-break-inside: avoid; }
div.caption { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
.notes { break-before: avoid; page-break-before: avoid; }
nav.contents ol { padding-left: 2.2em; }
nav.contents a { color: inherit; }
.page-break { break-after: page; page-break-after: always; height: 0; }
div.glossary p { font-size: 9.5pt; margin: 0 0 .3em; }
@media print { body { margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; } }
"""


def _page_css(paper: Paper) -> str:
    """The page margins: the running text top left, ILLUSTRATIVE top right, "Page x of
    y" bottom right; none of them on a cover sheet."""
    box = "font-family: Arial, 'Liberation Sans', sans-serif; font-size: 8pt; color: #444;"
    rules = []
    if paper.running:
        rules.append(f"@top-left {{ content: {css_string(paper.running)}; {box} }}")
    marks = " · ".join(
        m
        for m, on in (("ILLUSTRATIVE", paper.illustrative), ("PROVISIONAL", paper.provisional))
        if on
    )
    if marks:
        rules.append(f'@top-right {{ content: "{marks}"; {box} color: #b00020; }}')
    rules.append(
        '@bottom-right { content: "Page " counter(page) " of " counter(pages); ' + box + " }"
    )
    rules.append(f"@bottom-left {{ content: {css_string(paper.title)}; {box} }}")
    css = "@page { " + " ".join(rules) + " }"
    if paper.cover:
        # the cover keeps a margin box: with none, Chromium prints its own header and
        # footer (the file's address) on that page
        css += " @page :first { @bottom-right { content: none; } }"
    return css


def text(paper: Paper) -> str:
    """The paper as one HTML document."""
    prov = paper.provenance
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ]
    if prov is not None:
        parts.append(f'<meta name="generator" content="{_h(prov.tool)}">')
    parts += [
        f"<title>{_h(paper.title)}</title>",
        f"<style>{_CSS}{_page_css(paper)}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_h(paper.title)}</h1>",
    ]
    if paper.subtitle:
        parts.append(f'<p class="subtitle">{_h(paper.subtitle)}</p>')
    if paper.illustrative:
        parts.append(f'<p class="banner" role="note">{_h(BANNER)}</p>')
    if paper.provisional:
        parts.append(f'<p class="banner provisional" role="note">{_h(paper.provisional)}</p>')
    parts.append("</header>")
    parts.append("<main>")
    headings = {
        id(block): f"s-{k}"
        for k, block in enumerate(b for b in paper.blocks if isinstance(b, Heading))
    }
    lead: list[str] = []  # headings waiting for what they introduce
    for n, block in enumerate(paper.blocks):
        if not isinstance(block, Heading | TableBlock | Figure):
            parts.extend(lead)
            lead = []
        if isinstance(block, Contents):
            later = [
                b
                for b in paper.blocks[n + 1 :]
                if isinstance(b, Heading) and b.level <= block.depth
            ]
            items = "".join(
                f'<li><a href="#{headings[id(h)]}">{_h(h.text)}</a></li>' for h in later
            )
            parts.append(f'<nav class="contents"><h2>Contents</h2><ol>{items}</ol></nav>')
        elif isinstance(block, Heading):
            level = min(block.level + 1, 4)
            lead.append(f'<h{level} id="{headings[id(block)]}">{_h(block.text)}</h{level}>')
        elif isinstance(block, TableBlock | Figure):
            parts.append(_block(block, "".join(lead)))
            lead = []
        else:
            parts.append(_block(block))
    parts.extend(lead)
    parts.append("</main>")
    if prov is not None:
        rows = "".join(f"<tr><td>{_h(k)}</td><td>{_h(v)}</td></tr>" for k, v in prov.summary())
        files = "".join(
            f"<tr><td>{_h(p)}</td><td><code>{_h(h)}</code></td></tr>" for p, h in prov.inputs
        )
        listed = (
            f"<p><strong>Input files (SHA-256)</strong></p><table>{files}</table>"
            if paper.input_files
            else "<p>Each input file's SHA-256 is listed in the evidence pack.</p>"
        )
        parts.append(
            '<footer class="provenance"><p><strong>Provenance</strong></p>'
            f"<table>{rows}</table>{listed}</footer>"
        )
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def render(paper: Paper) -> bytes:
    """The paper as HTML (UTF-8)."""
    return text(paper).encode("utf-8")


def _block(block: Block, lead: str = "") -> str:
    """One block; ``lead``, the headings that introduce a table or figure, printed on
    the same page as it."""
    if isinstance(block, Heading):
        level = min(block.level + 1, 4)
        return f"<h{level}>{_h(block.text)}</h{level}>"
    if isinstance(block, Para):
        cls = "" if block.style == "body" else f' class="{block.style}"'
        return f"<p{cls}>{_h(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_h(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Fields):
        if block.terms:
            return (
                '<div class="glossary">'
                + "".join(f"<p><strong>{_h(k)}:</strong> {_h(v)}</p>" for k, v in block.items)
                + "</div>"
            )
        rows = "".join(
            f'<tr><th scope="row">{_h(k)}</th><td>{_h(v)}</td></tr>' for k, v in block.items
        )
        return f'<table class="fields">{rows}</table>'
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    if not isinstance(block, Figure | TableBlock):
        return ""
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        figure = (
            f'<figure id="figure-{block.number}"><img src="data:image/png;base64,{data}" '
            f'alt="{_h(block.alt)}"><figcaption>Figure {block.number}: {_h(block.title)}. '
            f"{_h(block.alt)}</figcaption></figure>"
        )
        return f'<div class="keep">{lead}{figure}</div>' if lead else figure
    t = block.table
    head = "".join(f'<th scope="col"{_cls(c, True)}>{_h(c.name)}</th>' for c in t.columns)
    lines = [
        (f'<tr class="{row.style}">' if row.style else "<tr>")
        + "".join(
            f"<td{_cls(c, False)}>{_h(show(v, c))}</td>"
            for v, c in zip(row.cells, t.columns, strict=True)
        )
        + "</tr>"
        for row in t.rows
    ]
    small = prints_whole(t)
    if small:
        body = f"<tbody>{''.join(lines)}</tbody>"
    else:  # the caption, heading row and first rows stay together
        body = (
            f'<tbody class="first">{"".join(lines[:FIRST_ROWS])}</tbody>'
            f"<tbody>{''.join(lines[FIRST_ROWS:])}</tbody>"
        )
    notes = "".join(f"<p>{_h(n)}</p>" for n in t.notes)
    # The caption goes before the table, not inside it, and is wrapped with the headings
    # that introduce it: Chromium otherwise leaves a heading, caption or heading row at
    # the foot of a page when the rows move on. A small table goes in the same
    # unbreakable block; a long one follows its block, its first rows unbreakable.
    label = f"caption-{block.number}"
    caption = (
        f'<div class="caption" id="{label}">Table {block.number}: {_h(t.title)}'
        f"<span>{_h(t.caption)}</span></div>"
    )
    grid = (
        f'<table id="table-{_h(t.key)}" aria-labelledby="{label}">'
        f"<thead><tr>{head}</tr></thead>{body}</table>"
    )
    held = (
        f'<div class="keep">{lead}{caption}{grid}</div>'
        if small
        else f'<div class="lead">{lead}{caption}</div>{grid}'
    )
    return held + (f'<div class="notes">{notes}</div>' if notes else "")


def _cls(column: Column, header: bool) -> str:
    if column.numeric:
        return ' class="n"'
    return ' class="w"' if column.wide and not header else ""
