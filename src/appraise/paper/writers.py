"""Board-paper documents and the formats they are written in.

A :class:`Paper` is a title, its provenance and a list of blocks (headings, paragraphs,
tables, figures). ``appraise export`` makes a paper of the tables and charts asked for;
``appraise report`` makes the whole report. Each writer here turns a paper into one
format: HTML (one self-contained file that prints to A4), Word, Excel, Markdown, LaTeX,
JSON and CSV. User text is escaped for each format (HTML, LaTeX, Markdown) and
neutralised where a spreadsheet could run it as a formula (CSV, Excel).

python-docx and openpyxl are imported only by their writers (the ``office`` extra).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from appraise.paper.legacy_tables import Cell, Column, Table
from appraise.paper.provenance import Provenance
from appraise.terminal.score import FORMULA_STARTS, neutralise

__all__ = [
    "Bullets",
    "Figure",
    "Heading",
    "MissingExtra",
    "Paper",
    "Para",
    "TableBlock",
    "neutralise",
    "to_csv",
    "to_docx",
    "to_html",
    "to_json",
    "to_markdown",
    "to_tex",
    "to_xlsx",
]

ILLUSTRATIVE = "ILLUSTRATIVE — invented data for demonstration; not a real appraisal."


class MissingExtra(Exception):
    """An optional dependency is not installed (the message names the extra)."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    """A paragraph; ``lead`` is the summary's opening, ``note`` a smaller aside."""

    text: str
    style: Literal["body", "lead", "note"] = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    table: Table
    number: int


@dataclass(frozen=True)
class Figure:
    """A chart: PNG bytes (and SVG for HTML when given) with its alt text."""

    key: str
    title: str
    alt: str
    png: bytes
    number: int
    svg: bytes | None = None


Block = Heading | Para | Bullets | TableBlock | Figure


@dataclass(frozen=True)
class Paper:
    """A document: title, provenance, blocks."""

    title: str
    provenance: Provenance
    blocks: tuple[Block, ...] = field(default=())
    subtitle: str = ""

    @property
    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if isinstance(b, TableBlock)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


# --- cells ------------------------------------------------------------------------------


def show(cell: Cell, column: Column) -> str:
    """A cell as text, rounded as its column says (thousands separated)."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    x = float(cell)
    if math.isnan(x):
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if column.kind == "percent":
        return f"{100 * x:,.{column.places}f}%"
    if column.kind == "number":
        text = f"{x:,.{column.places}f}"
        return "0" if re.fullmatch(r"-0(\.0*)?", text) and column.places == 0 else text
    return str(cell)


# --- JSON -------------------------------------------------------------------------------


def _json_cell(cell: Cell) -> Any:
    if isinstance(cell, float) and not math.isfinite(cell):
        return None
    return cell


def to_json(paper: Paper) -> str:
    """Provenance and every table, numbers unrounded."""
    payload = {
        "title": paper.title,
        "illustrative": paper.provenance.illustrative,
        "provenance": paper.provenance.as_dict(),
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "caption": t.caption,
                "columns": [
                    {"name": c.name, "kind": c.kind, "places": c.places} for c in t.columns
                ],
                "rows": [[_json_cell(c) for c in row] for row in t.rows],
                "notes": list(t.notes),
            }
            for t in paper.tables
        ],
        "charts": [{"key": f.key, "title": f.title, "alt": f.alt} for f in paper.figures],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- CSV --------------------------------------------------------------------------------


def to_csv(paper: Paper) -> str:
    """One table: a header row, the rows (numbers unrounded), then a blank row and the
    provenance as ``key,value`` rows. Text that could run as a formula is neutralised."""
    tables = paper.tables
    if len(tables) != 1:
        raise ValueError("a CSV file holds one table")
    table = tables[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(c.name) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(c) for c in row])
    writer.writerow([])
    if paper.provenance.illustrative:
        writer.writerow(["ILLUSTRATIVE", ILLUSTRATIVE])
    for label, value in paper.provenance.summary():
        writer.writerow([neutralise(label), neutralise(value)])
    return out.getvalue()


def _csv_cell(cell: Cell) -> str:
    """Text neutralised; numbers to 12 significant digits (622.75, not the binary
    622.7500000000001), which keeps every digit that means anything."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return neutralise(cell)
    x = float(cell)
    return "" if math.isnan(x) else format(x, ".12g")


# --- Markdown ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Text inert in Markdown: specials backslash-escaped, line breaks as spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(paper: Paper) -> str:
    lines = [f"# {_md(paper.title)}", ""]
    if paper.provenance.illustrative:
        lines += [f"> **{_md(ILLUSTRATIVE)}**", ""]
    for block in paper.blocks:
        lines += _md_block(block)
    lines += ["---", "", "Provenance:", ""]
    lines += [f"- {_md(k)}: {_md(v)}" for k, v in paper.provenance.summary()]
    lines.append("")
    return "\n".join(lines)


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * (block.level + 1) + " " + _md(block.text), ""]
    if isinstance(block, Para):
        text = _md(block.text)
        return [f"**{text}**" if block.style == "lead" else text, ""]
    if isinstance(block, Bullets):
        return [*[f"- {_md(i)}" for i in block.items], ""]
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        alt = " ".join(block.alt.replace("[", "(").replace("]", ")").split())
        return [
            f"![{alt}](data:image/png;base64,{data})",
            "",
            f"*Figure {block.number}: {_md(block.title)}.* {_md(block.alt)}",
            "",
        ]
    t = block.table
    out = [f"### Table {block.number}: {_md(t.title)}", "", _md(t.caption), ""]
    out.append("| " + " | ".join(_md(c.name) for c in t.columns) + " |")
    out.append("|" + "|".join("---:" if c.kind != "text" else "---" for c in t.columns) + "|")
    for row in t.rows:
        out.append(
            "| " + " | ".join(_md(show(v, c)) for v, c in zip(row, t.columns, strict=True)) + " |"
        )
    out.append("")
    out += [*[_md(n) for n in t.notes], ""] if t.notes else []
    return out


# --- LaTeX ------------------------------------------------------------------------------

_TEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_TEX_RE = re.compile("|".join(re.escape(k) for k in _TEX))


def tex_escape(text: str) -> str:
    """Text inert in LaTeX: every special character replaced by its command."""
    return _TEX_RE.sub(lambda m: _TEX[m.group()], " ".join(text.split()))


def to_tex(paper: Paper) -> str:
    """A fragment to ``\\input`` (needs ``booktabs`` and ``longtable``): each table a
    ``longtable`` with its caption and notes; provenance in comments and a footnote."""
    prov = paper.provenance
    lines = [
        "% Generated by " + prov.tool + " — do not edit; regenerate with appraise export.",
        *[f"% {k}: {v}".replace("\n", " ") for k, v in prov.summary()],
        *[f"% input {p} sha256 {h}" for p, h in prov.inputs],
        "% Needs \\usepackage{booktabs,longtable}.",
        "",
    ]
    if prov.illustrative:
        lines += [r"\noindent\textbf{" + tex_escape(ILLUSTRATIVE) + "}", ""]
    for block in paper.blocks:
        if isinstance(block, Heading):
            cmd = "section" if block.level <= 1 else "subsection"
            lines += [f"\\{cmd}*{{{tex_escape(block.text)}}}", ""]
        elif isinstance(block, Para):
            lines += [tex_escape(block.text), ""]
        elif isinstance(block, Bullets):
            lines += [r"\begin{itemize}"]
            lines += [r"  \item " + tex_escape(i) for i in block.items]
            lines += [r"\end{itemize}", ""]
        elif isinstance(block, TableBlock):
            lines += _tex_table(block.table)
    lines += [r"{\footnotesize " + tex_escape(prov.line()) + "}", ""]
    return "\n".join(lines)


def _tex_table(t: Table) -> list[str]:
    spec = "".join(
        "p{5cm}" if c.wide and c.kind == "text" else ("r" if c.kind != "text" else "l")
        for c in t.columns
    )
    head = " & ".join(tex_escape(c.name) for c in t.columns) + r" \\"
    out = [
        r"\begin{longtable}{" + spec + "}",
        r"\caption{" + tex_escape(t.title) + ". " + tex_escape(t.caption) + r"}\\",
        r"\toprule",
        head,
        r"\midrule",
        r"\endhead",
    ]
    for row in t.rows:
        out.append(
            " & ".join(tex_escape(show(v, c)) for v, c in zip(row, t.columns, strict=True)) + r" \\"
        )
    out += [r"\bottomrule", r"\end{longtable}"]
    out += [tex_escape(n) + r"\par" for n in t.notes]
    out.append("")
    return out


# --- HTML -------------------------------------------------------------------------------

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
p.note, .notes p { font-size: 9pt; color: #333; }
.banner { border: 2px solid #b00020; color: #b00020; font-weight: 700; padding: .4em .6em;
  margin: .6em 0 1em; text-align: center; letter-spacing: .03em; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .2em; font-size: 8.5pt;
  page-break-inside: auto; }
caption { caption-side: top; text-align: left; font-weight: 600; font-size: 10pt;
  padding-bottom: .2em; }
caption span { display: block; font-weight: 400; font-size: 9pt; color: #333; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top;
  overflow-wrap: break-word; hyphens: manual; }
th { background: #e8e8e8; text-align: left; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
td.w { min-width: 24mm; overflow-wrap: anywhere; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; max-width: 165mm; height: auto; margin: 0 auto; }
figcaption { font-size: 9pt; color: #333; }
.provenance { margin-top: 2em; font-size: 8pt; color: #444; border-top: 1px solid #999; }
.provenance table { font-size: 7.5pt; }
.provenance td { border: none; padding: 0 6px 0 0; }
@media print { body { margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; } }
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def to_html(paper: Paper) -> str:
    """One self-contained HTML file (styles and images inline) that prints to A4."""
    prov = paper.provenance
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{_h(prov.tool)}">',
        f"<title>{_h(paper.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_h(paper.title)}</h1>",
    ]
    if paper.subtitle:
        parts.append(f'<p class="subtitle">{_h(paper.subtitle)}</p>')
    if prov.illustrative:
        parts.append(f'<p class="banner" role="note">{_h(ILLUSTRATIVE)}</p>')
    parts.append("</header>")
    parts.append("<main>")
    for block in paper.blocks:
        parts.append(_html_block(block))
    parts.append("</main>")
    rows = "".join(f"<tr><td>{_h(k)}</td><td>{_h(v)}</td></tr>" for k, v in prov.summary())
    files = "".join(
        f"<tr><td>{_h(p)}</td><td><code>{_h(h)}</code></td></tr>" for p, h in prov.inputs
    )
    parts.append(
        '<footer class="provenance"><p><strong>Provenance</strong></p>'
        f"<table>{rows}</table><details><summary>Input files (SHA-256)</summary>"
        f"<table>{files}</table></details></footer>"
    )
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 4)
        return f"<h{level}>{_h(block.text)}</h{level}>"
    if isinstance(block, Para):
        cls = "" if block.style == "body" else f' class="{block.style}"'
        return f"<p{cls}>{_h(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_h(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        return (
            f'<figure id="figure-{block.number}"><img src="data:image/png;base64,{data}" '
            f'alt="{_h(block.alt)}"><figcaption>Figure {block.number}: {_h(block.title)}. '
            f"{_h(block.alt)}</figcaption></figure>"
        )
    t = block.table
    head = "".join(f'<th scope="col"{_cls(c, True)}>{_h(c.name)}</th>' for c in t.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{_cls(c, False)}>{_h(show(v, c))}</td>"
            for v, c in zip(row, t.columns, strict=True)
        )
        + "</tr>"
        for row in t.rows
    )
    notes = "".join(f"<p>{_h(n)}</p>" for n in t.notes)
    return (
        f'<table id="table-{t.key}"><caption>Table {block.number}: {_h(t.title)}'
        f"<span>{_h(t.caption)}</span></caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>" + (f'<div class="notes">{notes}</div>' if notes else "")
    )


def _cls(column: Column, header: bool) -> str:
    if column.kind != "text":
        return ' class="n"'
    return ' class="w"' if column.wide and not header else ""


# --- Excel ------------------------------------------------------------------------------


def _need(module: str, extra: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"{what} needs {module.split('.')[0]}: pip install 'appraise[{extra}]'"
        ) from None


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


def _excel_format(column: Column) -> str:
    decimals = "." + "0" * column.places if column.places else ""
    if column.kind == "percent":
        return f"0{decimals}%"
    return f"#,##0{decimals}"


def to_xlsx(paper: Paper) -> bytes:
    """A workbook: an About sheet (title, banner, provenance, list of tables), then a
    sheet per table with numbers as numbers, the header row frozen, widths set."""
    openpyxl = _need("openpyxl", "office", "Excel output")
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    about = wb.active
    about.title = "About"
    bold = Font(bold=True)
    rows: list[tuple[str, str]] = [(paper.title, "")]
    if paper.provenance.illustrative:
        rows.append(("ILLUSTRATIVE", ILLUSTRATIVE))
    rows += [("", ""), *paper.provenance.summary(), ("", ""), ("Tables", "")]
    names = list(_sheet_names(paper.tables))
    rows += [(n, f"{t.title}: {t.caption}") for n, t in zip(names, paper.tables, strict=True)]
    rows += [("", ""), ("Input file", "SHA-256"), *list(paper.provenance.inputs)]
    for r, (a, b) in enumerate(rows, start=1):
        _text_cell(about.cell(row=r, column=1), a)
        _text_cell(about.cell(row=r, column=2), b)
    about.cell(row=1, column=1).font = Font(bold=True, size=14)
    if paper.provenance.illustrative:
        about.cell(row=2, column=1).font = Font(bold=True, color="B00020")
        about.cell(row=2, column=2).font = Font(bold=True, color="B00020")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 100
    fill = PatternFill("solid", fgColor="E8E8E8")
    for name, table in zip(names, paper.tables, strict=True):
        ws = wb.create_sheet(name)
        for k, column in enumerate(table.columns, start=1):
            cell = ws.cell(row=1, column=k)
            _text_cell(cell, column.name)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(table.rows, start=2):
            for k, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
                cell = ws.cell(row=r, column=k)
                if isinstance(value, str):
                    _text_cell(cell, value)
                    if column.wide:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                elif value is not None and math.isfinite(float(value)):
                    cell.value = value
                    cell.number_format = _excel_format(column)
        below = len(table.rows) + 3
        for n, note in enumerate((table.caption, *table.notes)):
            _text_cell(ws.cell(row=below + n, column=1), note)
        ws.freeze_panes = "B2" if table.columns[0].kind == "text" else "A2"
        for k, column in enumerate(table.columns, start=1):
            longest = max(
                [len(show(row[k - 1], column)) for row in table.rows] + [len(column.name) // 2 + 2]
            )
            width = min(max(longest + 2, 8), 60 if column.wide else 24)
            ws.column_dimensions[get_column_letter(k)].width = width
        ws.sheet_view.zoomScale = 100
    wb.properties.creator = paper.provenance.tool
    wb.properties.title = paper.title
    stamp = _stamp(paper)  # fixed times: the same inputs give the same workbook
    wb.properties.created = stamp
    wb.properties.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    return _fix_zip_times(out.getvalue(), stamp)


def _stamp(paper: Paper) -> datetime:
    """The paper's generation time, for the files' own timestamps."""
    return datetime.strptime(paper.provenance.generated, "%Y-%m-%d %H:%M UTC")


def _text_cell(cell: Any, text: str) -> None:
    """A text cell that Excel shows as written and never runs as a formula."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _fix_zip_times(data: bytes, stamp: Any) -> bytes:
    """Rewrite a zip (xlsx, docx) with every member's time set to ``stamp`` and
    members in their original order, so identical content gives identical bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(<)",
                    lambda m: (
                        m.group(1) + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + m.group(3)
                    ),
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


# --- Word -------------------------------------------------------------------------------


def to_docx(paper: Paper) -> bytes:
    """A Word document: real Word tables with a numbered caption, header rows repeated
    on each page, numbers right-aligned; charts with alt text; provenance at the end."""
    docx = _need("docx", "office", "Word output")
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
    footer.text = _xml_safe(paper.provenance.line())
    footer.runs[0].font.size = Pt(7)
    doc.add_heading(_xml_safe(paper.title), level=0)
    if paper.subtitle:
        doc.add_paragraph(_xml_safe(paper.subtitle))
    if paper.provenance.illustrative:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(ILLUSTRATIVE)
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
                _word_cell(
                    header.cells[k], column.name, size, bold=True, right=column.kind != "text"
                )
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:fill"), "E8E8E8")
                header.cells[k]._tc.get_or_add_tcPr().append(shade)
            for r, row in enumerate(t.rows, start=1):
                cells = table.rows[r].cells
                for k, (value, column) in enumerate(zip(row, t.columns, strict=True)):
                    _word_cell(cells[k], show(value, column), size, right=column.kind != "text")
            _word_widths(table, t, width)
            for note in t.notes:
                p = doc.add_paragraph(_xml_safe(note))
                p.runs[0].font.size = Pt(8.5)
    doc.add_heading("Provenance", level=2)
    prov = doc.add_table(rows=0, cols=2)
    for label, value in paper.provenance.summary():
        cells = prov.add_row().cells
        _word_cell(cells[0], label, Pt(8), bold=True)
        _word_cell(cells[1], value, Pt(8))
    for path, digest in paper.provenance.inputs:
        cells = prov.add_row().cells
        _word_cell(cells[0], path, Pt(7))
        _word_cell(cells[1], digest, Pt(7))
    core = doc.core_properties
    core.author = paper.provenance.tool
    core.title = _xml_safe(paper.title)[:255]
    stamp = _stamp(paper)
    core.created = stamp
    core.modified = stamp
    core.last_modified_by = paper.provenance.tool
    core.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return _fix_zip_times(out.getvalue(), stamp)


def _word_widths(table: Any, t: Table, width: int) -> None:
    """Column widths from what the columns hold: long text gets the room, numbers and
    short codes what they need (Word's default splits the page evenly)."""
    share = []
    for k, c in enumerate(t.columns):
        texts = sorted(len(show(row[k], c)) for row in t.rows) or [0]
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


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Text Word's XML can hold (control characters dropped; everything else kept)."""
    return _XML_BAD.sub("", text)
