"""``appraise diff`` as one Paper (:mod:`appraise.paper.tables.diff`).

Two versions of the small case are built in a temporary folder: the later one has a
moderated score raised, two weights moved and an option added whose name holds Markdown
and HTML. The paper's cells are checked against the analysis's own numbers, its text
against :func:`format_number`, and both renderings (terminal, Markdown) against what
they must never do: overflow 80 columns, or let user text act as markup.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

import appraise
from appraise.analysis.diff import AppraisalDiff, RankRow, diff_appraisals
from appraise.analysis.problem import Problem
from appraise.files.loading import Appraisal
from appraise.paper.formats.escape import md_escape
from appraise.paper.formats.markdown import text as markdown
from appraise.paper.model import Cell, Heading, Paper, Para, Table, TableBlock
from appraise.paper.numbers import DERIVED_WEIGHT, POINTS, RANK, WEIGHT, Quantity, format_number
from appraise.paper.tables.diff import (
    FILE_LIMIT,
    POINTS_CHANGE,
    TERMINAL_LIMIT,
    diff_paper,
    summary_sentences,
)
from appraise.terminal.render import render_paper
from conftest import CASES, dump_yaml

SMALL = CASES / "valid" / "small"
NEW_NAME = "Mobile <b>clinic</b> | van"
LONG = "Revised after the site visit. " * 20  # 600 characters


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump_yaml(data), encoding="utf-8")


def _later(folder: Path) -> None:
    """A score raised, two weights moved, an option added, a rationale rewritten."""

    def score(data: Any) -> None:
        data["scores"]["SPOKE"]["QUAL"]["score"] = 8
        data["scores"]["MOBILE"] = {
            "QUAL": {"score": 6},
            "ACCESS": {"score": 9},
            "STAFF": {"score": 5},
            "RISK": {"score": 6},
        }

    def weights(data: Any) -> None:
        care = data["criteria"][0]["criteria"]
        care[0]["weight"], care[1]["weight"] = 65, 35

    def option(data: Any) -> None:
        data["options"].insert(
            -1,
            {
                "id": "MOBILE",
                "name": NEW_NAME,
                "description": "A van that visits villages",
                "cost": {"amount": 200},
                "hurdles": {"H1": {"result": "pass", "reason": "Cheap"}},
            },
        )

    def sheet(data: Any) -> None:
        data["scores"]["MOBILE"] = {
            c: {"score": s, "rationale": "Seen in a pilot"}
            for c, s in (("QUAL", 6), ("ACCESS", 9), ("STAFF", 5), ("RISK", 6))
        }

    _edit(folder / "scores" / "moderated.yaml", score)
    _edit(folder / "criteria" / "tree.yaml", weights)
    _edit(folder / "options" / "options.yaml", option)
    for name in ("ann.yaml", "bob.yaml"):
        _edit(folder / "scores" / name, sheet)
    _edit(
        folder / "scores" / "ann.yaml",
        lambda d: d["scores"]["HUB"]["QUAL"].__setitem__("rationale", LONG),
    )


def _load(folder: Path) -> tuple[Appraisal, Problem]:
    appraisal = appraise.load(folder)  # raises, naming every error, unless valid
    return appraisal, appraise.problem(appraisal)


def _names(pa: Problem, pb: Problem) -> dict[str, str]:
    return {
        **dict(zip(pa.option_ids, pa.option_names, strict=True)),
        **dict(zip(pb.option_ids, pb.option_names, strict=True)),
    }


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "before", tmp_path / "after"
    shutil.copytree(SMALL, a)
    shutil.copytree(SMALL, b)
    _later(b)
    return a, b


@pytest.fixture
def compared(versions: tuple[Path, Path]) -> tuple[AppraisalDiff, Problem, Problem]:
    (a, pa), (b, pb) = _load(versions[0]), _load(versions[1])
    return diff_appraisals(a, b, pa, pb, before="before", after="after"), pa, pb


def _table(paper: Paper, key: str) -> Table:
    return next(t for t in paper.tables if t.key == key)


def _shown(c: Cell, quantity: Quantity, blank: str) -> str:
    """What a number cell must show: ``format_number`` of its value, then its mark."""
    if c.value is None:
        return blank
    assert not isinstance(c.value, str)
    return format_number(c.value, quantity) + c.mark


def test_every_total_and_rank_is_the_analysis_number(
    compared: tuple[AppraisalDiff, Problem, Problem], versions: tuple[Path, Path]
) -> None:
    d, pa, pb = compared
    paper = diff_paper(d, pb.title, _names(pa, pb))
    t = _table(paper, "diff_ranking")
    assert d.effect is not None
    assert len(t.rows) == len(d.effect.ranking)
    # independently of the diff: each version scored on its own
    before, after = appraise.score(versions[0]), appraise.score(versions[1])
    totals = {
        "before": dict(zip(before.problem.option_ids, map(float, before.totals), strict=True)),
        "after": dict(zip(after.problem.option_ids, map(float, after.totals), strict=True)),
    }
    for k, (row, r) in enumerate(zip(t.rows, d.effect.ranking, strict=True)):
        cells = row.cells
        assert cells[0].value.startswith(f"{r.name} ({r.id})")  # type: ignore[union-attr]
        assert cells[3].value == r.total_before == totals["before"].get(r.id)
        assert cells[4].value == r.total_after == totals["after"].get(r.id)
        assert cells[5].value == r.moved
        for col, label in ((1, r.rank_before), (2, r.rank_after)):
            c = cells[col]
            if label is None:
                assert c.value is None
            else:
                assert c.value == int(label.rstrip("="))
                assert c.mark == label[-1:].strip("0123456789")
            assert c.quantity == RANK or c.value is None
            shown = _shown(c, RANK, "–")
            assert t.text(k, col) == t.text(k, col, narrow=True) == shown
        for col, q, blank in ((3, POINTS, "–"), (4, POINTS, "–"), (5, POINTS_CHANGE, "")):
            assert t.columns[col].quantity is q
            assert t.text(k, col) == _shown(cells[col], q, blank)
    by_id = {r.cells[0].value: r for r in t.rows}
    new = by_id[f"{NEW_NAME} (MOBILE) [new]"]
    assert new.cells[1].value is None
    assert new.cells[3].value is None
    assert new.cells[5].value is None
    # the new leader stands out; the option failing a hurdle is shown, not ranked
    styles = {r.id: row.style for r, row in zip(d.effect.ranking, t.rows, strict=True)}
    assert styles["SPOKE"] == "leader"
    assert styles["OUT"] == "excluded"
    assert t.text(0, 5) == "+" + format_number(d.effect.ranking[0].moved, POINTS)


def test_switching_values_are_the_analysis_numbers(
    compared: tuple[AppraisalDiff, Problem, Problem],
) -> None:
    d, pa, pb = compared
    names = _names(pa, pb)
    t = _table(diff_paper(d, pb.title, names), "diff_switching")
    assert d.effect is not None
    assert d.effect.switches
    assert len(t.rows) == 2 * len(d.effect.switches)
    assert (t.columns[2].quantity, t.columns[3].quantity) == (WEIGHT, DERIVED_WEIGHT)
    for n, s in enumerate(d.effect.switches):
        sides = (
            ("before", s.weight_before, s.below_before, s.above_before),
            ("after", s.weight_after, s.below_after, s.above_after),
        )
        for m, (version, weight, below, above) in enumerate(sides):
            k = 2 * n + m
            cells = t.rows[k].cells
            assert cells[1].value == version
            assert cells[2].value == weight
            assert t.text(k, 2) == format_number(weight, WEIGHT)
            for col, x in ((3, below), (5, above)):
                if x is None:
                    assert cells[col].value is None
                    assert t.text(k, col) == "never"
                    assert t.text(k, col + 1) == ""
                else:
                    assert cells[col].value == x[0]
                    assert t.text(k, col) == format_number(x[0], DERIVED_WEIGHT)
                    assert t.text(k, col + 1) == names[x[1]]
                    assert t.text(k, col + 1, narrow=True) == x[1]


def test_the_summary_says_the_leader_changed(
    compared: tuple[AppraisalDiff, Problem, Problem],
) -> None:
    d, pa, pb = compared
    assert d.effect is not None
    assert d.effect.leader_changed
    lines = summary_sentences(d, _names(pa, pb))
    assert lines[0].startswith("Changed: ")
    assert "1 option change" in lines[0]
    assert "4 weight changes" in lines[0]
    assert lines[0].endswith("(scores of ANN and BOB).")
    assert (
        "The leader changed: Hub and spokes now has the highest weighted benefit score "
        "(was Community hub)."
    ) in lines
    margin = next(line for line in lines if line.startswith("Its margin"))
    assert format_number(d.effect.margin_before, POINTS) in margin
    assert format_number(d.effect.margin_after, POINTS) in margin
    paper = diff_paper(d, pb.title, _names(pa, pb))
    paras = [b.text for b in paper.blocks if isinstance(b, Para)]
    assert paras[: len(lines)] == lines
    assert [b.text for b in paper.blocks if isinstance(b, Heading)] == [
        "Effect on the ranking",
        "Changes",
    ]
    numbers = [b.number for b in paper.blocks if isinstance(b, TableBlock)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_identical_versions_say_nothing_changed(tmp_path: Path) -> None:
    shutil.copytree(SMALL, tmp_path / "a")
    shutil.copytree(SMALL, tmp_path / "b")
    a, b = tmp_path / "a", tmp_path / "b"
    d = appraise.diff(str(a), str(b))
    pa, pb = appraise.problem(a), appraise.problem(b)
    paper = diff_paper(d, pb.title, _names(pa, pb), illustrative=True)
    assert paper.illustrative
    assert paper.tables == []
    lines = summary_sentences(d, _names(pa, pb))
    assert lines[0] == "Nothing changed: the two versions hold the same appraisal."
    assert lines[1].startswith("The ranking did not change: Community hub still has")
    assert d.effect is not None
    assert d.effect.margin_after is not None
    margin = format_number(d.effect.margin_after, POINTS)
    assert lines[2] == f"Its margin over Hub and spokes is unchanged at {margin}."


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [(4.01, 4.04, True), (4.04, 4.05, False), (4.0, 4.049999, True), (3.96, 4.04, True)],
)
def test_a_margin_is_unchanged_when_it_shows_the_same_digits(
    compared: tuple[AppraisalDiff, Problem, Problem], before: float, after: float, same: bool
) -> None:
    d, pa, pb = compared
    assert d.effect is not None
    effect = replace(
        d.effect, margin_before=before, margin_after=after, runner_before=d.effect.runner_after
    )
    lines = summary_sentences(replace(d, effect=effect), _names(pa, pb))
    unchanged = [line for line in lines if "is unchanged at" in line]
    assert bool(unchanged) is same
    if not same:
        moved = next(line for line in lines if line.startswith("Its margin"))
        assert f"from {format_number(before, POINTS)} " in moved
        assert f"to {format_number(after, POINTS)} " in moved


def test_rounded_totals_that_do_not_add_up_say_so(
    compared: tuple[AppraisalDiff, Problem, Problem],
) -> None:
    d, pa, pb = compared
    assert d.effect is not None
    rows = [RankRow("X", "Exact", "1", "1", 638.04, 680.06), *d.effect.ranking[1:]]
    paper = diff_paper(replace(d, effect=replace(d.effect, ranking=rows)), "", _names(pa, pb))
    t = _table(paper, "diff_ranking")
    assert (t.text(0, 3), t.text(0, 4), t.text(0, 5)) == ("638.0", "680.1", "+42.0")
    assert any("Exact (X)" in note and "rounded" in note for note in t.notes)
    assert paper.title == "appraise diff: before → after"
    assert paper.subtitle == ""


def test_long_values_are_cut_and_numbers_formatted(
    compared: tuple[AppraisalDiff, Problem, Problem],
) -> None:
    d, pa, pb = compared
    paper = diff_paper(d, pb.title, _names(pa, pb))
    scores = _table(paper, "diff_score")
    row = next(r for r in scores.rows if r.cells[2].value == "rationale")
    after = row.cells[4]
    assert isinstance(after.value, str)
    assert after.short is not None
    assert len(after.value) == FILE_LIMIT
    assert after.value.endswith("…")
    assert len(after.short) == TERMINAL_LIMIT
    assert after.short.endswith("…")
    assert LONG.strip().startswith(after.value[:-1].strip())
    weights = _table(paper, "diff_weights")
    tree = {r.cells[2].value: r for r in weights.rows if r.cells[1].value == "tree"}
    assert tree["QUAL"].cells[3].value == "70 (global 42)"
    assert tree["QUAL"].cells[4].value == "65 (global 39)"
    moderated = _table(paper, "diff_moderation")
    spoke = next(r for r in moderated.rows if r.cells[1].value == "SPOKE · QUAL")
    assert (spoke.cells[3].value, spoke.cells[4].value) == ("7", "8")
    added = next(r for r in moderated.rows if r.cells[0].value == "added")
    assert added.cells[3].value is None
    assert added.cells[3].blank == "–"


def test_markdown_has_every_table_with_user_text_inert(
    compared: tuple[AppraisalDiff, Problem, Problem],
) -> None:
    d, pa, pb = compared
    paper = diff_paper(d, pb.title, _names(pa, pb))
    md = markdown(paper)
    keys = [t.key for t in paper.tables]
    assert keys == [
        "diff_ranking",
        "diff_switching",
        "diff_option",
        "diff_weights",
        "diff_score",
        "diff_moderation",
    ]
    for block in paper.blocks:
        if isinstance(block, TableBlock):
            assert f"### Table {block.number}: {md_escape(block.table.title)}" in md
    assert "<b>" not in md
    assert "</b>" not in md
    # the option's name as a ranking cell, its HTML and pipe escaped (however much else
    # md_escape escapes)
    assert f"| {md_escape(NEW_NAME + ' (MOBILE) [new]')} |" in md
    assert r"Mobile \<b\>clinic\</b\> \| van" in md
    # every row of every table has as many unescaped pipes as its header
    for table_text in md.split("### Table ")[1:]:
        rows = [line for line in table_text.splitlines() if line.startswith("|")]
        pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in rows}
        assert len(pipes) == 1, table_text
    assert f"| {md_escape('Hub and spokes (SPOKE)')} | 2 | 1 |" in md


def test_the_terminal_fits_80_columns(compared: tuple[AppraisalDiff, Problem, Problem]) -> None:
    d, pa, pb = compared
    d = replace(d, authors={"scores/ann.yaml": ["Ann Analyst"]})
    paper = diff_paper(d, pb.title, _names(pa, pb))
    assert isinstance(paper.blocks[-1], Para)
    assert paper.blocks[-1].style == "note"
    console = Console(width=80, record=True)
    console.print(render_paper(paper, 80))
    out = console.export_text()
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "The leader changed: Hub and spokes" in " ".join(out.split())
    assert NEW_NAME.split()[0] in out
    assert "<b>clinic</b>" in out
    assert "Committed by: scores/ann.yaml: Ann Analyst." in " ".join(out.split())
