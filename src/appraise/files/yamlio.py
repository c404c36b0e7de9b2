"""Safe, strict YAML reading with line and column for every key and value.

:func:`read_yaml` turns one file into plain Python data (``dict``, ``list``, ``str``,
``int``, ``float``, ``bool``, ``None``) or a list of :class:`~appraise.errors.Issue`.
It builds the data from libyaml's event stream (PyYAML's C parser when present), not
from PyYAML's constructor, so that it can:

* refuse every tag (``!!python/object``, ``!env``, ``!!binary`` …): no code, no surprises;
* report duplicate keys, including keys that read the same but differ in form
  (``2.1`` and ``2.10``, ``'7'`` and ``7``);
* keep YAML 1.1's surprises as the text the user wrote: ``NO``, ``on``, ``010``,
  ``1:30`` and dates stay strings, marked as :class:`Yaml11Text` so that an id field
  can say "quote it" and a number field can say what YAML 1.1 would have read;
* accept only plain decimal numbers that are finite;
* bound file size and nesting depth *before* the parser sees the text, and bound
  alias expansion while building;
* check the bytes are UTF-8 without control characters, reporting the line.

Locations are not stored while reading: :meth:`Document.locate` re-reads the text with
location recording on, the first time an issue needs one. A valid appraisal pays
nothing for locations.

Why:
    PyYAML's constructor silently turns ``NO`` into ``False``, ``010`` into ``8`` and
    keeps the last of two duplicate keys; its composer recurses and crashes the
    interpreter on deep nesting; and libyaml's parser is quadratic in flow nesting depth
    (200,000 ``[`` take minutes). Building from events fixes all of these and is about
    ten times faster than ``yaml.load(..., CSafeLoader)``.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from appraise.errors import Issue, Severity

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = [
    "DEFAULT_LIMITS",
    "AliasUse",
    "Document",
    "Limits",
    "Location",
    "Yaml11Text",
    "read_yaml",
]

PathKey = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds applied to every file before and while it is read.

    Attributes:
        max_bytes: the largest file accepted.
        max_depth: the deepest nesting of mappings and lists.
        max_alias_values: how many values aliases (``*name``) may expand to in a file.
        max_values: how many values (scalars, lists and mappings) one file may hold. A
            100,000-option options file holds about two million; the limit bounds the
            time and memory of a hostile file well below what 64 MiB of ``- 1`` lines
            (16 million values) would take.
    """

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_alias_values: int = 100_000
    max_values: int = 4_000_000


DEFAULT_LIMITS = Limits()


class Yaml11Text(str):
    """Text that a YAML 1.1 reader would have turned into something else.

    It behaves as the string the user wrote. ``note`` says what YAML 1.1 makes of it
    (``read as false by YAML 1.1``), so that checks can ask for quotes where it matters.
    """

    note: str

    def __new__(cls, value: str, note: str) -> Yaml11Text:
        """Make the text, remembering what YAML 1.1 would read."""
        obj = super().__new__(cls, value)
        obj.note = note
        return obj


@dataclass(frozen=True, slots=True)
class Location:
    """Where a key and its value stand in a file (1-based lines and columns).

    Attributes:
        key_line: line of the key (for list items, of the item).
        key_column: column of the key.
        line: line of the value.
        column: column of the value.
    """

    key_line: int
    key_column: int
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class AliasUse:
    """One alias in a file: ``*name`` at ``line``:``column`` copies the value anchored
    with ``&name`` at ``anchor_line``:``anchor_column``."""

    name: str
    line: int
    column: int
    anchor_line: int
    anchor_column: int


class Document:
    """One YAML file, read.

    Attributes:
        path: the file as the user should see it.
        data: the plain data.
        text: the decoded text, kept to find locations when an issue needs one (a
            large file's is held compressed until then: a 10 MB score file is most of
            what an appraisal of 100,000 cells would otherwise keep).
        sha256: hex SHA-256 of the file's bytes as read (for provenance).
        aliases: every alias (``*name``) in the file, where it stands and where its
            anchor was set, so a kind of file that must not copy values can say so.
    """

    __slots__ = ("_locations", "_packed", "_text", "aliases", "data", "path", "sha256")

    PACK_ABOVE = 256 * 1024
    """Texts longer than this (in characters) are held compressed."""

    def __init__(
        self,
        path: Path,
        data: Any,
        text: str,
        sha256: str = "",
        aliases: list[AliasUse] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.sha256 = sha256
        self.aliases = aliases if aliases is not None else []
        self._locations: dict[PathKey, int] | None = None
        self._packed: bytes | None = None
        self._text: str | None = text
        if len(text) > self.PACK_ABOVE:
            self._packed = zlib.compress(text.encode("utf-8"), 1)
            self._text = None

    @property
    def text(self) -> str:
        """The decoded text of the file."""
        if self._text is not None:
            return self._text
        assert self._packed is not None
        return zlib.decompress(self._packed).decode("utf-8")

    def __repr__(self) -> str:
        return f"Document(path={self.path!r})"

    def locate_all(self, wheres: list[PathKey]) -> list[Location]:
        """The locations of several values at once, as :meth:`locate` gives them.

        For a large file not yet mapped, only the paths leading to these are noted, so
        that a file of a million keys with one misspelt key costs one more read, not a
        map of every value.
        """
        if self._locations is not None or self._text is not None:
            return [self.locate(where) for where in wheres]
        wanted: set[PathKey] = set()
        for where in wheres:
            path = tuple(where)
            wanted.update(path[:i] for i in range(len(path) + 1))
        recorder = _Builder(self.text, DEFAULT_LIMITS, record=True, wanted=wanted)
        recorder.build()
        return [_nearest(recorder.locations, tuple(where)) for where in wheres]

    def locate(self, where: PathKey) -> Location:
        """The location of the value at ``where`` (a tuple of keys and list indices).

        A path that does not exist (a missing key) resolves to its nearest existing
        parent, so an issue about a missing key points at the mapping that lacks it.
        """
        if self._locations is None:
            recorder = _Builder(self.text, DEFAULT_LIMITS, record=True)
            recorder.build()
            self._locations = recorder.locations
        return _nearest(self._locations, tuple(where))


def _nearest(locations: dict[PathKey, int], path: PathKey) -> Location:
    """The location of ``path``, or of its nearest parent that has one."""
    while path:
        found = locations.get(path)
        if found is not None:
            return _unpack(found)
        path = path[:-1]
    root = locations.get(())
    return _unpack(root) if root is not None else Location(1, 1, 1, 1)


def issue_at(
    severity: Severity,
    code: str,
    message: str,
    hint: str,
    doc: Document | None,
    where: PathKey = (),
    *,
    key: bool = True,
) -> Issue:
    """An issue about the value at ``where`` in ``doc``: its key's line and column (or
    the value's, with ``key=False``) and its data path (``options[2].id``)."""
    if doc is None:
        return Issue(severity, code, message, hint)
    loc = doc.locate(where)
    line, column = (loc.key_line, loc.key_column) if key else (loc.line, loc.column)
    dotted = ""
    for part in where:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else str(part))
    return Issue(severity, code, message, hint, doc.path, line, column, dotted)


def read_yaml(
    path: Path, shown: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Document | None, list[Issue]]:
    """Read one YAML file safely.

    Args:
        path: the file to read.
        shown: the path to print in issues (defaults to ``path``).
        limits: size, depth and alias bounds.

    Returns:
        The document (``None`` if it could not be read at all) and the issues found.
        Issues are errors; the document is returned only when there are none.
    """
    shown = shown if shown is not None else path
    try:
        raw = _read_regular(path, limits.max_bytes)
    except _NotRegular:
        return None, [
            _issue(
                shown,
                0,
                0,
                "file-unreadable",
                "not a regular file (a FIFO, a device or a socket), so it is not read",
                "replace it with an ordinary file, or remove it",
            )
        ]
    except _TooLarge as big:
        return None, [
            _issue(
                shown,
                1,
                1,
                "file-too-large",
                f"file is {big.size:,} bytes, more than the limit of {limits.max_bytes:,}",
                "split it into several files in the same folder",
            )
        ]
    except OSError as exc:
        return None, [
            _issue(
                shown,
                0,
                0,
                "file-unreadable",
                f"cannot read the file: {exc.strerror or exc}",
                "check that it exists and is readable",
            )
        ]
    text, issues = decode_text(raw, shown)
    if text is None:
        return None, issues
    doc, issues = parse_text(text, shown, limits)
    if doc is not None:
        doc.sha256 = hashlib.sha256(raw).hexdigest()
    return doc, issues


class _NotRegular(Exception):
    pass


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Why:
        The folder listing and the read are two moments: a FIFO put in a file's place
        between them would block ``open`` and ``read`` for ever. Opening without
        blocking and checking what was opened (``fstat``) cannot hang.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular
        if info.st_size > limit:
            raise _TooLarge(info.st_size)
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
        if len(raw) > limit:
            raise _TooLarge(len(raw))
        return raw
    finally:
        os.close(fd)


def decode_text(raw: bytes, shown: Path) -> tuple[str | None, list[Issue]]:
    """Decode UTF-8 (a BOM and CRLF line ends are fine); report bad bytes by line.

    Args:
        raw: the file's bytes.
        shown: the path to print in issues.

    Returns:
        The text with ``\\n`` line ends, or ``None`` and the issues.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        return None, [
            _issue(
                shown,
                line,
                column,
                "not-utf8",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                "save the file as UTF-8 (in Excel or Word: 'CSV UTF-8' / 'Unicode (UTF-8)')",
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    issues: list[Issue] = []
    for match in _BAD_CHARS.finditer(text):
        pos = match.start()
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = match.group()
        if char == "\r":
            message = "a carriage return (CR) without a line feed"
            hint = "use ordinary line ends (LF or CRLF)"
        else:
            message = f"control character U+{ord(char):04X} is not allowed"
            hint = "delete it (it is often pasted in invisibly from another program)"
        issues.append(_issue(shown, line, column, "control-character", message, hint))
        if len(issues) >= 20:
            break
    return (None, issues) if issues else (text, [])


def parse_text(
    text: str, shown: Path, limits: Limits = DEFAULT_LIMITS
) -> tuple[Document | None, list[Issue]]:
    """Parse decoded text into a :class:`Document`, or return the issues.

    Args:
        text: the decoded text.
        shown: the path to print in issues.
        limits: depth and alias bounds.
    """
    problem = _prescan_depth(text, limits.max_depth)
    if problem is not None:
        line, column = problem
        return None, [
            _issue(
                shown,
                line,
                column,
                "too-deep",
                f"nesting deeper than {limits.max_depth} levels",
                "appraisal files need only a few levels; check the brackets",
            )
        ]
    builder = _Builder(text, limits, record=False)
    try:
        data = builder.build()
    except yaml.MarkedYAMLError as exc:
        opened = exc.context_mark
        if opened is not None and "quoted scalar" in (exc.context or ""):
            line, column = opened.line + 1, opened.column + 1
            return None, [
                _issue(
                    shown,
                    line,
                    column,
                    "yaml-syntax",
                    f"YAML syntax error: the quote opened at line {line} column {column} "
                    "is never closed",
                    "close the quote at the end of the value on that line, or remove it",
                )
            ]
        mark = exc.problem_mark or exc.context_mark
        runaway = _runaway_quote(getattr(builder, "last_event", None), mark)
        if runaway is not None:
            return None, [runaway.issue(shown)]
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem_text = exc.problem or exc.context or "invalid YAML"
        hint = _syntax_hint(problem_text)
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            hint = "indent with spaces, not tabs"
        return None, [
            _issue(shown, line, column, "yaml-syntax", f"YAML syntax error: {problem_text}", hint)
        ]
    except yaml.YAMLError as exc:
        return None, [
            _issue(
                shown,
                1,
                1,
                "yaml-syntax",
                f"YAML syntax error: {exc}",
                "check the file's indentation and quotes",
            )
        ]
    except _Fatal as fatal:
        return None, [*builder.issues(shown), fatal.issue(shown)]
    issues = builder.issues(shown)
    if issues:
        return None, issues
    if data is _NOTHING or data is None:
        return None, [
            _issue(
                shown,
                1,
                1,
                "empty-file",
                "the file is empty",
                "add its content, or delete the file",
            )
        ]
    return Document(path=shown, data=data, text=text, aliases=builder.aliases), []


# --- internals -------------------------------------------------------------------------

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
BAD_CHARS = _BAD_CHARS
"""Characters no appraisal file may hold (a CR only as part of CRLF)."""
_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_YAML11_BOOLS = {
    **dict.fromkeys(("yes", "Yes", "YES", "y", "Y", "on", "On", "ON"), "true"),
    **dict.fromkeys(("no", "No", "NO", "n", "N", "off", "Off", "OFF"), "false"),
}
_NUMERIC_START = frozenset("0123456789+-.")
_YAML11_EXP_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*\.[0-9_]*[eE][-+][0-9]+")
_YAML11_INT = re.compile(
    r"[-+]?(?:0b[0-1_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+"
    r"|(?:0|[1-9][0-9_]*))"
)
_YAML11_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?"
)
_STR_TAGS = frozenset({"!", "tag:yaml.org,2002:str"})
_NOTHING: Any = object()
_NOKEY: Any = object()
_VALUE_KEY = "\x00number:"


def _pack(key_line: int, key_column: int, line: int, column: int) -> int:
    """Four positions as one int: a recorded location costs one object, not five."""
    return key_line | key_column << 32 | line << 64 | column << 96


def _unpack(packed: int) -> Location:
    mask = 0xFFFFFFFF
    return Location(packed & mask, packed >> 32 & mask, packed >> 64 & mask, packed >> 96)


def _issue(path: Path, line: int, column: int, code: str, message: str, hint: str) -> Issue:
    return Issue(Severity.ERROR, code, message, hint, path, line, column)


def _runaway_quote(event: Any, mark: Any) -> _Fatal | None:
    """A quote left open runs on until the next quote closes it, and the parser fails
    only there, lines later. When the value just before the failure is quoted and
    spans lines up to the failure, the mistake is where that quote opened."""
    if not isinstance(event, yaml.ScalarEvent) or event.style not in ('"', "'"):
        return None
    start, end = event.start_mark, event.end_mark
    if (
        mark is None
        or start is None
        or end is None
        or end.line <= start.line
        or mark.line - end.line > 1
    ):
        return None
    line, column = start.line + 1, start.column + 1
    return _Fatal(
        line,
        column,
        "yaml-syntax",
        f"YAML syntax error: the quote opened at line {line} column {column} is not closed "
        f"on its line, so the text runs on to line {end.line + 1}, where the file stops "
        "making sense",
        f"close the quote at the end of line {line}'s value",
    )


def _syntax_hint(problem: str) -> str:
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, or a key is indented wrongly"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "text starting with @ or ` must be quoted"
    if "duplicate" in problem:
        return "remove one of them"
    return "check the indentation and quotes on this line and the one before"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _prescan_depth(text: str, max_depth: int) -> tuple[int, int] | None:
    """Find flow nesting (``[[[…``) deeper than the limit without parsing.

    Brackets inside quoted text are counted too, so this can only over-estimate; it
    never lets real deep nesting through to the parser.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return None
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        if match.group() in "[{":
            depth += 1
            if depth > max_depth:
                pos = match.start()
                return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1
        elif depth:
            depth -= 1
    return None


def classify_plain(value: str) -> Any:
    """The value of a plain (unquoted) scalar under appraise's strict rules.

    ``true``/``false`` are booleans, ``null``/``~``/nothing is ``None``, plain decimals
    are numbers, and everything YAML 1.1 would retype (``yes``, ``010``, ``1:30``,
    ``2007-08-01``, ``.inf``) stays text, as :class:`Yaml11Text`. Anything else is text.
    """
    if value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1):
        return int(value)  # the commonest number in an appraisal: a score such as 7
    if not value or value[0] in _NUMERIC_START or len(value) <= 5:
        if value in _NULLS:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if value in _YAML11_BOOLS:
            return Yaml11Text(value, f"YAML 1.1 reads it as {_YAML11_BOOLS[value]}")
        if value and value[0] in _NUMERIC_START:
            return _classify_numeric(value)
    return value


def _classify_numeric(value: str) -> Any:
    match = _NUMBER.fullmatch(value)
    if match is not None and match.group(2) and not _YAML11_EXP_FLOAT.fullmatch(value):
        return Yaml11Text(value, "YAML 1.1 reads it as text, YAML 1.2 as a number")
    if match is not None:
        number: int | float = float(value) if match.group(1) or match.group(2) else int(value)
        if isinstance(number, float) and not math.isfinite(number):
            return Yaml11Text(value, "it is too large to be a finite number")
        return number
    if _TIMESTAMP.fullmatch(value):
        return Yaml11Text(value, "YAML 1.1 reads it as a date")
    if re.fullmatch(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", value):
        return Yaml11Text(value, "it is not a finite number")
    if _YAML11_INT.fullmatch(value) or _YAML11_FLOAT.fullmatch(value):
        reading = yaml.safe_load(value)  # tiny, already known to be a number
        return Yaml11Text(value, f"YAML 1.1 reads it as the number {reading!r}")
    return value


def number_text(value: str) -> tuple[str, str]:
    """Message and hint for text found where a number was expected.

    Only a quoted scalar can be a plain decimal held as text (a plain one is read as a
    number), so only then does the message say "in quotes". Text that Python would take
    for a number but appraise does not (full-width ``７``, Arabic-Indic digits) names the
    character at fault instead.
    """
    from appraise.text import describe_char, shown

    if _NUMBER.fullmatch(value):
        return f"expected a number, got the text {value!r} (in quotes)", "remove the quotes"
    odd = next((c for c in value if not c.isascii()), None)
    if odd is not None:
        folded = unicodedata.normalize("NFKC", value)
        hint = (
            f"write it with the digits 0-9: {folded}"
            if _NUMBER.fullmatch(folded)
            else "write a number with the digits 0-9"
        )
        return (
            f"expected a number, got the text `{shown(value)}`: it holds "
            f"{describe_char(odd)}, not an ASCII digit",
            hint,
        )
    return f"expected a number, got the text `{shown(value)}`", "write a number"


class _Fatal(Exception):
    def __init__(self, line: int, column: int, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.where = (line, column, code, message, hint)

    def issue(self, path: Path) -> Issue:
        line, column, code, message, hint = self.where
        return _issue(path, line, column, code, message, hint)


class _Frame:
    __slots__ = (
        "anchor",
        "anchor_mark",
        "container",
        "is_map",
        "key",
        "key_mark",
        "keys",
        "path",
        "recording",
        "size",
    )

    def __init__(
        self,
        container: Any,
        is_map: bool,
        path: PathKey,
        anchor: str | None,
        anchor_mark: tuple[int, int],
        recording: bool = False,
    ) -> None:
        self.container = container
        self.recording = recording
        self.is_map = is_map
        self.key: Any = _NOKEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.path = path
        self.size = 1
        self.anchor = anchor
        self.anchor_mark = anchor_mark
        self.keys: dict[str, tuple[int, int]] | None = {} if is_map else None


class _Builder:
    """Turns libyaml events into plain data, checking as it goes."""

    def __init__(
        self, text: str, limits: Limits, *, record: bool, wanted: set[PathKey] | None = None
    ) -> None:
        """``record``: note where each value stands (in :attr:`locations`); ``wanted``:
        only these paths and what leads to them (all when ``None``)."""
        self.text = text
        self.limits = limits
        self.record = record
        self.wanted = wanted
        self.parents = None if wanted is None else {p[:i] for p in wanted for i in range(len(p))}
        self.locations: dict[PathKey, int] = {}
        self.anchors: dict[str, tuple[Any, int, int, int]] = {}
        self.aliases: list[AliasUse] = []
        self.alias_values = 0
        self.problems: list[tuple[int, int, str, str, str]] = []

    def issues(self, path: Path) -> list[Issue]:
        return [_issue(path, *p) for p in self.problems]

    def build(self) -> Any:
        """The file's data (raising libyaml's errors and :class:`_Fatal`); after a
        libyaml error, :attr:`last_event` is the last event read before it."""
        loader = _Loader(self.text)
        try:
            return self._build(loader.get_event)
        finally:
            loader.dispose()

    def _build(self, get_event: Any) -> Any:
        stack: list[_Frame] = []
        root: Any = _NOTHING
        documents = 0
        max_depth = self.limits.max_depth
        values_left = self.limits.max_values
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        stream_end = yaml.StreamEndEvent
        intern = sys.intern
        event: Any = None
        while True:
            try:
                event = get_event()
            except yaml.YAMLError:
                self.last_event = event  # the last event read before the error
                raise
            cls = type(event)
            if cls is stream_end:
                break
            # The common case, kept short: a plain or quoted scalar without tag or
            # anchor, inside a mapping or list (each branch ends the event).
            if cls is scalar_event and stack and event.tag is None and not stack[-1].recording:
                values_left -= 1
                if values_left < 0:
                    raise self._too_many(event.start_mark)
                if event.anchor is None:
                    text = event.value
                    value = classify_plain(text) if not event.style else text
                    frame = stack[-1]
                    frame.size += 1
                    if not frame.is_map:
                        frame.container.append(value)
                        continue
                    key = frame.key
                    if key is _NOKEY:
                        keys = frame.keys
                        if (
                            type(value) is str
                            and value
                            and value != "<<"
                            and keys is not None
                            and value not in keys
                        ):
                            mark = event.start_mark
                            frame.key_mark = keys[value] = (mark.line + 1, mark.column + 1)
                            frame.key = intern(value)
                        else:
                            self._key(frame, value, event)
                        continue
                    if type(key) is _DuplicateKey:
                        self._attach(stack, value, event)
                    else:
                        frame.container[key] = value
                        frame.key = _NOKEY
                    continue
                values_left += 1  # counted again below
            cls = type(event)
            if cls is scalar_event or cls is mapping_start or cls is sequence_start:
                values_left -= 1
                if values_left < 0:
                    raise self._too_many(event.start_mark)
            if cls is scalar_event:
                value = self._scalar(event)
                size = 1
            elif cls is mapping_start or cls is sequence_start:
                mark = event.start_mark
                if event.tag is not None and not (cls is mapping_start and event.implicit):
                    self._tag_problem(event.tag, mark)
                if len(stack) >= max_depth:
                    raise _Fatal(
                        mark.line + 1,
                        mark.column + 1,
                        "too-deep",
                        f"nesting deeper than {max_depth} levels",
                        "appraisal files need only a few levels",
                    )
                is_map = cls is mapping_start
                container: Any = {} if is_map else []
                recording = stack[-1].recording if stack else self.record
                path = self._attach(stack, container, event) if stack else ()
                if recording and self.parents is not None and path not in self.parents:
                    recording = False  # nothing wanted lies inside this one
                if not stack:
                    root = container
                    if self.record:
                        self.locations[()] = _pack(
                            mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1
                        )
                start = (mark.line + 1, mark.column + 1)
                stack.append(_Frame(container, is_map, path, event.anchor, start, recording))
                continue
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.container, frame.size, *frame.anchor_mark)
                if stack:
                    stack[-1].size += frame.size
                continue
            elif cls is alias_event:
                mark = event.start_mark
                if event.anchor not in self.anchors:
                    raise _Fatal(
                        mark.line + 1,
                        mark.column + 1,
                        "yaml-alias",
                        f"alias *{event.anchor} refers to an anchor that is not "
                        "defined before it (or to one that contains it)",
                        f"define &{event.anchor} earlier in the file",
                    )
                value, size, anchor_line, anchor_column = self.anchors[event.anchor]
                self.aliases.append(
                    AliasUse(
                        event.anchor, mark.line + 1, mark.column + 1, anchor_line, anchor_column
                    )
                )
                self.alias_values += size
                if self.alias_values > self.limits.max_alias_values:
                    raise _Fatal(
                        mark.line + 1,
                        mark.column + 1,
                        "yaml-alias-bomb",
                        f"aliases expand to more than {self.limits.max_alias_values:,} values",
                        "write the values out instead of nesting aliases",
                    )
                if stack and stack[-1].is_map and stack[-1].key is _NOKEY:
                    raise _Fatal(
                        mark.line + 1,
                        mark.column + 1,
                        "bad-key",
                        "an alias cannot be used as a key",
                        "write the key out",
                    )
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise _Fatal(
                        mark.line + 1,
                        mark.column + 1,
                        "many-documents",
                        "the file holds more than one YAML document (---)",
                        "put each document in a file of its own",
                    )
                continue
            else:
                continue
            if not stack:
                root = value
                if getattr(event, "anchor", None) is not None and cls is scalar_event:
                    self._anchor_scalar(event, value)
                continue
            frame = stack[-1]
            frame.size += size
            if frame.is_map and frame.key is _NOKEY:
                self._key(frame, value, event)
                continue
            self._attach(stack, value, event)
            if cls is scalar_event and event.anchor is not None:
                self._anchor_scalar(event, value)
        return root

    def _anchor_scalar(self, event: Any, value: Any) -> None:
        mark = event.start_mark
        self.anchors[event.anchor] = (value, 1, mark.line + 1, mark.column + 1)

    def _too_many(self, mark: Any) -> _Fatal:
        return _Fatal(
            mark.line + 1,
            mark.column + 1,
            "too-many-values",
            f"this file holds more than {self.limits.max_values:,} values; "
            "an appraisal file this size is not expected",
            "split it into several files in the same folder",
        )

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is not None and not (event.implicit[0] or event.implicit[1]):
            if tag not in _STR_TAGS:
                self._tag_problem(tag, event.start_mark)
            return event.value
        if not event.style and event.implicit[0]:
            return classify_plain(event.value)
        return event.value

    def _tag_problem(self, tag: str, mark: Any) -> None:
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.problems.append(
            (
                mark.line + 1,
                mark.column + 1,
                "yaml-tag",
                f"YAML tag {shown} is not allowed",
                "remove the tag: appraisal files hold plain text, numbers, lists and mappings",
            )
        )

    def _key(self, frame: _Frame, key: Any, event: Any) -> None:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        if isinstance(key, (dict, list)):
            raise _Fatal(
                line,
                column,
                "bad-key",
                "a key must be text or a number",
                "write a plain key such as `name:`",
            )
        if key is None:
            self.problems.append(
                (line, column, "bad-key", "a key is empty", "write the key's name before the colon")
            )
        if key == "<<" and getattr(event, "style", None) in (None, ""):
            self.problems.append(
                (
                    line,
                    column,
                    "yaml-merge",
                    "merge keys (<<) are not supported",
                    "write the keys out in full",
                )
            )
        raw = event.value if type(event) is yaml.ScalarEvent else str(key)
        assert frame.keys is not None
        number_key = _number_key(key)
        first = frame.keys.get(raw)
        if first is None and number_key is not None:
            first = frame.keys.get(number_key)
        if first is not None:
            self.problems.append(
                (
                    line,
                    column,
                    "duplicate-key",
                    f"duplicate key {raw!r} (first at line {first[0]}, column {first[1]})",
                    "keep one of them: YAML tools silently keep only the last",
                )
            )
            frame.key = _DuplicateKey(key)
        else:
            frame.keys[raw] = (line, column)
            if number_key is not None:
                frame.keys[number_key] = (line, column)
            # Keys repeat in every row (a criterion id once per option per scorer): one
            # copy of each is enough.
            frame.key = sys.intern(key) if type(key) is str else key
        frame.key_mark = (line, column)

    def _attach(self, stack: list[_Frame], value: Any, event: Any) -> PathKey:
        frame = stack[-1]
        if frame.is_map:
            if frame.key is _NOKEY:
                mark = event.start_mark
                raise _Fatal(
                    mark.line + 1,
                    mark.column + 1,
                    "bad-key",
                    "a key must be text or a number",
                    "write a plain key such as `name:`",
                )
            key = frame.key
            frame.key = _NOKEY
            if isinstance(key, _DuplicateKey):
                return (*frame.path, key) if frame.recording else ()
            frame.container[key] = value
            if not frame.recording:
                return ()
            path = (*frame.path, key)
            key_line, key_column = frame.key_mark
        else:
            frame.container.append(value)
            if not frame.recording:
                return ()
            path = (*frame.path, len(frame.container) - 1)
            key_line = key_column = 0
        if self.wanted is None or path in self.wanted:
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            self.locations[path] = _pack(key_line or line, key_column or column, line, column)
        return path


class _DuplicateKey:
    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key


def _number_key(key: Any) -> str | None:
    """A number's identity as a key: ``2.1`` and ``2.10`` (and ``1`` and ``true``) clash."""
    if isinstance(key, (int, float)):
        try:
            return _VALUE_KEY + repr(float(key))
        except OverflowError:  # pragma: no cover - integers beyond float range
            return _VALUE_KEY + repr(key)
    return None
