"""The decision conference's page (``appraise workshop``), driven in a real headless
Chromium through chromedriver: it loads nothing from the network, its totals and ranking
are ``appraise score --set-weight``'s for 200 random weightings and its leader changes
exactly at each switching value, the saved weight set round-trips through criteria/, and
it can be used from the keyboard and with a screen reader.

CI installs Chromium and chromedriver (``.ci/run``) and sets
``APPRAISE_REQUIRE_BROWSER=1``, so there a missing browser fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import appraise
from appraise.analysis.whatif import ScoreChange, WeightChange, what_if
from appraise.paper.numbers import POINTS, format_number
from conftest import REPO, Run, copy_example

RunCli = Callable[..., Run]


def _driver_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        if os.environ.get("APPRAISE_REQUIRE_BROWSER"):
            pytest.fail("Chromium and chromedriver are required here but not found")
        pytest.skip("Chromium or chromedriver not installed (CI installs them: see .ci/run)")
    return browser, driver


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("workshop") / "session.html"
    appraise.api.workshop(REPO, out)
    return out


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(page: Path, downloads: Path) -> Iterator[Any]:
    browser_path, driver_path = _driver_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-extensions"):
        options.add_argument(flag)
    options.binary_location = browser_path
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(1300, 1800)
    driver.get(page.as_uri())
    yield driver
    driver.quit()


@pytest.fixture
def fresh(browser: Any) -> Any:
    browser.execute_script("window.appraiseWorkshop.reset()")
    return browser


def _page_table(driver: Any) -> dict[str, tuple[str, str]]:
    """Each option's rank and total as the page shows them."""
    rows = driver.execute_script(
        "return [...document.querySelectorAll('#ranking tbody tr')].map(r => "
        "[r.dataset.option, r.querySelector('.rank').textContent, "
        "r.querySelector('.total').textContent])"
    )
    return {o: (rank, total) for o, rank, total in rows}


def _engine_table(
    weights: list[tuple[str, float]], scores: tuple[ScoreChange, ...] = ()
) -> dict[str, tuple[str, str]]:
    w = what_if(PROBLEM, [WeightChange(c, v) for c, v in weights], list(scores))
    r = w.changed
    p = r.problem
    out = {}
    for i, o in enumerate(p.option_ids):
        rank = int(r.ranks[i])
        tied = rank and int((r.ranks == rank).sum()) > 1
        out[o] = (
            (str(rank) + ("=" if tied else "")) if rank else "–",
            format_number(float(r.totals[i]), POINTS),
        )
    return out


PROBLEM = appraise.problem(REPO)


def test_the_page_loads_nothing_from_the_network(browser: Any, page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text
    assert "<link" not in text
    assert "src=" not in text
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    assert requests, "the performance log recorded nothing"
    assert all(url == page.as_uri() or url.startswith(("data:", "blob:")) for url in requests)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_the_agreed_page_is_appraise_score(fresh: Any) -> None:
    agreed = [(c, float(w)) for c, w in zip(PROBLEM.criterion_ids, _agreed(), strict=True)]
    assert _page_table(fresh) == _engine_table(agreed)
    assert (
        fresh.find_element("id", "leader").text
        == "NHS community foundation trust leads with these weights (622.8)."
    )


def _agreed() -> list[float]:
    return list(appraise.score(REPO).weights)


def test_200_random_weightings_agree_with_the_engine(fresh: Any, run_cli: RunCli) -> None:
    """Random slider moves (criteria and groups, some locked): the page's ranks and totals
    are what the engine gives with its weights; every tenth is run through the CLI."""
    rng = random.Random(17)
    ids = PROBLEM.node_ids
    for n in range(200):
        fresh.execute_script("window.appraiseWorkshop.reset()")
        for _ in range(rng.randint(1, 4)):
            node = rng.choice(ids)
            if rng.random() < 0.2:
                fresh.execute_script("window.appraiseWorkshop.lock(arguments[0], true)", node)
            fresh.execute_script(
                "window.appraiseWorkshop.setWeight(arguments[0], arguments[1])",
                rng.choice(ids),
                rng.uniform(0, 60),
            )
        state = fresh.execute_script("return window.appraiseWorkshop.state()")
        weights = [(c, float(v)) for c, v in state["weights"]]
        assert sum(v for _, v in weights) == pytest.approx(100, abs=1e-9)
        assert _page_table(fresh) == _engine_table(weights), n
        if n % 10 == 0:
            args = [a for c, v in weights for a in ("--set-weight", f"{c}={v!r}")]
            run = run_cli("score", str(REPO), "--format", "json", *args)
            assert run.exit_code == 0, run
            totals = {o["id"]: o["total"] for o in json.loads(run.stdout)["what_if"]["options"]}
            for o, t in state["totals"]:
                assert t == pytest.approx(totals[o], rel=1e-9, abs=1e-9)


def test_the_leader_changes_exactly_at_each_switching_value(fresh: Any) -> None:
    sens = appraise.sensitivity(REPO, samples=0, sections=("weights",))
    p = sens.problem
    checked = 0
    for ws in sens.weight_switches:
        for a, b in zip(ws.segments, ws.segments[1:], strict=False):
            for step, leader in ((-1e-6, a.leader), (1e-6, b.leader)):
                fresh.execute_script("window.appraiseWorkshop.reset()")
                fresh.execute_script(
                    "window.appraiseWorkshop.setWeight(arguments[0], arguments[1])",
                    ws.id,
                    a.end + step,
                )
                ranks = fresh.execute_script("return window.appraiseWorkshop.state().ranks")
                first = [p.option_ids[i] for i, r in enumerate(ranks) if r == 1]
                assert first == [p.option_ids[leader]], (ws.id, a.end, step)
                checked += 1
    assert checked >= 4
    # the marks on the tracks are those switching values
    marks = fresh.execute_script(
        "return [...document.querySelectorAll('#sliders .mark')].map(m => m.title)"
    )
    assert any("CFT → ICAT" in m for m in marks)


def test_a_score_what_if_from_the_page(fresh: Any) -> None:
    from selenium.webdriver.support.ui import Select

    Select(fresh.find_element("id", "cell-option")).select_by_value(
        str(PROBLEM.option_ids.index("SE"))
    )
    Select(fresh.find_element("id", "cell-criterion")).select_by_value(
        str(PROBLEM.criterion_ids.index("ACC"))
    )
    panel = fresh.find_element("id", "cell-panel").text
    assert "Agreed score 5 on 0–10; the panel's range 1–6." in panel
    assert "P2 1:" in panel
    box = fresh.find_element("id", "cell-score")
    box.clear()
    box.send_keys("9")
    fresh.find_element("id", "cell-set").click()
    agreed = [(c, float(w)) for c, w in zip(PROBLEM.criterion_ids, _agreed(), strict=True)]
    assert _page_table(fresh) == _engine_table(agreed, (ScoreChange("SE", "ACC", 9),))
    fresh.find_element("id", "cell-clear").click()
    assert _page_table(fresh) == _engine_table(agreed)


def test_snapshots_and_reset(fresh: Any) -> None:
    fresh.execute_script("window.appraiseWorkshop.setWeight('VFM', 40)")
    moved = _page_table(fresh)
    fresh.find_element("id", "snap-save").click()
    fresh.execute_script("window.appraiseWorkshop.setWeight('INNOV', 30)")
    assert _page_table(fresh) != moved
    fresh.find_element("css selector", "#snaps button").click()
    assert _page_table(fresh) == moved
    fresh.find_element("id", "reset").click()
    agreed = [(c, float(w)) for c, w in zip(PROBLEM.criterion_ids, _agreed(), strict=True)]
    assert _page_table(fresh) == _engine_table(agreed)


def test_the_saved_weight_set_round_trips(
    fresh: Any, tmp_path: Path, run_cli: RunCli, downloads: Path
) -> None:
    """The YAML the page downloads, put in criteria/, validates and scores as the page
    did."""
    import time

    fresh.execute_script("window.appraiseWorkshop.setWeight('VFM', 33)")
    fresh.execute_script("window.appraiseWorkshop.setWeight('enable', 48)")
    for field, value in (("set-id", "board_try"), ("set-who", "the chair"), ("set-when", "5 Feb")):
        box = fresh.find_element("id", field)
        box.clear()
        box.send_keys(value)
    shown = fresh.find_element("id", "set-yaml").get_attribute("textContent")
    fresh.find_element("id", "set-save").click()
    saved = downloads / "weight-set-board_try.yaml"
    deadline = time.monotonic() + 20
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = saved.read_text(encoding="utf-8")
    assert text == shown
    assert '- id: "board_try"' in text
    assert "proposed by the chair" in text
    state = fresh.execute_script("return window.appraiseWorkshop.state()")
    root = copy_example(tmp_path)
    shutil.copy(saved, root / "criteria" / saved.name)
    assert run_cli("validate", str(root)).exit_code == 0
    run = run_cli("score", str(root), "--weights", "board_try", "--format", "json")
    assert run.exit_code == 0, run
    totals = {o["id"]: o["total"] for o in json.loads(run.stdout)["options"]}
    for o, t in state["totals"]:
        assert totals[o] == pytest.approx(t, rel=1e-9)
    shown = _page_table(fresh)
    assert {o: format_number(t, POINTS) for o, t in totals.items()} == {
        o: total for o, (_, total) in shown.items()
    }
    diff = run_cli("diff", str(REPO), str(root))
    assert diff.exit_code == 0, diff
    assert "Weight sets: board_try is new" in " ".join(diff.stdout.split())


def _drawn(driver: Any) -> None:
    """Wait for the frame a slider's move is drawn in (moves are drawn once a frame)."""
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done()));"
    )


def test_keyboard_and_screen_reader(fresh: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    unlabelled = fresh.execute_script(
        "return [...document.querySelectorAll('input, select, button')].filter(e => "
        "!(e.labels && e.labels.length) && !e.getAttribute('aria-label') && "
        "!(e.tagName === 'BUTTON' && e.textContent.trim())).map(e => e.id || e.outerHTML)"
    )
    assert unlabelled == []
    leader = fresh.find_element("id", "leader")
    said = fresh.find_element("id", "leader-said")
    assert said.get_attribute("aria-live") == "polite"
    assert leader.get_attribute("aria-live") is None  # the total changes at every step
    slider = fresh.find_element("css selector", "input[data-node='VFM']")
    before = float(slider.get_attribute("value"))
    slider.send_keys(Keys.ARROW_RIGHT)
    assert float(slider.get_attribute("value")) == pytest.approx(before + 0.01, abs=1e-9)
    assert "of 100" in slider.get_attribute("aria-valuetext")
    for _ in range(5):
        slider.send_keys(Keys.PAGE_UP)  # +10 each
    _drawn(fresh)
    assert "Integrated community and acute trust leads" in leader.text
    # spoken once, when the leader changed (with the total at that step)
    assert "Integrated community and acute trust leads" in said.get_attribute("textContent")
    spoken = said.get_attribute("textContent")
    slider.send_keys(Keys.ARROW_RIGHT)  # the total moves, the leader does not
    _drawn(fresh)
    assert leader.text != spoken
    assert said.get_attribute("textContent") == spoken
    described = fresh.find_element("id", slider.get_attribute("aria-describedby"))
    assert "Leader changes at 32.30 (CFT to ICAT)" in described.get_attribute("textContent")


def test_the_command(tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "s.html"
    run = run_cli("workshop", str(REPO), "-o", str(out))
    assert run.exit_code == 0, run
    assert run.stderr == f"appraise: wrote {out}\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = run_cli("workshop", str(REPO), "-o", str(REPO / "appraisal.yaml"))
    assert bad.exit_code == 1
    assert "is one of the appraisal's input files" in bad.stderr


def test_hostile_names_stay_text(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    path = root / "options" / "shortlist.yaml"
    text = path.read_text(encoding="utf-8").replace(
        'name: "Social enterprise"', 'name: "</script><script>alert(1)</script> & co"'
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "s.html"
    appraise.api.workshop(root, out)
    html = out.read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in html
    assert html.count("<script") == 2
