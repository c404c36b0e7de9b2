"""The library's front door (``import appraise``), the one error contract, strict JSON,
and the fixes that came with the presentation layer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import appraise
from appraise.errors import AppraiseError, AppraiseInputError, RequestError
from conftest import CASES, REPO, Run

SMALL = CASES / "valid" / "small"
RunCli = Callable[..., Run]


def _strict(text: str) -> object:
    """JSON parsed as RFC 8259 has it: NaN and Infinity are refused."""

    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


# --- the front door ---------------------------------------------------------------------


def test_import_appraise_is_light_and_lazy() -> None:
    code = "import sys, appraise; print('appraise.api' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert callable(appraise.score)
    with pytest.raises(AttributeError):
        appraise.nothing_here  # noqa: B018


def test_the_front_door_from_python(tmp_path: Path) -> None:
    appraisal = appraise.load(SMALL)
    result = appraise.score(appraisal)
    assert result.problem.option_ids[result.leaders[0]] == "HUB"
    assert result.totals.max() == pytest.approx(642)
    assert [r.weight_set for r in appraise.score_weight_sets(SMALL)] == ["tree", "staff"]
    sens = appraise.sensitivity(SMALL, samples=500, seed=3)
    assert sens.monte_carlo is not None
    assert sens.monte_carlo.result.samples == 500
    assert {s.id for s in appraise.weights(SMALL).sets} == {"tree", "staff"}
    written = appraise.export(SMALL, tmp_path / "ranking.csv", samples=0)
    assert [p.name for p in written] == ["ranking.csv", "ranking.provenance.json"]
    report = appraise.report(appraisal, tmp_path / "report.html", samples=0, charts=False)
    assert report == [tmp_path / "report.html"]
    assert appraise.validate(SMALL).valid
    same = appraise.diff(str(SMALL), str(SMALL))
    assert same.changes == []
    assert same.names["HUB"] == "Community hub"


def test_defaults_are_the_same_for_every_monte_carlo_command() -> None:
    from appraise.analysis import DEFAULT_SAMPLES, DEFAULT_SEED

    sens = appraise.sensitivity(SMALL, sections=("montecarlo",))
    assert sens.monte_carlo is not None
    assert (sens.monte_carlo.result.samples, sens.monte_carlo.seed) == (
        DEFAULT_SAMPLES,
        DEFAULT_SEED,
    )
    import inspect

    from appraise.cli import export, sensitivity

    for fn in (sensitivity.sensitivity, export.export, export.report):
        params = inspect.signature(fn).parameters
        assert params["samples"].default == DEFAULT_SAMPLES, fn.__name__
        assert params["seed"].default == DEFAULT_SEED, fn.__name__


# --- one error contract -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "kind", "message", "hint"),
    [
        (
            lambda: appraise.score(SMALL, weights="nope"),
            RequestError,
            "no weight set 'nope'",
            "staff",
        ),
        (lambda: appraise.score(SMALL, scorer="ZED"), RequestError, "no panel member 'ZED'", "ANN"),
        (lambda: appraise.weights(SMALL, sets=["x"]), RequestError, "no weight set 'x'", "tree"),
        (
            lambda: appraise.sensitivity(SMALL, sections=("everything",)),
            RequestError,
            "no section 'everything'",
            "montecarlo",
        ),
        (
            lambda: appraise.sensitivity(SMALL, swing=float("inf")),
            RequestError,
            "--swing inf",
            "",
        ),
        (
            lambda: appraise.load(CASES / "invalid" / "duplicate-key"),
            AppraiseInputError,
            "the appraisal is not valid",
            "appraise validate",
        ),
        (
            lambda: appraise.export(SMALL, "x.pdf"),
            RequestError,
            "cannot tell the format of x.pdf",
            ".xlsx",
        ),
        (lambda: appraise.report(SMALL, "x.txt"), RequestError, "a report is .html or .docx", ""),
        (
            lambda: appraise.score(SMALL, aggregate="bad"),
            RequestError,
            "no aggregate 'bad'",
            "mean",
        ),
        (lambda: appraise.score(SMALL, method="bad"), RequestError, "no method 'bad'", "topsis"),
        (
            lambda: appraise.sensitivity(SMALL, weight_model="bad", samples=10),
            RequestError,
            "no weight model 'bad'",
            "dirichlet",
        ),
        (
            lambda: appraise.sensitivity(SMALL, score_model="bad", samples=10),
            RequestError,
            "no score model 'bad'",
            "declared",
        ),
        (
            lambda: appraise.diff("no-such-revision", folder=SMALL),
            AppraiseError,
            "is neither a folder nor a revision",
            "git log",
        ),
    ],
)
def test_user_errors_are_appraise_errors_with_a_hint(
    call: Callable[[], object], kind: type[AppraiseError], message: str, hint: str
) -> None:
    with pytest.raises(kind) as caught:
        call()
    assert message in str(caught.value)
    assert hint in caught.value.hint


def test_an_invalid_appraisal_carries_every_issue() -> None:
    with pytest.raises(AppraiseInputError) as caught:
        appraise.load(CASES / "invalid" / "duplicate-key")
    assert caught.value.issues
    assert all(i.path is not None for i in caught.value.issues)


def test_the_cli_prints_a_user_error_once_and_exits_1(run_cli: RunCli) -> None:
    result = run_cli("score", str(SMALL), "--scorer", "ZED")
    assert result.exit_code == 1
    assert result.stderr == (
        "appraise: error: no panel member 'ZED'\n"
        "  hint: known panel members: ANN, BOB (ids in scores/)\n"
    )


# --- strict JSON everywhere ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(REPO), "-f", "json"],
        ["score", str(REPO), "-f", "json"],
        ["score", str(REPO), "-f", "json", "--method", "topsis"],
        ["score", str(REPO), "-f", "json", "--method", "promethee"],
        ["score", str(REPO), "-f", "json", "--weights", "all", "--method", "topsis"],
        ["sensitivity", str(REPO), "-f", "json", "--samples", "500"],
        ["weights", str(REPO), "-f", "json"],
        ["diff", str(REPO), str(REPO), "-f", "json"],
    ],
)
def test_every_json_output_is_strict_json(run_cli: RunCli, args: list[str]) -> None:
    result = run_cli(*args)
    assert result.exit_code == 0, result
    assert "NaN" not in result.stdout
    assert "Infinity" not in result.stdout
    _strict(result.stdout)


def test_topsis_contributions_are_null_not_nan(run_cli: RunCli) -> None:
    payload = _strict(run_cli("score", str(REPO), "-f", "json", "--method", "topsis").stdout)
    assert isinstance(payload, dict)
    first = payload["options"][0]
    assert set(first["contributions"].values()) == {None}


def test_export_json_and_the_csv_provenance_are_strict(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "tables.json"
    assert run_cli("export", str(REPO), "-o", str(out), "--samples", "500").exit_code == 0
    _strict(out.read_text(encoding="utf-8"))
    csv = tmp_path / "ranking.csv"
    assert run_cli("export", str(REPO), "-o", str(csv), "--samples", "0").exit_code == 0
    _strict((tmp_path / "ranking.provenance.json").read_text(encoding="utf-8"))


# --- fixes that came with it ----------------------------------------------------------------


def _flat(tmp_path: Path) -> Path:
    folder = tmp_path / "flat"
    shutil.copytree(SMALL, folder)
    (folder / "expected.txt").unlink()
    (folder / "criteria" / "tree.yaml").write_text(
        "criteria:\n"
        '  - {id: QUAL, name: "Quality of care", definition: "Safety", weight: 42}\n'
        '  - {id: ACCESS, name: "Access", definition: "Ease of getting care", weight: 18}\n'
        '  - {id: STAFF, name: "Workforce", definition: "Recruiting staff", weight: 20}\n'
        '  - {id: RISK, name: "Delivery confidence", definition: "Confidence", weight: 20}\n',
        encoding="utf-8",
    )
    extras = folder / "criteria" / "extras.yaml"
    extras.write_text(
        extras.read_text(encoding="utf-8").replace(
            "weights: {care: 50, running: 50}",
            "weights: {QUAL: 35, ACCESS: 15, STAFF: 25, RISK: 25}",
        ),
        encoding="utf-8",
    )
    assert appraise.validate(folder).valid, appraise.validate(folder).issues
    return folder


def test_a_tree_without_groups_lists_each_without_scenario_once(tmp_path: Path) -> None:
    sens = appraise.sensitivity(_flat(tmp_path), samples=0)
    labels = [sc.label for sc in sens.scenarios]
    assert len(labels) == len(set(labels)), labels
    without = [sc for sc in sens.scenarios if sc.label.startswith("Without")]
    assert [sc.label for sc in without] == [
        "Without Quality of care",
        "Without Access",
        "Without Workforce",
        "Without Delivery confidence",
    ]
    assert {sc.kind for sc in without} == {"without criterion"}


def test_an_option_cheaper_and_better_than_the_baseline_dominates_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = tmp_path / "cheaper"
    shutil.copytree(SMALL, folder)
    options = folder / "options" / "options.yaml"
    options.write_text(
        options.read_text(encoding="utf-8").replace(
            "    baseline: true\n    cost: {amount: 0}",
            "    baseline: true\n    cost: {amount: 400}",
        ),
        encoding="utf-8",
    )
    result = appraise.score(folder)
    from appraise.analysis.score import value_for_money

    vfm = value_for_money(result)
    assert vfm is not None
    hub = result.problem.option_ids.index("HUB")
    assert vfm.delta_cost[hub] == -100  # 300 against the baseline's 400
    assert vfm.dominates_baseline[hub]
    assert vfm.delta_cost_per_point[hub] != vfm.delta_cost_per_point[hub]  # NaN
    md = run_cli("score", str(folder), "-f", "md").stdout
    vfm_md = md[md.index("Value for money") :]
    row = next(line for line in vfm_md.splitlines() if line.startswith("| HUB | Community hub |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[6:8] == ["-100", "dominates the baseline"]  # never a negative £k per point
    payload = json.loads(run_cli("score", str(folder), "-f", "json").stdout)
    entry = next(o for o in payload["value_for_money"]["options"] if o["id"] == "HUB")
    assert entry["dominates_baseline"] is True
    assert entry["delta_cost_per_point"] is None


def test_the_tornado_measures_the_margin_over_the_best_other_option() -> None:
    """Under P2's scores alone ICAT leads CFT on the example: that bar must reach below
    0 and name ICAT, not show CFT ahead of the base-case runner-up (SE)."""
    sens = appraise.sensitivity(REPO, samples=2_000, seed=7)
    p = sens.problem
    bar = next(b for b in sens.tornado if b.label == "P2's scores alone")
    scenario = next(sc for sc in sens.scenarios if sc.label == "P2's scores alone")
    assert [p.option_ids[i] for i in scenario.leaders] == ["ICAT"]
    assert bar.low < 0
    assert bar.low_other is not None
    assert p.option_ids[bar.low_other] == "ICAT"
    cft, icat = p.option_ids.index("CFT"), p.option_ids.index("ICAT")
    assert bar.low == pytest.approx(scenario.totals[cft] - scenario.totals[icat])
    # every bar's ends are the leader's margin over the best other option there
    for b in sens.tornado:
        assert b.low <= b.high
        assert b.low <= sens.margin + 1e-9 or b.source in {"weight", "monte carlo"}


def test_every_option_failing_a_hurdle_is_shown_not_a_crash(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = tmp_path / "all-fail"
    shutil.copytree(SMALL, folder)
    options = folder / "options" / "options.yaml"
    text = options.read_text(encoding="utf-8")
    text = text.replace('{result: pass, reason: "No cost"}', '{result: fail, reason: "x"}')
    text = text.replace('{result: pass, reason: "Within envelope"}', '{result: fail, reason: "x"}')
    options.write_text(text, encoding="utf-8")
    for method in ("wsm", "topsis", "promethee"):
        result = run_cli("score", str(folder), "--method", method)
        assert result.exit_code == 0, result
        assert "No option passes every hurdle, so none is ranked." in " ".join(
            result.stdout.split()
        )
    assert run_cli("sensitivity", str(folder), "-n", "200").exit_code == 0
    for name in ("all.xlsx", "report.html"):
        command = "report" if name.startswith("report") else "export"
        result = run_cli(command, str(folder), "-o", str(tmp_path / name), "-n", "200")
        assert result.exit_code == 0, result


def test_one_table_name_as_a_string_is_one_table(tmp_path: Path) -> None:
    written = appraise.export(SMALL, tmp_path / "t.md", tables="ranking", samples=0)  # type: ignore[arg-type]
    assert "### Table 1: Ranking" in written[0].read_text(encoding="utf-8")


def test_huge_numbers_are_shown_not_a_crash(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "huge"
    shutil.copytree(SMALL, folder)
    options = folder / "options" / "options.yaml"
    options.write_text(
        options.read_text(encoding="utf-8").replace(
            "cost: {amount: 450}", "cost: {amount: 100000000000000000000000000000}"
        ),
        encoding="utf-8",
    )
    result = run_cli("score", str(folder))
    assert result.exit_code == 0, result
    assert "100,000,000,000,000,000,000,000,000,000" in result.stdout
    result = run_cli("sensitivity", str(SMALL), "--swing", "1e308", "-n", "0")
    assert result.exit_code == 2  # out of range: a weight cannot fall below 0
    assert "Traceback" not in result.stderr + result.stdout


def test_a_refused_write_is_one_error_not_a_traceback(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """init, sheet and schema --write report a system refusal (permission, full disk)
    as an error naming the file, exit 1, and leave nothing behind."""
    from appraise import atomic

    def refuse(*_: object, **__: object) -> str:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkdtemp", refuse)
    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(atomic, "_anonymous_file", refuse)
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for args in (
        ("init", str(tmp_path / "new")),
        ("sheet", str(folder), "--id", "P9", "--name", "P9", "--role", "GP"),
        ("schema", "--write", str(tmp_path)),
    ):
        result = run_cli(*args)
        assert result.exit_code == 1, result
        assert "Permission denied" in result.stderr
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
