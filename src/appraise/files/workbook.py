"""Returned score sheets read back: a panel member's workbook or CSV (made by
:mod:`appraise.paper.forms`), or the moderation meeting's workbook, every cell checked.

Reading never trusts positions alone: each row is found by its criterion and option
ids, each column by its heading. What a spreadsheet can hold and YAML cannot (formulas,
merged cells, dates, text in a score) is reported at its cell; what validate checks is
checked by validate itself, on the file the import would write
(:func:`appraise.files.returns.plan_import`). The workbook's hidden record says which
appraisal, and which version of its options, criteria and scales, it was made for
(:func:`fingerprints`): another appraisal's, or a stale one, is refused with the reason.

Why:
    Panel members are a community nurse, a staff-side secretary, a LINk member, a finance
    manager and a council officer. They score in a spreadsheet; retyping their sheets is
    where scores get lost or transposed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from appraise.errors import Issue, MissingExtra, Severity
from appraise.files.loading import Appraisal
from appraise.files.models import Scale
from appraise.files.sheet import Agreed, Answer, Member, number

__all__ = [
    "CELL_CODES",
    "FORMAT",
    "HEADINGS",
    "HEAD_ROW",
    "MODERATION_HEADINGS",
    "Returned",
    "active_options",
    "fingerprints",
    "read_returned",
]

FORMAT = "1"
"""The layout's version, recorded in every workbook and CSV."""

SCORES_SHEET = "Scores"
MODERATION_SHEET = "Moderation"
RECORD_SHEET = "appraise"

HEADINGS = (
    "Criterion",
    "Option",
    "Option name",
    "Score",
    "Low",
    "High",
    "Rationale",
    "Evidence",
    "About the option",
)
"""The scoring table's columns, A to I (the CSV adds ``About the criterion``)."""


MODERATION_HEADINGS = (
    "Criterion",
    "Option",
    "Option name",
    "Agreed score",
    "Note",
    "Dissent",
    "Median",
    "Range",
    "Flagged",
)
"""The moderation table's first columns, A to I; then a column per panel member's score
and one with the panel's reasons."""

HEAD_ROW = 7
"""The row of column headings; the heading block is above it."""

UNPACKED_LIMIT = 100_000_000
"""A returned workbook's parts may unpack to at most this many bytes (a sheet for 2,000
options × 60 criteria unpacks to about 40 MB): a zip bomb is refused unread."""

FILE_LIMIT = 50_000_000
"""A returned file may be at most this many bytes (that sheet is 5 MB as a workbook)."""

_NUMBER_TEXT = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*")
_DISSENT = re.compile(
    r"\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(?:\(?\s*([+-]?\d+(?:\.\d+)?)\s*\)?)?\s*:\s*(.*)"
)


def fingerprints(appraisal: Appraisal) -> tuple[str, str]:
    """What a workbook records of the appraisal it was made for.

    Returns:
        ``(appraisal, structure)``: a digest of the appraisal's title (which appraisal),
        and one of the options, criteria and scales it lists (which version of them),
        each twelve hex digits after a letter, so that no spreadsheet reads one as a
        number.
    """
    info = appraisal.settings.appraisal
    who = hashlib.sha256(" ".join(info.title.split()).encode()).hexdigest()
    leaves = appraisal.leaves()
    shape = {
        "options": [o.id for o in active_options(appraisal)],
        "criteria": [n.criterion.id for n in leaves],
        "scales": [_scale_key(appraisal.scale_for(n.criterion)) for n in leaves],
    }
    what = hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()
    return f"a{who[:12]}", f"v{what[:12]}"


def _scale_key(scale: Scale) -> list[float | None]:
    return [scale.min, scale.max, scale.step]


def active_options(appraisal: Appraisal) -> list[Any]:
    """The options appraised (not discounted at the long-list filter), in file order."""
    return [o.item for o in appraisal.options() if not o.item.discounted]


# --- in --------------------------------------------------------------------------------


@dataclass
class Returned:
    """A returned workbook or CSV, read.

    Attributes:
        path: the file as shown in messages.
        kind: ``scores`` or ``moderation`` (``None`` when it could not be told).
        member: whose sheet (a scoring sheet).
        meeting: ``(chair, date, note)`` (a moderation sheet).
        answers: the scoring answers by ``(option id, criterion id)``.
        agreed: the agreed cells by ``(option id, criterion id)``.
        cells: where each value came from, by the data path validate names it by
            (``scores.CFT.VFM.score``), e.g. ``Scores!D12``.
        issues: what is wrong with the file itself.
        stale: whether it was made for another version of the options and criteria.
        stand_in: for validate only, cells whose own value could not be read (a
            formula, text in a score), with a value on the scale, so that validate
            checks the rest of the file; these cells are reported once, by the reader.
    """

    path: Path
    kind: str | None = None
    member: Member | None = None
    meeting: tuple[str, str | None, str | None] = ("", None, None)
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    agreed: dict[tuple[str, str], Agreed] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    stale: bool = False
    stand_in: dict[tuple[str, str], Any] = field(default_factory=dict)

    def error(self, code: str, message: str, hint: str, cell: str = "") -> None:
        self.issues.append(Issue(Severity.ERROR, code, message, hint, self.path, cell=cell))

    @property
    def ok(self) -> bool:
        """No error but in single cells: the rest of the file can still be checked."""
        return not any(
            i.severity is Severity.ERROR and i.code not in CELL_CODES for i in self.issues
        )

    @property
    def bad_cells(self) -> set[tuple[str, int, int]]:
        """Where the errors in single cells are (each reported once, not again by
        validate): ``(cell, line, column)``."""
        return {(i.cell, i.line, i.column) for i in self.issues if i.code in CELL_CODES}


CELL_CODES = frozenset(
    {
        "workbook-control",
        "workbook-not-number",
        "workbook-formula",
        "workbook-merged",
        "dissent-format",
        "workbook-blank",
    }
)
"""Errors in single cells: the cell is read as blank and the rest of the file checked,
so that one run reports every problem."""


class _Grid:
    """A sheet's cells as ``(row, column) -> value``, with each cell's reference."""

    def __init__(self, name: str, values: dict[tuple[int, int], Any]) -> None:
        self.name = name
        self.values = values
        self.rows = max((r for r, _ in values), default=0)

    def get(self, row: int, column: int) -> Any:
        return self.values.get((row, column))

    def ref(self, row: int, column: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.name}!{get_column_letter(column)}{row}"


def read_returned(path: Path, shown: Path, appraisal: Appraisal) -> Returned:
    """Read a returned scoring or moderation workbook (``.xlsx``) or scoring CSV.

    Args:
        path: the file.
        shown: the path to print in messages.
        appraisal: the appraisal it must have been made for.

    Returns:
        What was read, with every problem in the file itself in ``issues``.
    """
    import stat

    got = Returned(shown)
    suffix = path.suffix.lower()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            got.error("workbook-unreadable", f"is {kind}", "give the returned workbook's path")
            return got
        if info.st_size > FILE_LIMIT:
            got.error(
                "workbook-unreadable",
                f"is {info.st_size / 1e6:,.0f} MB, more than a score sheet can be "
                f"({FILE_LIMIT / 1e6:,.0f} MB)",
                "import the workbook appraise sheet made, filled in",
            )
            return got
        raw = path.read_bytes()
    except OSError as exc:
        got.error("workbook-unreadable", f"cannot be read: {exc.strerror or exc}", "check the path")
        return got
    if not raw.strip():
        got.error(
            "workbook-empty",
            "the file is empty (0 bytes of data)",
            "the workbook was not saved, or was cut short: ask for it again",
        )
        return got
    if suffix == ".csv" and raw.startswith(b"PK\x03\x04"):
        got.error(
            "workbook-unreadable",
            "is an Excel workbook named .csv",
            "rename it .xlsx (or save it from the spreadsheet program as CSV UTF-8)",
        )
    elif suffix == ".csv":
        _read_csv(got, raw, appraisal)
    elif suffix in (".xlsx", ".xlsm"):
        _read_xlsx(got, raw, appraisal)
    else:
        hint = (
            "save it as an Excel workbook (.xlsx) and import that"
            if suffix in (".xls", ".ods", ".numbers")
            else "import the .xlsx or .csv file appraise sheet made"
        )
        got.error("workbook-unreadable", f"`{suffix or path.name}` files cannot be imported", hint)
    return got


def _read_xlsx(got: Returned, raw: bytes, appraisal: Appraisal) -> None:
    import zipfile

    try:
        from openpyxl import load_workbook
    except ImportError:
        raise MissingExtra(
            "importing a workbook needs openpyxl", hint="pip install 'appraise[office]'"
        ) from None

    if not zipfile.is_zipfile(io.BytesIO(raw)):
        old = raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: .xls
        got.error(
            "workbook-unreadable",
            "is not an Excel workbook (.xlsx)"
            + (": it is an old-style .xls file renamed" if old else ""),
            "open it in the spreadsheet program and save it as Excel Workbook (.xlsx)",
        )
        return
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    if unpacked > UNPACKED_LIMIT:
        got.error(
            "workbook-unreadable",
            f"unpacks to {unpacked / 1e6:,.0f} MB, more than a score sheet can hold "
            f"({UNPACKED_LIMIT / 1e6:,.0f} MB)",
            "import the workbook appraise sheet made, filled in",
        )
        return
    try:
        wb = load_workbook(io.BytesIO(raw), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        got.error(
            "workbook-unreadable",
            f"cannot be read as an Excel workbook ({type(exc).__name__})",
            "open it in the spreadsheet program and save it again as .xlsx",
        )
        return
    names = wb.sheetnames
    if RECORD_SHEET not in names:
        got.error(
            "workbook-not-appraise",
            "was not made by appraise sheet (it has no `appraise` sheet)",
            "fill in the workbook appraise sheet --format xlsx made, not a copy of its cells",
        )
        return
    record = {
        str(r[0].value): ("" if r[1].value is None else str(r[1].value))
        for r in wb[RECORD_SHEET].iter_rows(min_col=1, max_col=2)
        if r[0].value is not None
    }
    kind = record.get("kind")
    sheet = MODERATION_SHEET if kind == "moderation" else SCORES_SHEET
    if not _same_appraisal(got, record, appraisal):
        return
    if sheet not in names:
        others = ", ".join(f"`{n}`" for n in names if n != RECORD_SHEET)
        got.error(
            "workbook-sheet-missing",
            f"has no sheet named `{sheet}` (it has {others})",
            f"rename the sheet back to {sheet}",
        )
        return
    ws = wb[sheet]
    grid = _Grid(sheet, {})
    extra = [n for n in names if n not in (sheet, RECORD_SHEET)]
    if extra:
        got.issues.append(
            Issue(
                Severity.WARNING,
                "workbook-extra-sheet",
                f"the sheet{'s' * (len(extra) > 1)} {', '.join(f'`{n}`' for n in extra)} "
                f"{'are' if len(extra) > 1 else 'is'} not read: only `{sheet}` is",
                f"put every answer in the {sheet} sheet",
                got.path,
            )
        )
    rows_made = HEAD_ROW + len(appraisal.leaves()) * (len(active_options(appraisal)) + 1)
    if ws.max_row > rows_made + 1_000 or ws.max_column > 100:
        got.error(
            "workbook-unreadable",
            f"its {sheet} sheet has cells as far as row {ws.max_row:,}, column "
            f"{ws.max_column:,}; the table appraise made ends at row {rows_made:,}",
            "clear what was added far below or to the right of the table, or fill in a new sheet",
        )
        return
    try:
        cells = [cell for row in ws.iter_rows() for cell in row]
    except Exception as exc:  # openpyxl raises many kinds for a damaged sheet
        got.error(
            "workbook-unreadable",
            f"its {sheet} sheet cannot be read ({type(exc).__name__}: {str(exc)[:80]})",
            "open it in the spreadsheet program and save it again as .xlsx",
        )
        return
    for cell in cells:
        if cell.value is None:
            continue
        if cell.data_type == "f":
            got.error(
                "workbook-formula",
                f"holds a formula ({str(cell.value)[:60]})",
                "type the value itself: a score is a judgement, not a calculation",
                grid.ref(cell.row, cell.column),
            )
            continue
        grid.values[cell.row, cell.column] = cell.value
    grid.rows = max((r for r, _ in grid.values), default=0)
    for merged in ws.merged_cells.ranges:
        if merged.min_row >= HEAD_ROW:
            got.error(
                "workbook-merged",
                f"cells {merged.coord} are merged",
                "unmerge them: each cell holds one answer",
                f"{sheet}!{merged.coord}",
            )
    if not got.ok:
        return
    if kind == "moderation":
        got.kind = "moderation"
        _read_moderation(got, grid, appraisal)
    else:
        got.kind = "scores"
        got.member = Member(
            record.get("scorer", ""),
            record.get("name", ""),
            record.get("role", ""),
            _said(got, grid, 4, 7, "the declared interests") or None,
        )
        got.cells["scorer.interests"] = grid.ref(4, 7)
        _valid_member(got)
        _read_scores(got, grid, appraisal, HEADINGS)


def _valid_member(got: Returned) -> None:
    """The record's panel member id must be an id: it names the file written."""
    from appraise.files.models import ID_PATTERN

    if got.member is not None and not ID_PATTERN.fullmatch(got.member.id):
        got.error(
            "workbook-not-appraise",
            f"its record names panel member {got.member.id[:40]!r}, which is not an id",
            "make the member's sheet again with appraise sheet --id ID",
        )


def _same_appraisal(got: Returned, record: Mapping[str, str], appraisal: Appraisal) -> bool:
    who, what = fingerprints(appraisal)
    title = record.get("title", "")
    if record.get("appraisal") != who:
        got.error(
            "workbook-other-appraisal",
            f"was made for another appraisal ({title!r}), not "
            f"{appraisal.settings.appraisal.title!r}",
            "import it into the appraisal it was made for (-C DIR); if this appraisal's "
            "title was changed after the sheets went out, change it back to import them",
        )
        return False
    if record.get("format", FORMAT) != FORMAT:
        got.error(
            "workbook-stale",
            f"has layout {record.get('format')}; this appraise reads layout {FORMAT}",
            "make a new sheet with this version of appraise",
        )
        return False
    got.kind = record.get("kind")
    got.stale = record.get("structure") != what  # the reason is told once the rows are read
    return True


def _read_csv(got: Returned, raw: bytes, appraisal: Appraisal) -> None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        got.error(
            "csv-encoding",
            "is UTF-16 (Excel's 'Unicode Text'), not UTF-8",
            "save it again as 'CSV UTF-8 (Comma delimited)'",
        )
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        got.issues.append(
            Issue(
                Severity.ERROR,
                "csv-encoding",
                f"is not UTF-8: byte 0x{byte:02X} (`{guess}` in Windows-1252)",
                "save it again as 'CSV UTF-8 (Comma delimited)' (Excel) or with the "
                "character set Unicode (UTF-8) (LibreOffice)",
                got.path,
                line,
                column,
            )
        )
        return
    sample = text.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        got.issues.append(
            Issue(
                Severity.ERROR,
                "csv-syntax",
                f"cannot be read as CSV: {exc}",
                'a quote inside a cell must be doubled ("") and the cell quoted; save it '
                "again from the spreadsheet program rather than a text editor",
                got.path,
                reader.line_num,
            )
        )
        return
    if not rows or not rows[0] or rows[0][0] != "appraise score sheet":
        got.error(
            "workbook-not-appraise",
            "was not made by appraise sheet (its first row is not `appraise score sheet`)",
            "fill in the CSV appraise sheet --format csv made, keeping its first rows",
        )
        return
    head = rows[0] + ["", "", ""]
    panel = (rows[1] if len(rows) > 1 else []) + ["", "", "", ""]
    interests = (rows[2] if len(rows) > 2 else []) + ["", ""]
    title = (rows[3] if len(rows) > 3 else []) + ["", ""]
    record = {
        "format": head[1],
        "appraisal": head[2],
        "structure": head[3],
        "title": title[1],
        "kind": "scores",
    }
    if not _same_appraisal(got, record, appraisal):
        return
    got.kind = "scores"
    got.member = Member(
        panel[1],
        _unneutral(panel[2]),
        _unneutral(panel[3]),
        _unneutral(interests[1]).strip() or None,
    )
    _valid_member(got)
    grid = _Grid("", {})
    for r, row in enumerate(rows, start=1):
        for k, value in enumerate(row, start=1):
            if value != "":
                grid.values[r, k] = _unneutral(value)
    grid.rows = len(rows)
    got.cells["scorer.interests"] = "3:2"
    got.cells["scorer.name"] = "2:3"
    got.cells["scorer.role"] = "2:4"
    assert got.member is not None
    got.member = Member(
        got.member.id,
        _said(got, grid, 2, 3, "the name"),
        _said(got, grid, 2, 4, "the role"),
        _said(got, grid, 3, 2, "the declared interests") or None,
    )
    head_row = next((r for r, row in enumerate(rows, start=1) if row[:1] == ["Criterion"]), 0)
    _read_scores(got, grid, appraisal, (*HEADINGS, "About the criterion"), head_row or HEAD_ROW)


def _unneutral(text: str) -> str:
    """A CSV cell as it was before :func:`neutralise` (a ``'`` before a formula start)."""
    from appraise.text import FORMULA_STARTS

    if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _where(got: Returned, grid: _Grid, row: int, column: int) -> str:
    if grid.name:
        return grid.ref(row, column)
    return f"{row}:{column}"  # a CSV: line and field


def _headings_ok(
    got: Returned, grid: _Grid, head_row: int, headings: Sequence[str], columns: int
) -> bool:
    ok = True
    for k, want in enumerate(headings[:columns], start=1):
        have = _text(grid.get(head_row, k))
        if have != want:
            moved = have in headings
            got.error(
                "workbook-column-moved",
                f"the column heading is {have!r}, where appraise sheet put {want!r}"
                + (": a column was moved" if moved else ": a column was deleted or renamed"),
                "put the columns back as appraise sheet made them (or fill in a new sheet)",
                _cellref(got, grid, head_row, k),
            )
            ok = False
            break  # one moved column shifts every heading after it
    return ok


def _cellref(got: Returned, grid: _Grid, row: int, column: int) -> str:
    return grid.ref(row, column) if grid.name else ""


def _csv_issue(got: Returned, code: str, message: str, hint: str, row: int, column: int) -> None:
    got.issues.append(Issue(Severity.ERROR, code, message, hint, got.path, row, column))


def _problem(
    got: Returned, grid: _Grid, code: str, message: str, hint: str, row: int, column: int
) -> None:
    if grid.name:
        got.error(code, message, hint, grid.ref(row, column))
    else:
        _csv_issue(got, code, message, hint, row, column)


def _rows(
    got: Returned, grid: _Grid, appraisal: Appraisal, head_row: int, answers: range
) -> Iterator[tuple[int, str, str]]:
    """Each data row's ``(row, option id, criterion id)``; rows with unknown, repeated or
    missing ids are reported (a criterion's own heading row has no option id)."""
    from appraise.files.checks.context import Context

    ctx = Context(appraisal)
    options = ctx.active_ids
    criteria = ctx.leaf_ids
    known_o, known_c = ctx.active_set, set(criteria)
    seen: dict[tuple[str, str], int] = {}
    found_o: set[str] = set()
    found_c: set[str] = set()
    for r in range(head_row + 1, grid.rows + 1):
        c_id, o_id = _text(grid.get(r, 1)), _text(grid.get(r, 2))
        if not o_id:
            if any(grid.get(r, k) not in (None, "") for k in answers):
                _problem(
                    got,
                    grid,
                    "workbook-row-unknown",
                    "an answer in a row with no option id",
                    "answer in the rows appraise sheet made",
                    r,
                    2,
                )
            continue
        found_c.add(c_id)
        found_o.add(o_id)
        if c_id not in known_c or o_id not in known_o:
            column, what, pool = (
                (1, f"criterion `{c_id}`", criteria)
                if c_id not in known_c
                else (2, f"option `{o_id}`", options)
            )
            _problem(
                got,
                grid,
                "workbook-row-unknown",
                f"unknown {what} in this row",
                ctx.suggest(c_id if column == 1 else o_id, pool)
                or "leave the id columns as appraise sheet wrote them",
                r,
                column,
            )
            continue
        if (o_id, c_id) in seen:
            _problem(
                got,
                grid,
                "workbook-row-repeated",
                f"a second row for {o_id} × {c_id} (the first is row {seen[o_id, c_id]})",
                "delete the copy",
                r,
                1,
            )
            continue
        seen[o_id, c_id] = r
        yield r, o_id, c_id
    if got.stale:
        added = [x for x in (*options, *criteria) if x not in found_o | found_c]
        gone = sorted((found_o - known_o) | (found_c - known_c))
        parts = [f"{', '.join(added)} added"] if added else []
        parts += [f"{', '.join(gone)} removed"] if gone else []
        since = "; ".join(parts) or "a criterion's scale changed"
        who = got.member.id if got.member else "ID"
        got.issues.insert(
            0,
            Issue(
                Severity.ERROR,
                "workbook-stale",
                f"was made before the appraisal's options or criteria changed ({since})",
                f"make a new sheet (appraise sheet --id {who} --format xlsx) and copy the "
                "answers across",
                got.path,
            ),
        )
        return
    last = head_row
    for c in criteria:
        for o in options:
            if (o, c) in seen:
                last = seen[o, c]
                continue
            _problem(
                got,
                grid,
                "workbook-row-missing",
                f"no row for {o} × {c} (it belongs below row {last}): a row was deleted",
                "put the row back with its ids in columns A and B, or fill in a new sheet",
                last + 1,
                1,
            )


def _read_scores(
    got: Returned,
    grid: _Grid,
    appraisal: Appraisal,
    headings: Sequence[str],
    head_row: int = HEAD_ROW,
) -> None:
    if not _headings_ok(got, grid, head_row, headings, len(HEADINGS)):
        return
    for r, o_id, c_id in _rows(got, grid, appraisal, head_row, range(4, 7)):
        values: dict[str, float | None] = {}
        path = f"scores.{o_id}.{c_id}"
        got.cells.setdefault(f"scores.{o_id}", _where(got, grid, r, 2))
        for column, key in ((4, "score"), (5, "low"), (6, "high")):
            got.cells[f"{path}.{key}"] = _where(got, grid, r, column)
            values[key] = _number(got, grid, r, column, key)
        got.cells[path] = _where(got, grid, r, 4)
        got.cells[f"{path}.rationale"] = _where(got, grid, r, 7)
        got.cells[f"{path}.evidence"] = _where(got, grid, r, 8)
        rationale = _said(got, grid, r, 7, "the rationale")
        evidence = tuple(
            line.strip()
            for line in _said(got, grid, r, 8, "the evidence").split("\n")
            if line.strip()
        )
        answer = Answer(values["score"], rationale, values["low"], values["high"], evidence)
        got.answers[o_id, c_id] = answer
        bad = {cell for cell, _, _ in got.bad_cells} | {
            f"{line}:{column}" for _, line, column in got.bad_cells
        }
        if got.cells[f"{path}.score"] in bad:  # checked as if on the scale, the rest
            low = appraisal.scale_for(appraisal_criterion(appraisal, c_id)).min
            got.stand_in[o_id, c_id] = Answer(low, answer.rationale, evidence=evidence)
        elif bad & {got.cells[f"{path}.low"], got.cells[f"{path}.high"]}:
            got.stand_in[o_id, c_id] = Answer(answer.score, answer.rationale, evidence=evidence)


def _read_moderation(got: Returned, grid: _Grid, appraisal: Appraisal) -> None:
    chair = _said(got, grid, 2, 5, "the chair")
    got.meeting = (
        chair,
        _said(got, grid, 3, 5, "the date") or None,
        _said(got, grid, 4, 5, "the note on the meeting") or None,
    )
    got.cells["moderation.chair"] = grid.ref(2, 5)
    got.cells["moderation.date"] = grid.ref(3, 5)
    got.cells["moderation.note"] = grid.ref(4, 5)
    got.cells["moderation"] = grid.ref(2, 5)
    if not chair:
        got.error(
            "workbook-blank",
            "the chair is not named",
            "name who chaired the moderation meeting",
            grid.ref(2, 5),
        )
    if not _headings_ok(got, grid, HEAD_ROW, MODERATION_HEADINGS, len(MODERATION_HEADINGS)):
        return
    from appraise.files.checks.context import Context

    ctx = Context(appraisal)
    panel = ctx.scorer_ids
    for r, o_id, c_id in _rows(got, grid, appraisal, HEAD_ROW, range(4, 7)):
        path = f"scores.{o_id}.{c_id}"
        got.cells[path] = got.cells[f"{path}.score"] = grid.ref(r, 4)
        got.cells[f"{path}.note"] = grid.ref(r, 5)
        got.cells[f"{path}.dissent"] = grid.ref(r, 6)
        score = _number(got, grid, r, 4, "agreed score")
        if score is None and any(i.cell == grid.ref(r, 4) for i in got.issues):
            got.stand_in[o_id, c_id] = Agreed(
                appraisal.scale_for(appraisal_criterion(appraisal, c_id)).min
            )
        note, dissent_text = (
            _said(got, grid, r, 5, "the note"),
            _said(got, grid, r, 6, "the dissent"),
        )
        dissent = []
        for line in filter(None, (x.strip() for x in dissent_text.split("\n"))):
            m = _DISSENT.fullmatch(line)
            if m is None or not m.group(3).strip():
                got.error(
                    "dissent-format",
                    f"cannot read the dissent {line[:60]!r}",
                    "write one line per member: 'P4 3: reason' or 'P4: reason'",
                    grid.ref(r, 6),
                )
                continue
            who = m.group(1)
            if panel and who not in panel:
                got.error(
                    "dissent-format",
                    f"dissent by `{who}`, who has no score sheet",
                    ctx.suggest(who, sorted(panel)) or "use a panel member's id",
                    grid.ref(r, 6),
                )
                continue
            dissent.append((who, float(m.group(2)) if m.group(2) else None, m.group(3).strip()))
        if score is None:
            if note or dissent:
                got.error(
                    "workbook-blank",
                    f"a note or dissent for {o_id} × {c_id} but no agreed score",
                    "fill in the agreed score, or clear the note",
                    grid.ref(r, 4),
                )
            continue
        got.agreed[o_id, c_id] = Agreed(score, note, tuple(dissent))


def appraisal_criterion(appraisal: Appraisal, criterion_id: str) -> Any:
    """The scored criterion with this id."""
    return next(n.criterion for n in appraisal.leaves() if n.criterion.id == criterion_id)


def _text(value: Any) -> str:
    """A cell as text: numbers as a person writes them; line endings as ``\\n``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()  # a date typed into a cell: Excel holds it so
    if isinstance(value, datetime | date | time | timedelta):
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _said(got: Returned, grid: _Grid, row: int, column: int, what: str) -> str:
    """A text answer; a character no appraisal file may hold (a control character, a
    line separator pasted from a word processor) is an error at its cell, and dropped."""
    from appraise.files.yamlio import BAD_CHARS
    from appraise.text import describe_char

    text = _text(grid.get(row, column))
    bad = BAD_CHARS.findall(text)
    if bad:
        _problem(
            got,
            grid,
            "workbook-control",
            f"{what} holds {describe_char(bad[0])}"
            + (f" (and {len(bad) - 1} more such characters)" if len(bad) > 1 else ""),
            "delete it (it is often pasted in invisibly from another program)",
            row,
            column,
        )
        text = BAD_CHARS.sub("", text)
    return text


def _number(got: Returned, grid: _Grid, row: int, column: int, what: str) -> float | None:
    value = grid.get(row, column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | datetime | date | time | timedelta):
        kind = "TRUE/FALSE" if isinstance(value, bool) else "a date or time"
        _problem(
            got,
            grid,
            "workbook-not-number",
            f"{what} is {kind}, not a number",
            "type the number itself (format the cell as General or Number)",
            row,
            column,
        )
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    text = str(value)
    if _NUMBER_TEXT.fullmatch(text) and math.isfinite(float(text)):
        return float(text)
    comma = re.fullmatch(r"\s*[+-]?\d+,\d+\s*", text)
    _problem(
        got,
        grid,
        "workbook-not-number",
        f"{what} {text.strip()[:40]!r} is not a number",
        "write the decimal with a point (5.5)"
        if comma
        else "type one number on the criterion's scale (pick one from the cell's list)",
        row,
        column,
    )
    return None
