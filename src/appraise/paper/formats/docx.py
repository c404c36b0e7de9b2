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
            size = Pt(7 if len(t.columns) > 12 else 8 if len(t.columns) > 8 else 9)
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
            _word_widths(table, t, width, size.pt)
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


CHAR_EM = 0.62
"""The width of an average character, in ems (Arial, digits and lower case)."""
BOLD_EM = 0.74
"""The same for a heading's bold words, capitals and wide letters allowed for."""
PADDING_PT = 16.0
"""A Word table cell's left and right margins together, with a little to spare."""


def _word_widths(table: Any, t: Table, width: int, size_pt: float) -> None:
    """Column widths from what the columns hold, so no number or heading word breaks:
    numbers and short text get the width of their longest cell (and of the longest
    word of their heading); long text shares what is left, by its typical length.
    Word's default splits the page evenly and wraps ``622.8`` onto two lines."""

    def need(chars: float) -> float:  # points
        return chars * size_pt * CHAR_EM + PADDING_PT

    floor: list[float] = []  # never breaks a figure or a word of a cell
    heading: list[float] = []  # nor a word of the heading
    want: list[float] = []  # long text on few lines
    for k, c in enumerate(t.columns):
        texts = [t.text(r, k) for r in range(len(t.rows))]
        words = max((len(w) for x in texts for w in x.split()), default=1)
        longest = max((len(x) for x in texts), default=1)
        head = max((len(w) for w in c.name.split()), default=1)
        lengths = sorted(len(x) for x in texts) or [0]
        typical = lengths[int(0.9 * (len(lengths) - 1))]
        floor.append(need(longest if c.numeric else words))
        heading.append(max(floor[-1], need(head * BOLD_EM / CHAR_EM)))
        want.append(heading[-1] if c.numeric else max(heading[-1], need(min(typical, 60))))
    page = width / 12700  # EMU to points
    sizes = _share(floor, page)
    for target in (heading, want):
        sizes = _grow(sizes, target, page)
    text = [k for k, c in enumerate(t.columns) if not c.numeric]
    spare = page - sum(sizes)
    if spare > 0 and text:  # what is left goes to the text
        weight = sum(want[k] for k in text)
        for k in text:
            sizes[k] += spare * want[k] / weight
    table.autofit = False
    for k, column in enumerate(table.columns):
        w = int(sizes[k] * 12700)  # points to EMU
        column.width = w
        for cell in column.cells:
            cell.width = w


def _share(sizes: list[float], page: float) -> list[float]:
    """``sizes``, scaled down to fit ``page`` if they are wider."""
    over = sum(sizes) / page
    return [x / over for x in sizes] if over > 1 else list(sizes)


def _grow(sizes: list[float], target: list[float], page: float) -> list[float]:
    """Widen each column towards ``target`` with the room left on the page, in
    proportion to what each lacks."""
    lack = [max(0.0, t - x) for x, t in zip(sizes, target, strict=True)]
    room = page - sum(sizes)
    if room <= 0 or not any(lack):
        return sizes
    part = min(1.0, room / sum(lack))
    return [x + d * part for x, d in zip(sizes, lack, strict=True)]


def _word_cell(cell: Any, text: str, size: Any, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_xml_safe(text))
    run.font.size = size
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
