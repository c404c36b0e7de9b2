"""``appraise export`` and ``appraise report``: golden text formats, Excel and Word read
back cell by cell, hostile text, atomic writes, inputs never written, determinism."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import appraise
from appraise import atomic
from appraise.analysis.score import value_for_money
from appraise.analysis.sensitivity import SensitivityResult
from appraise.paper.formats.escape import neutralise, tex_escape
from appraise.paper.numbers import POINTS, PROBABILITY, format_number
from appraise.paper.provenance import build_provenance
from appraise.paper.tables import TABLES, TableUnavailable, build_table
from conftest import REPO, TESTS, Run, copy_example

GOLDEN = TESTS / "golden" / "export"
EPOCH = "1700000000"  # 2023-11-14 22:13 UTC
SETTINGS = ("--samples", "2000", "--seed", "7")


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def example() -> SensitivityResult:
    return appraise.sensitivity(REPO, samples=2000, seed=7)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled example appraisal."""
    return copy_example(tmp_path)


# --- text formats: golden files ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("ranking.csv", ()),
        ("vfm.csv", ("--table", "vfm")),
        ("tables.md", ()),
        ("tables.html", ()),
        ("tables.json", ()),
        ("tables.tex", ()),
    ],
)
def test_golden_text_formats(
    run_cli: Callable[..., Run],
    golden: Callable[[Path, str], None],
    tmp_path: Path,
    name: str,
    args: tuple[str, ...],
) -> None:
    """Every text format on the example (regenerate with ``pytest --update-golden``)."""
    out = tmp_path / name
    result = run_cli("export", str(REPO), "-o", str(out), *SETTINGS, *args)
    assert result.exit_code == 0, result
    text = out.read_text(encoding="utf-8").replace(_version(), "VERSION")
    golden(GOLDEN / name, text)


def _version() -> str:
    from appraise import __version__

    return f"appraise {__version__}"


def test_csv_numbers_are_the_engines(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    import csv

    out = tmp_path / "ranking.csv"
    assert run_cli("export", str(REPO), "-o", str(out), "--samples", "0").exit_code == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    base = appraise.score(REPO)
    p = base.problem
    assert rows[0][:4] == ["rank", "id", "option", "total"]
    for row, i in zip(rows[1:], base.order, strict=True):
        assert row[1] == p.option_ids[i]
        assert row[2].startswith(p.option_names[i])
        assert float(row[3]) == pytest.approx(base.totals[i], rel=1e-11)
    # only the table: its provenance is beside it
    assert [] not in rows
    side = json.loads((tmp_path / "ranking.provenance.json").read_text(encoding="utf-8"))
    assert side["table"] == "ranking.csv"
    assert side["method"] == "Weighted sum"
    assert len(side["inputs"]) == 12


# --- Excel and Word read back -----------------------------------------------------------


def test_xlsx_holds_the_engines_numbers_cell_by_cell(
    run_cli: Callable[..., Run], tmp_path: Path, example: SensitivityResult
) -> None:
    import openpyxl

    out = tmp_path / "board.xlsx"
    result = run_cli("export", str(REPO), "-o", str(out), *SETTINGS)
    assert result.exit_code == 0, result
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "About"
    about = [[c.value for c in row] for row in wb["About"].iter_rows()]
    assert about[1][0] == "ILLUSTRATIVE"
    assert ["Method", "Weighted sum"] in about
    assert ["Generated", f"2023-11-14 22:13 UTC by {_version()}"] in about
    base = example.base
    p = base.problem
    ranking = wb["Ranking"]
    assert ranking.freeze_panes == "D2"  # rank, id and name stay in view
    assert [c.value for c in ranking[1]][:4] == ["Rank", "Id", "Option", "Total"]
    for r, i in enumerate(base.order, start=2):
        assert ranking.cell(r, 4).value == pytest.approx(base.totals[i], abs=1e-9)
        assert isinstance(ranking.cell(r, 4).value, float)
        assert ranking.cell(r, 4).number_format == "#,##0.0"
        for g in range(len(p.groups)):
            assert ranking.cell(r, 5 + g).value == pytest.approx(base.subtotals[i, g])
    matrix = wb["Score matrix"]
    for r, i in enumerate(base.order, start=2):
        for k in range(len(p.criterion_ids)):
            assert matrix.cell(r, 3 + k).value == pytest.approx(base.scores[i, k])
    vfm = value_for_money(base)
    assert vfm is not None
    sheet = wb["Value for money"]
    for r, i in enumerate(base.order, start=2):
        assert sheet.cell(r, 3).value == pytest.approx(vfm.costs[i])
        if math.isnan(vfm.cost_per_point[i]):
            assert sheet.cell(r, 5).value is None
        else:
            assert sheet.cell(r, 5).value == pytest.approx(vfm.cost_per_point[i])
    acc = wb["Monte Carlo rank acceptability"]
    mc = example.monte_carlo
    assert mc is not None
    first = {p.option_names[i]: mc.result.acceptability[j, 0] for j, i in enumerate(mc.options)}
    for row in acc.iter_rows(min_row=2, max_row=1 + len(mc.options)):
        assert row[1].value == pytest.approx(first[row[0].value])
        assert row[1].number_format == PROBABILITY.excel_format(row[1].value)
    for name in wb.sheetnames[1:]:
        assert wb[name].column_dimensions["A"].width >= 8


def test_docx_tables_match_the_engine(
    run_cli: Callable[..., Run], tmp_path: Path, example: SensitivityResult
) -> None:
    import docx

    out = tmp_path / "board.docx"
    result = run_cli("export", str(REPO), "-o", str(out), "-t", "ranking", "-t", "vfm", *SETTINGS)
    assert result.exit_code == 0, result
    document = docx.Document(str(out))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Table 1: Ranking", "Table 2: Value for money"]
    ranking = document.tables[0]
    assert [c.text for c in ranking.rows[0].cells][:4] == ["Rank", "Id", "Option", "Total"]
    base = example.base
    p = base.problem
    for row, i in zip(ranking.rows[1:], base.order, strict=True):
        cells = [c.text for c in row.cells]
        assert cells[2].startswith(p.option_names[i])
        assert cells[3] == format_number(base.totals[i], POINTS)
    # header row repeats on every page
    assert ranking.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert any("ILLUSTRATIVE" in p.text for p in document.paragraphs)
    assert document.core_properties.author == _version()


def test_report_docx_has_every_section_charts_with_alt_text(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    import docx

    out, pack = tmp_path / "report.docx", tmp_path / "pack.docx"
    result = run_cli("report", str(REPO), "-o", str(out), "--pack", str(pack), *SETTINGS)
    assert result.exit_code == 0, result
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for part in (
        "The Board is asked to",
        "Executive recommendation",
        "Decision summary",
        "Contents",
        "What the analysis shows",
        "Decision context",
        "Options",
        "Hurdles",
        "Criteria and weights",
        "Ranking",
        "Value for money",
        "Sensitivity and robustness",
        "Switching values",
        "Scenarios",
        "Monte Carlo",
        "Implications and next steps",
        "Financial implications",
        "Equality and quality impact",
        "Engagement and consultation",
        "Next steps",
        "Glossary",
    ):
        assert part in headings
    # the difference, contributions, frontier and acceptability charts
    alts = [el.get("descr") for el in document.element.body.iter() if el.tag.endswith("}docPr")]
    assert len(alts) == 4
    assert all(a and len(a) > 40 for a in alts)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "has the highest weighted benefit score on this analysis" in text
    # never "the decision" (PRACTICE N1)
    assert not re.search(r"is the decision|the decision is|recommended option", text)
    evidence = docx.Document(str(pack))
    headings = [p.text for p in evidence.paragraphs if p.style.name.startswith("Heading")]
    for part in (
        "Method",
        "Scoring scale",
        "Hurdle results and reasons",
        "Every scenario",
        "Panel, interests and dissent",
        "Assumptions",
        "Score rationale",
        "Provenance",
    ):
        assert part in headings
    alts = [el.get("descr") for el in evidence.element.body.iter() if el.tag.endswith("}docPr")]
    assert len(alts) == 2  # the one-way and tornado charts


def test_report_html_is_self_contained(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("report", str(REPO), "-o", str(out), *SETTINGS)
    assert result.exit_code == 0, result
    page = out.read_text(encoding="utf-8")
    assert page.count("<img ") == 4
    assert page.count('src="data:image/png;base64,') == 4
    # nothing fetched from elsewhere
    for remote in ('src="http', 'href="http', "@import", "url(http"):
        assert remote not in page
    assert "ILLUSTRATIVE" in page
    assert "@page { size: A4" in page
    # where the weights come from (the example's recorded elicitations)
    assert "derived from the swing weighting recorded beside them (3 levels" in page
    assert "3 participants combined by the geometric mean of each judgement" in page
    assert "Consistency ratios range from 0.001 to 0.047 (limit 0.1)" in page


def test_charts_go_into_html_word_and_markdown_exports(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    import docx

    for suffix in ("html", "md", "docx"):
        out = tmp_path / f"x.{suffix}"
        result = run_cli(
            "export", str(REPO), "-o", str(out), "-t", "ranking", "-c", "contributions",
            "-c", "frontier", "--samples", "0",
        )  # fmt: skip
        assert result.exit_code == 0, result
    assert (tmp_path / "x.html").read_text(encoding="utf-8").count("<img ") == 2
    assert (tmp_path / "x.md").read_text(encoding="utf-8").count("](data:image/png;base64,") == 2
    pictures = docx.Document(str(tmp_path / "x.docx")).inline_shapes
    assert len(pictures) == 2


# --- determinism ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["report.html", "report.docx", "tables.xlsx", "chart.svg", "chart.png"]
)
def test_same_inputs_same_bytes(run_cli: Callable[..., Run], tmp_path: Path, name: str) -> None:
    command = "report" if name.startswith("report") else "export"
    outputs = []
    for k in range(2):
        out = tmp_path / f"{k}-{name}"
        assert run_cli(command, str(REPO), "-o", str(out), *SETTINGS).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


# --- hostile text -----------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script> "
    '=HYPERLINK("http://evil.example","click") '
    r"\input{/etc/passwd} $x$ & 100% #1 a_b {c} ~d ^e " + "Z" * 300 + " مرحبا بالعالم שלום 🏥🚑 "
)


@pytest.fixture
def hostile(copy: Path) -> Path:
    """The example with hostile rationale text in one cell, and a formula-like option
    name."""
    sheet = copy / "scores" / "p1-community-nursing.yaml"
    text = sheet.read_text(encoding="utf-8")
    first = text.index("rationale: ")
    end = text.index("\n", first)
    sheet.write_text(
        text[:first] + "rationale: " + json.dumps(HOSTILE, ensure_ascii=False) + text[end:],
        encoding="utf-8",
    )
    options = copy / "options" / "shortlist.yaml"
    text = options.read_text(encoding="utf-8")
    text = text.replace('name: "Social enterprise"', 'name: "=1+2 Social enterprise"', 1)
    assert "=1+2" in text
    options.write_text(text, encoding="utf-8")
    return copy


def test_hostile_text_is_inert_and_intact(
    run_cli: Callable[..., Run], hostile: Path, tmp_path: Path
) -> None:
    import csv

    import docx
    import openpyxl

    outs = {}
    for suffix in ("html", "md", "tex", "xlsx", "docx", "json"):
        out = tmp_path / f"rationale.{suffix}"
        result = run_cli(
            "export", str(hostile), "-o", str(out), "-t", "rationale", "-t", "ranking",
            "--samples", "0",
        )  # fmt: skip
        assert result.exit_code == 0, result
        outs[suffix] = out
    page = outs["html"].read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "مرحبا بالعالم שלום 🏥🚑" in page
    assert "Z" * 300 in page
    tex = outs["tex"].read_text(encoding="utf-8")
    assert r"\input{" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\} \$x\$ \& 100\% \#1 a\_b" in tex
    md = outs["md"].read_text(encoding="utf-8")
    assert "<script>" not in md
    assert r"\<script\>" in md
    data = json.loads(outs["json"].read_text(encoding="utf-8"))
    rationale = next(t for t in data["tables"] if t["key"] == "rationale")
    assert any(row[-1] == HOSTILE for row in rationale["rows"])
    wb = openpyxl.load_workbook(outs["xlsx"])
    cells = [c for row in wb["Score rationale"].iter_rows() for c in row]
    evil = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [c.value for c in evil] == [HOSTILE]  # intact
    assert all(c.data_type == "s" for c in evil)  # a string, never a formula
    named = [c for c in cells if c.value == "=1+2 Social enterprise"]
    assert named
    assert all(c.data_type == "s" and c.quotePrefix for c in named)
    document = docx.Document(str(outs["docx"]))
    texts = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert HOSTILE.strip() in [t.strip() for t in texts]
    # CSV: the option name would be a formula; it is neutralised
    out = tmp_path / "ranking.csv"
    assert run_cli("export", str(hostile), "-o", str(out), "--samples", "0").exit_code == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert [r[2] for r in rows[1:] if r and "Social" in r[2]] == ["'=1+2 Social enterprise"]


def test_hostile_names_survive_the_report(
    run_cli: Callable[..., Run], hostile: Path, tmp_path: Path
) -> None:
    for suffix in ("html", "docx"):
        out = tmp_path / f"report.{suffix}"
        result = run_cli("report", str(hostile), "-o", str(out), "--samples", "500")
        assert result.exit_code == 0, result
    assert "<script>alert" not in (tmp_path / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("  =1+1", "'  =1+1"),
        (" plain", " plain"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_tex_escape_every_special() -> None:
    assert tex_escape(r"\&%$#_{}~^<>") == (
        r"\textbackslash{}\&\%\$\#\_\{\}\textasciitilde{}\textasciicircum{}"
        r"\textless{}\textgreater{}"
    )


# --- safety: atomic, inputs never written, clear errors ---------------------------------


def test_interrupted_write_leaves_the_old_file(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "board.xlsx"
    out.write_bytes(b"the old board paper")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", fail)
    result = run_cli("export", str(REPO), "-o", str(out), "--samples", "0")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == b"the old board paper"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.xlsx"]


@pytest.mark.parametrize("target", ["scores/p1-community-nursing.yaml", "criteria/new.yaml"])
def test_never_writes_an_input(run_cli: Callable[..., Run], copy: Path, target: str) -> None:
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    result = run_cli("export", str(copy), "-o", str(copy / target), "--samples", "0")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "x.pdf"), "cannot tell the format of x.pdf"),
        (("-o", "x.csv", "-t", "ranking", "-t", "vfm"), "a CSV file holds one table"),
        (("-o", "x.png", "-t", "ranking"), "holds a chart, not tables"),
        (("-o", "x.png", "-c", "tornado", "-c", "oneway"), "holds one chart"),
        (("-o", "x.csv", "-c", "tornado"), "cannot hold charts"),
        (("-o", "x.xlsx", "-t", "nonsense"), "no table 'nonsense'"),
        (("-o", "x.svg", "-c", "radar"), "no chart 'radar'"),
        (("-o", "x.xlsx", "-t", "acceptability", "--samples", "0"), "no rank acceptability"),
        (("-o", "x.xlsx", "--weights", "nope"), "no weight set 'nope'"),
        (("-o", "missing/x.xlsx"), "does not exist"),
    ],
)
def test_bad_requests_give_one_clear_line(
    run_cli: Callable[..., Run], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("export", str(REPO), *args, cwd=tmp_path)
    assert result.exit_code == 1, result
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_report_needs_html_or_docx(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli("report", str(REPO), "-o", str(tmp_path / "report.pdf"))
    assert result.exit_code == 1
    assert "a report is .html or .docx" in result.stderr


def test_invalid_appraisal_writes_nothing(
    run_cli: Callable[..., Run], copy: Path, tmp_path: Path
) -> None:
    (copy / "criteria" / "value-tree.yaml").write_text("criteria: [", encoding="utf-8")
    out = tmp_path / "report.html"
    result = run_cli("report", str(copy), "-o", str(out))
    assert result.exit_code == 1
    assert "value-tree.yaml:2:1: error: YAML syntax" in result.stderr
    assert not out.exists()


def test_missing_extra_names_it(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("openpyxl", "docx"):
        monkeypatch.setitem(sys.modules, module, None)
    for suffix in ("xlsx", "docx"):
        result = run_cli("export", str(REPO), "-o", str(tmp_path / f"x.{suffix}"), "--samples", "0")
        assert result.exit_code == 1
        assert "pip install 'appraise[office]'" in result.stderr
        assert result.stderr.count("\n") == 2  # the error and its hint
    assert not list(tmp_path.iterdir())


def test_missing_matplotlib_names_the_extra(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for name in [m for m in sys.modules if m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "report.html"
    result = run_cli("report", str(REPO), "-o", str(out), "--samples", "0")
    assert result.exit_code == 1
    assert "pip install 'appraise[charts]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    result = run_cli("report", str(REPO), "-o", str(out), "--samples", "0", "--no-charts")
    assert result.exit_code == 0, result
    assert "<img " not in out.read_text(encoding="utf-8")
    result = run_cli("export", str(REPO), "-o", str(tmp_path / "c.png"), "--samples", "0")
    assert result.exit_code == 1
    assert "appraise[charts]" in result.stderr


def test_tables_library_names_every_table(example: SensitivityResult) -> None:
    appraisal = appraise.load(REPO)
    for key in TABLES:
        if key == "missing":  # only a provisional appraisal has one (test_provisional.py)
            with pytest.raises(TableUnavailable, match="every panel member has scored"):
                build_table(key, example, appraisal)
            continue
        t = build_table(key, example, appraisal)
        assert t.rows
        assert all(len(r.cells) == len(t.columns) for r in t.rows)


def test_provenance_hashes_every_input(example: SensitivityResult) -> None:
    import hashlib

    appraisal = appraise.load(REPO)
    prov = build_provenance(appraisal, example)
    files = sorted(
        p.relative_to(REPO).as_posix()
        for part in ("criteria", "options", "scores")
        for p in (REPO / part).glob("*.yaml")
    )
    assert sorted(p for p, _ in prov.inputs) == sorted([*files, "appraisal.yaml"])
    for path, digest in prov.inputs:
        assert digest == hashlib.sha256((REPO / path).read_bytes()).hexdigest()
    assert prov.generated == "2023-11-14 22:13 UTC"
    assert os.environ["SOURCE_DATE_EPOCH"] == EPOCH


def test_the_report_carries_the_papers_fields_or_says_not_provided(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    """The example's cover sheet, ask and recommendation come from `paper:`; an
    appraisal without one prints "Not provided" in each place, so the gap shows."""
    import html as html_lib
    import re

    def text_of(folder: Path, name: str) -> str:
        out = tmp_path / name
        result = run_cli("report", str(folder), "-o", str(out), "--samples", "0", "--no-charts")
        assert result.exit_code == 0, result
        page = html_lib.unescape(re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8")))
        return " ".join(page.split())

    example = text_of(REPO, "example.html")
    assert "Paper reference PCTB 09/014" in example
    assert "Purpose For decision" in example
    assert "The Board is asked to Approve the community foundation trust" in example
    assert "Executive recommendation The executive team recommends" in example
    assert "Legal implications Staff would transfer under TUPE" in example
    bare = text_of(TESTS / "cases" / "valid" / "small", "small.html")
    assert "Meeting Not provided" in bare
    assert "The Board is asked to Not provided" in bare
    assert "Executive recommendation Not provided" in bare
    assert bare.count("Not provided") == 7 + 2 + 7  # cover fields, ask and advice, sections
