"""What-ifs from the command line: ``score --set-weight``, ``--set-score``, ``--explain``
and ``--compare``, checked against the switching values, by hand, and for bad specs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import appraise
from appraise.analysis.whatif import WeightChange, what_if
from conftest import REPO, Run

RunCli = Callable[..., Run]

PROBLEM = appraise.problem(REPO)


def _json(run_cli: RunCli, *args: str) -> dict[str, Any]:
    run = run_cli("score", str(REPO), "--format", "json", *args)
    assert run.exit_code == 0, run
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def _leader(data: dict[str, Any]) -> str:
    return next(o["id"] for o in data["options"] if o["rank"] == 1)


def test_the_leader_changes_exactly_at_each_weight_switching_value(run_cli: RunCli) -> None:
    """Every criterion and group's switching weight from `appraise sensitivity`: just
    below it the leader is the one before, just above it the new one."""
    sens = appraise.sensitivity(REPO, samples=0)
    p = sens.problem
    checked = 0
    for ws in sens.weight_switches:
        for seg_before, seg_after in zip(ws.segments, ws.segments[1:], strict=False):
            at = seg_before.end
            for step, expected in ((-1e-6, seg_before.leader), (1e-6, seg_after.leader)):
                w = what_if(PROBLEM, [WeightChange(ws.id, at + step)])
                first = [int(i) for i in np.flatnonzero(w.changed.ranks == 1)]
                assert first == [expected], (ws.id, at, step, p.option_ids[expected])
                checked += 1
    assert checked >= 4


def test_vfm_at_its_switching_value_through_the_cli(run_cli: RunCli) -> None:
    """VFM's weight switches the leader from CFT to ICAT at 32.2974 (of 100)."""
    below = _json(run_cli, "--set-weight", "VFM=32.2973")
    above = _json(run_cli, "--set-weight", "VFM=32.2975")
    assert below["leader_what_if"] == ["CFT"]
    assert not below["leader_changed"]
    assert above["leader_what_if"] == ["ICAT"]
    assert above["leader_changed"]


def test_a_weight_set_to_its_own_value_changes_nothing() -> None:
    w = what_if(PROBLEM, [WeightChange("VFM", 13.95), WeightChange("enable", 55)])
    np.testing.assert_allclose(w.changed.totals, w.agreed.totals, rtol=1e-12)


def test_the_others_are_rescaled_in_proportion_by_hand() -> None:
    """VFM 13.95 → 30: the other criteria share 70 in the proportions they had (86.05)."""
    w = what_if(PROBLEM, [WeightChange("VFM", 30)])
    p = PROBLEM
    k = p.criterion_ids.index("VFM")
    before, after = w.agreed.weights, w.changed.weights
    assert after[k] == pytest.approx(30)
    others = np.arange(len(before)) != k
    np.testing.assert_allclose(after[others], before[others] * 70 / 86.05, rtol=1e-12)
    assert after.sum() == pytest.approx(100)
    # a total is Σ weight × score: SE's with VFM at 30, from the moderated scores
    se = p.option_ids.index("SE")
    by_hand = float((after * w.agreed.scores[se]).sum())
    assert w.changed.totals[se] == pytest.approx(by_hand, rel=1e-12)


def test_a_group_and_a_criterion_inside_another() -> None:
    """enable = 50 and VFM (in improve) = 30: improve's other criteria share 20."""
    w = what_if(PROBLEM, [WeightChange("enable", 50), WeightChange("VFM", 30)])
    p = PROBLEM
    g = list(p.groups)
    assert w.changed.group_weights[g.index(p.node_ids.index("enable"))] == pytest.approx(50)
    improve = [k for k, grp in enumerate(p.leaf_group) if grp == 1]
    k = p.criterion_ids.index("VFM")
    rest = [j for j in improve if j != k]
    assert w.changed.weights[rest].sum() == pytest.approx(20)
    np.testing.assert_allclose(
        w.changed.weights[rest] / w.agreed.weights[rest],
        np.full(len(rest), 20 / (45 - 13.95)),
        rtol=1e-12,
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.01, 1.0), min_size=11, max_size=11))
def test_random_weights_match_the_weighted_sum(raw: list[float]) -> None:
    """Any weights set for every criterion give totals Σ weight × score (200 vectors)."""
    p = PROBLEM
    w = np.array(raw) / sum(raw) * 100
    changes = [WeightChange(c, float(v)) for c, v in zip(p.criterion_ids, w, strict=True)]
    changes[-1] = WeightChange(p.criterion_ids[-1], float(100 - w[:-1].sum()))
    got = what_if(p, changes)
    scores = got.agreed.scores
    np.testing.assert_allclose(got.changed.totals, scores @ got.changed.weights, rtol=1e-9)


def test_a_score_set_by_hand(run_cli: RunCli) -> None:
    """SE's ACC 5 → 6 adds ACC's weight, 9.9, to SE's total."""
    data = _json(run_cli, "--set-score", "SE.ACC=6")
    before = {o["id"]: o["total"] for o in data["agreed"]["options"]}
    after = {o["id"]: o["total"] for o in data["what_if"]["options"]}
    assert after["SE"] - before["SE"] == pytest.approx(9.9, abs=1e-9)
    assert all(after[i] == before[i] for i in before if i != "SE")
    assert data["set_scores"] == [{"option": "SE", "criterion": "ACC", "score": 6.0}]


def test_the_terminal_says_what_moved(run_cli: RunCli) -> None:
    run = run_cli("score", str(REPO), "--set-weight", "VFM=33")
    assert run.exit_code == 0, run
    text = " ".join(run.stdout.split())
    assert (
        "Integrated community and acute trust now leads (NHS community foundation trust "
        "led as agreed)."
    ) in text
    assert "Weights set: VFM 13.95 → 33.00 (of 100); every other weight rescaled" in text
    run = run_cli("score", str(REPO), "--set-weight", "VFM=20")
    assert "NHS community foundation trust still leads, by" in " ".join(run.stdout.split())


def test_explain_adds_up(run_cli: RunCli) -> None:
    data = _json(run_cli, "--explain", "SE")
    table = data["explained"][0]
    points = [row[4] for row in table["rows"]]
    total = next(o["total"] for o in data["options"] if o["id"] == "SE")
    assert sum(points) == pytest.approx(total, rel=1e-12)
    assert sum(row[5] for row in table["rows"]) == pytest.approx(100, rel=1e-12)


def test_compare_adds_up_to_the_margin(run_cli: RunCli) -> None:
    data = _json(run_cli, "--compare", "CFT", "SE")
    table = data["explained"][0]
    totals = {o["id"]: o["total"] for o in data["options"]}
    assert sum(row[5] for row in table["rows"]) == pytest.approx(
        totals["CFT"] - totals["SE"], rel=1e-12
    )
    diffs = [abs(row[5]) for row in table["rows"]]
    assert diffs == sorted(diffs, reverse=True)
    assert "it gains most on ACC, GOV and CAP" in table["notes"][0]


BAD = [
    (("--set-weight", "NOPE=3"), "--set-weight: no criterion or group 'NOPE'"),
    (("--set-weight", "VMF=3"), "did you mean VFM?"),
    (("--set-weight", "VFM=abc"), "--set-weight 'VFM=abc': 'abc' is not a number"),
    (("--set-weight", "VFM"), "--set-weight 'VFM' is not ID=WEIGHT"),
    (("--set-weight", "VFM=nan"), "the value must be a finite number"),
    (("--set-weight", "VFM=-1"), "--set-weight VFM=-1: a weight is from 0 to 100"),
    (("--set-weight", "VFM=101"), "--set-weight VFM=101: a weight is from 0 to 100"),
    (
        ("--set-weight", "enable=50", "--set-weight", "improve=60"),
        "--set-weight enable=50, improve=60: these add up to 110, more than 100 (the whole)",
    ),
    (
        ("--set-weight", "enable=40", "--set-weight", "improve=40"),
        "the whole would hold 80, not 100, and no other weight in it can take up the difference",
    ),
    (("--set-weight", "VFM=30", "--set-weight", "VFM=31"), "--set-weight: VFM is set twice"),
    (("--set-score", "SE.ACC=11"), "--set-score SE.ACC=11: off the scale 0–10"),
    (("--set-score", "SE.XX=3"), "--set-score: no criterion 'XX'"),
    (("--set-score", "NOPE.ACC=3"), "--set-score: no option 'NOPE'"),
    (("--set-score", "SEACC=3"), "--set-score 'SEACC=3' is not OPTION.CRITERION=SCORE"),
    (("--explain", "NOPE"), "--explain: no option 'NOPE'"),
    (("--compare", "CFT", "CFT"), "--compare: give two different options"),
    (("--compare", "CFT", "SE", "--method", "topsis"), "--compare needs the weighted sum"),
]


@pytest.mark.parametrize(("args", "said"), BAD, ids=[s for _, s in BAD])
def test_bad_what_ifs_get_one_line_and_exit_1(
    run_cli: RunCli, args: tuple[str, ...], said: str
) -> None:
    run = run_cli("score", str(REPO), *args)
    assert run.exit_code == 1, run
    assert "Traceback" not in run.stderr
    first = run.stderr.splitlines()[0]
    assert first.startswith("appraise: error: ")
    assert said in run.stderr
