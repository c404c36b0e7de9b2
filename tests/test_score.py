"""``appraise score``: hand-worked numbers, every option and format, golden outputs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import appraise
from appraise.errors import RequestError
from conftest import CASES, REPO, TESTS, Run

SMALL = CASES / "valid" / "small"
GOLDEN = TESTS / "golden" / "score"
RunCli = Callable[..., Run]


def small_result(**kwargs: object):  # type: ignore[no-untyped-def]
    return appraise.score(SMALL, **kwargs)  # type: ignore[arg-type]


def test_small_case_by_hand() -> None:
    # Global weights: care 60 → QUAL 70 → 0.6 × 0.7 = 0.42 → 42; ACCESS 0.6 × 0.3 = 18;
    # running 40 → STAFF 20, RISK 20.
    # Moderated scores (tests/cases/valid/small/scores/moderated.yaml):
    #   BAU   5 4 5 9 → 42×5 + 18×4 + 20×5 + 20×9 = 210 + 72 + 100 + 180 = 562
    #   HUB   7 6 6 6 → 294 + 108 + 120 + 120 = 642
    #   SPOKE 7 8 5 5 → 294 + 144 + 100 + 100 = 638
    #   OUT   6 6 2 5 → 252 + 108 + 40 + 100 = 500 (fails H1: not ranked)
    r = small_result()
    assert r.weights == pytest.approx([42, 18, 20, 20])
    assert r.totals == pytest.approx([562, 642, 638, 500])
    # Subtotals: care = QUAL + ACCESS contributions; running = STAFF + RISK
    assert r.subtotals[1] == pytest.approx([294 + 108, 120 + 120])
    assert r.ranks.tolist() == [3, 1, 2, 0]
    assert r.order == [1, 2, 0, 3]
    # Gaps: HUB − SPOKE = 4 (4 / 642 = 0.623 %); SPOKE − BAU = 76; BAU is last ranked.
    assert r.gap_next[1] == pytest.approx(4)
    assert r.gap_next_pct[1] == pytest.approx(4 / 642 * 100)
    assert r.gap_next[2] == pytest.approx(76)
    assert np.isnan(r.gap_next[0])
    assert np.isnan(r.gap_next[3])
    assert r.failed_hurdles(3) == ["H1"]
    assert r.maximum == pytest.approx(1000)


def test_small_case_weight_set_and_aggregates() -> None:
    # staff set: care 50, running 50 → QUAL 35, ACCESS 15, STAFF 25, RISK 25
    #   HUB 7 6 6 6 → 245 + 90 + 150 + 150 = 635; SPOKE 7 8 5 5 → 245 + 120 + 125 + 125 = 615
    r = small_result(weights="staff")
    assert r.weights == pytest.approx([35, 15, 25, 25])
    assert r.totals[1] == pytest.approx(635)
    assert r.totals[2] == pytest.approx(615)
    # Panel mean: ANN and BOB. HUB: QUAL (7+6)/2 = 6.5, ACCESS 6, STAFF 6, RISK (6+7)/2 = 6.5
    #   42×6.5 + 18×6 + 20×6 + 20×6.5 = 273 + 108 + 120 + 130 = 631
    mean = small_result(aggregate="mean")
    assert mean.totals[1] == pytest.approx(631)
    median = small_result(aggregate="median")
    assert median.totals[1] == pytest.approx(631)
    # One scorer: BOB's HUB 6 6 6 7 → 252 + 108 + 120 + 140 = 620
    bob = small_result(scorer="BOB")
    assert bob.totals[1] == pytest.approx(620)
    assert bob.aggregate == "scorer"


def test_unknown_weight_set_and_scorer() -> None:
    with pytest.raises(RequestError, match="no weight set 'nope'"):
        small_result(weights="nope")
    with pytest.raises(RequestError, match="no panel member 'ZED'"):
        small_result(scorer="ZED")


def test_ties_are_labelled(folder: Path, run_cli: RunCli) -> None:
    # SPOKE moderated to 7 6 6 6, the same as HUB: 42×7 + 18×6 + 20×6 + 20×6 = 642 each.
    # Draft status, so the notes this departure from the panel needs are only warnings.
    (folder / "appraisal.yaml").write_text(
        (folder / "appraisal.yaml").read_text().replace("status: moderated", "status: draft")
    )
    moderated = folder / "scores" / "moderated.yaml"
    moderated.write_text(
        moderated.read_text().replace(
            "SPOKE: {QUAL: {score: 7}, ACCESS: {score: 8}, STAFF: {score: 5}, RISK: {score: 5}}",
            "SPOKE: {QUAL: {score: 7}, ACCESS: {score: 6}, STAFF: {score: 6}, RISK: {score: 6}}",
        )
    )
    r = appraise.score(folder)
    assert r.totals[1] == pytest.approx(642)
    assert r.totals[2] == pytest.approx(642)
    assert [r.rank_label(i) for i in r.order] == ["1=", "1=", "3", "–"]
    assert r.gap_next[1] == pytest.approx(0) or r.gap_next[2] == pytest.approx(0)
    text = run_cli("score", str(folder), "-f", "md").stdout
    assert "tie for the highest weighted benefit score" in text


def test_example_leader_and_dominance() -> None:
    r = appraise.score(REPO)
    p = r.problem
    assert [p.option_ids[i] for i in r.leaders] == ["CFT"]
    # CFT: 9.9×7 + 12.1×6 + 8.25×7 + 12.1×6 + 7.7×8 + 4.95×5 + 5.85×5 + 7.2×6
    #   + 13.95×6 + 9.9×6 + 8.1×6 = 622.75
    assert r.totals[p.option_ids.index("CFT")] == pytest.approx(622.75)
    ct, cht = p.option_ids.index("CT"), p.option_ids.index("CHT")
    assert ct in r.dominators[cht]  # CT = CHT on every criterion but VFM, where 6 > 5
    assert r.ranks[p.option_ids.index("PRIV")] == 0


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("table", "txt"), ("md", "md"), ("csv", "csv"), ("json", "json")]
)
def test_golden_outputs_on_the_example(
    fmt: str,
    suffix: str,
    run_cli: RunCli,
    golden: Callable[[Path, str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regenerate with ``pytest --update-golden`` and review the diff."""
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("score", str(REPO), "--format", fmt)
    assert result.exit_code == 0, result
    golden(GOLDEN / f"example.{suffix}", result.stdout)


def test_json_carries_every_number_unrounded(run_cli: RunCli) -> None:
    payload = json.loads(run_cli("score", str(SMALL), "-f", "json").stdout)
    assert payload["method"] == "wsm"
    hub = next(o for o in payload["options"] if o["id"] == "HUB")
    assert hub["total"] == pytest.approx(642)
    assert hub["rank"] == 1
    assert hub["subtotals"] == {"care": pytest.approx(402), "running": pytest.approx(240)}
    assert hub["contributions"]["QUAL"] == pytest.approx(294)
    out = next(o for o in payload["options"] if o["id"] == "OUT")
    assert out["rank"] is None
    assert out["failed_hurdles"] == ["H1"]
    assert [c["weight"] for c in payload["criteria"]] == pytest.approx([42, 18, 20, 20])


def test_csv_is_parseable_and_neutralises_formulas(run_cli: RunCli, folder: Path) -> None:
    path = folder / "options" / "options.yaml"
    path.write_text(
        path.read_text().replace('name: "Community hub"', 'name: "=HYPERLINK(\\"http://x\\")"')
    )
    rows = list(csv.DictReader(io.StringIO(run_cli("score", str(folder), "-f", "csv").stdout)))
    assert rows[0]["id"] == "HUB"
    assert rows[0]["option"].startswith("'=")
    assert float(rows[0]["total"]) == pytest.approx(642)


@pytest.mark.parametrize(
    "args",
    [
        ["-a", "mean"],
        ["-a", "median"],
        ["-w", "staff"],
        ["--scorer", "ANN"],
        ["-f", "md", "-w", "staff"],
    ],
)
def test_every_option_runs(run_cli: RunCli, args: list[str]) -> None:
    result = run_cli("score", str(SMALL), *args)
    assert result.exit_code == 0, result
    assert "Community hub" in result.stdout


def test_score_errors(run_cli: RunCli) -> None:
    bad = run_cli("score", str(SMALL), "-w", "nope")
    assert bad.exit_code == 1
    assert "no weight set 'nope'" in bad.stderr
    invalid = run_cli("score", str(CASES / "invalid" / "score-off-scale"))
    assert invalid.exit_code == 1
    assert "score 12 is outside the scale" in invalid.stderr
    assert invalid.stdout == ""
    assert run_cli("score", str(SMALL), "-a", "best").exit_code == 2


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("method", ["topsis", "promethee"])
def test_relative_methods_on_the_example_match_pymcdm(method: str) -> None:
    """Hurdle failures are left out of the comparison; the rest match pymcdm exactly."""
    from pymcdm.methods import PROMETHEE_II, TOPSIS
    from pymcdm.normalizations import vector_normalization

    r = appraise.score(REPO, method=method)  # type: ignore[arg-type]
    keep = r.problem.eligible
    x = r.scores[keep]
    w = r.weights / r.weights.sum()
    body = TOPSIS(vector_normalization) if method == "topsis" else PROMETHEE_II("usual")
    expected = body(x, w, np.ones(x.shape[1]))
    assert r.totals[keep] == pytest.approx(expected, abs=1e-12)
    assert np.isnan(r.totals[~keep]).all()
    assert r.ranks[~keep].tolist() == [0]
    with_failed = appraise.score(REPO, method=method, include_failed=True)  # type: ignore[arg-type]
    everyone = body(r.scores, w, np.ones(x.shape[1]))
    assert with_failed.totals == pytest.approx(everyone, abs=1e-12)
    assert with_failed.ranks.min() == 1
    assert (with_failed.ranks > 0).all()


def test_declared_preference_function_is_used(folder: Path) -> None:
    # QUAL with vshape_2, q = 1, p = 3 (in its own 0–10 units). Moderated QUAL: BAU 5,
    # HUB 7, SPOKE 7 (OUT fails H1 and is left out). BAU vs HUB: d = 2 → (2 − 1)/2 = 0.5.
    # QUAL net flow × its weight 0.42, over m − 1 = 2:
    #   BAU: (0 − 0.5 − 0.5) / 2 × 0.42 = −0.21; HUB, SPOKE: (0.5 − 0) / 2 × 0.42 = 0.105
    tree = folder / "criteria" / "tree.yaml"
    tree.write_text(
        tree.read_text().replace(
            "objectives: [SO1]}", "objectives: [SO1], preference: {function: vshape_2, q: 1, p: 3}}"
        )
    )
    r = appraise.score(folder, method="promethee")
    assert r.contributions[:3, 0] == pytest.approx([-0.21, 0.105, 0.105])


def test_method_and_include_failed_options(run_cli: RunCli) -> None:
    for method in ("wsm", "topsis", "promethee"):
        result = run_cli("score", str(SMALL), "--method", method, "-f", "json")
        assert result.exit_code == 0, result
        payload = json.loads(result.stdout)
        assert payload["method"] == method
    plain = json.loads(run_cli("score", str(SMALL), "-f", "json").stdout)
    assert next(o for o in plain["options"] if o["id"] == "OUT")["rank"] is None
    ranked = json.loads(run_cli("score", str(SMALL), "--include-failed", "-f", "json").stdout)
    out = next(o for o in ranked["options"] if o["id"] == "OUT")
    assert out["rank"] == 4
    assert out["failed_hurdles"] == ["H1"]
    table = run_cli("score", str(SMALL), "--include-failed")
    assert "Ranked for reference only (fails a hurdle): Outsourced clinic." in table.stdout
    assert run_cli("score", str(SMALL), "--method", "ahp").exit_code == 2


def test_value_for_money_on_the_small_case() -> None:
    # Costs: BAU 0, HUB 300, SPOKE 450, OUT 600 (fails H1: off the frontier).
    # Benefits 562, 642, 638, 500. HUB: 300 / 642 = 0.467 £k per point; +80 points and
    # +300 £k over BAU → 3.75 £k per extra point. SPOKE costs more than HUB for less
    # benefit → dominated. OUT adds no benefit over BAU → no cost per extra point.
    from appraise.analysis.score import value_for_money

    vfm = value_for_money(small_result())
    assert vfm is not None
    assert vfm.cost_per_point[1] == pytest.approx(300 / 642)
    assert vfm.delta_benefit[1] == pytest.approx(80)
    assert vfm.delta_cost_per_point[1] == pytest.approx(3.75)
    assert [vfm.label(i) for i in range(4)] == ["frontier", "frontier", "dominated", ""]
    assert np.isnan(vfm.delta_cost_per_point[3])
    assert vfm.icer[1] == pytest.approx(3.75)
    assert value_for_money(small_result(method="topsis")) is None


def test_value_for_money_in_json(run_cli: RunCli) -> None:
    payload = json.loads(run_cli("score", str(SMALL), "-f", "json").stdout)
    vfm = payload["value_for_money"]
    assert vfm["unit"] == "£k"
    assert vfm["baseline"] == "BAU"
    hub = next(o for o in vfm["options"] if o["id"] == "HUB")
    assert hub["frontier"] == "frontier"
    assert hub["delta_cost_per_point"] == pytest.approx(3.75)


def test_weights_all_side_by_side(run_cli: RunCli) -> None:
    payload = json.loads(run_cli("score", str(SMALL), "-w", "all", "-f", "json").stdout)
    sets = payload["weight_sets"]
    assert [s["weight_set"] for s in sets] == ["tree", "staff"]
    hub = [next(o for o in s["options"] if o["id"] == "HUB")["total"] for s in sets]
    assert hub == pytest.approx([642, 635])  # see test_small_case_weight_set_and_aggregates
    rows = list(
        csv.DictReader(io.StringIO(run_cli("score", str(SMALL), "-w", "all", "-f", "csv").stdout))
    )
    assert len(rows) == 2 * 4
    assert {r["weight_set"] for r in rows} == {"tree", "staff"}
    md = run_cli("score", str(SMALL), "-w", "all", "-f", "md").stdout
    assert "| Community hub | 642.0 (1) | 635.0 (1) |" in md
    assert "HUB has the highest weighted benefit score under every weight set (2)." in md
    table = run_cli("score", str(SMALL), "-w", "all")
    assert table.exit_code == 0
    assert "Total (rank) under each weight set" in table.stdout


def test_panel_spread_of_flagged_cells_on_the_example(run_cli: RunCli) -> None:
    # CFT × VFM: P1 6, P2 6, P3 7, P4 3, P5 6 → median 6, range 4 (flagged: ≥ 4),
    # mean 5.6, sd = sqrt((0.16 + 0.16 + 1.96 + 6.76 + 0.16) / 4) = sqrt(2.3) = 1.517
    payload = json.loads(run_cli("score", str(REPO), "-f", "json").stdout)
    cell = next(
        c for c in payload["panel"]["cells"] if c["option"] == "CFT" and c["criterion"] == "VFM"
    )
    assert cell["scores"] == {"P1": 6, "P2": 6, "P3": 7, "P4": 3, "P5": 6}
    assert (cell["median"], cell["range"], cell["flagged"]) == (6, 4, True)
    assert cell["mean"] == pytest.approx(5.6)
    assert cell["sd"] == pytest.approx(2.3**0.5)
    assert cell["moderated"] == 6
    assert sum(c["flagged"] for c in payload["panel"]["cells"]) == 8
