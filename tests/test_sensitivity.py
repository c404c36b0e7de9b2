"""``appraise sensitivity``: every switching value re-checked, scenarios, CLI, golden files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import appraise
from appraise.analysis.sensitivity import SECTIONS, SensitivityResult
from appraise.engine.vfm import FRONTIER, efficient_frontier
from appraise.paper.wording import weight_sentence
from conftest import CASES, REPO, TESTS, Run

GOLDEN = TESTS / "golden" / "sensitivity"
EPS = 1e-6


@pytest.fixture(scope="module")
def example() -> SensitivityResult:
    return appraise.sensitivity(REPO, samples=20_000, seed=7)


def _leaders(totals: np.ndarray, ranked: np.ndarray) -> set[int]:
    t = np.where(ranked, totals, -np.inf)
    return set(np.flatnonzero(np.isclose(t, t.max(), rtol=0, atol=1e-9)).tolist())


def test_every_weight_switch_changes_the_leader_either_side(example: SensitivityResult) -> None:
    base, points = example.base, example.points
    ranked = base.ranks > 0
    whole = base.weights.sum()
    checked = 0
    for ws in example.weight_switches:
        p = base.problem
        varied = (
            np.array(p.criterion_ids) == ws.id
            if ws.kind == "criterion"
            else p.leaf_group == [p.node_ids[g] for g in p.groups].index(ws.id)
        )
        for edge in (ws.below, ws.above):
            if edge is None:
                continue
            sides = []
            for t in (edge[0] - EPS, edge[0] + EPS):
                inside = base.weights * varied / base.weights[varied].sum() * t
                outside = base.weights * ~varied / base.weights[~varied].sum() * (whole - t)
                sides.append(_leaders(points @ (inside + outside), ranked))
            assert sides[0] != sides[1], ws.name
            assert edge[1] in sides[0] | sides[1]
            checked += 1
    assert checked >= 5


def test_the_value_for_money_sentence(example: SensitivityResult) -> None:
    vfm = next(ws for ws in example.weight_switches if ws.id == "VFM")
    assert weight_sentence(example, vfm) == (
        "NHS community foundation trust stays first unless the weight on Promotes value "
        "for money rises above 32.30, when Integrated community and acute trust leads "
        "(now 13.95)."
    )


def test_every_score_switch_levels_the_totals(example: SensitivityResult) -> None:
    base = example.base
    lead = example.leader
    assert lead is not None
    p = base.problem
    for sw in example.score_switches:
        for k in range(len(p.criterion_ids)):
            for who, change in ((sw.option, sw.raise_by[k]), (lead, sw.lower_by[k])):
                if not np.isfinite(change):
                    continue
                scores = base.scores.copy()
                scores[who, k] += change
                totals = scores @ base.weights  # every criterion on the 0-10 scale, higher better
                assert totals[sw.option] == pytest.approx(totals[lead])


def test_a_score_switch_hand_worked(example: SensitivityResult) -> None:
    # SE is 622.75 - 611.8 = 10.95 behind CFT; value for money's global weight is
    # 45 (its group) x 31% = 13.95, so SE needs 10.95 / 13.95 = 0.785 more on it (6 -> 6.785)
    se = example.score_switches[0]
    p = example.problem
    assert p.option_ids[se.option] == "SE"
    k = p.criterion_ids.index("VFM")
    assert se.raise_by[k] == pytest.approx(10.95 / 13.95)
    assert se.raise_feasible[k]


def test_every_cost_switch_flips_the_frontier(example: SensitivityResult) -> None:
    p = example.problem
    benefits = example.base.totals
    include = example.base.eligible
    for c in example.cost_switches:
        if not np.isfinite(c.frontier_at):
            continue
        below, above = p.costs.copy(), p.costs.copy()
        below[c.option], above[c.option] = c.frontier_at - EPS, c.frontier_at + EPS
        assert efficient_frontier(below, benefits, include)[0][c.option] == FRONTIER
        assert efficient_frontier(above, benefits, include)[0][c.option] != FRONTIER


def test_scenarios_match_appraise_score(example: SensitivityResult) -> None:
    p = example.problem
    appraisal = appraise.load(REPO)
    for sc in example.scenarios:
        if sc.kind == "weight set":
            ws = next(w for w in p.weight_sets if sc.label.endswith(w.name))
            expected = appraise.score(appraisal, weights=ws.id)
        elif sc.kind == "panel member":
            expected = appraise.score(appraisal, scorer=sc.label.split("'")[0])
        else:
            continue
        assert sc.totals == pytest.approx(expected.totals)
        assert sc.ranks.tolist() == expected.ranks.tolist()


def test_monte_carlo_on_the_example(example: SensitivityResult) -> None:
    mc = example.monte_carlo
    assert mc is not None
    acc = mc.result.acceptability
    assert acc.sum(axis=0) == pytest.approx(np.ones(acc.shape[0]))
    assert acc.sum(axis=1) == pytest.approx(np.ones(acc.shape[0]))
    assert len(mc.options) == 7  # the private sector provider fails a hurdle
    cft = mc.options.index(example.problem.option_ids.index("CFT"))
    assert mc.result.best[cft] == max(mc.result.best)


def test_tornado_is_widest_first(example: SensitivityResult) -> None:
    swings = [b.swing for b in example.tornado]
    assert swings == sorted(swings, reverse=True)
    assert {b.source for b in example.tornado} >= {"weight", "scores", "scenario", "monte carlo"}


@pytest.mark.parametrize("fmt", ["txt", "json"])
def test_golden_outputs_on_the_example(
    run_cli: Callable[..., Run], golden: Callable[[Path, str], None], fmt: str
) -> None:
    """Regenerate with ``pytest --update-golden`` and review the diff."""
    args = ["sensitivity", str(REPO), "--samples", "20000", "--seed", "7"]
    result = run_cli(*args, *(["--format", "json"] if fmt == "json" else []))
    assert result.exit_code == 0, result
    golden(GOLDEN / f"example.{fmt}", result.stdout)


def test_same_seed_same_output_other_seed_differs(run_cli: Callable[..., Run]) -> None:
    args = ["sensitivity", str(REPO), "-s", "montecarlo", "-n", "30000", "--format", "json"]
    one = run_cli(*args, "--seed", "3").stdout
    assert one == run_cli(*args, "--seed", "3").stdout
    assert one != run_cli(*args, "--seed", "4").stdout


@pytest.mark.parametrize(
    "options",
    [
        ["--weight-model", "uniform", "--score-model", "fixed"],
        ["--weight-model", "bounds", "--bounds", "3", "--score-model", "declared"],
        ["--weight-model", "fixed", "--aggregate", "mean", "--weights", "staff_side"],
        ["--include-failed", "--samples", "0"],
    ],
)
def test_every_model_and_option_runs(run_cli: Callable[..., Run], options: list[str]) -> None:
    result = run_cli("sensitivity", str(REPO), "-n", "5000", *options, "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert data["leader"] == "CFT"
    if "--samples" in options:
        assert data["monte_carlo"] is None
    else:
        assert data["monte_carlo"]["samples"] == 5000


@pytest.mark.parametrize(
    "options",
    [
        # concentration 0.01: nearly every draw puts all the weight on one criterion
        ["--weight-model", "dirichlet", "--concentration", "0.01"],
        # bounds wider than every weight: draws with every weight at 0 are drawn again
        ["--weight-model", "bounds", "--bounds", "100", "--score-model", "fixed"],
    ],
)
def test_extreme_weight_models_still_give_proper_probabilities(
    run_cli: Callable[..., Run], options: list[str]
) -> None:
    """Every draw has weights: acceptabilities sum to 1 each way, and the central weights
    of every option that is ever first sum to 100."""
    args = ["sensitivity", str(REPO), "-s", "montecarlo", "-n", "20000", "--format", "json"]
    result = run_cli(*args, *options)
    assert result.exit_code == 0, result
    mc = json.loads(result.stdout)["monte_carlo"]
    rows = [o["rank_acceptability"] for o in mc["options"]]
    assert [sum(r) for r in rows] == pytest.approx([1.0] * len(rows))
    assert [sum(c) for c in zip(*rows, strict=True)] == pytest.approx([1.0] * len(rows))
    for option in mc["options"]:
        weights = option["central_weights"]
        if weights is not None:
            assert sum(weights.values()) == pytest.approx(100.0, abs=1e-6)


def test_a_concentration_beyond_single_precision_is_refused(run_cli: Callable[..., Run]) -> None:
    result = run_cli("sensitivity", str(REPO), "-s", "montecarlo", "--concentration", "1e39")
    assert result.exit_code == 2
    assert "--concentration" in result.stderr


def test_sections_are_selectable(run_cli: Callable[..., Run]) -> None:
    result = run_cli("sensitivity", str(REPO), "-s", "methods", "-s", "costs")
    assert result.exit_code == 0, result
    assert "Ranking under each method" in result.stdout
    assert "Cost switching values" in result.stdout
    assert "Monte Carlo" not in result.stdout
    assert "Scenarios" not in result.stdout


def test_unknown_section_is_a_clear_error(run_cli: Callable[..., Run]) -> None:
    result = run_cli("sensitivity", str(REPO), "-s", "everything")
    assert result.exit_code == 1
    assert "no section 'everything'" in result.stderr
    assert all(s in result.stderr for s in SECTIONS)


def test_unknown_weight_set_is_a_clear_error(run_cli: Callable[..., Run]) -> None:
    result = run_cli("sensitivity", str(REPO), "--weights", "nope")
    assert result.exit_code == 1
    assert "no weight set 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_appraisal_is_refused(run_cli: Callable[..., Run]) -> None:
    bad = CASES / "invalid" / "duplicate-key"
    result = run_cli("sensitivity", str(bad))
    assert result.exit_code == 1
    assert "the appraisal is not valid" in result.stderr


def test_the_small_case_runs(run_cli: Callable[..., Run]) -> None:
    result = run_cli("sensitivity", str(CASES / "valid" / "small"), "-n", "2000")
    assert result.exit_code == 0, result


def test_no_monte_carlo_is_said_not_dropped(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    shown = run_cli("sensitivity", str(REPO), "--samples", "0")
    assert shown.exit_code == 0, shown
    assert "Monte Carlo: not run (--samples 0)" in " ".join(shown.stdout.split())
    data = json.loads(run_cli("sensitivity", str(REPO), "--samples", "0", "-f", "json").stdout)
    assert data["monte_carlo"] is None
    assert data["monte_carlo_not_run"] == "--samples 0"
    ran = json.loads(run_cli("sensitivity", str(REPO), "--samples", "50", "-f", "json").stdout)
    assert ran["monte_carlo_not_run"] is None
    other = run_cli(
        "sensitivity", str(REPO), "--samples", "0", "--section", "weights", "-f", "json"
    )
    assert json.loads(other.stdout)["monte_carlo_not_run"] is None
    out = tmp_path / "all.md"
    assert run_cli("export", str(REPO), "--samples", "0", "-o", str(out)).exit_code == 0
    assert "Monte Carlo: not run (--samples 0)" in out.read_text(encoding="utf-8")
