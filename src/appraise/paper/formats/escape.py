"""Making user text inert in each format: HTML, Markdown, LaTeX, XML (Word, Excel), and
spreadsheet formulas (CSV, Excel).

Names, rationale and titles come from the appraisal's files, so any of them may hold
``<script>``, ``=HYPERLINK(…)``, LaTeX commands or control characters. Each writer
passes every piece of user text through the function for its format.
"""

from __future__ import annotations

import html as _html
import re

__all__ = [
    "FORMULA_STARTS",
    "html_escape",
    "md_escape",
    "neutralise",
    "tex_escape",
    "xml_safe",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell begins when a spreadsheet would run it as a formula."""


def neutralise(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (a leading ``'``, as
    OWASP advises for CSV injection); other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def html_escape(text: str) -> str:
    """Text inert in HTML (attributes included)."""
    return _html.escape(text, quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_MD_LEADING = re.compile(r"^(\d*)([#+\-.)]|!\[?)(?=\s|$)")


def md_escape(text: str) -> str:
    """Text inert in Markdown: emphasis, code, links, HTML and table pipes
    backslash-escaped, a leading heading, list or quote mark too; line breaks become
    spaces. Parentheses stay as they are (a link needs brackets first)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_LEADING.sub(r"\1\\\2", escaped)


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


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text an XML document (Word, Excel) can hold: control characters dropped."""
    return _XML_BAD.sub("", text)
