"""Costs read from a workbook's cells: a CIA workbook's NPC, or a cost line's years.

An amount may be ``{workbook, sheet, cell}``: the cell's value as Excel last saved it
is the amount, and the workbook's SHA-256 goes into the provenance. Every way a
reference can go wrong is an error at the reference's line and column in the options
file, and a workbook that is too big, or unpacks to too much, is refused unread.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, copy_example

RunCli = Callable[..., Run]

openpyxl = pytest.importorskip("openpyxl")

OPTIONS = "options/shortlist.yaml"
CIA = "costs/cia.xlsx"
SHEET = "NPC summary"
CELLS: dict[str, Any] = {
    "F42": 2345.5,  # an option's risk-adjusted NPC
    "F43": "see note 4",  # text
    "F44": "=F42*1.1",  # a formula openpyxl writes with no value saved
    "C10": 230,  # a revenue line's years, C10:F10
    "D10": 230,
    "E10": 240,
    "F10": 240,
    "C5": 950,  # a transition line's first year
    "H7": 420,  # a risk's impact
    "F46": datetime.datetime(2009, 4, 1),
    "F47": True,
    "F48": "#DIV/0!",  # an error value
}


def _cia(path: Path, cells: dict[str, Any] | None = None, sheets: tuple[str, ...] = ()) -> Path:
    """A small CIA-like workbook: sheet "NPC summary" holding ``cells`` (default
    :data:`CELLS`), then the sheets named in ``sheets``, empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for address, value in (CELLS if cells is None else cells).items():
        ws[address] = value
    for name in sheets or ("Assumptions",):
        wb.create_sheet(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _ref(cell: str, workbook: str = CIA, sheet: str = SHEET) -> str:
    return f"{{workbook: {workbook}, sheet: {sheet}, cell: {cell}}}"


def _option_block(text: str, option: str, start: str, end: str) -> tuple[int, int]:
    """Where ``option``'s block from the line ``start`` up to the line ``end`` is."""
    at = text.index(f"  - id: {option}\n")
    a = text.index(start, at)
    return a, text.index(end, a)


def _copy(tmp_path: Path, name: str) -> Path:
    """A copy of the example in its own folder ``name`` under ``tmp_path``."""
    (tmp_path / name).mkdir()
    return copy_example(tmp_path / name)


def _set_cost(folder: Path, option: str, body: str) -> None:
    """Replace ``option``'s whole ``cost:`` block with ``body`` (lines under it)."""
    path = folder / OPTIONS
    text = path.read_text(encoding="utf-8")
    a, b = _option_block(text, option, "    cost:\n", "    hurdles:\n")
    path.write_text(text[:a] + "    cost:\n" + body + text[b:], encoding="utf-8")


def _replace(folder: Path, option: str, old: str, new: str) -> None:
    """Replace ``old`` (once) inside ``option``'s cost block."""
    path = folder / OPTIONS
    text = path.read_text(encoding="utf-8")
    a, b = _option_block(text, option, "    cost:\n", "    hurdles:\n")
    block = text[a:b]
    assert block.count(old) == 1, old
    path.write_text(text[:a] + block.replace(old, new) + text[b:], encoding="utf-8")


def _at(folder: Path, needle: str) -> str:
    """``options/shortlist.yaml:LINE:COL`` of the one place ``needle`` is written."""
    text = (folder / OPTIONS).read_text(encoding="utf-8")
    assert text.count(needle) == 1, needle
    before = text[: text.index(needle)]
    return f"{OPTIONS}:{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def _npc_envelope(folder: Path) -> None:
    """Make hurdle H3's envelope one a single amount can be tested on (an NPC total)."""
    path = folder / "criteria" / "hurdles.yaml"
    text = path.read_text(encoding="utf-8")
    old = "      total: 2500\n      categories: [transition]\n"
    assert old in text
    path.write_text(text.replace(old, "      total: 5000\n      measure: npc\n"), encoding="utf-8")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example with a CIA workbook in ``costs/`` and an NPC envelope."""
    folder = copy_example(tmp_path)
    _cia(folder / CIA)
    _npc_envelope(folder)
    return folder


def _costs(run_cli: RunCli, folder: Path) -> dict[str, float]:
    result = run_cli("score", ".", "--format", "json", cwd=folder)
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    return {o["id"]: o["cost"] for o in data["value_for_money"]["options"]}


def _errors(run_cli: RunCli, folder: Path) -> list[str]:
    result = run_cli("validate", ".", cwd=folder)
    assert result.exit_code == 1, result
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def _one_error(run_cli: RunCli, folder: Path) -> str:
    errors = _errors(run_cli, folder)
    assert len(errors) == 1, errors
    return errors[0]


# -- reading the cells ----------------------------------------------------------------------


def test_an_options_npc_from_a_cell(run_cli: RunCli, example: Path) -> None:
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    assert _costs(run_cli, example)["SE"] == 2345.5


@pytest.mark.parametrize("cell", ["$F$42", "F$42", "$F42", "f42", "f$42"])
def test_absolute_and_lowercase_addresses(run_cli: RunCli, example: Path, cell: str) -> None:
    _set_cost(example, "SE", f"      amount: {_ref(cell)}\n")
    assert _costs(run_cli, example)["SE"] == 2345.5


def test_a_lines_years_a_years_label_and_a_risk_from_cells(run_cli: RunCli, tmp_path: Path) -> None:
    """The same numbers give the same cost whether written or read from cells."""
    read, written = _copy(tmp_path, "read"), _copy(tmp_path, "written")
    _cia(read / CIA)
    cells = ", ".join(_ref(c) for c in ("C10", "D10", "E10", "F10"))
    _replace(read, "CFT", "years: [0, 220, 220, 220, 220]", f"years: [0, {cells}]")
    _replace(written, "CFT", "years: [0, 220, 220, 220, 220]", "years: [0, 230, 230, 240, 240]")
    _replace(read, "CFT", '{"2009/10": 900, ', f'{{"2009/10": {_ref("C5")}, ')
    _replace(written, "CFT", '{"2009/10": 900, ', '{"2009/10": 950, ')
    _replace(read, "CFT", "impact: 400", f"impact: {_ref('H7')}")
    _replace(written, "CFT", "impact: 400", "impact: 420")
    original = _costs(run_cli, _copy(tmp_path, "original"))
    from_cells = _costs(run_cli, read)
    assert from_cells == _costs(run_cli, written)
    assert from_cells["CFT"] > original["CFT"] + 100
    assert {k: v for k, v in from_cells.items() if k != "CFT"} == {
        k: v for k, v in original.items() if k != "CFT"
    }


def test_one_workbook_is_read_once_for_many_cells(
    run_cli: RunCli, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl as module

    loads: list[bool] = []
    real = module.load_workbook

    def counting(*args: Any, **kwargs: Any) -> Any:
        loads.append(kwargs.get("data_only", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "load_workbook", counting)
    cells = ", ".join(_ref(c) for c in ("C10", "D10", "E10", "F10"))
    _replace(example, "CFT", "years: [0, 220, 220, 220, 220]", f"years: [0, {cells}]")
    _set_cost(example, "SE", f"      amount: {_ref('$F$42')}\n")
    run_cli("validate", ".", cwd=example)
    assert loads == [True]


# -- what can go wrong, each at its reference ---------------------------------------------


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("F43", f"{CIA}:{SHEET}!F43 holds 'see note 4', not a number"),
        ("F45", f"{CIA}:{SHEET}!F45 is empty"),
        ("F46", f"{CIA}:{SHEET}!F46 holds 2009-04-01 00:00:00, not a number"),
        ("F47", f"{CIA}:{SHEET}!F47 holds True, not a number"),
        ("F48", f"{CIA}:{SHEET}!F48 holds '#DIV/0!', not a number"),
        ("F44", f"{CIA}:{SHEET}!F44 holds a formula (=F42*1.1) with no saved value"),
        ("$ZZZ$9", f"{CIA}:{SHEET}!ZZZ9 is beyond the last cell a sheet can have (XFD1048576)"),
        ("A1048577", f"{CIA}:{SHEET}!A1048577 is beyond the last cell a sheet can have "),
    ],
)
def test_a_cell_that_holds_no_number(
    run_cli: RunCli, example: Path, cell: str, message: str
) -> None:
    _set_cost(example, "SE", f"      amount: {_ref(cell)}\n")
    error = _one_error(run_cli, example)
    assert error.startswith(f"{_at(example, 'amount: {workbook')}: error: {message}")


def test_a_formula_without_its_value_says_to_save_it_in_excel(
    run_cli: RunCli, example: Path
) -> None:
    _set_cost(example, "SE", f"      amount: {_ref('F44')}\n")
    result = run_cli("validate", ".", cwd=example)
    assert result.exit_code == 1
    assert "hint: open the workbook in Excel and save it" in result.stderr


def test_a_formula_with_its_saved_value_is_read(run_cli: RunCli, example: Path) -> None:
    """As Excel saves it: the formula and, beside it, its value (``<v>``)."""
    book = example / CIA
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"<f>F42*1.1</f><v></v>" in parts[sheet]
    parts[sheet] = parts[sheet].replace(b"<f>F42*1.1</f><v></v>", b"<f>F42*1.1</f><v>2580.05</v>")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    _set_cost(example, "SE", f"      amount: {_ref('F44')}\n")
    assert _costs(run_cli, example)["SE"] == 2580.05


def test_a_missing_sheet_lists_the_sheets(run_cli: RunCli, example: Path) -> None:
    _set_cost(example, "SE", f"      amount: {_ref('F42', sheet='NPC Summary')}\n")
    assert _one_error(run_cli, example) == (
        f"{_at(example, 'amount: {workbook')}: error: {CIA} has no sheet 'NPC Summary' "
        "(its sheets: 'NPC summary', 'Assumptions')"
    )


def test_an_error_in_a_lines_year_is_at_that_year(run_cli: RunCli, example: Path) -> None:
    cells = ", ".join(_ref(c) for c in ("C10", "F43", "E10", "F10"))
    _replace(example, "CFT", "years: [0, 220, 220, 220, 220]", f"years: [0, {cells}]")
    error = _one_error(run_cli, example)
    where = _at(example, _ref("F43"))
    assert error == f"{where}: error: {CIA}:{SHEET}!F43 holds 'see note 4', not a number"


def test_every_problem_in_one_run_each_with_its_code(run_cli: RunCli, example: Path) -> None:
    refs = {
        "SE": _ref("F43"),
        "CIC": _ref("F44"),
        "CHT": _ref("F42", sheet="Summary"),
        "CT": _ref("F42", workbook="costs/old.xlsx"),
        "PRIV": _ref("F42", workbook="../x.xlsx"),
    }
    for option, ref in refs.items():
        _set_cost(example, option, f"      amount: {ref}\n")
    result = run_cli("validate", ".", "--format", "json", cwd=example)
    assert result.exit_code == 1
    issues = [i for i in json.loads(result.stdout)["issues"] if i["severity"] == "error"]
    assert [(i["where"], i["code"]) for i in issues] == [
        ("options[2].cost.amount", "cell-not-number"),
        ("options[3].cost.amount", "cell-not-number"),
        ("options[4].cost.amount", "cell-missing"),
        ("options[5].cost.amount", "cell-missing"),
        ("options[7].cost.amount", "cell-missing"),
    ]


def _outside(folder: Path, kind: str) -> str:
    """A workbook reference that leads out of ``folder``, of one ``kind``."""
    outside = _cia(folder.parent / "x.xlsx")
    if kind == "parent":
        return "../x.xlsx"
    if kind == "absolute":
        return str(outside)
    (folder / "costs" / "link.xlsx").symlink_to(outside)
    return "costs/link.xlsx"


@pytest.mark.parametrize("kind", ["parent", "absolute", "link"])
def test_a_workbook_outside_the_appraisal_folder(run_cli: RunCli, example: Path, kind: str) -> None:
    workbook = _outside(example, kind)
    _set_cost(example, "SE", f"      amount: {_ref('F42', workbook=workbook)}\n")
    assert _one_error(run_cli, example) == (
        f"{_at(example, 'amount: {workbook')}: error: workbook {workbook} is outside the "
        "appraisal folder"
    )


def _damage(folder: Path, kind: str) -> str:
    """Put a workbook of one bad ``kind`` at ``costs/cia.xlsx``; the message's end."""
    book = folder / CIA
    if kind == "missing":
        book.unlink()
        return "is not there"
    if kind == "text":
        book.write_text("item,npc\nCFT,2771\n", encoding="utf-8")
        return "cannot be read: it is not an Excel workbook (.xlsx)"
    if kind == "xls":
        book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
        return "cannot be read: it is an old-style .xls or a password-protected workbook, not .xlsx"
    if kind == "empty":
        book.write_bytes(b"")
        return "cannot be read: it is empty (0 bytes)"
    if kind == "zip":
        with zipfile.ZipFile(book, "w") as z:
            z.writestr("readme.txt", "not a workbook")
        return "cannot be read: it is damaged (KeyError)"
    if kind == "directory":  # a central directory that points at nothing
        raw = book.read_bytes()
        end = raw.rindex(b"PK\x05\x06")
        book.write_bytes(raw[:end][:100] + raw[end:])
        return "cannot be read: it is damaged (BadZipFile)"
    if kind == "folder":
        book.unlink()
        book.mkdir()
        return "is not a file (a folder, or a device)"
    assert kind == "loop"
    book.unlink()
    book.symlink_to(book.name)
    return "cannot be found: its path is a link that leads round in a loop"


@pytest.mark.parametrize(
    "kind", ["missing", "text", "xls", "empty", "zip", "directory", "folder", "loop"]
)
def test_a_workbook_that_cannot_be_read(run_cli: RunCli, example: Path, kind: str) -> None:
    message = _damage(example, kind)
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    assert _one_error(run_cli, example) == (
        f"{_at(example, 'amount: {workbook')}: error: workbook {CIA} {message}"
    )


@pytest.mark.parametrize("cell", ["F0", "AAAA1", "42F", "F-1", "F42:F43", "R42C6"])
def test_a_bad_address_is_a_schema_error(run_cli: RunCli, example: Path, cell: str) -> None:
    _set_cost(example, "SE", f"      amount: {_ref(cell)}\n")
    errors = _errors(run_cli, example)
    # one schema error, at the address itself
    assert errors == [
        f"{_at(example, cell + '}')}: error: '{cell}' is not a cell's address such as F42 "
        "(at options[2].cost.amount.cell)"
    ]


# -- size limits: refused before they are read -----------------------------------------------


def test_a_workbook_over_the_file_limit_is_not_read(
    run_cli: RunCli, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A (sparse) file of 100 GB is refused by its size: nothing is read or unpacked."""
    import openpyxl as module

    book = example / CIA
    with open(book, "r+b") as handle:
        handle.truncate(100 * 10**9)
    monkeypatch.setattr(module, "load_workbook", _never)
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    started = time.monotonic()
    error = _one_error(run_cli, example)
    assert time.monotonic() - started < 10
    assert error == (
        f"{_at(example, 'amount: {workbook')}: error: workbook {CIA} is 100,000,000,000 bytes, "
        "more than a workbook read for costs may be (50 MB)"
    )


def _never(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the workbook was opened")


def test_a_zip_bomb_is_refused_unpacked(
    run_cli: RunCli, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part that unpacks to more than UNPACKED_LIMIT: no part is unpacked at all."""
    import openpyxl as module

    from appraise.files.workbook import UNPACKED_LIMIT

    book = example / CIA
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/media/padding.bin", bytes(UNPACKED_LIMIT))
    assert book.stat().st_size < 1_000_000
    monkeypatch.setattr(module, "load_workbook", _never)
    monkeypatch.setattr(zipfile.ZipFile, "open", _never)
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    error = _one_error(run_cli, example)
    assert error.startswith(f"{_at(example, 'amount: {workbook')}: error: workbook {CIA} ")
    assert error.endswith(f"bytes, more than {UNPACKED_LIMIT / 1e6:,.0f} MB")
    assert "cannot be read: it unpacks to 100,0" in error


def test_a_part_that_lies_about_its_size_is_read_no_further(run_cli: RunCli, example: Path) -> None:
    """A sheet that says it unpacks to 1 kB but holds 60 MB: reading stops at 1 kB."""
    book = example / CIA
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    real = parts[sheet]
    padded = real.replace(b"</sheetData>", b"</sheetData>" + b" " * 60_000_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, padded if name == sheet else data)
    raw = bytearray(buffer.getvalue())
    size = len(padded).to_bytes(4, "little")
    lie = (1000).to_bytes(4, "little")
    count = raw.count(size)
    assert count == 2  # the local header's and the central directory's
    book.write_bytes(bytes(raw).replace(size, lie))
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    started = time.monotonic()
    error = _one_error(run_cli, example)
    assert time.monotonic() - started < 20
    assert error.startswith(f"{_at(example, 'amount: {workbook')}: error: workbook {CIA} ")
    assert "cannot be read: it is damaged (" in error


def test_a_stray_cell_at_excels_last_row_costs_nothing(run_cli: RunCli, example: Path) -> None:
    """A cell at XFD1048576 makes the sheet claim 17 billion cells; only F42 is read."""
    _cia(example / CIA, {**CELLS, "XFD1048576": 1})
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    started = time.monotonic()
    assert _costs(run_cli, example)["SE"] == 2345.5
    assert time.monotonic() - started < 30


# -- validate reads, never writes ----------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("cell", ["F42", "F43"])
def test_validate_in_ci_writes_nothing_and_leaves_the_workbook_alone(
    run_cli: RunCli, example: Path, monkeypatch: pytest.MonkeyPatch, cell: str
) -> None:
    monkeypatch.setenv("CI", "true")
    _set_cost(example, "SE", f"      amount: {_ref(cell)}\n")
    book = example / CIA
    os.utime(book, ns=(1_000_000_000, 1_000_000_000))
    before = _snapshot(example.parent)
    for fmt in ("text", "json", "github"):
        result = run_cli("validate", ".", "--format", fmt, cwd=example)
        assert result.exit_code == (0 if cell == "F42" else 1), result
    assert _snapshot(example.parent) == before
    assert book.stat().st_mtime_ns == 1_000_000_000


# -- provenance ---------------------------------------------------------------------------------


def _provenance(run_cli: RunCli, folder: Path, output: Path) -> dict[str, Any]:
    result = run_cli("export", ".", "-o", str(output), "--table", "ranking", cwd=folder)
    assert result.exit_code == 0, result
    return json.loads(output.read_text(encoding="utf-8"))["provenance"]  # type: ignore[no-any-return]


def _touch_one_byte(book: Path) -> None:
    """Change one byte of the workbook that no reader looks at: the first part's time
    in its local header (the central directory's copy is the one read)."""
    raw = bytearray(book.read_bytes())
    assert raw[:4] == b"PK\x03\x04"
    raw[10] ^= 0x01
    book.write_bytes(bytes(raw))


def test_the_workbook_is_an_input_in_the_provenance(
    run_cli: RunCli, example: Path, tmp_path: Path
) -> None:
    import hashlib

    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    book = example / CIA
    before = _provenance(run_cli, example, tmp_path / "before.json")
    inputs = {i["path"]: i["sha256"] for i in before["inputs"]}
    assert inputs[CIA] == hashlib.sha256(book.read_bytes()).hexdigest()
    _touch_one_byte(book)
    after = _provenance(run_cli, example, tmp_path / "after.json")
    changed = {i["path"]: i["sha256"] for i in after["inputs"]}
    assert changed[CIA] == hashlib.sha256(book.read_bytes()).hexdigest() != inputs[CIA]
    assert {k: v for k, v in changed.items() if k != CIA} == {
        k: v for k, v in inputs.items() if k != CIA
    }
    assert after["fingerprint"] != before["fingerprint"]
    assert _costs(run_cli, example)["SE"] == 2345.5  # the workbook still reads the same


def test_a_workbook_named_two_ways_is_one_input(
    run_cli: RunCli, example: Path, tmp_path: Path
) -> None:
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    _set_cost(example, "CIC", f"      amount: {_ref('F42', workbook='./costs/../' + CIA)}\n")
    paths = [i["path"] for i in _provenance(run_cli, example, tmp_path / "p.json")["inputs"]]
    assert paths.count(CIA) == 1
    assert not [p for p in paths if "xlsx" in p and p != CIA]


def test_the_reports_provenance_lists_the_workbook(
    run_cli: RunCli, example: Path, tmp_path: Path
) -> None:
    import hashlib

    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    digest = hashlib.sha256((example / CIA).read_bytes()).hexdigest()
    html = tmp_path / "tables.html"
    result = run_cli("export", ".", "-o", str(html), "--table", "ranking", cwd=example)
    assert result.exit_code == 0, result
    assert f"<tr><td>{CIA}</td><td><code>{digest}</code></td></tr>" in html.read_text()
    tex = tmp_path / "tables.tex"
    result = run_cli("export", ".", "-o", str(tex), "--table", "ranking", cwd=example)
    assert result.exit_code == 0, result
    assert f"% input {CIA} sha256 {digest}\n" in tex.read_text()
    report, pack = tmp_path / "report.html", tmp_path / "pack.html"
    result = run_cli(
        "report", ".", "-o", str(report), "--pack", str(pack), "--samples", "200", cwd=example
    )
    assert result.exit_code == 0, result
    assert f"<tr><td>{CIA}</td><td><code>{digest}</code></td></tr>" in pack.read_text()


@pytest.mark.parametrize("output", [CIA, f"./costs/../{CIA}"])
def test_an_output_never_replaces_the_workbook(run_cli: RunCli, example: Path, output: str) -> None:
    _set_cost(example, "SE", f"      amount: {_ref('F42')}\n")
    book = example / CIA
    raw = book.read_bytes()
    result = run_cli("export", ".", "-o", output, "--table", "ranking", cwd=example)
    assert result.exit_code != 0
    assert "is one of the appraisal's input files; it is never written" in result.stderr
    assert book.read_bytes() == raw


# -- diff ---------------------------------------------------------------------------------------


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_cells(book: Path, cells: dict[str, Any]) -> None:
    """Re-save the workbook with new figures in some cells (as an analyst would)."""
    wb = openpyxl.load_workbook(book)
    for address, value in cells.items():
        wb[SHEET][address] = value
    wb.save(book)


def _diff(run_cli: RunCli, *args: str, cwd: Path) -> tuple[dict[str, Any], str]:
    """``appraise diff ARGS`` as JSON, and as Markdown."""
    result = run_cli("diff", *args, "--format", "json", cwd=cwd)
    assert result.exit_code == 0, result
    md = run_cli("diff", *args, "--format", "md", cwd=cwd)
    assert md.exit_code == 0, md
    return json.loads(result.stdout), md.stdout


def _cost_rows(payload: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (c["kind"], c["subject"], c["field"], c["before"], c["after"], c["file"])
        for c in payload["changes"]
        if c["area"] == "cost"
    ]


def _reading(tmp_path: Path, name: str) -> Path:
    """A copy of the example whose SE NPC and CFT revenue line are read from the CIA."""
    folder = _copy(tmp_path, name)
    _cia(folder / CIA)
    _npc_envelope(folder)
    _set_cost(folder, "SE", f"      amount: {_ref('F42')}\n")
    cells = ", ".join(_ref(c) for c in ("C10", "D10", "E10", "F10"))
    _replace(folder, "CFT", "years: [0, 220, 220, 220, 220]", f"years: [0, {cells}]")
    return folder


def test_a_changed_workbook_is_shown_beside_the_costs_it_moved(
    run_cli: RunCli, tmp_path: Path
) -> None:
    a, b = _reading(tmp_path, "a"), _reading(tmp_path, "b")
    _set_cells(b / CIA, {"F42": 2400, "F10": 260})
    ha, hb = _sha(a / CIA), _sha(b / CIA)
    before, after = _costs(run_cli, a), _costs(run_cli, b)
    assert after["SE"] == 2400
    assert after["CFT"] > before["CFT"]
    payload, md = _diff(run_cli, str(a), str(b), cwd=tmp_path)
    assert _cost_rows(payload) == [
        ("changed", "CFT", "risk-adjusted NPC", before["CFT"], after["CFT"], OPTIONS),
        ("changed", "CFT", f"workbook {CIA}", ha, hb, CIA),
        ("changed", "SE", "risk-adjusted NPC", 2345.5, 2400, OPTIONS),
        ("changed", "SE", f"workbook {CIA}", ha, hb, CIA),
    ]
    assert [c for c in payload["changes"] if c["area"] != "cost"] == []  # no YAML changed
    assert f"{CIA} changed (sha256 {ha[:12]}… → {hb[:12]}…): it moved the cost of CFT and SE." in md
    assert f"| changed | SE | workbook {CIA} | sha256 {ha[:12]}… | sha256 {hb[:12]}… |" in md
    assert "| changed | SE | risk-adjusted NPC | 2,346 | 2,400 |" in md


def test_a_workbook_saved_again_with_the_same_figures(run_cli: RunCli, tmp_path: Path) -> None:
    a, b = _reading(tmp_path, "a"), _reading(tmp_path, "b")
    _touch_one_byte(b / CIA)
    ha, hb = _sha(a / CIA), _sha(b / CIA)
    payload, md = _diff(run_cli, str(a), str(b), cwd=tmp_path)
    assert _cost_rows(payload) == [
        ("changed", "CFT", f"workbook {CIA}", ha, hb, CIA),
        ("changed", "SE", f"workbook {CIA}", ha, hb, CIA),
    ]
    assert (
        f"{CIA} changed (sha256 {ha[:12]}… → {hb[:12]}…): no cost read from it moved "
        "(CFT and SE read it)." in md
    )


def test_a_cost_moved_by_its_lines_alone(run_cli: RunCli, tmp_path: Path) -> None:
    """No workbook: the YAML change and the NPC it moves."""
    a, b = _copy(tmp_path, "a"), _copy(tmp_path, "b")
    _replace(b, "CFT", "years: [0, 220, 220, 220, 220]", "years: [0, 220, 220, 220, 300]")
    before, after = _costs(run_cli, a), _costs(run_cli, b)
    payload, md = _diff(run_cli, str(a), str(b), cwd=tmp_path)
    assert _cost_rows(payload) == [
        ("changed", "CFT", "risk-adjusted NPC", before["CFT"], after["CFT"], OPTIONS)
    ]
    assert [(c["area"], c["subject"]) for c in payload["changes"] if c["area"] != "cost"] == [
        ("option", "CFT")
    ]
    assert "sha256" not in md


GIT_ENV = {
    "GIT_AUTHOR_EMAIL": "a@example.org",
    "GIT_COMMITTER_NAME": "CI",
    "GIT_COMMITTER_EMAIL": "ci@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(repo: Path, *args: str, author: str = "Analyst") -> bytes:
    import subprocess

    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": author}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True).stdout


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")
def test_revisions_read_the_workbook_as_committed(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    folder = _reading(repo, "appraisal")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "costs from the CIA")
    first = _sha(folder / CIA)
    _set_cells(folder / CIA, {"F42": 2400})
    _git(repo, "commit", "-q", "-am", "CIA v2", author="Finance lead")
    second = _sha(folder / CIA)
    _set_cells(folder / CIA, {"F42": 2500})  # not committed
    third = _sha(folder / CIA)
    at = str(folder)

    payload, _ = _diff(run_cli, "HEAD~1", "HEAD", "-C", at, cwd=tmp_path)
    assert [r[1:5] for r in _cost_rows(payload)] == [
        ("CFT", f"workbook {CIA}", first, second),  # read, but its cells did not change
        ("SE", "risk-adjusted NPC", 2345.5, 2400),
        ("SE", f"workbook {CIA}", first, second),
    ]
    rows = [c for c in payload["changes"] if c["field"] == f"workbook {CIA}"]
    assert [c["who"] for c in rows] == ["Finance lead", "Finance lead"]
    assert payload["authors"] == {CIA: ["Finance lead"]}
    committed = _git(repo, "show", f"HEAD:appraisal/appraisal/{CIA}")
    assert __import__("hashlib").sha256(committed).hexdigest() == second

    payload, md = _diff(run_cli, "HEAD", "-C", at, cwd=tmp_path)  # against the files on disk
    assert [r[1:5] for r in _cost_rows(payload)] == [
        ("CFT", f"workbook {CIA}", second, third),
        ("SE", "risk-adjusted NPC", 2400, 2500),
        ("SE", f"workbook {CIA}", second, third),
    ]
    assert f"{CIA} changed (sha256 {second[:12]}… → {third[:12]}…): it moved the cost of SE." in md
    assert _sha(folder / CIA) == third  # the working tree is untouched
    assert _git(repo, "status", "--porcelain").strip() == f"M appraisal/appraisal/{CIA}".encode()
