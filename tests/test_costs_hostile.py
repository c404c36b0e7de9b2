"""Costs under a hostile review: each test pins a bug found by feeding the cost book
messy or malicious files (a traceback, a check that passed what it should not, a figure
the Monte Carlo did not draw, a message that hid what was written)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Run, copy_example, dump_yaml

RunCli = Callable[..., Run]

PERIOD: dict[str, Any] = {
    "unit": "£k",
    "price_base": "2008/09",
    "first_year": "2009/10",
    "years": 5,
    "discount": "stpr",
    "deflator": {"2008/09": 100.0, "2009/10": 102.0, "2010/11": 104.2, "2011/12": 106.3},
}

SE_LINES = """lines:
        - item: "Transition"
          category: transition
          years: {"2009/10": 700, "2010/11": 400}
          optimism_bias: {category: Outsourcing, upper_bound: 41, mitigation: 0.4, source: "s"}
        - item: "Board"
          category: revenue
          years: [0, 190, 190, 190, 190]
      risk:
        lines:
          - {item: "Pension", probability: 0.25, impact: 360, year: 0, category: transition}
"""
"""The README's social enterprise: 2,141.63 risk-adjusted net present cost."""


def _settings(root: Path, **changes: Any) -> None:
    app = yaml.safe_load((root / "appraisal.yaml").read_text(encoding="utf-8"))
    app["costs"] = {**PERIOD, **changes}
    app["costs"] = {k: v for k, v in app["costs"].items() if v is not None}
    (root / "appraisal.yaml").write_text(dump_yaml(app), encoding="utf-8")


def _cost(root: Path, option: str, text: str) -> None:
    """Replace ``option``'s ``cost:`` block in the shortlist with ``text`` as written (so
    a test controls the digits), indented under ``cost:``."""
    path = root / "options" / "shortlist.yaml"
    t = path.read_text(encoding="utf-8")
    i = t.index(f"  - id: {option}\n")
    j = t.index("    cost:\n", i)
    k = t.index("\n    hurdles:\n", j)
    path.write_text(t[:j] + "    cost:\n      " + text.strip("\n") + t[k:], encoding="utf-8")


def _envelope(root: Path, text: str) -> None:
    path = root / "criteria" / "hurdles.yaml"
    t = path.read_text(encoding="utf-8")
    old = "    envelope:\n      total: 2500\n      categories: [transition]\n"
    assert old in t
    path.write_text(t.replace(old, text), encoding="utf-8")


def _invalid(run_cli: RunCli, root: Path) -> list[str]:
    run = run_cli("validate", str(root))
    assert run.exit_code == 1, run
    assert "Traceback" not in run.stderr
    return [x for x in run.stderr.splitlines() if ": error: " in x]


def test_a_nominal_line_without_a_price_base_is_an_error_not_a_crash(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = copy_example(tmp_path)
    _settings(root, price_base=None)
    errors = _invalid(run_cli, root)
    assert any("`CFT`'s cost has lines but appraisal.yaml gives no price base" in e for e in errors)


@pytest.mark.parametrize("text", ["inf%", "nan%", "1e400%", "٤١%"])
def test_an_uplift_written_as_text_must_be_a_plain_percentage(
    tmp_path: Path, run_cli: RunCli, text: str
) -> None:
    root = copy_example(tmp_path)
    path = root / "options" / "shortlist.yaml"
    t = path.read_text(encoding="utf-8")
    path.write_text(t.replace("upper_bound: 41", f"upper_bound: '{text}'", 1), encoding="utf-8")
    errors = _invalid(run_cli, root)
    assert len(errors) == 1, errors
    assert f"error: expected a percentage such as 41 or '41%', got the text '{text}'" in errors[0]
    assert "optimism_bias.upper_bound" in errors[0]


def test_lines_that_net_below_zero_are_a_negative_cost(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _cost(root, "SE", "lines:\n        - {item: S, category: revenue, years: [0, -500, -500]}")
    errors = _invalid(run_cli, root)
    assert len(errors) == 1, errors
    assert "error: `SE`'s cost is negative (-949.85, from its lines)" in errors[0]


def test_a_negative_cell_is_a_negative_cost(tmp_path: Path, run_cli: RunCli) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    root = copy_example(tmp_path)
    wb = openpyxl.Workbook()
    wb.active.title = "NPC"
    wb.active["A1"] = -5
    wb.save(root / "cia.xlsx")
    _cost(root, "BAU", "amount: {workbook: cia.xlsx, sheet: NPC, cell: A1}")
    errors = _invalid(run_cli, root)
    assert any("error: `BAU`'s cost is negative (-5, from its workbook cell)" in e for e in errors)


def test_a_negative_risk_cannot_take_an_envelope_down(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _cost(
        root,
        "SE",
        "lines:\n        - {item: T, category: transition, years: [3000]}\n"
        "      risk:\n        lines:\n"
        "          - {item: r, probability: 1, impact: -600, category: transition}",
    )
    errors = _invalid(run_cli, root)
    assert len(errors) == 1, errors
    assert "error: `SE`'s risk 'r' has a negative impact (-600) on transition costs" in errors[0]
    _cost(root, "SE", "amount: 100\n      risk: {amount: -50}")
    errors = _invalid(run_cli, root)
    assert any("error: `SE`'s risk allowance is negative (-50)" in e for e in errors)


def test_an_envelope_category_no_line_has_is_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _envelope(root, "    envelope:\n      total: 2500\n      categories: [transtion]\n")
    errors = _invalid(run_cli, root)
    assert len(errors) == 1, errors
    assert (
        "criteria/hurdles.yaml:34:20: error: hurdle H3's envelope counts the category "
        "'transtion', which no option's cost line or risk has, so it counts nothing there"
    ) in errors[0]
    run = run_cli("validate", str(root))
    assert "hint: did you mean 'transition'?" in run.stderr


def test_an_envelope_by_year_must_limit_a_year_once(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _envelope(root, "    envelope:\n      by_year: {}\n      categories: [transition]\n")
    errors = _invalid(run_cli, root)
    assert "error: give `by_year` at least one year's limit" in errors[0]
    (tmp_path / "again").mkdir()
    root = copy_example(tmp_path / "again")
    _envelope(
        root,
        "    envelope:\n      by_year: {0: 1, '2009/10': 5000}\n      categories: [transition]\n",
    )
    errors = _invalid(run_cli, root)
    assert len(errors) == 1, errors
    assert "error: hurdle H3's envelope gives 2009/10 twice (0 and '2009/10')" in errors[0]


@pytest.mark.parametrize(
    ("written", "agrees"),
    [
        ("2142", True),
        ("2141.6", True),
        ("2141.63", True),
        ("2.14163e+3", True),
        ("2141.64", False),
        ("2142.0", False),  # to one place it is 2,141.6
        ("2141.630", False),  # to three places it is 2,141.631
    ],
)
def test_a_written_npc_agrees_to_the_digits_in_the_file(
    tmp_path: Path, run_cli: RunCli, written: str, agrees: bool
) -> None:
    root = copy_example(tmp_path)
    _cost(root, "SE", f"amount: {written}\n      " + SE_LINES)
    if agrees:
        assert run_cli("validate", str(root)).exit_code == 0
        return
    errors = _invalid(run_cli, root)
    shown = f"{float(written):,.{len(written.split('.')[1])}f}"
    assert errors == [
        f"{root}/options/shortlist.yaml:113:15: error: `SE`'s written net present cost "
        f"{shown} differs from the 2,141.63 its lines give (present value 1,784.36 + "
        "optimism bias 267.27 + risk 90)"
    ]


def test_a_workbook_npc_agrees_to_the_cells_digits(tmp_path: Path, run_cli: RunCli) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    root = copy_example(tmp_path)
    wb = openpyxl.Workbook()
    wb.active.title = "NPC"
    wb.active["F42"] = 2141.2  # was read to 0 places, as the reference's text has an 'e'
    wb.save(root / "cia.xlsx")
    _cost(root, "SE", "amount: {workbook: cia.xlsx, sheet: NPC, cell: F42}\n      " + SE_LINES)
    errors = _invalid(run_cli, root)
    assert "written net present cost 2,141.2 differs from the 2,141.63" in errors[0]


def test_a_cells_keys_are_named_in_the_hint(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _cost(root, "BAU", "amount: {workbook: cia.xlsx, sheet: NPC, cell: A1, value: 5}")
    run = run_cli("validate", str(root))
    assert run.exit_code == 1
    assert "error: unknown key `value` (in options[0].cost.amount)" in run.stderr
    assert "hint: allowed keys here: workbook, sheet, cell" in run.stderr


def test_a_single_amounts_range_reads_as_a_sentence(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _cost(root, "BAU", "amount: 100\n      low: 120\n      high: 200")
    run = run_cli("validate", str(root))
    assert "`BAU`'s cost has low 120 and high 200, which do not bracket its total 100" in (
        run.stderr
    )


def _mc(run_cli: RunCli, root: Path) -> dict[str, Any]:
    run = run_cli("sensitivity", str(root), "--samples", "2000", "--format", "json")
    assert run.exit_code == 0, run
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def _all(data: Any, key: str) -> list[dict[str, Any]]:
    """Every mapping in ``data`` that has ``key`` and an ``id``."""
    if isinstance(data, dict):
        here = [data] if key in data and "id" in data else []
        return here + [x for v in data.values() for x in _all(v, key)]
    if isinstance(data, list):
        return [x for v in data for x in _all(v, key)]
    return []


def test_the_monte_carlo_with_only_risks_uncertain(tmp_path: Path, run_cli: RunCli) -> None:
    import re

    root = copy_example(tmp_path)
    path = root / "options" / "shortlist.yaml"
    t = path.read_text(encoding="utf-8")
    t = re.sub(r"\n\s+low: \d+\n\s+high: \d+", "", t)
    t = re.sub(r"\n\s+lower_bound: \d+", "", t)
    path.write_text(t, encoding="utf-8")
    _mc(run_cli, root)  # raised ValueError from zip(): no line varied


def test_the_monte_carlo_draws_a_savings_range(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _cost(
        root,
        "SE",
        "lines:\n"
        "        - {item: S, category: revenue, years: [0, -500, -500], low: -1500, high: -500}\n"
        "        - {item: T, category: transition, years: [2000]}",
    )
    data = _mc(run_cli, root)
    rows = [r for r in _all(data, "cost_5_50_95") if r["id"] == "SE"]
    assert rows, data.keys()
    lo, mid, hi = rows[0]["cost_5_50_95"]
    assert lo < mid < hi  # was 1,050 at every quantile: the reversed range was not drawn
