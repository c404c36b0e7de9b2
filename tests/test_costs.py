"""Costs as a business case treats them, checked by hand: discount factors against the
published ones, net present cost worked out line by line, nominal to real, optimism bias
and risk, the affordability envelope at its edge, and the example's figures."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from appraise.engine.costs import (
    TABLES,
    discount_factor,
    discount_factors,
    envelope_test,
    real_terms,
    uplift,
)
from conftest import Run, copy_example, dump_yaml

RunCli = Callable[..., Run]

STPR = TABLES["green-book-2026"]["stpr"]
HEALTH = TABLES["green-book-2026"]["health"]

PUBLISHED_STPR = {1: 0.9662, 10: 0.7089, 30: 0.3563, 31: 0.3459, 60: 0.1468}
"""The Green Book's discount factors at the STPR (3.5% to year 30, 3% from year 31), as
its tables print them, to four places."""


def test_stpr_factors_are_the_published_ones() -> None:
    for year, published in PUBLISHED_STPR.items():
        assert round(discount_factor(STPR, year), 4) == published, year


def test_stpr_factors_by_hand() -> None:
    # years 1–30 at 3.5%; from year 31 only the later years compound at 3%
    assert discount_factor(STPR, 0) == 1.0
    assert discount_factor(STPR, 1) == pytest.approx(1 / 1.035, rel=1e-13)
    assert discount_factor(STPR, 10) == pytest.approx(1 / 1.035**10, rel=1e-13)
    assert discount_factor(STPR, 30) == pytest.approx(1 / 1.035**30, rel=1e-13)
    assert discount_factor(STPR, 31) == pytest.approx(1 / 1.035**30 / 1.03, rel=1e-13)
    assert discount_factor(STPR, 60) == pytest.approx(1 / 1.035**30 / 1.03**30, rel=1e-13)
    assert discount_factor(STPR, 76) == pytest.approx(1 / 1.035**30 / 1.03**45 / 1.025, rel=1e-13)
    listed = discount_factors(STPR, 61)
    assert [round(listed[t], 12) for t in PUBLISHED_STPR] == [
        round(discount_factor(STPR, t), 12) for t in PUBLISHED_STPR
    ]


def test_health_rate_by_hand() -> None:
    assert discount_factor(HEALTH, 1) == pytest.approx(1 / 1.015, rel=1e-13)
    assert discount_factor(HEALTH, 30) == pytest.approx(1 / 1.015**30, rel=1e-13)
    assert discount_factor(HEALTH, 31) == pytest.approx(1 / 1.015**30 / 1.0129, rel=1e-13)
    assert round(discount_factor(HEALTH, 10), 4) == 0.8617


def test_no_discounting() -> None:
    assert discount_factors(TABLES["green-book-2026"]["none"], 4) == [1.0, 1.0, 1.0, 1.0]


def test_nominal_to_real_and_uplift_by_hand() -> None:
    # £52.1k cash in a year whose index is 104.2, in prices of a base year at 100
    assert real_terms(52.1, 104.2, 100.0) == pytest.approx(50.0, rel=1e-13)
    assert uplift(0.41, 0.5) == pytest.approx(0.205)
    assert uplift(2.0, 0.0) == 2.0


def test_envelope_flips_exactly_at_the_envelope() -> None:
    assert envelope_test([1200.0, 800.0], 2000.0).passed
    assert envelope_test([1200.0, 800.0], 2000.0).headroom == 0.0
    assert not envelope_test([1200.0, 800.0], 2000.0 - 1e-6).passed
    assert not envelope_test([1200.0, 800.000001], 2000.0).passed
    by_year = envelope_test([1200.0, 800.0], [1200.0, None])
    assert by_year.passed
    assert by_year.year == 0
    assert by_year.headroom == 0.0
    over = envelope_test([1200.0, 800.0], [1199.999, 900.0])
    assert not over.passed
    assert over.year == 0
    assert over.headroom == pytest.approx(-0.001)


# --- through the files --------------------------------------------------------------

PERIOD = {
    "unit": "£k",
    "price_base": "2008/09",
    "first_year": "2009/10",
    "years": 5,
    "discount": "stpr",
    "deflator": {"2008/09": 100.0, "2009/10": 102.0, "2010/11": 104.2, "2011/12": 106.3},
}

CFT_LINES: dict[str, Any] = {
    "lines": [
        {
            "item": "Transition",
            "category": "transition",
            "years": {"2009/10": 1000, "2010/11": 500},
            "optimism_bias": {
                "category": "Outsourcing",
                "upper_bound": 40,
                "mitigation": 0.25,
                "source": "hand-worked test",
            },
        },
        {"item": "Board", "category": "revenue", "years": [0, 100, 100, 0, 0]},
        {
            "item": "Fees (cash)",
            "category": "revenue",
            "prices": "nominal",
            "years": [0, 52.1, 0],
        },
    ],
    "risk": {
        "lines": [
            {
                "item": "Slip",
                "probability": 0.5,
                "impact": 200,
                "year": "2011/12",
                "category": "transition",
            }
        ]
    },
}

D1, D2 = 1 / 1.035, 1 / 1.035**2
"""The factors of years 1 and 2 (year 0's is 1)."""

TRANSITION_PV = 1000 + 500 * D1
UPLIFT_PV = 0.30 * TRANSITION_PV  # 40% × (1 − 0.25)
BOARD_PV = 100 * D1 + 100 * D2
FEES_PV = 52.1 * 100 / 104.2 * D1  # 50 in 2008/09 prices, in year 1
RISK_PV = 0.5 * 200 * D2
NPC = TRANSITION_PV + UPLIFT_PV + BOARD_PV + FEES_PV + RISK_PV


def _with_costs(root: Path, cost: dict[str, Any], **settings: Any) -> None:
    app = yaml.safe_load((root / "appraisal.yaml").read_text(encoding="utf-8"))
    app["costs"] = {**PERIOD, **settings}
    (root / "appraisal.yaml").write_text(dump_yaml(app), encoding="utf-8")
    path = root / "options" / "shortlist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for o in data["options"]:
        if o["id"] == "CFT":
            o["cost"] = cost
    path.write_text(dump_yaml(data), encoding="utf-8")


def _vfm(run_cli: RunCli, root: Path) -> dict[str, Any]:
    run = run_cli("score", str(root), "--format", "json")
    assert run.exit_code == 0, run
    return json.loads(run.stdout)["value_for_money"]  # type: ignore[no-any-return]


def test_net_present_cost_by_hand(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _with_costs(root, CFT_LINES)
    vfm = _vfm(run_cli, root)
    cft = vfm["costs"]["options"]["CFT"]
    assert cft["present_value"] == pytest.approx(TRANSITION_PV + BOARD_PV + FEES_PV, rel=1e-12)
    assert cft["optimism_bias"] == pytest.approx(UPLIFT_PV, rel=1e-12)
    assert cft["risk"] == pytest.approx(RISK_PV, rel=1e-12)
    assert cft["npc"] == pytest.approx(NPC, rel=1e-12)
    # written out: 1,483.0918 + 444.9275 + 189.9694 + 48.3092 + 93.3511
    assert pytest.approx(2259.6490, abs=1e-4) == NPC
    assert cft["undiscounted"] == pytest.approx(1500 + 200 + 50, rel=1e-12)
    assert cft["lines"][2]["real"] == pytest.approx([0, 50.0, 0, 0, 0])
    used = {o["id"]: o["cost"] for o in vfm["options"]}
    assert used["CFT"] == pytest.approx(NPC, rel=1e-12)
    assert vfm["costs"]["discount"]["factors"][:3] == pytest.approx([1, D1, D2], rel=1e-13)


def test_a_written_npc_must_agree_to_its_digits(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    _with_costs(root, {**CFT_LINES, "amount": 2260})  # 2,259.649 rounds to 2,260
    assert run_cli("validate", str(root)).exit_code == 0
    _with_costs(root, {**CFT_LINES, "amount": 2259.6})
    assert run_cli("validate", str(root)).exit_code == 0
    _with_costs(root, {**CFT_LINES, "amount": 2259})
    run = run_cli("validate", str(root))
    assert run.exit_code == 1
    assert (
        "error: `CFT`'s written net present cost 2,259 differs from the 2,259.65 its lines "
        "give (present value 1,721.37 + optimism bias 444.93 + risk 93.35)"
    ) in run.stderr


def test_affordability_hurdle_flips_at_the_envelope(tmp_path: Path, run_cli: RunCli) -> None:
    """H3 counts CFT's transition cash after uplift and risk: 1,500 × 1.3 + 100."""
    root = copy_example(tmp_path)
    _with_costs(root, CFT_LINES)
    counted = 1500 * 1.3 + 0.5 * 200
    assert counted == 2050.0
    hurdles = root / "criteria" / "hurdles.yaml"
    data = yaml.safe_load(hurdles.read_text(encoding="utf-8"))

    def result(limit: float) -> tuple[str, dict[str, Any]]:
        for h in data["hurdles"]:
            if h["id"] == "H3":
                h["envelope"] = {"total": limit, "categories": ["transition"]}
        hurdles.write_text(dump_yaml(data), encoding="utf-8")
        run = run_cli("score", str(root), "--format", "json")
        assert run.exit_code == 0, run
        scored = json.loads(run.stdout)
        test = scored["value_for_money"]["costs"]["envelopes"]["H3"]["CFT"]
        cft = next(o for o in scored["options"] if o["id"] == "CFT")
        return ("fail" if "H3" in cft["failed_hurdles"] else "pass"), test

    said, test = result(2050)
    assert said == "pass"
    assert test["passed"]
    assert test["headroom"] == pytest.approx(0, abs=1e-9)
    said, test = result(2049.999)
    assert said == "fail"
    assert not test["passed"]
    assert test["headroom"] == pytest.approx(-0.001, abs=1e-9)
    said, test = result(2050.001)
    assert said == "pass"
    assert test["headroom"] == pytest.approx(0.001, abs=1e-9)


def test_the_example_by_hand(run_cli: RunCli) -> None:
    """SE's cost in the example, worked out from options/shortlist.yaml."""
    from conftest import REPO

    vfm = _vfm(run_cli, REPO)
    se = vfm["costs"]["options"]["SE"]
    d = [1 / 1.035**t for t in range(5)]
    transition = 700 * d[0] + 400 * d[1]
    recurring = 190 * (d[1] + d[2] + d[3] + d[4])
    ob = transition * 0.41 * (1 - 0.4)
    risk = 0.25 * 360 * d[0]
    assert se["npc"] == pytest.approx(transition + recurring + ob + risk, rel=1e-12)
    assert round(se["npc"]) == 2142
    h3 = vfm["costs"]["envelopes"]["H3"]
    assert h3["SE"]["counted"] == pytest.approx(1100 * (1 + 0.246) + 90, rel=1e-12)
    assert not h3["PRIV"]["passed"]
    assert h3["PRIV"]["counted"] == pytest.approx(2650 * 1.164 + 100, rel=1e-12)


def test_single_amounts_still_work(folder: Path, run_cli: RunCli) -> None:
    """An appraisal costed with one `amount` per option is scored on those amounts."""
    run = run_cli("score", str(folder), "--format", "json")
    assert run.exit_code == 0, run
    vfm = json.loads(run.stdout)["value_for_money"]
    assert vfm is None or all(o["cost"] is None or math.isfinite(o["cost"]) for o in vfm["options"])


def test_score_costs_shows_factors_and_undiscounted_totals(run_cli: RunCli) -> None:
    from conftest import REPO

    run = run_cli("score", str(REPO), "--costs")
    assert run.exit_code == 0, run
    out = run.stdout
    assert "Discount factor" in out
    assert "0.9662" in out
    assert "0.8714" in out
    assert "Costs before and after optimism bias and risk" in out
    assert "Optimism bias" in out
    assert "20.5%" in out
    assert "Affordability" in out
    assert "FAIL" in out
    plain = run_cli("score", str(REPO))
    assert "Discount factor" not in plain.stdout
    assert "risk-adjusted net present cost" in " ".join(plain.stdout.split())


def test_the_readme_costs_excerpt_is_real_output(run_cli: RunCli) -> None:
    """Every line of the README's `appraise score --costs` excerpt is a line the command
    prints (at 80 columns, the width the README shows)."""
    import re

    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Costs: profiles") :]
    excerpt = re.search(r"```text\n(.*?)```", section, re.S)
    assert excerpt is not None
    run = run_cli("score", str(REPO), "--costs")
    assert run.exit_code == 0, run
    printed = {line.rstrip() for line in run.stdout.splitlines()}
    for line in excerpt.group(1).splitlines():
        assert line.rstrip() in printed, line


HOSTILE = [
    (
        {"item": "B", "category": "capital", "years": {"2009/10": 150, 0: 50}},
        "error: `CFT`'s line 'B' gives 2009/10 twice ('2009/10' and 0)",
    ),
    (
        {"item": "B", "category": "capital", "years": [1.0e308, 1.0e308]},
        "error: `CFT`'s cost adds up to more than a number can hold",
    ),
    (
        {"item": "B", "category": "capital", "years": {2.5: 10}},
        "error: expected a year: 0, 1, 2 … from the first year, or a label such as '2009/10', "
        "got 2.5",
    ),
    (
        {"item": "B", "category": "capital", "years": {"2009/11": 10}},
        "got '2009/11'",
    ),
    (
        {"item": "B", "category": "capital", "years": {-1: 10}},
        "error: year -1 is outside the appraisal period (2009/10 to 2013/14)",
    ),
    (
        {"item": "B", "category": "capital", "years": {2010: 10}},
        "error: year 2010 is not written like the period's first year '2009/10'",
    ),
    (
        {
            "item": "B",
            "category": "capital",
            "years": [10],
            "optimism_bias": {"category": "X", "upper_bound": "41 percent", "source": "s"},
        },
        "error: expected a percentage such as 41 or '41%', got the text '41 percent'",
    ),
    (
        {
            "item": "B",
            "category": "capital",
            "years": [10],
            "optimism_bias": {"category": "X", "upper_bound": -5, "source": "s"},
        },
        "error: -5 is less than 0",
    ),
    (
        {
            "item": "B",
            "category": "capital",
            "years": [10],
            "optimism_bias": {"category": "X", "upper_bound": 10, "lower_bound": 20, "source": "s"},
        },
        "error: `CFT`'s optimism bias on 'B' has a lower bound 20% above its upper bound 10%",
    ),
    (
        {"item": "B", "category": "capital", "years": [10], "amount": 5},
        "error: give the cost line either `years` or `amount`",
    ),
    (
        {"item": "B", "category": "capital", "years": ["ten"]},
        "error: expected a number, got the text `ten`",
    ),
    (
        {"item": "B", "category": "capital", "years": [{"workbook": "x.xlsx", "sheet": "S"}]},
        "error: missing key `cell`",
    ),
]


@pytest.mark.parametrize(("line", "said"), HOSTILE, ids=[s for _, s in HOSTILE])
def test_hostile_cost_lines_get_one_clear_error(
    tmp_path: Path, run_cli: RunCli, line: dict[str, Any], said: str
) -> None:
    root = copy_example(tmp_path)
    _with_costs(root, {"lines": [line]})
    run = run_cli("validate", str(root))
    assert run.exit_code == 1, run
    assert "Traceback" not in run.stderr
    assert said in run.stderr
    errors = [x for x in run.stderr.splitlines() if ": error: " in x]
    assert len(errors) == 1, errors
    assert f"{root}/options/shortlist.yaml:" in errors[0]


def test_an_uplift_needs_its_source_at_final(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_example(tmp_path)
    lines = [dict(CFT_LINES["lines"][0]), *CFT_LINES["lines"][1:]]
    lines[0]["optimism_bias"] = {"category": "Outsourcing", "upper_bound": 40}
    _with_costs(root, {"lines": lines})
    run = run_cli("validate", str(root))
    assert run.exit_code == 0, run
    said = "`CFT`'s optimism bias on 'Transition' (40%, Outsourcing) has no source"
    assert f"warning: {said}" in run.stderr
    app = root / "appraisal.yaml"
    app.write_text(
        app.read_text(encoding="utf-8").replace("status: moderated", "status: final"),
        encoding="utf-8",
    )
    run = run_cli("validate", str(root))
    assert run.exit_code == 1
    assert f"error: {said}" in run.stderr


@pytest.mark.parametrize(
    ("bias", "said"),
    [
        (
            {"category": "Outsourcing", "upper_bound": 0.41, "source": "s"},
            "warning: `CFT`'s optimism bias on 'Transition' has an upper bound of 0.41%: a "
            "fraction written where a percentage goes?",
        ),
        (
            {
                "category": "Outsourcing",
                "upper_bound": 40,
                "lower_bound": 10,
                "mitigation": 0.9,
                "source": "s",
            },
            "warning: `CFT`'s optimism bias on 'Transition' is mitigated to 4%, below its "
            "class's lower bound of 10%",
        ),
    ],
)
def test_an_uplift_that_looks_like_a_slip_is_warned(
    tmp_path: Path, run_cli: RunCli, bias: dict[str, Any], said: str
) -> None:
    root = copy_example(tmp_path)
    lines = [dict(CFT_LINES["lines"][0]), *CFT_LINES["lines"][1:]]
    lines[0]["optimism_bias"] = bias
    _with_costs(root, {"lines": lines})
    run = run_cli("validate", str(root))
    assert run.exit_code == 0, run
    assert said in run.stderr
