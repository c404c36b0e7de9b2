"""Hostile text in names and titles, through every output format, each read back by a
real parser: CommonMark for Markdown, an XML parser for SVG, Word and Excel, ``csv``
for CSV, a line check for LaTeX, and the terminal's bytes."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from appraise.paper.formats.escape import csv_cell, html_escape, md_escape, tex_escape, xml_safe
from appraise.text import UNSAFE, shown
from conftest import REPO, Run

NASTY = (
    "<img src=x onerror=alert(1)> SE\r=1+1 \x1b]0;owned\x07 \x00\x0b\x85 "
    "\u202eevil\u202c \u200bzw\u2028sep \\immediate\\write18{id} [b]rich[/b] | `x` *y*"
)
TITLE = "Board\r\\immediate\\write18{touch pwned}\n% \x1b[2J"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "appraisal"
    root.mkdir()
    for name in ("criteria", "options", "scores"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "appraisal.yaml", root / "appraisal.yaml")
    options = root / "options" / "shortlist.yaml"
    escaped = NASTY.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    text = options.read_text(encoding="utf-8")
    options.write_text(
        text.replace('name: "Social enterprise"', f'name: "{escaped}"', 1), encoding="utf-8"
    )
    settings_file = root / "appraisal.yaml"
    title = TITLE.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    settings_file.write_text(
        re.sub(
            r"(?m)^(\s*)title: .*$",
            lambda m: f'{m.group(1)}title: "{title}"',
            settings_file.read_text(),
            count=1,
        ),
        encoding="utf-8",
    )
    return root


def _no_raw(text: str) -> None:
    bad = {c for c in UNSAFE.findall(text) if c not in "\n\t"}
    assert not bad, sorted(f"U+{ord(c):04X}" for c in bad)


def test_the_hostile_appraisal_is_valid(run_cli: Callable[..., Run], hostile: Path) -> None:
    result = run_cli("validate", str(hostile))
    assert result.exit_code == 0, result


@pytest.mark.parametrize(
    "args",
    [
        ["score"],
        ["score", "--format", "md"],
        ["score", "--weights", "all"],
        ["sensitivity", "--samples", "200"],
        ["weights"],
        ["validate"],
    ],
)
def test_the_terminal_gets_no_raw_control_character(
    run_cli: Callable[..., Run], hostile: Path, args: list[str]
) -> None:
    result = run_cli(*args, str(hostile))
    assert result.exit_code == 0, result
    _no_raw(result.stdout)
    _no_raw(result.stderr)


def test_markdown_renders_no_html_from_names(run_cli: Callable[..., Run], hostile: Path) -> None:
    text = run_cli("score", str(hostile), "--format", "md").stdout
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[b]rich[/b]" in html


def test_csv_rows_stay_whole_and_inert(run_cli: Callable[..., Run], hostile: Path) -> None:
    text = run_cli("score", str(hostile), "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert len({len(r) for r in rows}) == 1
    se = next(r for r in rows if r[1] == "SE")
    assert "\r" not in se[2]
    assert "\\x0d=1+1" in se[2]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell[0] == "'"


def test_latex_has_no_live_line_from_user_text(
    tmp_path: Path, hostile: Path, run_cli: Callable[..., Run]
) -> None:
    out = tmp_path / "paper.tex"
    assert run_cli("export", str(hostile), "--samples", "200", "-o", str(out)).exit_code == 0
    for line in out.read_text(encoding="utf-8").splitlines():
        _no_raw(line)
        if line.startswith("%"):
            continue  # a comment to the end of its line: inert whatever it holds
        assert not line.lstrip().startswith(("\\immediate", "\\write18", "\\input"))
        assert "\\write18" not in line.replace("\\textbackslash{}write18", "")


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_office_files_are_well_formed_xml(
    tmp_path: Path, hostile: Path, run_cli: Callable[..., Run], suffix: str
) -> None:
    out = tmp_path / f"paper.{suffix}"
    result = run_cli("export", str(hostile), "--samples", "200", "-o", str(out))
    assert result.exit_code == 0, result
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                ElementTree.fromstring(z.read(name))
        body = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml")).decode()
    assert "\\x1b]0;owned\\x07" in body


@pytest.mark.parametrize("chart", ["contributions", "acceptability", "frontier"])
def test_svg_charts_are_well_formed(
    tmp_path: Path, hostile: Path, run_cli: Callable[..., Run], chart: str
) -> None:
    out = tmp_path / f"{chart}.svg"
    result = run_cli("export", str(hostile), "--samples", "200", "--chart", chart, "-o", str(out))
    assert result.exit_code == 0, result
    ElementTree.parse(out)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_every_escaper_leaves_nothing_unsafe(text: str) -> None:
    for escape in (md_escape, tex_escape, csv_cell):
        _no_raw(escape(text))
        assert "\n" not in escape(text)
    for escape in (html_escape, xml_safe):
        out = escape(text)
        _no_raw(out)
        ElementTree.fromstring(f"<t>{html_escape(text)}</t>")
    rendered = MarkdownIt("commonmark").render(md_escape(text))
    assert "<img" not in rendered
    assert not re.search(r"<(?!/?p>|br />)[a-z]", rendered)


_MARKDOWN_HARD = [*"-=#*_+.)!1 &;<>`[]()|~\\:a/x@\u00a0\t\n", "&amp;", "&#60;", "---"]


def _reads_back_as_itself(text: str) -> None:
    """``md_escape(text)`` rendered by CommonMark is one paragraph holding exactly the
    text (line breaks as spaces), so no rule, heading, list, entity or HTML comes of it."""
    want = shown(" ".join(text.split()))
    rendered = MarkdownIt("commonmark").render(md_escape(text))
    if not want:
        return
    paragraph = re.fullmatch(r"<p>(.*)</p>\n", rendered, re.S)
    assert paragraph, (text, rendered)
    assert html.unescape(paragraph[1]) == want, (text, rendered)


@pytest.mark.parametrize(
    "text",
    [
        "---",
        "===",
        "  ---",
        "\u00a0---",
        "&amp;",
        "&lt;img&gt;",
        "&#60;",
        "- x",
        "1. x",
        "10) z",
        "#tag",
        "+ y",
        "a\n===",
        "<http://x>",
        "![i](x)",
        "1.5 points",
        "2009 plan",
    ],
)
def test_markdown_reads_back_as_the_text(text: str) -> None:
    _reads_back_as_itself(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_MARKDOWN_HARD), max_size=12).map("".join))
def test_markdown_reads_back_as_the_text_always(text: str) -> None:
    _reads_back_as_itself(text)
    row = (
        MarkdownIt("commonmark")
        .enable("table")
        .render(f"| a |\n|---|\n| {md_escape(text, cell=True)} |\n")
    )
    assert row.count("<td>") == 1, (text, row)
    cell = re.search(r"<td>(.*)</td>", row, re.S)
    assert cell, (text, row)
    assert html.unescape(cell[1]) == shown(" ".join(text.split())), (text, row)


@pytest.mark.parametrize("command", ["score", "weights", "validate"])
def test_json_holds_the_text_exactly_and_nothing_raw(
    run_cli: Callable[..., Run], hostile: Path, command: str
) -> None:
    import json

    result = run_cli(command, str(hostile), "--format", "json")
    assert result.exit_code == 0, result
    _no_raw(result.stdout)
    if command == "score":
        names = json.dumps(json.loads(result.stdout), ensure_ascii=False)
        assert json.dumps(NASTY, ensure_ascii=False)[1:-1] in names


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_json_safe_round_trips(text: str) -> None:
    import json

    from appraise.text import json_safe

    dumped = json_safe(json.dumps({"t": text}, ensure_ascii=False))
    _no_raw(dumped)
    assert json.loads(dumped) == {"t": text}


@pytest.mark.parametrize("text", ["\ufffe", "a\uffffb"])
def test_noncharacters_no_xml_may_hold_are_escaped(text: str) -> None:
    """Found by the hypothesis test above: U+FFFE passed the HTML escaper raw."""
    ElementTree.fromstring(f"<t>{html_escape(text)}</t>")
    ElementTree.fromstring(f"<t>{xml_safe(text)}</t>")
