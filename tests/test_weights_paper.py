"""``appraise weights`` as a paper (``appraise.paper.tables.weights``), checked against the
analysis it shows: every weight cell holds the view's number and shows it through
``format_number``, group rows stand out, each participant has a column, an inconsistent
AHP record is a warning, and the terminal and Markdown renderings hold every table.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from rich.console import Console

import appraise
from appraise.analysis.weights import WeightsView
from appraise.paper.formats.markdown import text as markdown
from appraise.paper.model import Heading, Para, Table, TableBlock, show
from appraise.paper.numbers import CONSISTENCY, DECLARED_RATIO, WEIGHT, format_number
from appraise.paper.tables.weights import global_table, judgement, level_table, weights_paper
from appraise.paper.wording import BANNER
from appraise.terminal.render import render_paper
from test_elicited import FLAT, REVERSED, make_folder, weight_set

REPO = Path(__file__).parents[1]


def view_of(root: Path) -> WeightsView:
    return appraise.weights(root)


@pytest.fixture(scope="module")
def example() -> WeightsView:
    return view_of(REPO)


def terminal(view: WeightsView, width: int = 80) -> str:
    out = Console(width=width, record=True, highlight=False, markup=False, emoji=False)
    out.print(render_paper(weights_paper(view), width))
    return out.export_text()


def column(t: Table, name: str) -> int:
    return [c.name for c in t.columns].index(name)


# -- the global weights ----------------------------------------------------------------------


def test_every_global_weight_is_the_views_times_the_total(example: WeightsView) -> None:
    p = example.problem
    t = global_table(example)
    assert [c.short for c in t.columns[2:]] == [s.id for s in example.sets]
    assert len(t.rows) == len(p.node_ids)
    for s in example.sets:
        k = [c.short for c in t.columns].index(s.id)
        assert t.columns[k].quantity is WEIGHT
        for i, row in enumerate(t.rows):
            value = row.cells[k].value
            assert isinstance(value, float)
            assert value == pytest.approx(float(s.global_[i]) * p.total, abs=1e-9)
            expected = format_number(float(s.global_[i]) * p.total, WEIGHT)
            assert t.text(i, k) == expected
            assert t.text(i, k, narrow=True) == expected


def test_group_rows_are_styled_group(example: WeightsView) -> None:
    p = example.problem
    leaves = {int(x) for x in p.leaves}
    t = global_table(example)
    level = column(t, "Level")
    for i, row in enumerate(t.rows):
        group = i not in leaves
        assert row.style == ("group" if group else "")
        assert row.cells[level].value == ("group" if group else "criterion")
        assert f"({p.node_ids[i]})" in str(row.cells[0].value)
    assert {i for i, r in enumerate(t.rows) if r.style == "group"} == {int(g) for g in p.groups}


def test_the_leaves_sum_to_the_total_in_every_set(example: WeightsView) -> None:
    p = example.problem
    t = global_table(example)
    for k in range(2, len(t.columns)):
        leaves = [t.rows[int(i)].cells[k].value for i in p.leaves]
        assert math.fsum(float(v) for v in leaves if v is not None) == pytest.approx(p.total)


# -- the elicitations, level by level ------------------------------------------------------


def test_a_participant_table_has_one_column_per_participant(example: WeightsView) -> None:
    p = example.problem
    clinical = next(s for s in example.sets if s.id == "clinical")
    es = clinical.elicited
    assert es is not None
    ids = [r.id for r in es.participants]
    assert ids == ["CRG1", "CRG2", "CRG3"]
    for k, lv in enumerate(es.combined):
        t = level_table(example, clinical, k)
        names = [c.name for c in t.columns]
        assert [n for n in names if n in ids] == ids
        assert names == ["Criterion", *ids, "Combined", "Local weight used", "Global weight"]
        assert [c.short or c.name for c in t.columns][-3:] == ["Combined", "Used", "Global"]
        assert len(t.rows) == len(lv.ids)
        for m, ident in enumerate(lv.ids):
            node = p.node_ids.index(ident)
            row = t.rows[m].cells
            for r in es.participants:
                mine = r.levels[k]
                share = float(mine.shares[mine.ids.index(ident)]) * p.total
                assert row[names.index(r.id or "")].value == pytest.approx(share, abs=1e-9)
            assert row[-3].value == pytest.approx(float(lv.shares[m]) * p.total, abs=1e-9)
            assert row[-2].value == pytest.approx(float(clinical.local[node]), abs=1e-9)
            glob = float(clinical.global_[node]) * p.total
            assert row[-1].value == pytest.approx(glob, abs=1e-9)
            assert t.text(m, len(names) - 1) == format_number(glob, WEIGHT)


def test_an_agreed_record_shows_what_was_recorded(example: WeightsView) -> None:
    tree = next(s for s in example.sets if s.id == "tree")
    es = tree.elicited
    assert es is not None
    assert not es.participants
    for k, lv in enumerate(es.combined):
        t = level_table(example, tree, k)
        assert [c.name for c in t.columns][:3] == ["Criterion", "Swing", "Elicited"]
        for m, ident in enumerate(lv.ids):
            assert t.rows[m].cells[1].value == pytest.approx(lv.recorded[ident])


def test_the_paper_numbers_its_tables_and_heads_each_elicitation(example: WeightsView) -> None:
    paper = weights_paper(example)
    assert paper.illustrative
    assert paper.title == example.problem.title
    assert (
        paper.subtitle == "Value tree: swing weighting, agreed 2008-11-12 · each level sums to 100"
    )
    numbers = [b.number for b in paper.blocks if isinstance(b, TableBlock)]
    assert numbers == list(range(1, len(numbers) + 1))
    # the global table, then three levels for the tree and three for clinical
    assert len(numbers) == 7
    assert len({t.key for t in paper.tables}) == 7
    headings = [b.text for b in paper.blocks if isinstance(b, Heading)]
    assert [h.split(" (")[0] for h in headings] == ["Value tree", "Clinical reference group"]
    assert all(b.level == 2 for b in paper.blocks if isinstance(b, Heading))
    paras = [b for b in paper.blocks if isinstance(b, Para)]
    assert paras[0].text.startswith("Weight sets: tree = Value tree (swing weighting);")
    assert paras[0].style == "note"
    assert paras[-1].text.startswith("No elicitation recorded for staff_side (swing weighting)")
    assert paras[-1].style == "body"
    consistency = [b for b in paras if b.text.startswith("Consistency ratio")]
    assert [b.style for b in consistency] == ["note", "note"]
    assert consistency[0].text.startswith("Consistency ratio (limit 0.1, random index 1.24")
    assert not [b for b in paras if b.style == "warning"]


def test_one_set_brings_its_participants_only(example: WeightsView) -> None:
    keep = [s for s in example.sets if "clinical" in (s.id, s.participant_of)]
    paper = weights_paper(dataclasses.replace(example, sets=keep))
    assert paper.subtitle == "Each level sums to 100"
    assert [c.short for c in paper.tables[0].columns[2:]] == [
        "clinical",
        "clinical.CRG1",
        "clinical.CRG2",
        "clinical.CRG3",
    ]
    assert not any(
        isinstance(b, Para) and b.text.startswith("No elicitation") for b in paper.blocks
    )
    alone = weights_paper(dataclasses.replace(example, sets=keep[2:3]))
    legend = next(b for b in alone.blocks if isinstance(b, Para))
    assert legend.text == "Weight sets: clinical.CRG2: each participant's own weights."


# -- an inconsistent record ----------------------------------------------------------------


def test_an_inconsistent_ahp_record_is_a_warning(tmp_path: Path) -> None:
    root = make_folder(tmp_path, weight_set("ahp", REVERSED), tree=FLAT)
    view = view_of(root)
    workshop = next(s for s in view.sets if s.id == "workshop")
    assert workshop.elicited is not None
    c = workshop.elicited.combined[0].consistency
    assert c is not None
    assert c.cr is not None
    assert c.cr > c.limit
    paper = weights_paper(view)
    warnings = [b for b in paper.blocks if isinstance(b, Para) and b.style == "warning"]
    assert len(warnings) == 1
    said = warnings[0].text
    assert said.startswith(
        f"agreed: consistency ratio {format_number(c.cr, CONSISTENCY)} is above "
        f"{format_number(c.limit, DECLARED_RATIO)}. Least consistent: QUAL over RISK 1/8 (line "
    )
    worst = c.worst[0]
    assert f"weights imply {judgement(worst.implied)}" in said
    notes = [b for b in paper.blocks if isinstance(b, Para) and b.style == "note"]
    assert any(
        n.text.startswith("Consistency ratio (limit 0.1, random index 0.9 for 4)") for n in notes
    )
    # the warning follows its level's table
    blocks = list(paper.blocks)
    table_at = max(k for k, b in enumerate(blocks) if isinstance(b, TableBlock))
    assert blocks.index(warnings[0]) > table_at
    out = " ".join(terminal(view).split())
    assert " ".join(said.split()) in out
    assert f"**{said.split(' (line')[0]}" in markdown(paper).replace("\\", "")


@pytest.mark.parametrize(
    ("x", "shown"), [(3.0, "3"), (2.5, "2.5"), (1 / 3, "1/3"), (1 / 2.5, "1/2.5"), (1.0, "1")]
)
def test_judgements_are_shown_as_written(x: float, shown: str) -> None:
    assert judgement(x) == shown


# -- rendered --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 60])
def test_the_terminal_fits_the_width(example: WeightsView, width: int) -> None:
    out = terminal(example, width)
    long = [line for line in out.splitlines() if len(line) > width]
    assert not long, long
    assert BANNER in " ".join(out.split())
    for ident in ("CRG1", "CRG2", "CRG3", "clinical.CRG1", "staff_side"):
        assert ident in out


def test_the_terminal_shows_every_cell(example: WeightsView) -> None:
    out = terminal(example)
    words = set(out.split())
    for t in weights_paper(example).tables:
        for i in range(len(t.rows)):
            for k, c in enumerate(t.columns):
                if c.numeric:
                    assert t.text(i, k, narrow=True) in words, (t.key, i, k)


def test_the_markdown_holds_every_table(example: WeightsView) -> None:
    paper = weights_paper(example)
    md = markdown(paper)
    for block in paper.blocks:
        if not isinstance(block, TableBlock):
            continue
        t = block.table
        assert f"### Table {block.number}: " in md
        header = "| " + " | ".join(c.name for c in t.columns) + " |"
        assert header in md.replace("\\", ""), header
        for row in t.rows:
            line = (
                "| "
                + " | ".join(show(v, c) for v, c in zip(row.cells, t.columns, strict=True))
                + " |"
            )
            assert line in md.replace("\\", ""), line
