"""Word: A4, real Word tables with numbered captions, header rows repeated on every
page, numbers right-aligned; charts with alt text; provenance at the end."""

from __future__ import annotations

import io
from typing import Any

from appraise.paper.formats.escape import xml_safe as _xml_safe
from appraise.paper.formats.office import fix_zip_times, need, stamp
from appraise.paper.model import (
    FIRST_ROWS,
    KEEP_ROWS,
    Bullets,
    Contents,
    Fields,
    Figure,
    Heading,
    PageBreak,
    Paper,
    Para,
    Table,
    prints_whole,
)
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
    _language(doc, "en-GB")
    prov = paper.provenance
    _margins(section, paper, first=False)
    if paper.cover:
        section.different_first_page_header_footer = True
        _margins(section, paper, first=True)
    doc.add_heading(_xml_safe(paper.title), level=0)
    if paper.subtitle:
        doc.add_paragraph(_xml_safe(paper.subtitle))
    if paper.illustrative:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(BANNER)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    if paper.provisional:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(_xml_safe(paper.provisional))
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    width = section.page_width - section.left_margin - section.right_margin

    turn_on, turn_off = _landscape_plan(paper, width)
    for n, block in enumerate(paper.blocks):
        if n in turn_on:
            _turn(doc, landscape=True)
        if isinstance(block, Heading):
            doc.add_heading(_xml_safe(block.text), level=min(block.level, 3))
        elif isinstance(block, PageBreak):
            doc.add_page_break()
        elif isinstance(block, Contents):
            later = [
                b.text
                for b in paper.blocks[n + 1 :]
                if isinstance(b, Heading) and b.level <= block.depth
            ]
            doc.add_heading("Contents", level=1)
            _contents(doc, later, block.depth)
        elif isinstance(block, Fields):
            _fields(doc, block)
        elif isinstance(block, Para):
            p = doc.add_paragraph()
            run = p.add_run(_xml_safe(block.text))
            if block.style == "lead":
                run.bold = True
            elif block.style == "warning":  # as the HTML shows it: not to be missed
                run.bold = True
                run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
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
            picture.paragraph_format.keep_with_next = True
            caption = doc.add_paragraph(
                _xml_safe(f"Figure {block.number}: {block.title}. {block.alt}"), style="Caption"
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
            size = Pt(_type_size(t))
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
            _word_widths(table, t, _text_width(doc.sections[-1]), size.pt)
            _keep_rows(table, len(t.rows), whole=prints_whole(t))
            for note in t.notes:
                p = doc.add_paragraph(_xml_safe(note))
                p.runs[0].font.size = Pt(8.5)
        if n in turn_off:
            _turn(doc, landscape=False)
    if prov is not None:
        doc.add_heading("Provenance", level=2)
        if not paper.input_files:
            doc.add_paragraph("Each input file's SHA-256 is listed in the evidence pack.")
        block = doc.add_table(rows=0, cols=2)
        for label, value in prov.summary():
            cells = block.add_row().cells
            _word_cell(cells[0], label, Pt(8), bold=True)
            _word_cell(cells[1], value, Pt(8))
        for path, digest in prov.inputs if paper.input_files else ():
            cells = block.add_row().cells
            _word_cell(cells[0], path, Pt(7))
            _word_cell(cells[1], digest, Pt(7))
        _keep_rows(block, len(block.rows), whole=len(block.rows) <= KEEP_ROWS)
        # a SHA-256 digest (64 characters at 7 pt) never breaks; the paths share the rest
        hashed = int((64 * 7 * CHAR_EM + PADDING_PT) * 12700)
        block.autofit = False
        for k, size in enumerate((width - hashed, hashed)):
            block.columns[k].width = size
            for c in block.columns[k].cells:
                c.width = size
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


PORTRAIT_COLUMNS = 10
"""A table with more columns than this, or whose figures cannot fit across a portrait
page, goes in a landscape section of its own."""


def _language(doc: Any, tag: str) -> None:
    """Every run's language (spelling and hyphenation), in the document defaults."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), tag)


def _field_char(paragraph: Any, kind: str) -> None:
    """A field's ``begin``, ``separate`` or ``end`` mark at the end of ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    run.append(mark)
    paragraph._p.append(run)


def _field_start(paragraph: Any, instruction: str) -> None:
    """A field's start and instruction; its last result follows, then ``end``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _field_char(paragraph, "begin")
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    paragraph._p.append(run)
    _field_char(paragraph, "separate")


def _field(paragraph: Any, instruction: str, shown: str = "1") -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) with its last result ``shown``."""
    _field_start(paragraph, instruction)
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _margins(section: Any, paper: Paper, *, first: bool) -> None:
    """Header: the running text (reference and status), ILLUSTRATIVE; footer: the title
    and "Page x of y" (not on a cover sheet)."""
    from docx.shared import Pt

    header = section.first_page_header if first else section.header
    footer = section.first_page_footer if first else section.footer
    right = section.page_width - section.left_margin - section.right_margin
    head = header.paragraphs[0]
    _right_tab(head, right)
    marks = " · ".join(
        m
        for m, on in (("ILLUSTRATIVE", paper.illustrative), ("PROVISIONAL", paper.provisional))
        if on
    )
    run = head.add_run(_xml_safe(paper.running) + (f"\t{marks}" if marks else ""))
    run.font.size = Pt(8)
    foot = footer.paragraphs[0]
    _right_tab(foot, right)
    title = foot.add_run(_xml_safe(paper.title)[:120])
    title.font.size = Pt(8)
    if not first:
        foot.add_run("\tPage ").font.size = Pt(8)
        _field(foot, "PAGE")
        foot.add_run(" of ").font.size = Pt(8)
        _field(foot, "NUMPAGES")
        for r in foot.runs:
            r.font.size = Pt(8)
    prov = paper.provenance
    if prov is not None and not first:
        line = footer.add_paragraph(_xml_safe(prov.line()))
        line.runs[0].font.size = Pt(6.5)


def _right_tab(paragraph: Any, at: int) -> None:
    """One right-aligned tab stop at ``at``, clearing the Header and Footer styles'
    centre and right stops (at 3.25 and 6.5 inches, short of an A4 text width)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Inches

    stops = paragraph.paragraph_format.tab_stops
    for inches in (3.25, 6.5):
        stops.add_tab_stop(Inches(inches), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(at, WD_TAB_ALIGNMENT.RIGHT)


def _contents(doc: Any, headings: list[str], depth: int) -> None:
    """A contents field (Word fills in the page numbers when fields are updated) whose
    last result lists the headings, so the list shows before any update too."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    first = doc.add_paragraph()
    _field_start(first, f'TOC \\o "1-{depth}" \\h \\z \\u')
    paragraphs = [first] + [doc.add_paragraph() for _ in headings[1:]]
    for paragraph, heading in zip(paragraphs, headings, strict=False):
        paragraph.add_run(_xml_safe(heading))
    _field_char(paragraphs[-1], "end")
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _fields(doc: Any, block: Fields) -> None:
    """Labelled values as a two-column table without borders; terms as paragraphs."""
    from docx.shared import Pt

    if block.terms:
        for term, meaning in block.items:
            p = doc.add_paragraph()
            run = p.add_run(_xml_safe(term) + ": ")
            run.bold = True
            run.font.size = Pt(9.5)
            p.add_run(_xml_safe(meaning)).font.size = Pt(9.5)
            p.paragraph_format.space_after = Pt(3)
        return
    table = doc.add_table(rows=0, cols=2)
    for label, value in block.items:
        cells = table.add_row().cells
        _word_cell(cells[0], label, Pt(10.5), bold=True)
        _word_cell(cells[1], value, Pt(10.5))
    _keep_rows(table, len(block.items))
    doc.add_paragraph()


def _keep_rows(table: Any, rows: int, *, whole: bool = True) -> None:
    """No row splits across pages; a small table stays on one page, a long one keeps
    its heading row and first rows together."""
    from docx.oxml import OxmlElement

    together = rows + 1 if whole else 1 + FIRST_ROWS
    for k, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.insert(0, OxmlElement("w:cantSplit"))
        if k < together - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _type_size(t: Table) -> int:
    """A table's type size in points: smaller as it has more columns."""
    n = len(t.columns)
    return 7 if n > 12 else 8 if n > 6 else 9


def _text_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _needs_landscape(t: Table, width: int) -> bool:
    """More than :data:`PORTRAIT_COLUMNS` columns, or figures and heading words that
    cannot fit across the portrait page at the table's type size."""
    if len(t.columns) > PORTRAIT_COLUMNS:
        return True
    size = _type_size(t)
    need = 0.0
    for k, c in enumerate(t.columns):
        texts = [t.text(r, k) for r in range(len(t.rows))]
        chars = max((len(x) for x in texts), default=1) if c.numeric else 6
        head = max((len(w) for w in c.name.split()), default=1) * BOLD_EM / CHAR_EM
        need += max(chars, head) * size * CHAR_EM + PADDING_PT
    return need > width / 12700


def _landscape_plan(paper: Paper, width: int) -> tuple[set[int], set[int]]:
    """Where landscape sections start (before the headings that lead into a wide
    table, so no heading is left behind on the portrait page) and end (after it)."""
    from appraise.paper.model import TableBlock

    on: set[int] = set()
    off: set[int] = set()
    blocks = paper.blocks
    for n, block in enumerate(blocks):
        if not isinstance(block, TableBlock) or not _needs_landscape(block.table, width):
            continue
        start = n
        while start > 0 and isinstance(blocks[start - 1], Heading):
            start -= 1
        if start - 1 in off:  # two wide tables in a row share one landscape section
            off.discard(start - 1)
        else:
            on.add(start)
        off.add(n)
    return on, off


def _turn(doc: Any, *, landscape: bool) -> None:
    """Start a new section on a new page, landscape or portrait (the same margins,
    headers and footers)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (
        (long_side, short_side) if landscape else (short_side, long_side)
    )
    section.different_first_page_header_footer = False
