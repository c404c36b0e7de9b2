"""The bundled ILLUSTRATIVE example: complete, realistic, and valid."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from appraise.files.loading import Appraisal
from appraise.files.validation import validate
from conftest import REPO


@pytest.fixture(scope="module")
def example() -> Appraisal:
    result = validate(REPO)
    assert result.valid, result.issues
    assert result.appraisal is not None
    return result.appraisal


def test_only_the_deliberate_scope_warnings() -> None:
    issues = validate(REPO).issues
    assert [(i.code, i.where) for i in issues] == [
        ("scope-differs", "options[4].scope"),
        ("scope-differs", "options[5].scope"),
    ]


def test_it_is_marked_illustrative_and_moderated(example: Appraisal) -> None:
    info = example.settings.appraisal
    assert info.illustrative is True
    assert "ILLUSTRATIVE" in info.title
    assert info.status == "moderated"
    assert info.stage == "shortlist"


def test_value_tree_is_the_sha_criteria_in_two_groups(example: Appraisal) -> None:
    groups = [n for n in example.nodes() if n.is_group]
    assert [(g.criterion.name, g.criterion.weight) for g in groups] == [
        ("To enable responsiveness", 55),
        ("To improve responsiveness", 45),
    ]
    leaves = example.leaves()
    assert [n.criterion.id for n in leaves] == [
        "ACC",
        "PAT",
        "CLIN",
        "QUAL",
        "GOV",
        "COLL",
        "CHOICE",
        "INNOV",
        "VFM",
        "PH",
        "CAP",
    ]
    names = Counter(n.criterion.name for n in leaves)
    assert names["Patient focussed"] == 1
    for group in groups:
        assert sum(c.weight for c in group.criterion.criteria or []) == 100
    assert all(n.criterion.definition.strip() for n in example.nodes())
    assert next(n for n in leaves if n.criterion.id == "GOV").criterion.scale is not None


def test_options_baseline_and_long_list(example: Appraisal) -> None:
    options = {o.item.id: o.item for o in example.options()}
    active = [i for i, o in options.items() if not o.discounted]
    assert active == ["BAU", "CFT", "SE", "CIC", "CHT", "CT", "ICAT", "PRIV"]
    assert [i for i, o in options.items() if o.baseline] == ["BAU"]
    discounted = [o for o in options.values() if o.discounted]
    assert {o.id for o in discounted} == {"LTDPMS", "MERGE", "BACKOFFICE"}
    assert all(o.filter is not None and len(o.filter.reason) > 40 for o in discounted)
    from appraise.files.costing import hurdle_results

    assert hurdle_results(example, options["PRIV"])["H3"].result == "fail"
    for option_id in active:
        option = options[option_id]
        assert set(option.hurdles) == {"H1", "H2", "H4"}  # H3 is computed from the envelope
        assert set(hurdle_results(example, option)) == {"H1", "H2", "H3", "H4"}
        assert option.cost is not None


def test_panel_and_every_rationale(example: Appraisal) -> None:
    sheets = [s for _, s in example.sheets]
    assert len(sheets) >= 5
    roles = " ".join(s.scorer.role.lower() for s in sheets)
    for role in ("nursing", "staff-side", "involvement", "finance", "county council"):
        assert role in roles
    rationales = []
    for sheet in sheets:
        cells = [c for row in sheet.scores.values() for c in row.values()]
        assert len(cells) == 8 * 11
        rationales += [" ".join(c.rationale.split()) for c in cells]
        assert sum(1 for c in cells if c.low is not None) >= 5
    assert all(len(r.split()) >= 10 for r in rationales)
    assert len(set(rationales)) == len(rationales), "every rationale is its own"


def test_moderation_records_disagreement(example: Appraisal) -> None:
    ((_, moderation),) = example.moderations
    cells = {(o, c): cell for o, row in moderation.scores.items() for c, cell in row.items()}
    assert len(cells) == 88
    panel: dict[tuple[str, str], list[float]] = {}
    for _, sheet in example.sheets:
        for o, row in sheet.scores.items():
            for c, cell in row.items():
                panel.setdefault((o, c), []).append(cell.score)
    flagged = [
        k
        for k, v in panel.items()
        if max(v) - min(v) >= 4 or max(abs(x - statistics.median(v)) for x in v) > 2
    ]
    assert len(flagged) >= 5
    assert all(cells[k].note for k in flagged)
    dissenters = {d.scorer for cell in cells.values() for d in cell.dissent}
    assert {"P2", "P4"} <= dissenters


def test_at_least_three_weight_sets(example: Appraisal) -> None:
    sets = [w for _, f in example.criteria_files for w in f.weight_sets]
    assert len(sets) >= 3
    assert any(w.normalise for w in sets)
