"""The panel's spreadsheets: `appraise sheet --format xlsx|csv` out, `appraise import` in.

Round trips (the example's five sheets and its moderation; generated appraisals; once
through LibreOffice as a user's office suite would save it) must give back exactly the
scores; every kind of damage to a returned workbook must be reported at its sheet and
cell, with nothing written.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, Run, copy_example, dump_yaml

RunCli = Callable[..., Run]

openpyxl = pytest.importorskip("openpyxl")

SHEETS = {
    "P1": "p1-community-nursing.yaml",
    "P2": "p2-staff-side.yaml",
    "P3": "p3-ppi-forum.yaml",
    "P4": "p4-finance.yaml",
    "P5": "p5-county-council.yaml",
}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _rows(ws: Any) -> dict[tuple[str, str], int]:
    """Each option × criterion row of a Scores or Moderation sheet."""
    out = {}
    for r in range(8, ws.max_row + 1):
        c, o = ws.cell(r, 1).value, ws.cell(r, 2).value
        if c and o:
            out[o, c] = r
    return out


def _fill(book: Path, sheet: dict[str, Any]) -> None:
    """Fill a blank scoring workbook with a sheet's cells, as a panel member would."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Scores"]
    interests = sheet["scorer"].get("interests")
    if interests:
        ws["G4"] = interests
    for (o, c), r in _rows(ws).items():
        cell = sheet["scores"].get(o, {}).get(c)
        if cell is None:
            continue
        ws.cell(r, 4).value = cell.get("score")
        ws.cell(r, 5).value = cell.get("low")
        ws.cell(r, 6).value = cell.get("high")
        _type_text(ws.cell(r, 7), cell.get("rationale") or None)
        _type_text(ws.cell(r, 8), "\n".join(cell.get("evidence", [])) or None)
    wb.save(book)


def _type_text(cell: Any, text: str | None) -> None:
    """Text as a user types it: one that begins with = is typed '= (a text, not a
    formula)."""
    cell.value = text
    if text is not None and text.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True


def _fill_moderation(book: Path, moderation: dict[str, Any]) -> None:
    """Fill a moderation workbook with a moderation file's cells, as the meeting would."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Moderation"]
    ws["E3"] = moderation["moderation"].get("date")
    ws["E4"] = moderation["moderation"].get("note")
    for (o, c), r in _rows(ws).items():
        cell = moderation["scores"][o][c]
        ws.cell(r, 4).value = cell["score"]
        ws.cell(r, 5).value = cell.get("note")
        ws.cell(r, 6).value = (
            "\n".join(
                f"{d['scorer']}{' ' + str(d['score']) if 'score' in d else ''}: {d['reason']}"
                for d in cell.get("dissent", [])
            )
            or None
        )
    wb.save(book)


def _normal(data: Any) -> Any:
    """A score file's data with the defaults written out, to compare two files."""
    for row in data["scores"].values():
        for cell in row.values():
            cell.setdefault("rationale", "")
            if not cell.get("evidence"):
                cell.pop("evidence", None)
    return data


def _blank_member(run_cli: RunCli, folder: Path, tmp_path: Path, who: str) -> tuple[Path, Any]:
    """Take a member's sheet out of the folder and make them a blank workbook."""
    original = _load(folder / "scores" / SHEETS[who])
    (folder / "scores" / SHEETS[who]).unlink()
    s = original["scorer"]
    book = tmp_path / f"{who}.xlsx"
    result = run_cli(
        "sheet", str(folder), "--id", who, "--name", s["name"], "--role", s["role"],
        "--format", "xlsx", "-o", str(book),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return book, original


# --- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("who", sorted(SHEETS))
def test_a_filled_in_workbook_imports_to_the_same_scores(
    run_cli: RunCli, tmp_path: Path, who: str
) -> None:
    folder = copy_example(tmp_path)
    book, original = _blank_member(run_cli, folder, tmp_path, who)
    _fill(book, original)
    result = run_cli("import", str(book), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    written = folder / "scores" / f"{who}.yaml"
    assert f"→ {written} (88 of 88 cells scored)" in result.stderr
    assert _normal(_load(written)) == _normal(original)
    assert run_cli("validate", str(folder)).exit_code == 0


def test_a_members_workbook_holds_their_answers_and_imports_unchanged(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = copy_example(tmp_path)
    book = tmp_path / "P4.xlsx"
    assert run_cli("sheet", str(folder), "--id", "P4", "-f", "xlsx", "-o", str(book)).exit_code == 0
    before = (folder / "scores" / SHEETS["P4"]).read_bytes()
    refused = run_cli("import", str(book), "-C", str(folder))
    assert refused.exit_code == 1
    assert "would replace" in refused.stderr
    assert "--force" in refused.stderr
    assert (folder / "scores" / SHEETS["P4"]).read_bytes() == before
    result = run_cli("import", str(book), "-C", str(folder), "--force")
    assert result.exit_code == 0, result.stderr
    assert "(only comments and layout changed)" in result.stderr
    assert _load(folder / "scores" / SHEETS["P4"]) == _load(REPO / "scores" / SHEETS["P4"])
    again = run_cli("import", str(book), "-C", str(folder))  # the same file: no change
    assert again.exit_code == 0
    assert "is up to date" in again.stderr


def test_force_lists_what_changed(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    book = tmp_path / "P4.xlsx"
    run_cli("sheet", str(folder), "--id", "P4", "-f", "xlsx", "-o", str(book))
    wb = openpyxl.load_workbook(book)
    ws = wb["Scores"]
    row = _rows(ws)["CFT", "VFM"]
    assert ws.cell(row, 4).value == 3
    ws.cell(row, 4).value = 4
    ws.cell(row, 7).value = "Revised after the finance briefing."
    wb.save(book)
    result = run_cli("import", str(book), "-C", str(folder), "--force")
    assert result.exit_code == 0, result.stderr
    assert "  scores.CFT.VFM.score: 3 → 4\n" in result.stderr
    assert "  scores.CFT.VFM.rationale: changed\n" in result.stderr
    assert _load(folder / "scores" / SHEETS["P4"])["scores"]["CFT"]["VFM"]["score"] == 4


def test_a_csv_round_trip(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    original = _load(folder / "scores" / SHEETS["P3"])
    (folder / "scores" / SHEETS["P3"]).unlink()
    s = original["scorer"]
    sheet = tmp_path / "P3.csv"
    result = run_cli(
        "sheet", str(folder), "--id", "P3", "--name", s["name"], "--role", s["role"],
        "-f", "csv", "-o", str(sheet),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    head = next(k for k, row in enumerate(rows) if row[:1] == ["Criterion"])
    assert rows[head][3:8] == ["Score", "Low", "High", "Rationale", "Evidence"]
    for row in rows[head + 1 :]:
        cell = original["scores"][row[1]][row[0]]
        row[3] = str(cell["score"])
        row[4], row[5] = str(cell.get("low", "")), str(cell.get("high", ""))
        row[6] = cell.get("rationale", "")
        row[7] = "\n".join(cell.get("evidence", []))
    rows[2][1] = s.get("interests", "")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    sheet.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    result = run_cli("import", str(sheet), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    assert _normal(_load(folder / "scores" / "P3.yaml")) == _normal(original)


def test_the_moderation_workbook_round_trip(run_cli: RunCli, tmp_path: Path) -> None:
    """Blank (no moderation yet): filled in from the example's moderation, imported,
    the same moderation; the example's own (pre-filled) imports unchanged."""
    folder = copy_example(tmp_path)
    original = _load(folder / "scores" / "moderated.yaml")
    (folder / "scores" / "moderated.yaml").unlink()
    book = tmp_path / "moderation.xlsx"
    result = run_cli("sheet", str(folder), "--moderation", "-f", "xlsx", "-o", str(book))
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(book)
    ws = wb["Moderation"]
    assert ws["E2"].value == "Independent chair (PCT non-executive director)"  # the chair
    rows = _rows(ws)
    heads = [ws.cell(7, k).value for k in range(1, ws.max_column + 1)]
    assert heads[:9] == ["Criterion", "Option", "Option name", "Agreed score", "Note",
                         "Dissent", "Median", "Range", "Flagged"]  # fmt: skip
    assert heads[9:14] == ["P1", "P2", "P3", "P4", "P5"]
    # the panel's scores, median, range and flag, beside the cells to agree
    r = rows["CFT", "VFM"]
    panel = [ws.cell(r, k).value for k in range(10, 15)]
    given = [
        _load(folder / "scores" / SHEETS[p])["scores"]["CFT"]["VFM"]["score"] for p in heads[9:14]
    ]
    assert panel == given
    assert ws.cell(r, 7).value == statistics.median(given)
    assert ws.cell(r, 8).value == max(given) - min(given)
    assert ws.cell(r, 9).value == "yes"  # P4's 3 is more than 2 from the median
    wb.close()
    _fill_moderation(book, original)
    result = run_cli("import", str(book), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    assert _load(folder / "scores" / "moderated.yaml") == original
    again = tmp_path / "again.xlsx"
    run_cli("sheet", str(folder), "--moderation", "-f", "xlsx", "-o", str(again))
    assert run_cli("import", str(again), "-C", str(folder)).exit_code == 0
    assert _load(folder / "scores" / "moderated.yaml") == original


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("APPRAISE_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice is required here but not found")
    pytest.skip("LibreOffice is not installed (CI installs it: see .ci/run)")


def test_a_workbook_saved_by_libreoffice_imports_the_same(run_cli: RunCli, tmp_path: Path) -> None:
    """As a user's office suite saves it: the record sheet, the protection, the
    validation and the answers all survive LibreOffice, and the import is the same."""
    exe = _soffice()
    folder = copy_example(tmp_path)
    book, original = _blank_member(run_cli, folder, tmp_path, "P2")
    _fill(book, original)
    saved = tmp_path / "saved"
    subprocess.run(
        [exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = saved / "P2.xlsx"
    assert resaved.read_bytes() != book.read_bytes()
    wb = openpyxl.load_workbook(resaved)
    assert wb["appraise"].sheet_state == "hidden"
    assert wb["Scores"].protection.sheet
    assert wb["Scores"].data_validations.dataValidation
    result = run_cli("import", str(resaved), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    assert _normal(_load(folder / "scores" / "P2.yaml")) == _normal(original)


# --- generated appraisals ---------------------------------------------------------------

_TEXT = st.text(
    st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "Zs", "S"),
        exclude_characters="\u2028\u2029\x85\xa0",
    ),
    max_size=40,
).map(lambda t: " ".join(t.split()))


@st.composite
def _appraisals(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A small appraisal's criteria and options, and one member's filled-in sheet."""
    step = draw(st.sampled_from([1.0, 0.5, None]))
    top = draw(st.sampled_from([5, 10, 100]))
    criteria = [f"C{k}" for k in range(draw(st.integers(1, 4)))]
    options = [f"O{k}" for k in range(draw(st.integers(1, 4)))]
    points = (
        st.integers(0, int(top / step)).map(lambda k: k * step)
        if step
        else st.floats(0, top, allow_nan=False).map(lambda x: round(x, 3))
    )
    scores: dict[str, Any] = {}
    for o in options:
        scores[o] = {}
        for c in criteria:
            score = draw(points)
            cell: dict[str, Any] = {"score": score, "rationale": draw(_TEXT)}
            if draw(st.booleans()):
                cell["low"], cell["high"] = round(max(0.0, score - (step or 0.5)), 3), score
            evidence = draw(st.lists(_TEXT.filter(bool), max_size=2))
            if evidence:
                cell["evidence"] = evidence
            scores[o][c] = cell
    files = {
        "appraisal.yaml": {
            "appraisal": {
                "title": draw(_TEXT.filter(bool)),
                "decision": "Which option.",
                "decision_maker": "Board",
            },
            "scale": {
                "min": 0,
                "max": top,
                **({"step": step} if step else {}),
                "descriptors": {0: "None", top: "Full"},
            },
        },
        "criteria/tree.yaml": {
            "criteria": [
                {
                    "id": c,
                    "name": f"Criterion {c}",
                    "definition": draw(_TEXT),
                    "weight": 100 / len(criteria),
                }
                for c in criteria
            ],
        },
        "options/options.yaml": {
            "options": [
                {
                    "id": o,
                    "name": draw(_TEXT.filter(bool)),
                    "description": draw(_TEXT),
                    **({"baseline": True} if k == 0 else {}),
                }
                for k, o in enumerate(options)
            ]
        },
    }
    sheet = {"scorer": {"id": "P1", "name": draw(_TEXT.filter(bool)), "role": "Member"},
             "scores": scores}  # fmt: skip
    return files, sheet


@settings(max_examples=20, deadline=None)
@given(case=_appraisals())
def test_generated_appraisals_round_trip(
    tmp_path_factory: pytest.TempPathFactory, case: Any
) -> None:
    from typer.testing import CliRunner

    from appraise.cli import app

    files, sheet = case
    root = tmp_path_factory.mktemp("gen")
    folder = root / "appraisal"
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(data), encoding="utf-8")
    (folder / "scores").mkdir()
    s = sheet["scorer"]
    book = root / "P1.xlsx"
    runner = CliRunner()
    made = runner.invoke(app, ["sheet", str(folder), "--id", "P1", "--name", s["name"],
                               "--role", s["role"], "-f", "xlsx", "-o", str(book)])  # fmt: skip
    assert made.exit_code == 0, made.stderr
    _fill(book, sheet)
    done = runner.invoke(app, ["import", str(book), "-C", str(folder)])
    assert done.exit_code == 0, done.stderr
    back = _normal(_load(folder / "scores" / "P1.yaml"))
    assert back == _normal(sheet)


# --- damaged workbooks -------------------------------------------------------------------


@pytest.fixture
def returned(run_cli: RunCli, tmp_path: Path) -> tuple[Path, Path]:
    """A fresh member's filled-in workbook for the example, and the appraisal folder."""
    folder = copy_example(tmp_path)
    book, original = _blank_member(run_cli, folder, tmp_path, "P3")
    _fill(book, original)
    return folder, book


def _edit(book: Path, change: Any) -> None:
    wb = openpyxl.load_workbook(book)
    change(wb, wb["Scores"])
    wb.save(book)


def _errors(run_cli: RunCli, folder: Path, *books: Path) -> list[str]:
    before = sorted(p.name for p in (folder / "scores").iterdir())
    result = run_cli("import", *map(str, books), "-C", str(folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (folder / "scores").iterdir()) == before  # nothing written
    assert (
        result.stderr.endswith(
            "appraise: error: nothing was imported\n  hint: fix the files above\n"
        )
        or "appraise: error:" in result.stderr
    )
    return [
        line
        for line in result.stderr.splitlines()
        if ": error: " in line and not line.startswith("appraise: ")
    ]


def _at(ws: Any, option: str, criterion: str) -> int:
    return _rows(ws)[option, criterion]


def test_off_scale_and_text_scores_each_at_their_cell(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    folder, book = returned
    wb = openpyxl.load_workbook(book)
    ws = wb["Scores"]
    r1, r2, r3 = _at(ws, "SE", "VFM"), _at(ws, "CFT", "ACC"), _at(ws, "BAU", "GOV")
    ws.cell(r1, 4).value = 11
    ws.cell(r2, 4).value = "seven"
    ws.cell(r3, 4).value = "5,5"
    wb.save(book)
    errors = _errors(run_cli, folder, book)
    assert errors == sorted(errors, key=lambda e: errors.index(e))
    assert f"{book}:Scores!D{r2}: error: score 'seven' is not a number" in errors
    assert f"{book}:Scores!D{r3}: error: score '5,5' is not a number" in errors
    assert (
        f"{book}:Scores!D{r1}: error: score 11 is outside the scale 0–10 in steps of 1 "
        "(criterion VFM)"
    ) in errors


def test_low_and_high_checked_as_validate_does(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    folder, book = returned

    def change(wb: Any, ws: Any) -> None:
        r = _at(ws, "CT", "PAT")
        ws.cell(r, 4).value, ws.cell(r, 5).value, ws.cell(r, 6).value = 6, 7, 9

    _edit(book, change)
    wb = openpyxl.load_workbook(book)
    r = _at(wb["Scores"], "CT", "PAT")
    assert _errors(run_cli, folder, book) == [
        f"{book}:Scores!D{r}: error: low 7 ≤ score 6 ≤ high 9 does not hold (at scores.CT.PAT)"
    ]


def test_a_deleted_row(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    folder, book = returned
    wb = openpyxl.load_workbook(book)
    r = _at(wb["Scores"], "SE", "QUAL")
    _edit(book, lambda wb, ws: ws.delete_rows(r))
    assert _errors(run_cli, folder, book) == [
        f"{book}:Scores!A{r}: error: no row for SE × QUAL (it belongs below row {r - 1}): "
        "a row was deleted"
    ]


def test_a_moved_column(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    folder, book = returned

    def swap(wb: Any, ws: Any) -> None:  # Rationale and Evidence change places
        for r in range(7, ws.max_row + 1):
            g, h = ws.cell(r, 7).value, ws.cell(r, 8).value
            ws.cell(r, 7).value, ws.cell(r, 8).value = h, g

    _edit(book, swap)
    assert _errors(run_cli, folder, book) == [
        f"{book}:Scores!G7: error: the column heading is 'Evidence', where appraise sheet "
        "put 'Rationale': a column was moved"
    ]


def test_a_renamed_sheet(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    folder, book = returned

    def rename(wb: Any, ws: Any) -> None:
        ws.title = "Sheet1"

    _edit(book, rename)
    assert _errors(run_cli, folder, book) == [
        f"{book}: error: has no sheet named `Scores` (it has `Sheet1`)"
    ]


def test_another_appraisals_workbook(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    folder, book = returned
    settings_file = folder / "appraisal.yaml"
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_text(
        text.replace("provider services (ILLUSTRATIVE)", "provider services, Barnet"),
        encoding="utf-8",
    )
    assert _errors(run_cli, folder, book) == [
        f"{book}: error: was made for another appraisal ('Future organisational form of PCT "
        "community provider services (ILLUSTRATIVE)'), not 'Future organisational form of "
        "PCT community provider services, Barnet'"
    ]


def test_a_workbook_made_before_an_option_was_added(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    folder, book = returned
    options = folder / "options" / "shortlist.yaml"
    data = _load(options)
    new = dict(data["options"][-1], id="LLP", name="Limited liability partnership")
    new.pop("baseline", None)
    data["options"].append(new)
    options.write_text(dump_yaml(data), encoding="utf-8")
    assert _errors(run_cli, folder, book) == [
        f"{book}: error: was made before the appraisal's options or criteria changed (LLP added)"
    ]


def test_formulas_and_merged_cells(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    folder, book = returned
    wb = openpyxl.load_workbook(book)
    ws = wb["Scores"]
    r1, r2 = _at(ws, "CIC", "CLIN"), _at(ws, "PRIV", "CAP")
    ws.cell(r1, 4).value = f"=D{r1 - 1}+1"
    ws.merge_cells(f"G{r2}:H{r2}")
    wb.save(book)
    assert _errors(run_cli, folder, book) == [
        f"{book}:Scores!D{r1}: error: holds a formula (=D{r1 - 1}+1)",
        f"{book}:Scores!G{r2}:H{r2}: error: cells G{r2}:H{r2} are merged",
    ]


def test_an_empty_file_and_not_a_workbook(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    folder, book = returned
    empty = book.with_name("empty.xlsx")
    empty.write_bytes(b"")
    old = book.with_name("old.xlsx")
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert _errors(run_cli, folder, empty, old, book) == [
        f"{empty}: error: the file is empty (0 bytes of data)",
        f"{old}: error: is not an Excel workbook (.xlsx): it is an old-style .xls file renamed",
    ]


def test_a_csv_in_windows_1252(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    sheet = tmp_path / "P9.csv"
    run_cli("sheet", str(folder), "--id", "P9", "--name", "P9", "--role", "GP", "-f", "csv",
            "-o", str(sheet))  # fmt: skip
    text = sheet.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    fields = lines[7].split(",")
    fields[3], fields[6] = "6", "Staff didn’t object"
    lines[7] = ",".join(fields)
    sheet.write_bytes("\r\n".join(lines).encode("cp1252", errors="replace"))
    column = len(",".join(fields[:6])) + 1 + len("Staff didn") + 1
    assert _errors(run_cli, folder, sheet) == [
        f"{sheet}:8:{column}: error: is not UTF-8: byte 0x92 (`’` in Windows-1252)"
    ]


def test_every_problem_in_every_file_at_once(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    books = []
    for who in ("P2", "P5"):
        book, original = _blank_member(run_cli, folder, tmp_path, who)
        _fill(book, original)
        books.append(book)
    for book in books:
        _edit(book, lambda wb, ws: setattr(ws.cell(_at(ws, "BAU", "ACC"), 4), "value", 12))
    errors = _errors(run_cli, folder, *books)
    assert [e.split(": error:")[0].split(":Scores!")[0] for e in errors] == list(map(str, books))


def test_a_blank_cell_in_draft_imports_and_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    """In draft a sheet may come back unfinished; the import says which cells are blank
    (as validate will) and writes the rest."""
    folder = copy_example(tmp_path)
    settings_file = folder / "appraisal.yaml"
    settings_file.write_text(
        settings_file.read_text(encoding="utf-8").replace("status: moderated", "status: draft"),
        encoding="utf-8",
    )
    (folder / "scores" / "moderated.yaml").unlink()
    book, original = _blank_member(run_cli, folder, tmp_path, "P1")
    del original["scores"]["SE"]["QUAL"]
    _fill(book, original)
    result = run_cli("import", str(book), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    written = _load(folder / "scores" / "P1.yaml")
    assert written["scores"]["SE"]["QUAL"]["score"] is None
    assert "(87 of 88 cells scored)" in result.stderr
    r = _at(openpyxl.load_workbook(book)["Scores"], "SE", "QUAL")
    assert f"{book}:Scores!D{r}: warning: P1's score for SE × QUAL is blank" in result.stderr
    # at status moderated the same workbook is refused, at the same cell
    settings_file.write_text(
        settings_file.read_text(encoding="utf-8").replace("status: draft", "status: moderated"),
        encoding="utf-8",
    )
    assert f"{book}:Scores!D{r}: error: P1's score for SE × QUAL is blank" in _errors(
        run_cli, folder, book
    )


# --- the whole panel ----------------------------------------------------------------------


def test_sheets_for_the_whole_panel_from_panel_yaml(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    for name in SHEETS.values():
        (folder / "scores" / name).unlink()
    (folder / "scores" / "moderated.yaml").unlink()
    panel = [{"id": f"P{k}", "name": f"Member {k}", "role": "Panel"} for k in range(1, 6)]
    (folder / "panel.yaml").write_text(dump_yaml({"panel": panel}), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("sheet", str(folder), "--all", "-f", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"P{k}.xlsx" for k in range(1, 6)]
    wb = openpyxl.load_workbook(out / "P3.xlsx")
    assert wb["Scores"]["A2"].value == "Panel member: P3 — Member 3, Panel"
    # made again, nothing is overwritten, and nothing half written
    (out / "P1.xlsx").unlink()
    again = run_cli("sheet", str(folder), "--all", "-f", "xlsx", "-o", str(out))
    assert again.exit_code == 1
    assert not (out / "P1.xlsx").exists()
    # one listed member needs only --id
    one = run_cli("sheet", str(folder), "--id", "P1", "-f", "xlsx", "-o", str(out / "P1.xlsx"))
    assert one.exit_code == 0, one.stderr
    # and YAML sheets for all of them in scores/
    yaml_run = run_cli("sheet", str(folder), "--all")
    assert yaml_run.exit_code == 0, yaml_run.stderr
    assert sorted(p.name for p in (folder / "scores").iterdir()) == [
        f"P{k}.yaml" for k in range(1, 6)
    ]


def test_a_bad_panel_file_is_reported_at_its_line(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    (folder / "panel.yaml").write_text(
        "panel:\n  - id: P1\n    name: A\n    role: B\n  - id: P1\n    name: C\n    role: D\n"
        "  - id: P3\n    name: E\n",
        encoding="utf-8",
    )
    result = run_cli("sheet", str(folder), "--all", "-f", "xlsx", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert f"{folder / 'panel.yaml'}:8:5: error: missing key `role`" in result.stderr


def test_workbooks_never_go_into_the_appraisals_folders(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    result = run_cli(
        "sheet", str(folder), "--id", "P4", "-f", "xlsx", "-o", str(folder / "scores" / "P4.xlsx")
    )
    assert result.exit_code == 1
    assert "inside scores/" in result.stderr
    assert not (folder / "scores" / "P4.xlsx").exists()


def test_the_scoring_workbook_is_locked_but_its_answers(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    book = tmp_path / "P9.xlsx"
    run_cli("sheet", str(folder), "--id", "P9", "--name", "N", "--role", "R", "-f", "xlsx",
            "-o", str(book))  # fmt: skip
    wb = openpyxl.load_workbook(book)
    ws = wb["Scores"]
    assert wb.security.lockStructure
    assert ws.protection.sheet
    assert wb["appraise"].sheet_state == "hidden"
    r = _at(ws, "CFT", "GOV")
    unlocked = {k for k in range(1, 10) if not ws.cell(r, k).protection.locked}
    assert unlocked == {4, 5, 6, 7, 8}
    assert not ws["G4"].protection.locked  # declared interests
    assert ws.cell(r - 1, 1).protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists
    assert all(dv.formula1 == '"0,1,2,3,4,5,6,7,8,9,10"' for dv in lists)
    assert any(f"D{r}" in dv.sqref for dv in lists)
    # the criterion's definition and descriptors in its heading row
    head = next(k for k in range(r, 7, -1) if ws.cell(k, 2).value is None)
    assert ws.cell(head, 1).value == "GOV"
    assert "Independent statutory board with its own regulator" in ws.cell(head, 9).value


def test_the_readme_walk_through_is_what_happens(run_cli: RunCli, tmp_path: Path) -> None:
    """The README's panel section, run as written: its panel.yaml, then each command,
    printing exactly what the README shows (the members' answers are the example's,
    with two mistakes that are then corrected)."""
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## The panel scores in a spreadsheet")
    section = text[start : text.index("\n## ", start + 10)]
    work = tmp_path / "appraisal"
    copy_example(tmp_path)
    for name in (*SHEETS.values(), "moderated.yaml"):
        (work / "scores" / name).unlink()
    panel = re.search(r"```yaml\n(panel:.*?)```", section, re.S)
    assert panel is not None
    (work / "panel.yaml").write_text(panel.group(1), encoding="utf-8")
    (work / "out").mkdir()
    steps = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, shown = part.partition("\n")
            steps.append((command, shown))
    sheets = {who: _load(REPO / "scores" / name) for who, name in SHEETS.items()}
    imports = 0
    for command, shown in steps:
        args = command.split()[1:]
        if args[:2] == ["import", "out/P1.xlsx"]:
            for who, sheet in sheets.items():
                _fill(work / "out" / f"{who}.xlsx", sheet)
            if imports == 0:  # two members' slips
                _edit(work / "out" / "P3.xlsx", lambda wb, ws: setattr(
                    ws.cell(_at(ws, "SE", "VFM"), 4), "value", 11))  # fmt: skip
                _edit(work / "out" / "P5.xlsx", lambda wb, ws: setattr(
                    ws.cell(_at(ws, "CFT", "ACC"), 4), "value", "seven"))  # fmt: skip
            imports += 1
        if args == ["import", "out/moderation.xlsx"]:
            _fill_moderation(
                work / "out" / "moderation.xlsx", _load(REPO / "scores" / "moderated.yaml")
            )
        result = run_cli(*args, cwd=work)
        assert result.stderr == shown, command
    assert imports == 2
    assert run_cli("validate", ".", cwd=work).exit_code == 0
    for who in SHEETS:
        back = _normal(_load(work / "scores" / f"{who}.yaml"))
        assert back["scores"] == _normal(sheets[who])["scores"]
    assert _load(work / "scores" / "moderated.yaml") == _load(REPO / "scores" / "moderated.yaml")


def test_a_tampered_record_cannot_name_a_path(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    """The panel member's id in the record names the file written: a path is refused."""
    folder, book = returned

    def tamper(wb: Any, ws: Any) -> None:
        record = wb["appraise"]
        row = next(r for r in range(1, 20) if record.cell(r, 1).value == "scorer")
        record.cell(row, 2).value = "../../outside"

    _edit(book, tamper)
    assert _errors(run_cli, folder, book) == [
        f"{book}: error: its record names panel member '../../outside', which is not an id"
    ]
    assert not (folder.parent / "outside.yaml").exists()


def test_a_missing_file_and_a_zip_bomb(
    run_cli: RunCli, returned: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from appraise.files import workbook

    folder, book = returned
    missing = book.with_name("nowhere.xlsx")
    monkeypatch.setattr(workbook, "UNPACKED_LIMIT", 1_000)
    errors = _errors(run_cli, folder, missing, book)
    assert errors[0] == f"{missing}: error: cannot be read: No such file or directory"
    assert errors[1].startswith(f"{book}: error: unpacks to ")
    assert "more than a score sheet can hold" in errors[1]


def test_a_csv_saved_with_semicolons_and_sorted_imports(run_cli: RunCli, tmp_path: Path) -> None:
    """Excel in a locale whose decimal mark is a comma saves CSV with semicolons; a
    member may sort the rows: the rows are found by their ids, wherever they are."""
    folder = copy_example(tmp_path)
    sheet = tmp_path / "P9.csv"
    run_cli("sheet", str(folder), "--id", "P9", "--name", "P9", "--role", "GP", "-f", "csv",
            "-o", str(sheet))  # fmt: skip
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
    head = next(k for k, row in enumerate(rows) if row[:1] == ["Criterion"])
    body = sorted(rows[head + 1 :], key=lambda row: (row[1], row[0]), reverse=True)
    for k, row in enumerate(body):
        row[3], row[6] = str(k % 11), f"Reason {k}; with a semicolon"
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows[: head + 1] + body)
    sheet.write_text(out.getvalue(), encoding="utf-8")
    result = run_cli("import", str(sheet), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    back = _load(folder / "scores" / "P9.yaml")["scores"]
    for k, row in enumerate(body):
        assert back[row[1]][row[0]] == {
            "score": k % 11,
            "rationale": f"Reason {k}; with a semicolon",
        }


# --- what a hostile review found ----------------------------------------------------------


def test_a_fifo_a_folder_and_a_sheet_past_excels_last_row(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    """Nothing hangs, eats memory or shows a traceback: a FIFO is not read, and a sheet
    that openpyxl cannot read is a clear error."""
    import zipfile

    folder, book = returned
    fifo = book.with_name("pipe.xlsx")
    os.mkfifo(fifo)
    broken = book.with_name("rows.xlsx")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                extra = (
                    b'<row r="1048577"><c r="J1048577" t="inlineStr"><is><t>x</t></is></c></row>'
                )
                data = data.replace(b"</sheetData>", extra + b"</sheetData>")
            dst.writestr(info, data)
    errors = _errors(run_cli, folder, fifo, folder, broken)
    assert errors[0] == f"{fifo}: error: is not a regular file"
    assert errors[1] == f"{folder}: error: is a folder"
    assert errors[2].startswith(
        f"{broken}: error: its Scores sheet has cells as far as row 1,048,577, column 10;"
    )


def test_odd_entries_in_scores_do_not_break_the_check(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    """The check validates a copy of what validate reads: a FIFO, a link to nowhere or a
    folder in scores/ is validate's business, not a crash; a folder where the sheet
    would go is refused."""
    folder, book = returned
    os.mkfifo(folder / "scores" / "pipe")
    (folder / "scores" / "old.yaml").symlink_to("/nonexistent.yaml")
    (folder / "scores" / "P3.yaml").mkdir()
    assert _errors(run_cli, folder, book) == [
        f"{book}: error: would be written to {folder / 'scores' / 'P3.yaml'}, which is not a file"
    ]
    (folder / "scores" / "P3.yaml").rmdir()
    result = run_cli("import", str(book), "-C", str(folder))
    assert result.exit_code == 0, result.stderr


def test_force_never_replaces_another_members_sheet_or_the_moderation(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = copy_example(tmp_path)
    book = tmp_path / "x.xlsx"
    made = run_cli("sheet", str(folder), "--id", "p1-community-nursing", "--name", "New",
                   "--role", "R", "-f", "xlsx", "-o", str(book))  # fmt: skip
    assert made.exit_code == 0, made.stderr
    before = {p.name: p.read_bytes() for p in (folder / "scores").iterdir()}
    result = run_cli("import", str(book), "-C", str(folder), "--force")
    assert result.exit_code == 1
    target = folder / "scores" / "p1-community-nursing.yaml"
    assert (
        f"{book}: error: would replace {target}, which is P1's sheet, not p1-community-nursing's"
    ) in result.stderr
    # the record edited to name the moderation file
    p3 = tmp_path / "P3.xlsx"
    run_cli("sheet", str(folder), "--id", "P3", "-f", "xlsx", "-o", str(p3))

    def tamper(wb: Any, ws: Any) -> None:
        record = wb["appraise"]
        row = next(r for r in range(1, 20) if record.cell(r, 1).value == "scorer")
        record.cell(row, 2).value = "moderated"

    _edit(p3, tamper)
    result = run_cli("import", str(p3), "-C", str(folder), "--force")
    assert result.exit_code == 1
    assert "which is the moderation file, not moderated's" in result.stderr
    assert {p.name: p.read_bytes() for p in (folder / "scores").iterdir()} == before


def _draft(folder: Path) -> None:
    """The appraisal at status draft, where a sheet may come back unfinished."""
    settings_file = folder / "appraisal.yaml"
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_text(text.replace("status: moderated", "status: draft"), "utf-8")
    (folder / "scores" / "moderated.yaml").unlink()


def _csv_of(run_cli: RunCli, folder: Path, sheet: Path, *args: str) -> list[list[str]]:
    made = run_cli("sheet", str(folder), "--id", "P9", *args, "-f", "csv", "-o", str(sheet))
    assert made.exit_code == 0, made.stderr
    return list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))


def _write_csv(sheet: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    sheet.write_text(out.getvalue(), encoding="utf-8")


def test_a_stray_quote_and_control_characters_in_a_csv(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    sheet = tmp_path / "P9.csv"
    rows = _csv_of(run_cli, folder, sheet, "--name", "P9", "--role", "GP")
    rows[7][3], rows[7][6] = "6", "esc\x1b[31mred"
    rows[8][3], rows[8][6] = "5", "a\x00b"
    _write_csv(sheet, rows)
    assert [e for e in _errors(run_cli, folder, sheet) if " holds " in e] == [
        f"{sheet}:8:7: error: the rationale holds U+001B control character",
        f"{sheet}:9:7: error: the rationale holds U+0000 control character",
    ]
    text = (
        sheet.read_text(encoding="utf-8")
        .replace("esc\x1b[31mred", '"said "x" y')
        .replace("a\x00b", "fine")
    )
    sheet.write_text(text, encoding="utf-8")
    _draft(folder)
    errors = _errors(run_cli, folder, sheet)
    assert len(errors) == 1
    assert errors[0].startswith(f"{sheet}:8: error: cannot be read as CSV: ")


def test_a_control_character_in_a_workbook_is_named_at_its_cell(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    folder, book = returned
    wb = openpyxl.load_workbook(book)
    r = _at(wb["Scores"], "SE", "GOV")
    wb.close()
    _edit(book, lambda wb, ws: setattr(ws.cell(r, 7), "value", "pasted\u2028from Word"))
    assert _errors(run_cli, folder, book) == [
        f"{book}:Scores!G{r}: error: the rationale holds U+2028 LINE SEPARATOR"
    ]


def test_a_name_that_would_run_as_a_formula_is_neutralised_and_read_back(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = copy_example(tmp_path)
    _draft(folder)
    sheet = tmp_path / "P9.csv"
    rows = _csv_of(
        run_cli, folder, sheet, "--name", '=HYPERLINK("http://x","y")', "--role", "@SUM(1)"
    )
    assert rows[1][2:4] == ['\'=HYPERLINK("http://x","y")', "'@SUM(1)"]
    result = run_cli("import", str(sheet), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    scorer = _load(folder / "scores" / "P9.yaml")["scorer"]
    assert (scorer["name"], scorer["role"]) == ('=HYPERLINK("http://x","y")', "@SUM(1)")


def test_numbers_no_one_means_are_told_plainly(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    folder, book = returned
    wb = openpyxl.load_workbook(book)
    ws = wb["Scores"]
    r1, r2, r3 = _at(ws, "BAU", "ACC"), _at(ws, "CFT", "ACC"), _at(ws, "SE", "ACC")
    ws.cell(r1, 4).value = 1e20
    ws.cell(r2, 4).value = "1" * 400
    ws.cell(r3, 4).value = 7.0000001
    wb.save(book)
    errors = _errors(run_cli, folder, book)
    assert errors[0] == (
        f"{book}:Scores!D{r1}: error: score 1e+20 is outside the scale 0–10 in steps of 1 "
        "(criterion ACC)"
    )
    assert errors[1].startswith(f"{book}:Scores!D{r2}: error: score '1111")
    assert errors[1].endswith("' is not a number")
    assert errors[2] == (
        f"{book}:Scores!D{r3}: error: score 7.0000001 is not on the scale's steps (0–10 in "
        "steps of 1) (criterion ACC)"
    )


def test_rewording_the_decision_does_not_orphan_the_sheets(
    run_cli: RunCli, returned: tuple[Path, Path]
) -> None:
    folder, book = returned
    settings_file = folder / "appraisal.yaml"
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_text(text.replace("Which organisational form", "What form"), "utf-8")
    result = run_cli("import", str(book), "-C", str(folder))
    assert result.exit_code == 0, result.stderr


def test_a_copied_sheet_is_said_to_be_unread(run_cli: RunCli, returned: tuple[Path, Path]) -> None:
    folder, book = returned
    wb = openpyxl.load_workbook(book)
    wb.security.lockStructure = False
    wb.copy_worksheet(wb["Scores"])
    wb.save(book)
    result = run_cli("import", str(book), "-C", str(folder))
    assert result.exit_code == 0, result.stderr
    assert (
        f"{book}: warning: the sheet `Scores Copy` is not read: only `Scores` is" in result.stderr
    )


def test_a_dissent_off_the_scale_is_found_at_its_cell(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    book = tmp_path / "moderation.xlsx"
    assert run_cli("sheet", str(folder), "--moderation", "-o", str(book)).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Moderation"]
    r = _at(ws, "SE", "ACC")
    ws.cell(r, 6).value = "P2 99: too low"
    wb.save(book)
    assert (
        f"{book}:Moderation!F{r}: error: P2's dissenting score 99 is outside the scale 0–10 in "
        "steps of 1 (criterion ACC)"
    ) in _errors(run_cli, folder, book)


def test_a_sheet_is_named_for_what_it_is(run_cli: RunCli, tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    result = run_cli(
        "sheet", str(folder), "--id", "P1", "-f", "csv", "-o", str(tmp_path / "x.xlsx")
    )
    assert result.exit_code == 1
    assert "x.xlsx does not end in .csv" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()
