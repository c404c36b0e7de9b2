"""Making user text inert in each format: HTML, Markdown, LaTeX, XML (Word, Excel), and
spreadsheet formulas (CSV, Excel).

Names, rationale and titles come from the appraisal's files, so any of them may hold
``<script>``, ``=HYPERLINK(…)``, LaTeX commands or control characters. Each writer
passes every piece of user text through the function for its format.

Every escaper first shows control, format (bidi, zero-width) and separator characters
as visible escapes (``\\x1b``, ``\\u202e``) with :func:`appraise.text.shown`, the
same as the terminal does: such a character cannot end a LaTeX comment, split a CSV
row, retitle a terminal that prints the Markdown, reverse the text after it, or make
an XML document ill-formed, and the reader sees that it is there.
"""

from __future__ import annotations

import html as _html
import re

from appraise.text import FORMULA_STARTS, shown

__all__ = [
    "FORMULA_STARTS",
    "css_string",
    "csv_cell",
    "html_escape",
    "md_escape",
    "neutralise",
    "tex_escape",
    "xml_safe",
]


def neutralise(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (a leading ``'``, as
    OWASP advises for CSV injection), also after leading spaces (a spreadsheet that
    trims them would run it); other text unchanged."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def csv_cell(text: str) -> str:
    """A CSV cell: control characters shown as escapes (a carriage return would split
    the row in a spreadsheet and let the next cell run as a formula), then neutralised."""
    return neutralise(shown(text))


def html_escape(text: str) -> str:
    """Text inert in HTML (attributes included)."""
    return _html.escape(shown(text, multiline=True), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_MD_LEADING = re.compile(r"^(?:(\d+)([.)])(?=\s|$)|([#+\-=!]))")


def md_escape(text: str, *, cell: bool = False) -> str:
    """Text inert in Markdown, read back as exactly the text: emphasis, code, links,
    HTML, entities (``&amp;``) and table pipes backslash-escaped, and (unless it is a
    table ``cell``, where no block starts) a leading heading, list, rule (``---``) or
    setext (``===``) mark too; line breaks become spaces. Parentheses stay as they are
    (a link needs brackets first)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", shown(" ".join(text.split())))
    if cell:
        return escaped
    return _MD_LEADING.sub(lambda m: f"{m[1] or ''}\\{m[2] or m[3]}", escaped)


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
    return _TEX_RE.sub(lambda m: _TEX[m.group()], shown(" ".join(text.split())))


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text an XML document (Word, Excel) can hold: control and format characters
    shown as escapes (tab and newline kept), and any other character XML forbids
    dropped."""
    return _XML_BAD.sub("", shown(text, multiline=True))


def css_string(text: str) -> str:
    """``text`` as a CSS string: quotes, backslashes, ``<`` (which could close the
    style element) and anything not printable escaped."""
    out = []
    for ch in shown(text):
        if ch in '"\\<>' or not ch.isprintable():
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
