"""Board-paper charts: what each draws, when it cannot, same bytes twice, hostile names."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import appraise
from appraise.analysis.problem import Problem
from appraise.analysis.score import value_for_money
from appraise.analysis.sensitivity import SensitivityResult, WeightSwitch, analyse
from appraise.errors import RequestError
from appraise.paper import charts as charts_module
from appraise.paper.charts import (
    CHARTS,
    TORNADO_BARS,
    Chart,
    ChartUnavailable,
    build_chart,
    difference_profile,
    render_chart,
)
from appraise.paper.numbers import DERIVED_WEIGHT, POINTS, PROBABILITY, format_number
from appraise.paper.wording import BANNER
from conftest import REPO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def problem() -> Problem:
    return appraise.problem(REPO)


@pytest.fixture(scope="module")
def example() -> SensitivityResult:
    return appraise.sensitivity(REPO, samples=10_000, seed=7)


@pytest.fixture(scope="module")
def charts(example: SensitivityResult) -> dict[str, Chart]:
    return {key: build_chart(example, key) for key in CHARTS}


def _by_gid(chart: Chart, prefix: str, kind: type) -> list:
    return [
        a
        for a in chart.figure.findobj(kind)
        if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)
    ]


def _ranked(sens: SensitivityResult) -> list[int]:
    return [i for i in sens.base.order if sens.base.ranks[i] > 0]


def _texts(chart: Chart) -> list[str]:
    return [t.get_text() for t in chart.figure.findobj(Text)]


@pytest.mark.parametrize("key", CHARTS)
def test_every_chart_builds_with_title_and_alt_text(
    charts: dict[str, Chart], example: SensitivityResult, key: str
) -> None:
    chart = charts[key]
    assert chart.key == key
    assert chart.title
    assert chart.alt.endswith(".")
    assert 1 <= chart.alt.count(". ") + 1 <= 3, chart.alt
    assert "the decision" not in chart.alt.lower()
    assert example.leader is not None
    assert example.problem.option_names[example.leader] in chart.alt
    assert 6.5 <= chart.figure.get_figwidth() <= 7.0
    assert BANNER in [" ".join(t.split()) for t in _texts(chart)]


def test_contributions_has_one_segment_per_ranked_option_and_group(
    charts: dict[str, Chart], example: SensitivityResult
) -> None:
    chart, base, p = charts["contributions"], example.base, example.problem
    segments = _by_gid(chart, "appraise-segment-", Rectangle)
    ranked = _ranked(example)
    assert len(segments) == len(ranked) * len(p.groups) == 14
    for patch in segments:
        k, i = (int(x) for x in patch.get_gid().removeprefix("appraise-segment-").split("-"))
        assert patch.get_width() == pytest.approx(base.subtotals[i, k])
    ax = chart.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ticks = ax.get_yticks()
    top_first = [label for _, label in sorted(zip(ticks, labels, strict=True))]
    assert top_first[0] == p.option_names[example.leader]  # inverted axis: leader at top
    assert ax.yaxis_inverted()
    totals = {format_number(base.totals[i], POINTS) for i in ranked}
    assert totals <= set(_texts(chart))


def _nearest_switch(sens: SensitivityResult) -> WeightSwitch:
    best, found = math.inf, None
    for ws in sens.weight_switches:
        if ws.kind != "criterion":
            continue
        for end in (ws.below, ws.above):
            if end is not None and abs(end[0] - ws.weight) / ws.whole < best:
                best, found = abs(end[0] - ws.weight) / ws.whole, ws
    assert found is not None
    return found


def test_oneway_picks_the_nearest_leader_change_and_draws_one_line_per_option(
    charts: dict[str, Chart], example: SensitivityResult
) -> None:
    chart = charts["oneway"]
    ws = _nearest_switch(example)
    assert ws.id == "INNOV"
    assert chart.title == f"Totals as the weight on {ws.name} varies"
    lines = _by_gid(chart, "appraise-line-", Line2D)
    assert sorted(int(ln.get_gid().rsplit("-", 1)[1]) for ln in lines) == sorted(_ranked(example))
    for line in lines:
        i = int(line.get_gid().rsplit("-", 1)[1])
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        assert x[0] == 0
        assert x[-1] == pytest.approx(ws.whole)
        assert np.allclose(np.diff(y, 2), 0, atol=1e-9)  # straight
        assert np.interp(ws.weight, x, y) == pytest.approx(example.base.totals[i])
    markers = _by_gid(chart, "appraise-switch-", Line2D)
    assert len(markers) == len(ws.segments) - 1 == 1
    assert ws.above is not None
    assert markers[0].get_xdata()[0] == pytest.approx(ws.above[0])
    (now,) = _by_gid(chart, "appraise-now", Line2D)
    assert now.get_xdata()[0] == pytest.approx(ws.weight)
    assert format_number(ws.above[0], DERIVED_WEIGHT) in chart.alt
    assert format_number(ws.above[0], DERIVED_WEIGHT) in _texts(chart)


@pytest.mark.parametrize("ident", ["VFM", "enable"])
def test_oneway_for_a_named_criterion_or_group(example: SensitivityResult, ident: str) -> None:
    chart = build_chart(example, "oneway", criterion=ident)
    ws = next(w for w in example.weight_switches if w.id == ident)
    assert ws.name in chart.title
    markers = _by_gid(chart, "appraise-switch-", Line2D)
    assert len(markers) == len(ws.segments) - 1
    xs = sorted(float(m.get_xdata()[0]) for m in markers)
    assert xs == pytest.approx([s.end for s in ws.segments[:-1]])
    # at each switching point the new leader's line meets the old one's
    for m, (before, after) in zip(markers, itertools.pairwise(ws.segments), strict=True):
        x, y = float(m.get_xdata()[0]), float(m.get_ydata()[0])
        for who in (before.leader, after.leader):
            (line,) = _by_gid(chart, f"appraise-line-{who}", Line2D)
            assert np.interp(x, line.get_xdata(), line.get_ydata()) == pytest.approx(y)


def test_oneway_unknown_criterion_names_the_valid_ids(example: SensitivityResult) -> None:
    with pytest.raises(ChartUnavailable, match="no criterion 'NOPE'") as err:
        build_chart(example, "oneway", criterion="NOPE")
    assert "VFM" in str(err.value)
    assert "\n" not in str(err.value)


def test_tornado_shows_the_widest_swings_biggest_at_top(
    charts: dict[str, Chart], example: SensitivityResult
) -> None:
    chart = charts["tornado"]
    bars = _by_gid(chart, "appraise-bar-", Rectangle)
    assert len(example.tornado) > TORNADO_BARS  # the example has more factors than fit
    assert len(bars) == TORNADO_BARS
    assert f"the {TORNADO_BARS} of {len(example.tornado)} factors" in chart.alt
    ordered = sorted(example.tornado, key=lambda b: -b.swing)
    for patch in bars:
        b = ordered[int(patch.get_gid().rsplit("-", 1)[1])]
        assert patch.get_x() == pytest.approx(b.low)
        assert patch.get_x() + patch.get_width() == pytest.approx(b.high)
    assert chart.figure.axes[0].yaxis_inverted()  # smallest y at the top
    top = min(bars, key=lambda r: r.get_y())
    assert top.get_gid() == "appraise-bar-0"
    assert top.get_width() == pytest.approx(max(b.swing for b in example.tornado))
    (zero,) = _by_gid(chart, "appraise-zero", Line2D)
    (margin,) = _by_gid(chart, "appraise-margin", Line2D)
    assert zero.get_xdata()[0] == 0
    assert margin.get_xdata()[0] == pytest.approx(example.margin)


def test_acceptability_heat_map_is_the_smaa_matrix_in_rank_order(
    charts: dict[str, Chart], example: SensitivityResult
) -> None:
    mc = example.monte_carlo
    assert mc is not None
    (image,) = _by_gid(charts["acceptability"], "appraise-acceptability", AxesImage)
    data = np.asarray(image.get_array())
    m = len(mc.options)
    assert data.shape == (m, m)
    rows = [mc.options.index(i) for i in example.base.order if i in mc.options]
    assert np.array_equal(data, mc.result.acceptability[rows])
    shown = format_number(mc.result.acceptability[rows[0], 0], PROBABILITY)
    assert shown in _texts(charts["acceptability"])
    assert image.cmap.name == "cividis"
    assert len(charts["acceptability"].figure.axes) == 2  # the heat map and its colour bar


def test_frontier_has_a_point_per_costed_option_and_a_line_through_the_frontier(
    charts: dict[str, Chart], example: SensitivityResult
) -> None:
    chart, p = charts["frontier"], example.problem
    vfm = value_for_money(example.base)
    assert vfm is not None
    points = _by_gid(chart, "appraise-point-", Line2D)
    costed = [i for i in range(len(p.option_ids)) if np.isfinite(p.costs[i])]
    assert sorted(int(pt.get_gid().rsplit("-", 1)[1]) for pt in points) == costed
    on = [i for i in costed if vfm.label(i) == "frontier"]
    on.sort(key=lambda i: vfm.costs[i])
    (line,) = _by_gid(chart, "appraise-frontier", Line2D)
    assert list(line.get_xdata()) == pytest.approx(list(vfm.costs[on]))
    assert list(line.get_ydata()) == pytest.approx(list(vfm.benefits[on]))
    markers = {int(pt.get_gid().rsplit("-", 1)[1]): pt.get_marker() for pt in points}
    dominated = [i for i in costed if vfm.label(i) == "dominated"]
    assert dominated
    assert {markers[i] for i in dominated}.isdisjoint({markers[i] for i in on})
    assert set(p.option_ids) <= set(_texts(chart))


def test_difference_profile_adds_to_the_margin_and_matches_weights_times_points(
    example: SensitivityResult,
) -> None:
    base, p = example.base, example.problem
    a, b = example.leader, example.runner_up
    assert a is not None
    assert b is not None
    profile = difference_profile(base, a, b)
    assert sorted(k for k, _ in profile) == list(range(len(p.criterion_ids)))
    assert math.fsum(d for _, d in profile) == pytest.approx(example.margin, abs=1e-9)
    diffs = [d for _, d in profile]
    assert all(x >= y for x, y in itertools.pairwise(diffs))  # largest advantage first
    points = p.points(base.scores)
    by_id = dict(profile)
    for ident in ("ACC", "INNOV"):
        k = p.criterion_ids.index(ident)
        hand = base.weights[k] * (points[a, k] - points[b, k])
        assert by_id[k] == pytest.approx(hand, abs=1e-9)
    assert by_id[p.criterion_ids.index("ACC")] > 0 > by_id[p.criterion_ids.index("INNOV")]


def test_difference_chart_draws_the_profile_with_the_net_margin(
    charts: dict[str, Chart], example: SensitivityResult
) -> None:
    chart, base, p = charts["difference"], example.base, example.problem
    a, b = example.leader, example.runner_up
    assert a is not None
    assert b is not None
    assert chart.title == f"Why {p.option_names[a]} leads {p.option_names[b]}"
    assert 2.6 <= chart.figure.get_figheight() <= 3.2
    profile = difference_profile(base, a, b)
    bars = _by_gid(chart, "appraise-diff-", Rectangle)
    assert len(bars) == len(profile)
    top_down = sorted(bars, key=lambda r: r.get_y())  # inverted axis: smallest y on top
    assert [int(r.get_gid().rsplit("-", 1)[1]) for r in top_down] == [k for k, _ in profile]
    for patch, (_, d) in zip(top_down, profile, strict=True):
        assert patch.get_x() + patch.get_width() == pytest.approx(d, abs=1e-9)
    assert math.fsum(r.get_width() for r in bars) == pytest.approx(example.margin, abs=1e-9)
    (net,) = _by_gid(chart, "appraise-net", Rectangle)
    assert net.get_width() == pytest.approx(example.margin)
    assert net.get_y() > max(r.get_y() for r in bars)  # the net bar comes last
    (zero,) = _by_gid(chart, "appraise-zero", Line2D)
    assert zero.get_xdata()[0] == 0
    ahead = {r.get_facecolor() for r in bars if r.get_width() > 0}
    behind = {r.get_facecolor() for r in bars if r.get_width() < 0}
    assert len(ahead) == len(behind) == 1
    assert ahead != behind
    assert {r.get_hatch() for r in bars if r.get_width() > 0} != {
        r.get_hatch() for r in bars if r.get_width() < 0
    }
    texts = _texts(chart)
    margin = format_number(example.margin, POINTS)
    assert f"+{margin}" in texts
    assert f"Net: {p.option_ids[a]} leads by {margin} points" in texts
    best, worst = profile[0], profile[-1]
    assert f"+{format_number(best[1], POINTS)}" in texts
    assert format_number(worst[1], POINTS) in texts
    assert f"Weighted points: ← favours {p.option_ids[b]} · favours {p.option_ids[a]} →" in texts
    ticks = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert ticks[0] == p.criterion_names[best[0]]
    assert ticks[-1] == "Net margin"
    # alt text: the biggest advantages and disadvantages in words, and the net margin
    name = p.criterion_names
    assert f"{name[best[0]]} (+{format_number(best[1], POINTS)})" in chart.alt
    assert f"{name[worst[0]]} ({format_number(worst[1], POINTS)})" in chart.alt
    assert f"{p.option_ids[b]} gains most on {name[worst[0]]}" in chart.alt
    assert chart.alt.endswith(f"Net: {p.option_names[a]} leads by {margin} points.")


def test_difference_chart_sums_the_smallest_criteria_when_there_are_many(
    example: SensitivityResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts_module, "DIFFERENCE_BARS", 5)
    chart = build_chart(example, "difference")
    bars = _by_gid(chart, "appraise-diff-", Rectangle)
    assert len(bars) == 5
    (other,) = _by_gid(chart, "appraise-diff-other", Rectangle)
    assert other.get_y() == max(r.get_y() for r in bars)
    assert math.fsum(r.get_width() for r in bars) == pytest.approx(example.margin, abs=1e-9)
    assert "Other 7 criteria" in [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]


def test_difference_chart_for_a_tie(problem: Problem) -> None:
    a, b = problem.option_ids.index("CFT"), problem.option_ids.index("SE")
    scores, moderated = problem.scores.copy(), problem.moderated.copy()
    scores[:, b], moderated[b] = scores[:, a], moderated[a]
    sens = analyse(replace(problem, scores=scores, moderated=moderated), samples=0)
    assert sorted(sens.base.leaders) == [a, b]
    chart = build_chart(sens, "difference")
    assert chart.title.startswith("Where ")
    assert "Net: CFT and SE tie" in _texts(chart)
    assert "they tie" in chart.alt
    assert all(
        r.get_width() == pytest.approx(0.0, abs=1e-9)
        for r in _by_gid(chart, "appraise-diff-", Rectangle)
    )


def test_difference_chart_needs_a_runner_up(problem: Problem, example: SensitivityResult) -> None:
    hurdles = problem.hurdle_results.copy()
    hurdles[:] = "fail"
    hurdles[problem.option_ids.index("CFT")] = "pass"  # one option ranked
    alone = analyse(replace(problem, hurdle_results=hurdles), samples=0)
    assert alone.leader is not None
    assert alone.runner_up is None
    with pytest.raises(ChartUnavailable, match="needs a leader and a runner-up") as err:
        build_chart(alone, "difference")
    assert "\n" not in str(err.value)
    for sens in (replace(example, runner_up=None), replace(example, leader=None)):
        with pytest.raises(ChartUnavailable, match="no runner-up"):
            build_chart(sens, "difference")


@pytest.mark.parametrize("method", ["topsis", "promethee"])
def test_difference_chart_needs_the_weighted_sum(example: SensitivityResult, method: str) -> None:
    other = replace(example, base=appraise.score(REPO, method=method))  # type: ignore[arg-type]
    with pytest.raises(ChartUnavailable, match="the difference chart needs the weighted sum"):
        build_chart(other, "difference")
    assert example.leader is not None
    assert example.runner_up is not None
    with pytest.raises(ChartUnavailable, match="needs the weighted sum"):
        difference_profile(other.base, example.leader, example.runner_up)


@pytest.mark.parametrize(
    "kwargs", [{"samples": 0}, {"sections": ("weights", "scores", "costs")}], ids=str
)
def test_acceptability_needs_a_monte_carlo_run(kwargs: dict) -> None:
    sens = appraise.sensitivity(REPO, **kwargs)
    assert sens.monte_carlo is None
    with pytest.raises(ChartUnavailable, match="no Monte Carlo"):
        build_chart(sens, "acceptability")
    build_chart(sens, "contributions")


@pytest.mark.parametrize("method", ["topsis", "promethee"])
@pytest.mark.parametrize("key", ["contributions", "frontier"])
def test_weighted_sum_charts_refuse_other_methods(
    example: SensitivityResult, method: str, key: str
) -> None:
    other = replace(example, base=appraise.score(REPO, method=method))  # type: ignore[arg-type]
    with pytest.raises(ChartUnavailable, match="needs the weighted sum"):
        build_chart(other, key)


def test_frontier_needs_costs(problem: Problem) -> None:
    none = replace(problem, costs=np.full(len(problem.option_ids), np.nan))
    with pytest.raises(ChartUnavailable, match=r"^no costs: the frontier chart"):
        build_chart(analyse(none, samples=0), "frontier")
    some = problem.costs.copy()
    some[problem.option_ids.index("SE")] = np.nan
    with pytest.raises(ChartUnavailable, match="no cost for SE"):
        build_chart(analyse(replace(problem, costs=some), samples=0), "frontier")


def test_unknown_chart_and_format(charts: dict[str, Chart], example: SensitivityResult) -> None:
    with pytest.raises(RequestError, match="no chart 'pie'"):
        build_chart(example, "pie")
    with pytest.raises(RequestError, match="no chart format 'pdf'"):
        render_chart(charts["frontier"], "pdf")


@pytest.mark.parametrize("key", CHARTS)
def test_render_gives_the_same_bytes_twice(
    charts: dict[str, Chart], example: SensitivityResult, key: str
) -> None:
    png = render_chart(charts[key], "png")
    assert png.startswith(PNG_SIGNATURE)
    assert render_chart(charts[key], "png") == png
    assert render_chart(build_chart(example, key), "png") == png
    svg = render_chart(charts[key], "svg")
    assert render_chart(build_chart(example, key), "svg") == svg
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"<dc:date>" not in svg


HOSTILE = [
    r"$\frac{a}{b}$ and $\notacommand{x$",
    "<script>alert('x')</script> & --> <!--",
    "Emoji 🏥🚑👩‍⚕️ option",
    "خيار المستشفى المجتمعي",
    "אפשרות בית חולים",
    "W" * 200,
    "back\\slash_under^caret%percent{brace}",
    "   \n\ttabs and\nnewlines   ",
]


@pytest.fixture(scope="module")
def hostile(problem: Problem) -> SensitivityResult:
    n = len(problem.option_ids)
    names = [HOSTILE[k % len(HOSTILE)] for k in range(n)]
    nodes = [f"{HOSTILE[k % len(HOSTILE)]} {k}" for k in range(len(problem.node_names))]
    crit = [nodes[int(i)] for i in problem.leaves]
    p = replace(
        problem,
        option_names=names,
        node_names=nodes,
        criterion_names=crit,
        cost_unit="$k \\x",
    )
    return analyse(p, samples=2_000, seed=3)


@pytest.mark.parametrize("key", CHARTS)
def test_hostile_names_still_build_and_render(hostile: SensitivityResult, key: str) -> None:
    chart = build_chart(hostile, key)
    png = render_chart(chart, "png")
    assert png.startswith(PNG_SIGNATURE)
    ET.fromstring(render_chart(chart, "svg"))
    texts = _texts(chart)
    assert all(len(line) <= 100 for t in texts for line in t.split("\n")), texts
    assert not any(t.get_parse_math() for t in chart.figure.findobj(Text))


def test_long_names_are_wrapped_and_cut(hostile: SensitivityResult) -> None:
    chart = build_chart(hostile, "contributions")
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    long = next(label for label in labels if label.startswith("WWW"))
    assert long.count("\n") == 1
    assert long.endswith("…")
    assert all(len(line) <= 30 for label in labels for line in label.split("\n"))


def test_no_illustrative_mark_on_real_data(problem: Problem) -> None:
    sens = analyse(replace(problem, illustrative=False), samples=0, sections=("weights",))
    chart = build_chart(sens, "oneway")
    assert not any("ILLUSTRATIVE" in t for t in _texts(chart))


def test_importing_charts_does_not_import_matplotlib() -> None:
    src = Path(appraise.__file__).parents[1]
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import appraise.paper.charts, sys; print('matplotlib' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src)},
    )
    assert out.stdout.strip() == "False"
