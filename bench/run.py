"""appraise benchmarks: one command, every figure side by side with its baseline.

    python bench/run.py            # everything (a few minutes on 2 cores)
    python bench/run.py --quick    # skip the 2,000 x 60 x 10 appraisal and 100,000 options

Measures, on this machine, in one run:

* start-up: ``appraise --help`` and ``appraise score`` on the example against bare
  imports of their dependencies (minimum of several runs);
* loading: ``load + validate`` (and ``+ score``) against bare
  ``yaml.load(..., CSafeLoader)`` of the same files, on the example and on generated
  appraisals up to 2,000 options x 60 criteria x 10 scorers, with peak traced memory;
* scale: ``validate`` and ``validate + score`` of 10,000, 50,000 and 100,000 options x
  4 criteria x 3 scorers, each in a fresh process (wall time and peak resident memory),
  with the growth exponent fitted on a log-log scale (1.0 is linear);
* engine: weighted sum and TOPSIS against plain NumPy expressions of the same maths up
  to 10,000 x 50, and PROMETHEE II (sort-based) at 10,000 x 50, with pymcdm's
  pairwise PROMETHEE II alongside at a size it can handle.

Results print as a table and are written to ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def best_of(fn: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    """Minimum wall time of ``number`` calls, over ``repeat`` runs, per call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def best_of_each(fns: dict[str, Callable[[], object]], repeat: int = 5) -> dict[str, float]:
    """Minimum wall time of each function, the functions run in turn ``repeat`` times,
    so that a reference and what is compared with it see the same machine (a busy
    neighbour on a shared machine slows both, not only one)."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def peak_memory(fn: Callable[[], object]) -> float:
    """Peak memory traced while ``fn`` runs, in MB (Python and NumPy allocations)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


# --- generated appraisals ----------------------------------------------------------------


def generate(folder: Path, n_options: int, n_criteria: int, n_scorers: int, seed: int = 1) -> None:
    """Write a valid appraisal of the given size (2 groups, one baseline, full panel)."""
    rng = np.random.default_rng(seed)
    for sub in ("criteria", "options", "scores"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "appraisal.yaml").write_text(
        "appraisal: {title: Generated, decision: Benchmark, decision_maker: Board, "
        "status: scored}\nscale: {min: 0, max: 10, step: 1, descriptors: "
        "{0: Poor, 5: Fair, 10: Excellent}}\n"
    )
    half = n_criteria // 2
    groups = [(f"g{g}", range(g * half, n_criteria if g else half)) for g in range(2)]
    lines = ["criteria:"]
    for gid, members in groups:
        lines.append(
            f"  - id: {gid}\n    name: Group {gid}\n    definition: Group\n"
            f"    weight: 50\n    normalise: true\n    criteria:"
        )
        for c in members:
            lines.append(
                f"      - {{id: C{c}, name: Measure {c}, definition: What {c} measures, weight: 1}}"
            )
    (folder / "criteria" / "tree.yaml").write_text("\n".join(lines) + "\n")
    opts = ["options:"]
    for o in range(n_options):
        base = ", baseline: true" if o == 0 else ""
        opts.append(f"  - {{id: O{o}, name: Option {o}, description: Option number {o}{base}}}")
    (folder / "options" / "options.yaml").write_text("\n".join(opts) + "\n")
    scores = rng.integers(0, 11, (n_scorers, n_options, n_criteria))
    for s in range(n_scorers):
        out = [f"scorer: {{id: S{s}, name: Scorer {s}, role: Panel}}", "scores:"]
        for o in range(n_options):
            out.append(f"  O{o}:")
            out.extend(
                f"    C{c}: {{score: {scores[s, o, c]}, rationale: Scorer {s} on option"
                f" {o} and criterion {c}}}"
                for c in range(n_criteria)
            )
        (folder / "scores" / f"s{s}.yaml").write_text("\n".join(out) + "\n")


def yaml_files(folder: Path) -> list[Path]:
    return [
        folder / "appraisal.yaml",
        *sorted((folder / "criteria").glob("*.yaml")),
        *sorted((folder / "options").glob("*.yaml")),
        *sorted((folder / "scores").glob("*.yaml")),
    ]


def bench_loading(label: str, folder: Path, repeat: int) -> dict[str, Any]:
    import appraise

    files = yaml_files(folder)
    texts = [f.read_text(encoding="utf-8") for f in files]

    def bare() -> None:
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)

    def ours() -> None:
        result = appraise.validate(folder)
        assert result.valid, result.issues[:3]

    def ours_and_score() -> None:
        appraise.score(folder)

    t_bare = best_of(bare, repeat)
    t_ours = best_of(ours, repeat)
    t_score = best_of(ours_and_score, repeat)
    return {
        "label": label,
        "bytes": sum(len(t.encode()) for t in texts),
        "bare_yaml_load_s": t_bare,
        "load_validate_s": t_ours,
        "load_validate_score_s": t_score,
        "ratio_validate": t_ours / t_bare,
        "ratio_validate_score": t_score / t_bare,
        "peak_mb_load_validate_score": peak_memory(ours_and_score),
        "peak_mb_bare_yaml_load": peak_memory(bare),
    }


# --- scale -------------------------------------------------------------------------------

SCALE_CHILD = """
import json, resource, sys, time
from pathlib import Path
import appraise
folder = Path(sys.argv[1])
start = time.perf_counter()
result = appraise.validate(folder)
validated = time.perf_counter() - start
assert result.valid, result.issues[:3]
del result  # score reads the files again: measure it alone
start = time.perf_counter()
appraise.score(folder)
scored = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"validate_s": validated, "score_s": scored, "peak_rss_mb": peak_kb / 1024}))
"""


def bench_scale(sizes: list[int]) -> dict[str, Any]:
    """``validate`` then ``score`` (which loads and validates again) of generated
    appraisals of each number of options x 4 criteria x 3 scorers, each in a fresh
    process so its peak resident memory is its own; with the exponent ``b`` of
    ``time = a * options ** b`` (and of memory) fitted by least squares on logs."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"o{n}"
            generate(folder, n, 4, 3)
            print(f"  {n:,} options ...", flush=True)
            done = subprocess.run(
                [sys.executable, "-c", SCALE_CHILD, str(folder)],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append({"options": n, "cells": n * 4 * 3, **json.loads(done.stdout)})
            shutil.rmtree(folder)
    logs = np.log([r["options"] for r in rows])

    def exponent(key: str) -> float:
        return float(np.polyfit(logs, np.log([r[key] for r in rows]), 1)[0])

    return {
        "rows": rows,
        "exponent_validate_time": exponent("validate_s"),
        "exponent_score_time": exponent("score_s"),
        "exponent_peak_memory": exponent("peak_rss_mb"),
    }


SHEETS_CHILD = """
import json, resource, sys, time
from pathlib import Path
from appraise.files.returns import answers_of, load_for_sheets, member_of, plan_import
from appraise.paper.forms import score_workbook
from appraise.atomic import write_files_atomic
folder, book = Path(sys.argv[1]), Path(sys.argv[2])
appraisal = load_for_sheets(folder, "a sheet can be made")
_, sheet = appraisal.sheets[0]
start = time.perf_counter()
data = score_workbook(appraisal, member_of(sheet), answers_of(sheet))
made = time.perf_counter() - start
book.write_bytes(data)
start = time.perf_counter()
plan = plan_import(folder, [book], force=True)
imported = time.perf_counter() - start
assert len(plan.writes) == 1, plan.said
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"make_s": made, "import_s": imported, "xlsx_kb": len(data) / 1024,
                  "peak_rss_mb": peak_kb / 1024}))
"""


def bench_sheets(sizes: list[tuple[int, int, int]]) -> dict[str, Any]:
    """One panel member's workbook made (pre-filled with their answers) and imported
    back (read, the YAML built, and the whole appraisal validated with it in place),
    for generated appraisals of each size, each in a fresh process."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for m, n, s in sizes:
            folder = Path(tmp) / f"s{m}x{n}x{s}"
            generate(folder, m, n, s)
            print(f"  {m} x {n} x {s} ...", flush=True)
            done = subprocess.run(
                [sys.executable, "-c", SHEETS_CHILD, str(folder), str(Path(tmp) / "s.xlsx")],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append({"options": m, "criteria": n, "scorers": s, **json.loads(done.stdout)})
            shutil.rmtree(folder)
    return {"rows": rows}


COSTS_CHILD = """
import json, resource, sys, time
from pathlib import Path
from appraise import api
from appraise.files.costing import cost_book
folder = Path(sys.argv[1])
start = time.perf_counter()
appraisal = api.load(folder)
loaded = time.perf_counter() - start
appraisal.cache.clear()
start = time.perf_counter()
book = cost_book(appraisal)
costed = time.perf_counter() - start
assert not book.issues, book.issues[:3]
start = time.perf_counter()
result = api.score(appraisal)
scored = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"validate_and_load_s": loaded, "cost_book_s": costed, "score_s": scored,
                  "peak_rss_mb": peak_kb / 1024}))
"""


def add_costs(folder: Path, lines: int, years: int, seed: int = 2) -> None:
    """Give every option of a generated appraisal ``lines`` cost lines over ``years``
    years (one uplifted transition line, one risk each) and an affordability hurdle."""
    rng = np.random.default_rng(seed)
    app = folder / "appraisal.yaml"
    app.write_text(
        app.read_text()
        + f'costs: {{unit: "£k", price_base: "2008/09", first_year: "2009/10", years: {years}}}\n'
    )
    (folder / "criteria" / "hurdles.yaml").write_text(
        "hurdles:\n  - id: H1\n    name: Affordable\n    test: Transition within the envelope\n"
        "    envelope: {total: 1000000, categories: [transition]}\n"
    )
    path = folder / "options" / "options.yaml"
    out = []
    for row in path.read_text().splitlines():
        out.append(row)
        if not row.startswith("  - {id: O"):
            continue
        out[-1] = row[:-1] + ", cost: {lines: ["
        parts = []
        for k in range(lines):
            amounts = ", ".join(str(int(a)) for a in rng.integers(0, 500, years))
            cat = "transition" if k == 0 else "revenue"
            ob = (
                ", optimism_bias: {category: Outsourcing, upper_bound: 41, mitigation: 0.5,"
                " source: Generated}"
                if k == 0
                else ""
            )
            parts.append(f"{{item: Line {k}, category: {cat}, years: [{amounts}]{ob}}}")
        out[-1] += ", ".join(parts)
        out[-1] += "], risk: {lines: [{item: Risk, probability: 0.2, impact: 300, year: 1}]}}}"
    path.write_text("\n".join(out) + "\n")


def bench_costs(sizes: list[tuple[int, int, int]]) -> dict[str, Any]:
    """Validating, working out the cost book and scoring appraisals whose every option
    has cost lines by year (generated; 20 criteria, 3 scorers), each in a fresh process."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for m, lines, years in sizes:
            folder = Path(tmp) / f"c{m}x{lines}x{years}"
            generate(folder, m, 20, 3)
            add_costs(folder, lines, years)
            print(f"  {m} options x {lines} lines x {years} years ...", flush=True)
            done = subprocess.run(
                [sys.executable, "-c", COSTS_CHILD, str(folder)],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append({"options": m, "lines": lines, "years": years, **json.loads(done.stdout)})
            shutil.rmtree(folder)
    return {"rows": rows}


def bench_workshop(sizes: list[tuple[int, int]]) -> dict[str, Any]:
    """The workshop page for generated appraisals: its size, and how long one weight's
    move takes to recompute and redraw in headless Chromium (median and 95th
    percentile of 30 moves). Skipped without Chromium and chromedriver."""
    browser, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if browser is None or driver_path is None:
        return {"rows": [], "skipped": "Chromium or chromedriver not installed"}
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        options.add_argument(flag)
    options.binary_location = browser
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for m, n in sizes:
                folder = Path(tmp) / f"w{m}x{n}"
                generate(folder, m, n, 3)
                page = Path(tmp) / f"w{m}x{n}.html"
                print(f"  {m} options x {n} criteria ...", flush=True)
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "appraise", "workshop", str(folder), "-o", str(page)],
                    check=True,
                    capture_output=True,
                )
                written = time.perf_counter() - start
                driver.get(page.as_uri())
                times = sorted(
                    driver.execute_script(
                        "const W = window.appraiseWorkshop, out = [];"
                        "for (let i = 0; i < 30; i++) { const t0 = performance.now();"
                        " W.setWeight('C1', 1 + i % 20); out.push(performance.now() - t0); }"
                        "return out;"
                    )
                )
                rows.append(
                    {
                        "options": m,
                        "criteria": n,
                        "page_kib": page.stat().st_size / 1024,
                        "write_s": written,
                        "move_ms_median": times[len(times) // 2],
                        "move_ms_p95": times[int(0.95 * len(times))],
                    }
                )
                shutil.rmtree(folder)
    finally:
        driver.quit()
    return {"rows": rows}


# --- engine ------------------------------------------------------------------------------


def bench_engine(m: int, n: int, repeat: int) -> dict[str, Any]:
    from appraise.engine import promethee_ii, topsis, weighted_sum

    rng = np.random.default_rng(m * n)
    x = rng.uniform(0, 10, (m, n))
    w = rng.dirichlet(np.ones(n))
    row: dict[str, Any] = {"options": m, "criteria": n}
    row["wsm_s"] = best_of(lambda: weighted_sum(x, w, 1.0), repeat, 20)
    row["wsm_plain_s"] = best_of(lambda: x @ w, repeat, 20)

    def plain_topsis() -> np.ndarray:
        v = x / np.sqrt((x * x).sum(axis=0)) * w
        best, worst = v.max(axis=0), v.min(axis=0)
        dp = np.sqrt(((v - best) ** 2).sum(axis=1))
        dm = np.sqrt(((v - worst) ** 2).sum(axis=1))
        return dm / (dp + dm)

    row["topsis_s"] = best_of(lambda: topsis(x, w), repeat, 5)
    row["topsis_plain_s"] = best_of(plain_topsis, repeat, 5)
    q, p = np.full(n, 0.5), np.full(n, 2.0)
    row["promethee_s"] = best_of(lambda: promethee_ii(x, w, ["vshape_2"] * n, q, p), repeat)
    row["ratio_wsm"] = row["wsm_s"] / row["wsm_plain_s"]
    row["ratio_topsis"] = row["topsis_s"] / row["topsis_plain_s"]
    return row


def bench_pymcdm_promethee(m: int, n: int) -> dict[str, Any]:
    """pymcdm's PROMETHEE II builds an m x m table per criterion."""
    import warnings

    from pymcdm.methods import PROMETHEE_II

    from appraise.engine import promethee_ii

    rng = np.random.default_rng(5)
    x = rng.uniform(0, 10, (m, n))
    w = rng.dirichlet(np.ones(n))
    q, p = np.full(n, 0.5), np.full(n, 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        body = PROMETHEE_II("vshape_2", p=p, q=q)
        start = time.perf_counter()
        theirs = body(x, w, np.ones(n))
        t_theirs = time.perf_counter() - start
    start = time.perf_counter()
    ours = promethee_ii(x, w, ["vshape_2"] * n, q, p).sum(axis=1)
    t_ours = time.perf_counter() - start
    return {
        "options": m,
        "criteria": n,
        "pymcdm_s": t_theirs,
        "appraise_s": t_ours,
        "max_abs_difference": float(np.abs(ours - theirs).max()),
        "pymcdm_pairwise_table_mb": m * m * 8 / 1e6,
    }


# --- sensitivity -------------------------------------------------------------------------


def plain_smaa(points: np.ndarray, samples: int, seed: int, chunk: int = 16_384) -> np.ndarray:
    """The plain NumPy reference: uniform weights, fixed scores, chunked matmul + rank
    counting (what a careful analyst would write in a notebook)."""
    m, n = points.shape
    rng = np.random.default_rng(seed)
    counts = np.zeros(m * m, dtype=np.int64)
    pos = np.arange(m)
    done = 0
    while done < samples:
        size = min(chunk, samples - done)
        w = rng.standard_exponential((size, n))
        w /= w.sum(axis=1, keepdims=True)
        order = np.argsort(-(w @ points.T), axis=1)
        counts += np.bincount((order * m + pos).ravel(), minlength=m * m)
        done += size
    return counts.reshape(m, m) / samples


def bench_sensitivity(repeat: int, with_peer: bool) -> dict[str, Any]:
    import appraise
    from appraise.analysis.sensitivity import _score_bounds
    from appraise.engine.smaa import smaa

    appraisal = appraise.load(REPO)
    result: dict[str, Any] = {}
    result["switching_values_s"] = best_of(
        lambda: appraise.sensitivity(appraisal, samples=0, sections=("weights", "scores", "costs")),
        repeat,
    )
    base = appraise.sensitivity(appraisal, samples=0, sections=("scores",))
    ranked = np.flatnonzero(base.base.ranks > 0)
    points = base.points[ranked]
    w = base.base.weights / base.base.weights.sum()
    lo, hi = _score_bounds(base.base, "panel")
    assert lo is not None
    assert hi is not None
    million = 1_000_000
    kw: dict[str, Any] = {"scale": 100.0, "total_range": (0.0, 1000.0)}
    result["options"], result["criteria"] = points.shape

    def dirichlet_panel(samples: int) -> object:
        return smaa(
            points,
            w,
            samples=samples,
            seed=1,
            weight_model="dirichlet",
            low=lo[ranked],
            high=hi[ranked],
            **kw,
        )

    timed = best_of_each(
        {
            "plain_uniform_1m_s": lambda: plain_smaa(points, million, 1),
            "uniform_fixed_1m_s": lambda: smaa(
                points, w, samples=million, seed=1, weight_model="uniform", **kw
            ),
            "dirichlet_panel_1m_s": lambda: dirichlet_panel(million),
        },
        max(repeat, 5),
    )
    result.update(timed)
    result["ratio_uniform"] = result["uniform_fixed_1m_s"] / result["plain_uniform_1m_s"]
    result["ratio_dirichlet_panel"] = result["dirichlet_panel_1m_s"] / result["plain_uniform_1m_s"]
    for samples in (10_000, million, 10 * million):
        result[f"peak_mb_{samples}"] = peak_memory(
            lambda samples=samples: dirichlet_panel(samples)  # type: ignore[misc]
        )
    exe = shutil.which("appraise")
    cmd = [exe] if exe else [sys.executable, "-m", "appraise"]
    times = []
    for _ in range(min(repeat, 3)):
        start = time.perf_counter()
        subprocess.run(
            [*cmd, "sensitivity", ".", "--samples", str(million)],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - start)
    result["cli_sensitivity_1m_s"] = min(times)
    if with_peer:
        try:
            from pysensmcda.smaa import smaa2
        except ImportError:
            result["pysensmcda_1m_s"] = None
        else:

            def wsm(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
                return np.asarray(matrix @ weights)

            start = time.perf_counter()
            smaa2(wsm, points, np.ones(points.shape[1]), num_samples=million, seed=1)
            result["pysensmcda_1m_s"] = time.perf_counter() - start
            result["ratio_pysensmcda_vs_uniform"] = (
                result["pysensmcda_1m_s"] / result["uniform_fixed_1m_s"]
            )
            # With pymcdm's weighted sum (how it is usually called) it runs the method
            # once per sample; timed at 100,000 samples and scaled to 1,000,000.
            from pymcdm.methods import WSM

            start = time.perf_counter()
            smaa2(WSM(), points, np.ones(points.shape[1]), num_samples=million // 10, seed=1)
            result["pysensmcda_pymcdm_1m_s_scaled"] = (time.perf_counter() - start) * 10
            result["ratio_pysensmcda_pymcdm_vs_uniform"] = (
                result["pysensmcda_pymcdm_1m_s_scaled"] / result["uniform_fixed_1m_s"]
            )
    return result


# --- start-up ----------------------------------------------------------------------------


def bench_startup(repeat: int) -> dict[str, Any]:
    exe = shutil.which("appraise")
    python = sys.executable

    def run(args: list[str]) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(args, cwd=REPO, capture_output=True, check=False)
            times.append(time.perf_counter() - start)
        return min(times)

    appraise = [exe] if exe else [python, "-m", "appraise"]
    result = {
        "python_bare_s": run([python, "-c", "pass"]),
        "import_typer_s": run([python, "-c", "import typer"]),
        "help_s": run([*appraise, "--help"]),
        "import_deps_s": run([python, "-c", "import typer, rich, pydantic, yaml, numpy"]),
        "minimal_typer_cli_s": run(
            [python, str(Path(__file__).parent / "minimal_cli.py"), "score"]
        ),
        "score_example_s": run([*appraise, "score", "."]),
        "validate_example_s": run([*appraise, "validate", "."]),
    }
    result["ratio_score_vs_deps"] = result["score_example_s"] / result["import_deps_s"]
    result["ratio_minimal_cli_vs_deps"] = result["minimal_typer_cli_s"] / result["import_deps_s"]
    result["ratio_score_vs_minimal_cli"] = result["score_example_s"] / result["minimal_typer_cli_s"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the largest appraisal")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    parser.add_argument(
        "--only",
        choices=(
            "startup",
            "loading",
            "scale",
            "sheets",
            "costs",
            "workshop",
            "engine",
            "sensitivity",
        ),
        action="append",
        help="run only these parts (repeat); default: all",
    )
    parser.add_argument(
        "--no-peers", action="store_true", help="skip pymcdm and pysensmcda comparisons"
    )
    args = parser.parse_args()
    sizes = [(100, 20, 5), (500, 40, 8)] + ([] if args.quick else [(2000, 60, 10)])
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "libyaml": yaml.__with_libyaml__,
        },
    }
    parts = set(
        args.only
        or ("startup", "loading", "scale", "sheets", "costs", "workshop", "engine", "sensitivity")
    )
    if "startup" in parts:
        print("start-up ...", flush=True)
        report["startup"] = bench_startup(args.repeat)
    if "loading" in parts:
        print("loading ...", flush=True)
        loading = [bench_loading("example", REPO, args.repeat)]
        with tempfile.TemporaryDirectory() as tmp:
            for m, n, s in sizes:
                folder = Path(tmp) / f"g{m}x{n}x{s}"
                generate(folder, m, n, s)
                print(f"  {m} x {n} x {s} ...", flush=True)
                loading.append(
                    bench_loading(
                        f"{m} options x {n} criteria x {s} scorers",
                        folder,
                        1 if m >= 2000 else min(args.repeat, 3),
                    )
                )
        report["loading"] = loading
    if "scale" in parts:
        print("scale ...", flush=True)
        report["scale"] = bench_scale([10_000, 50_000] + ([] if args.quick else [100_000]))
    if "sheets" in parts:
        print("sheets ...", flush=True)
        report["sheets"] = bench_sheets(sizes)
    if "costs" in parts:
        print("costs ...", flush=True)
        report["costs"] = bench_costs(
            [(100, 5, 10), (1000, 10, 30)] + ([] if args.quick else [(2000, 20, 60)])
        )
    if "workshop" in parts:
        print("workshop ...", flush=True)
        report["workshop"] = bench_workshop(
            [(8, 11), (60, 12), (300, 20)] + ([] if args.quick else [(300, 60)])
        )
    if "engine" in parts:
        print("engine ...", flush=True)
        report["engine"] = [
            bench_engine(m, n, args.repeat) for m, n in ((100, 10), (1000, 20), (10_000, 50))
        ]
        if not args.no_peers:
            report["promethee_vs_pymcdm"] = bench_pymcdm_promethee(2000, 20)
    if "sensitivity" in parts:
        print("sensitivity ...", flush=True)
        report["sensitivity"] = bench_sensitivity(min(args.repeat, 3), not args.no_peers)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    show(report)


def show(report: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console()
    if "startup" in report:
        _show_startup(console, report)
    if "loading" in report:
        _show_loading(console, report)
    if "scale" in report:
        _show_scale(console, report["scale"])
    if "sheets" in report:
        _show_sheets(console, report["sheets"])
    if "costs" in report:
        _show_costs(console, report["costs"])
    if "workshop" in report:
        _show_workshop(console, report["workshop"])
    if "engine" in report:
        _show_engine(console, report)
    if "sensitivity" in report:
        _show_sensitivity(console, report["sensitivity"])


def _show_startup(console: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    s = report["startup"]
    t = Table(title="Start-up (min of runs, seconds)")
    for col in (
        "python -c pass",
        "import typer",
        "appraise --help",
        "import deps",
        "minimal typer CLI",
        "appraise validate .",
        "appraise score .",
        "score / deps",
        "score / minimal CLI",
    ):
        t.add_column(col, justify="right")
    t.add_row(
        *(
            f"{s[k]:.3f}"
            for k in (
                "python_bare_s",
                "import_typer_s",
                "help_s",
                "import_deps_s",
                "minimal_typer_cli_s",
                "validate_example_s",
                "score_example_s",
            )
        ),
        f"{s['ratio_score_vs_deps']:.2f}x",
        f"{s['ratio_score_vs_minimal_cli']:.2f}x",
    )
    console.print(t)


def _show_loading(console: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(title="Loading (seconds; peak traced MB)")
    for col in (
        "appraisal",
        "MB of YAML",
        "bare yaml.load",
        "load+validate",
        "ratio",
        "+score",
        "ratio",
        "peak MB",
        "bare peak MB",
    ):
        t.add_column(col, justify="right")
    for r in report["loading"]:
        t.add_row(
            r["label"],
            f"{r['bytes'] / 1e6:.2f}",
            f"{r['bare_yaml_load_s']:.3f}",
            f"{r['load_validate_s']:.3f}",
            f"{r['ratio_validate']:.2f}x",
            f"{r['load_validate_score_s']:.3f}",
            f"{r['ratio_validate_score']:.2f}x",
            f"{r['peak_mb_load_validate_score']:.0f}",
            f"{r['peak_mb_bare_yaml_load']:.0f}",
        )
    console.print(t)


def _show_scale(console: Any, r: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(title="Scale: options x 4 criteria x 3 scorers (seconds; peak resident MB)")
    for col in ("options", "cells", "validate", "score", "peak MB"):
        t.add_column(col, justify="right")
    for row in r["rows"]:
        t.add_row(
            f"{row['options']:,}",
            f"{row['cells']:,}",
            f"{row['validate_s']:.1f}",
            f"{row['score_s']:.1f}",
            f"{row['peak_rss_mb']:.0f}",
        )
    t.add_row(
        "exponent",
        "",
        f"{r['exponent_validate_time']:.2f}",
        f"{r['exponent_score_time']:.2f}",
        f"{r['exponent_peak_memory']:.2f}",
    )
    console.print(t)


def _show_sheets(console: Any, r: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(title="One member's workbook: made, and imported back (seconds; KB; peak MB)")
    for col in ("options x criteria x scorers", "cells", "make", "import", "xlsx KB", "peak MB"):
        t.add_column(col, justify="right")
    for row in r["rows"]:
        t.add_row(
            f"{row['options']} x {row['criteria']} x {row['scorers']}",
            f"{row['options'] * row['criteria']:,}",
            f"{row['make_s']:.2f}",
            f"{row['import_s']:.2f}",
            f"{row['xlsx_kb']:.0f}",
            f"{row['peak_rss_mb']:.0f}",
        )
    console.print(t)


def _show_costs(console: Any, r: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(title="Cost lines: validate and load, the cost book alone, score (seconds; MB)")
    for col in ("options x lines x years", "amounts", "validate", "cost book", "score", "peak MB"):
        t.add_column(col, justify="right")
    for row in r["rows"]:
        t.add_row(
            f"{row['options']} x {row['lines']} x {row['years']}",
            f"{row['options'] * row['lines'] * row['years']:,}",
            f"{row['validate_and_load_s']:.2f}",
            f"{row['cost_book_s']:.2f}",
            f"{row['score_s']:.2f}",
            f"{row['peak_rss_mb']:.0f}",
        )
    console.print(t)


def _show_workshop(console: Any, r: dict[str, Any]) -> None:
    from rich.table import Table

    if r.get("skipped"):
        console.print(f"Workshop page: skipped ({r['skipped']})")
        return
    t = Table(title="Workshop page: size, writing it, one weight's move in Chromium")
    for col in ("options x criteria", "page KiB", "write s", "move ms (median)", "p95"):
        t.add_column(col, justify="right")
    for row in r["rows"]:
        t.add_row(
            f"{row['options']} x {row['criteria']}",
            f"{row['page_kib']:,.0f}",
            f"{row['write_s']:.2f}",
            f"{row['move_ms_median']:.1f}",
            f"{row['move_ms_p95']:.1f}",
        )
    console.print(t)


def _show_engine(console: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(title="Engine (seconds per call)")
    for col in (
        "options x criteria",
        "wsm",
        "plain",
        "ratio",
        "topsis",
        "plain",
        "ratio",
        "promethee II",
    ):
        t.add_column(col, justify="right")
    for r in report["engine"]:
        t.add_row(
            f"{r['options']} x {r['criteria']}",
            f"{r['wsm_s']:.2e}",
            f"{r['wsm_plain_s']:.2e}",
            f"{r['ratio_wsm']:.2f}x",
            f"{r['topsis_s']:.2e}",
            f"{r['topsis_plain_s']:.2e}",
            f"{r['ratio_topsis']:.2f}x",
            f"{r['promethee_s']:.3f}",
        )
    console.print(t)
    if "promethee_vs_pymcdm" not in report:
        return
    r = report["promethee_vs_pymcdm"]
    console.print(
        f"PROMETHEE II at {r['options']} x {r['criteria']}: pymcdm {r['pymcdm_s']:.2f} s"
        f" (pairwise tables of {r['pymcdm_pairwise_table_mb']:.0f} MB each), appraise "
        f"{r['appraise_s']:.4f} s, max difference {r['max_abs_difference']:.1e}"
    )


def _show_sensitivity(console: Any, r: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(
        title=f"Monte Carlo on the example ({r['options']} options x {r['criteria']} "
        "criteria), 1,000,000 samples, seconds"
    )
    for col in ("plain NumPy", "uniform/fixed", "ratio", "Dirichlet+panel", "ratio", "pysensmcda"):
        t.add_column(col, justify="right")
    peer = r.get("pysensmcda_1m_s")
    t.add_row(
        f"{r['plain_uniform_1m_s']:.3f}",
        f"{r['uniform_fixed_1m_s']:.3f}",
        f"{r['ratio_uniform']:.2f}x",
        f"{r['dirichlet_panel_1m_s']:.3f}",
        f"{r['ratio_dirichlet_panel']:.2f}x",
        "" if peer is None else f"{peer:.2f} ({r['ratio_pysensmcda_vs_uniform']:.0f}x slower)",
    )
    console.print(t)
    if r.get("pysensmcda_pymcdm_1m_s_scaled") is not None:
        console.print(
            f"pysensmcda with pymcdm's WSM: {r['pysensmcda_pymcdm_1m_s_scaled']:.0f} s for "
            f"1,000,000 samples (timed at 100,000, x10): "
            f"{r['ratio_pysensmcda_pymcdm_vs_uniform']:.0f}x slower than appraise."
        )
    console.print(
        f"Peak traced memory (Dirichlet + panel): 10^4 {r['peak_mb_10000']:.1f} MB, "
        f"10^6 {r['peak_mb_1000000']:.1f} MB, 10^7 {r['peak_mb_10000000']:.1f} MB. "
        f"appraise sensitivity --samples 1000000 (whole run): {r['cli_sensitivity_1m_s']:.2f} s. "
        f"Exact switching values (weights, scores, costs): "
        f"{r['switching_values_s'] * 1000:.1f} ms."
    )


if __name__ == "__main__":
    main()
