"""Showing user text safely: the one sanitiser for text that goes to a terminal or into
a message, and the one way a character is named.

Why:
    Names, titles, rationale and file names come from files anyone can write. A raw
    ESC (``\\x1b]0;…``) retitles the user's terminal, a BEL rings it, a carriage return
    overwrites what came before, a bidi override reverses what follows, and a zero-width
    space or a look-alike letter makes a wrong id look right. Every piece of user text
    printed by appraise (tables, messages, diagnostics) passes through :func:`shown`,
    which replaces each such character by a visible escape (``\\x1b``, ``\\u200b``), so
    the reader sees what is in the file and nothing can act on the terminal.

What counts as unsafe: every control character (Unicode category Cc: C0, DEL, C1),
every format character (Cf: zero-width, bidi controls, the BOM, tag characters), the
line and paragraph separators (Zl, Zp), lone surrogates (Cs, from undecodable file
names) and the noncharacters U+FFFE and U+FFFF (which no XML document may hold). Tab
and newline are kept where a text may span lines (``multiline=True``); in a one-line
field (a name, an id, a file name) they are escaped too.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["FORMULA_STARTS", "UNSAFE", "describe_char", "json_safe", "shown", "unsafe_chars"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell begins when a spreadsheet would run it as a formula (the escapers
neutralise such text on the way out; the import of a returned sheet undoes that)."""

UNSAFE = re.compile(
    "["
    "\x00-\x1f\x7f-\x9f"  # Cc
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"  # Cf
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u2028\u2029"  # Zl, Zp
    "\ufffe\uffff"  # noncharacters XML forbids
    "\ud800-\udfff"  # Cs
    "]"
)
"""Characters that must never reach a terminal raw (see the module's docstring)."""

_KEEP_MULTILINE = re.compile(r"[\t\n]")


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def shown(text: str, *, multiline: bool = False) -> str:
    """``text`` safe to print: each unsafe character replaced by its visible escape
    (``\\x1b``, ``\\u200b``, ``\\U000e0001``), and a backslash kept as it is.

    Args:
        text: user text (a name, a title, a file name, a rationale).
        multiline: keep tabs and newlines (rationale, notes); otherwise they are
            escaped too, so a one-line field stays on one line.
    """
    if multiline:
        return UNSAFE.sub(
            lambda m: m.group() if _KEEP_MULTILINE.match(m.group()) else _escape(m.group()),
            text,
        )
    return UNSAFE.sub(lambda m: _escape(m.group()), text)


def describe_char(char: str) -> str:
    """A character named so a reader can find it: ``U+0430 CYRILLIC SMALL LETTER A``,
    or ``U+200B ZERO WIDTH SPACE``; a printable one is also shown in quotes."""
    code = ord(char)
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Cc": "control character", "Cs": "lone surrogate"}.get(
            category, f"unnamed character (category {category})"
        )
    label = f"U+{code:04X} {name}"
    if UNSAFE.match(char) or unicodedata.category(char).startswith("Z"):
        return label
    return f"{label} ({char!r})" if char != "'" else f'{label} ("\'")'


def unsafe_chars(text: str) -> list[str]:
    """The distinct unsafe characters in ``text``, in order of first appearance."""
    found: list[str] = []
    for match in UNSAFE.finditer(text):
        if match.group() not in found:
            found.append(match.group())
    return found


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(dumped: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every unsafe
    character written as a ``\\uXXXX`` escape: the same data for a JSON reader, and
    nothing raw for a terminal that prints it. Safe on whole documents: JSON strings
    can hold no raw control character, and outside strings there is only whitespace."""
    return UNSAFE.sub(
        lambda m: m.group() if m.group() in "\n\t\r" else _json_escape(m.group()), dumped
    )


def group_digits(value: float, decimals: int = 0) -> str:
    """A money amount in messages: thousands grouped, ``decimals`` places (``2,411.70``);
    a whole number written with decimals keeps them only when they are not zero."""
    text = f"{value:,.{decimals}f}"
    return (
        text if decimals == 0 or not text.endswith("." + "0" * decimals) else text[: -decimals - 1]
    )
