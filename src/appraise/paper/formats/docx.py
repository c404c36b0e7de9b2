"""Word: A4, real Word tables with numbered captions, header rows repeated on every
page, numbers right-aligned; charts with alt text; provenance at the end."""

from __future__ import annotations

import io
from typing import Any

from appraise.paper.formats.escape import xml_safe as _xml_safe
from appraise.paper.formats.office import fix_zip_times, need, stamp
from appraise.paper.model import Bullets, Figure, Heading, Paper, Para, Table
from appraise.paper.wording import BANNER

__all__ = ["render"]


def render(paper: Paper) -> bytes:
    """A Word document: real Word tables with a numbered caption, header rows repeated
    on each page, numbers right-aligned; charts with alt text; provenance at the end."""
    docx = need("docx", "office", "Word output")
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    footer = section.footer.paragraphs[0]
    prov = paper.provenance
    footer.text = _xml_safe(prov.line() if prov is not None else paper.title)
    footer.runs[0].font.size = Pt(7)
    doc.add_heading(_xml_safe(paper.title), level=0)
    if paper.subtitle:
        doc.add_paragraph(_xml_safe(paper.subtitle))
    if paper.illustrative:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(BANNER)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    width = section.page_width - section.left_margin - section.right_margin

    for block in paper.blocks:
        if isinstance(block, Heading):
            doc.add_heading(_xml_safe(block.text), level=min(block.level, 3))
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            run = p.add_run(_xml_safe(block.text))
            if block.style == "lead":
                run.bold = True
            elif block.style == "note":
                run.font.size = Pt(9)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(_xml_safe(item), style="List Bullet")
        elif isinstance(block, Figure):
            doc.add_picture(io.BytesIO(block.png), width=width)
            picture = doc.paragraphs[-1]
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for prop in picture._p.iter(qn("wp:docPr")):
                prop.set("descr", _xml_safe(block.alt))
                prop.set("title", _xml_safe(block.title))
            caption = doc.add_paragraph(
                _xml_safe(f"Figure {block.number}: {block.title}"), style="Caption"
            )
            caption.paragraph_format.keep_with_next = False
        else:
            t = block.table
            caption = doc.add_paragraph(
                _xml_safe(f"Table {block.number}: {t.title}"), style="Caption"
            )
            caption.paragraph_format.keep_with_next = True
            intro = doc.add_paragraph(_xml_safe(t.caption))
            intro.runs[0].font.size = Pt(9)
            intro.paragraph_format.keep_with_next = True
            table = doc.add_table(rows=1 + len(t.rows), cols=len(t.columns))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            size = Pt(8 if len(t.columns) > 8 else 9)
            header = table.rows[0]
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            header._tr.get_or_add_trPr().append(repeat)
            for k, column in enumerate(t.columns):
                _word_cell(header.cells[k], column.name, size, bold=True, right=column.numeric)
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), "E8E8E8")
                header.cells[k]._tc.get_or_add_tcPr().append(shade)
            for r, row in enumerate(t.rows, start=1):
                cells = table.rows[r].cells
                for k, column in enumerate(t.columns):
                    _word_cell(
                        cells[k],
                        t.text(r - 1, k),
                        size,
                        bold=row.style in ("leader", "group"),
                        right=column.numeric,
                    )
            _word_widths(table, t, width)
            for note in t.notes:
                p = doc.add_paragraph(_xml_safe(note))
                p.runs[0].font.size = Pt(8.5)
    if prov is not None:
        doc.add_heading("Provenance", level=2)
        block = doc.add_table(rows=0, cols=2)
        for label, value in prov.summary():
            cells = block.add_row().cells
            _word_cell(cells[0], label, Pt(8), bold=True)
            _word_cell(cells[1], value, Pt(8))
        for path, digest in prov.inputs:
            cells = block.add_row().cells
            _word_cell(cells[0], path, Pt(7))
            _word_cell(cells[1], digest, Pt(7))
    tool = prov.tool if prov is not None else "appraise"
    core = doc.core_properties
    core.author = tool
    core.title = _xml_safe(paper.title)[:255]
    when = stamp(paper)
    core.created = when
    core.modified = when
    core.last_modified_by = tool
    core.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return fix_zip_times(out.getvalue(), when)


def _word_widths(table: Any, t: Table, width: int) -> None:
    """Column widths from what the columns hold: long text gets the room, numbers and
    short codes what they need (Word's default splits the page evenly)."""
    share = []
    for k, c in enumerate(t.columns):
        texts = sorted(len(t.text(r, k)) for r in range(len(t.rows))) or [0]
        typical = texts[int(0.9 * (len(texts) - 1))]
        word = max((len(w) for w in c.name.split()), default=1)
        if c.wide:
            share.append(max(2.5, min(5.0, typical / 12)))
        else:
            share.append(max(0.9, min(2.5, max(typical, word) / 6)))
    total = sum(share)
    table.autofit = False
    for k, column in enumerate(table.columns):
        w = int(width * share[k] / total)
        column.width = w
        for cell in column.cells:
            cell.width = w


def _word_cell(cell: Any, text: str, size: Any, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_xml_safe(text))
    run.font.size = size
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
