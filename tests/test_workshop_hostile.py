"""Regression tests from a hostile review of the workshop page and the command-line
what-ifs (issue 18): a weight moved to 0 and back, a group weighted 0 given weight,
``--include-failed`` on the page, a locked slider, the saved weight set's id and text,
and the CLI combinations that used to drop what was asked for."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import appraise
from appraise.analysis.score import value_for_money
from appraise.analysis.whatif import WeightChange, what_if
from conftest import REPO, Run, copy_example
from test_workshop import _driver_paths, _engine_table, _page_table

RunCli = Callable[..., Run]
W = "window.appraiseWorkshop"
PROBLEM = appraise.problem(REPO)


def _open(driver: Any, page: Path) -> Any:
    driver.get(page.as_uri())
    return driver


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    browser_path, driver_path = _driver_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-extensions"):
        options.add_argument(flag)
    options.binary_location = browser_path
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(1300, 1800)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def example_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "session.html"
    appraise.api.workshop(REPO, out)
    return out


def _weights(driver: Any) -> dict[str, float]:
    return dict(driver.execute_script(f"return {W}.state().weights"))


def test_a_slider_comes_back_from_100(chromium: Any, example_page: Path) -> None:
    """At 100 every other weight is 0, with nothing to rescale in proportion: moving it
    back used to fail for good (every slider stuck until reset). The others now share
    as the agreed weights say, which is what the engine gives from the agreed set."""
    d = _open(chromium, example_page)
    assert d.execute_script(f"return {W}.setWeight('VFM', 100)")
    assert d.execute_script(f"return {W}.setWeight('VFM', 30)")
    w = _weights(d)
    assert sum(w.values()) == pytest.approx(100, abs=1e-9)
    engine = what_if(PROBLEM, [WeightChange("VFM", 30)]).changed
    for k, c in enumerate(PROBLEM.criterion_ids):
        assert w[c] == pytest.approx(float(engine.weights[k]), abs=1e-9)
    assert d.execute_script(f"return {W}.setWeight('enable', 100)")
    assert d.execute_script(f"return {W}.setWeight('improve', 45)")
    assert _weights(d)["VFM"] == pytest.approx(13.95, abs=1e-9)


def test_a_locked_slider_holds(chromium: Any, example_page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    d = _open(chromium, example_page)
    d.execute_script(f"{W}.lock('VFM', true)")
    assert d.execute_script(f"return {W}.setWeight('VFM', 40)") is False
    assert _weights(d)["VFM"] == pytest.approx(13.95, abs=1e-9)
    slider = d.find_element("css selector", "input[data-node='VFM']")
    slider.send_keys(Keys.END)
    assert float(slider.get_attribute("value")) == pytest.approx(13.95, abs=1e-9)
    assert _weights(d)["VFM"] == pytest.approx(13.95, abs=1e-9)


def test_the_page_ranks_failed_options_with_include_failed(chromium: Any, tmp_path: Path) -> None:
    """`appraise workshop --include-failed` ranked the private provider in the engine
    but never on the page."""
    out = tmp_path / "s.html"
    appraise.api.workshop(REPO, out, include_failed=True)
    d = _open(chromium, out)
    shown = _page_table(d)
    r = appraise.score(REPO, include_failed=True)
    i = r.problem.option_ids.index("PRIV")
    assert int(r.ranks[i]) > 0
    assert shown["PRIV"][0] == str(int(r.ranks[i]))
    d.execute_script(f"{W}.setWeight('VFM', 60)")
    engine = what_if(PROBLEM, [WeightChange("VFM", 60)], include_failed=True).changed
    j = list(engine.ranks)
    assert d.execute_script(f"return {W}.state().ranks") == j
    vfm = value_for_money(engine)
    assert vfm is not None
    on = [o for o, st in zip(PROBLEM.option_ids, vfm.status, strict=True) if st == 0]
    shown_on = d.execute_script("return document.getElementById('frontier').dataset.frontier")
    assert sorted(shown_on.split(",")) == sorted(on)


def test_the_saved_set_never_takes_a_used_id_and_always_validates(
    chromium: Any, example_page: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    d = _open(chromium, example_page)
    d.execute_script(f"{W}.setWeight('VFM', 30)")
    hostile = "a\x7f\x85\x9fb \u2028\ufeff" + "\ud800"
    for field, value in (
        ("set-id", "tree"),
        ("set-name", hostile),
        ("set-who", hostile),
        ("set-when", "\udc00 5 Feb"),
    ):
        d.execute_script(
            "var e = document.getElementById(arguments[0]); "
            "e.value = arguments[1].replace('SURR', String.fromCharCode(0xd800))"
            ".replace('LOW', String.fromCharCode(0xdc00)); "
            "e.dispatchEvent(new Event('input'))",
            field,
            value.replace("\ud800", "SURR").replace("\udc00", "LOW"),
        )
    text = d.execute_script("return document.getElementById('set-yaml').textContent")
    assert '- id: "tree_2"' in text
    root = copy_example(tmp_path)
    (root / "criteria" / "workshop.yaml").write_text(text, encoding="utf-8")
    run = run_cli("validate", str(root))
    assert run.exit_code == 0, run
    scored = run_cli("score", str(root), "--weights", "tree_2", "--format", "json")
    assert scored.exit_code == 0, scored
    totals = {o["id"]: o["total"] for o in json.loads(scored.stdout)["options"]}
    for o, t in d.execute_script(f"return {W}.state().totals"):
        assert totals[o] == pytest.approx(t, rel=1e-9)
    d.execute_script(
        "var e = document.getElementById('set-id'); e.value = 'staff_side'; "
        "e.dispatchEvent(new Event('input'))"
    )
    assert '- id: "staff_side_2"' in d.execute_script(
        "return document.getElementById('set-yaml').textContent"
    )


@pytest.mark.parametrize("ident", ["tree", "all"])
def test_a_weight_set_may_not_be_called_tree_or_all(
    ident: str, tmp_path: Path, run_cli: RunCli
) -> None:
    """`--weights tree` is the value tree and `--weights all` every set: a set with
    either id validated and could never be chosen."""
    root = copy_example(tmp_path)
    (root / "criteria" / "more.yaml").write_text(
        f'weight_sets:\n  - id: "{ident}"\n    name: "x"\n'
        "    weights:\n      enable: 50\n      improve: 50\n",
        encoding="utf-8",
    )
    run = run_cli("validate", str(root))
    assert run.exit_code == 1
    assert f"weight set id `{ident}` is taken" in run.stderr


def test_a_group_weighted_zero_can_be_given_weight(tmp_path: Path, run_cli: RunCli) -> None:
    """With a set weighting `enable` 0, `--set-weight enable=20` failed ("enable would
    hold 0, not 20", with no id before the colon): its criteria now share it as the
    set's weights within it say."""
    root = copy_example(tmp_path)
    (root / "criteria" / "more.yaml").write_text(
        'weight_sets:\n  - id: "no_enable"\n    name: "x"\n'
        "    weights:\n      enable: 0\n      improve: 100\n",
        encoding="utf-8",
    )
    run = run_cli(
        "score", str(root), "-w", "no_enable", "--set-weight", "enable=20", "--format", "json"
    )
    assert run.exit_code == 0, run
    crit = {c["id"]: c["weight"] for c in json.loads(run.stdout)["what_if"]["criteria"]}
    assert crit["ACC"] == pytest.approx(20 * 18 / 100)
    assert crit["GOV"] == pytest.approx(20 * 14 / 100)
    assert crit["VFM"] == pytest.approx(80 * 31 / 100)
    assert sum(crit.values()) == pytest.approx(100)


@pytest.mark.parametrize(
    "args",
    [
        ("--set-weight", "VFM=30"),
        ("--set-score", "SE.ACC=6"),
        ("--explain", "SE"),
        ("--compare", "CFT", "SE"),
    ],
)
def test_what_ifs_with_every_weight_set_are_an_error(
    args: tuple[str, ...], run_cli: RunCli
) -> None:
    run = run_cli("score", str(REPO), "--weights", "all", *args)
    assert run.exit_code == 1
    assert "not --weights all" in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--explain", "SE", "--compare", "CFT", "SE"),
        ("--explain", "SE", "--set-weight", "VFM=30"),
        ("--compare", "CFT", "SE", "--set-score", "SE.ACC=6"),
    ],
)
def test_csv_with_two_tables_is_an_error(args: tuple[str, ...], run_cli: RunCli) -> None:
    run = run_cli("score", str(REPO), "--format", "csv", *args)
    assert run.exit_code == 1
    assert "--format csv holds one table" in run.stderr


def test_an_out_of_range_weight_is_quoted_as_given(run_cli: RunCli) -> None:
    run = run_cli("score", str(REPO), "--set-weight", "VFM=100.0000000001")
    assert run.exit_code == 1
    assert "VFM=100.0000000001: a weight is from 0 to 100" in run.stderr


def test_the_example_agrees_after_the_fixes(chromium: Any, example_page: Path) -> None:
    d = _open(chromium, example_page)
    d.execute_script(f"{W}.setWeight('VFM', 0)")
    d.execute_script(f"{W}.setWeight('VFM', 25)")
    weights = list(_weights(d).items())
    assert _page_table(d) == _engine_table(weights)
