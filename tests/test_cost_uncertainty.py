"""Costs under uncertainty: the frontier over many samples, best value over the baseline,
cost switching values (cost and optimism-bias uplift), and Monte Carlo cost draws."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import appraise
from appraise.analysis.sensitivity import SensitivityResult
from appraise.engine.cost_draws import COST_BINS, CostDraws, CostTerms
from appraise.engine.smaa import CHUNK, COST_STREAM, _weights_by_criterion, chunk_size, smaa
from appraise.engine.vfm import (
    FRONTIER,
    best_value,
    best_value_shares,
    efficient_frontier,
    frontier_samples,
    incremental_ratios,
)
from conftest import REPO

EPS = 1e-6


@pytest.fixture(scope="module")
def example() -> SensitivityResult:
    return appraise.sensitivity(REPO, samples=20_000, seed=7)


@pytest.mark.parametrize("ties", [False, True])
def test_frontier_over_samples_is_the_frontier_of_each_sample(ties: bool) -> None:
    """The batched walk against :func:`efficient_frontier` one sample at a time, with
    continuous costs and with small integers (twins, equal costs, collinear points)."""
    rng = np.random.default_rng(3 if ties else 4)
    for m in range(1, 9):
        size = 400
        if ties:
            costs = rng.integers(0, 5, (m, size)).astype(float)
            benefits = rng.integers(0, 5, (m, size)).astype(float)
        else:
            costs = rng.uniform(0, 10, (m, size))
            benefits = rng.uniform(0, 10, (m, size))
        include = rng.random(m) < 0.8
        fast = frontier_samples(costs, benefits, include)
        for s in range(size):
            status, _ = efficient_frontier(costs[:, s], benefits[:, s], include)
            assert fast[:, s].tolist() == (status == FRONTIER).tolist(), (m, s)


def test_an_option_without_a_cost_is_never_on_the_frontier() -> None:
    costs = np.array([[1.0, 2.0], [np.nan, np.nan], [3.0, 0.5]])
    benefits = np.array([[1.0, 1.0], [9.0, 9.0], [2.0, 2.0]])
    on = frontier_samples(costs, benefits)
    assert on.tolist() == [[True, False], [False, False], [True, True]]


def test_best_value_is_the_lowest_cost_per_extra_point_over_the_baseline() -> None:
    # baseline B costs 0 with 10 points. A: +100 for +20 points (5 a point); C: +60 for
    # +10 (6); D adds nothing (10 points); E: -10 for +1 (saves money and adds benefit:
    # lowest of all). Without E, A is best value.
    costs = np.array([100.0, 0.0, 60.0, 5.0, -10.0])
    benefits = np.array([30.0, 10.0, 20.0, 10.0, 11.0])
    r = incremental_ratios(costs, benefits, 1)
    assert r[[0, 2, 4]] == pytest.approx([5.0, 6.0, -10.0])
    assert np.isnan(r[[1, 3]]).all()
    assert best_value(costs, benefits, 1).tolist() == [False, False, False, False, True]
    keep = np.array([True, True, True, True, False])
    assert best_value(costs, benefits, 1, keep).tolist() == [True, False, False, False, False]
    # two options tied at the lowest ratio share it; samples along a trailing axis
    tied = incremental_ratios(np.array([[10.0], [0.0], [20.0]]), np.array([[2.0], [1], [3]]), 1)
    assert best_value_shares(tied)[:, 0].tolist() == [0.5, 0.0, 0.5]


def test_every_best_value_threshold_flips_best_value(example: SensitivityResult) -> None:
    """Each option's cost set just below and just above its best-value threshold, the
    deterministic classification rerun: best value below, not above."""
    p = example.problem
    benefits = example.base.totals
    include = example.base.eligible
    scale = float(np.nanmax(np.abs(p.costs)))
    checked = 0
    for c in example.cost_switches:
        if not np.isfinite(c.best_value_at):
            continue
        below, above = p.costs.copy(), p.costs.copy()
        below[c.option] = c.best_value_at - EPS * scale
        above[c.option] = c.best_value_at + EPS * scale
        assert best_value(below, benefits, p.baseline, include)[c.option]
        assert not best_value(above, benefits, p.baseline, include)[c.option]
        assert c.best_value == (c.cost < c.best_value_at)
        checked += 1
    assert checked == 6  # every ranked option but the baseline


def test_best_value_on_the_example_by_hand(example: SensitivityResult) -> None:
    # Costs are of change over BAU (0), so the ratio is cost / extra points:
    #   CHT 1429.36 / 129.6 = 11.03, CT 1807.10 / 143.55 = 12.59, SE 2141.63 / 164.55
    #   = 13.02: CHT is best value, and stays so below 129.6 x 12.589 = 1631.5, where it
    #   ties with CT; SE would need 164.55 x 11.029 = 1814.9.
    p = example.problem
    by_id = {p.option_ids[c.option]: c for c in example.cost_switches}
    assert [k for k, c in by_id.items() if c.best_value] == ["CHT"]
    ct = 1807.0965 / (590.8 - 447.25)
    cht = 1429.3635 / (576.85 - 447.25)
    assert by_id["CHT"].best_value_at == pytest.approx((576.85 - 447.25) * ct, rel=1e-6)
    assert by_id["SE"].best_value_at == pytest.approx((611.8 - 447.25) * cht, rel=1e-6)
    assert np.isnan(by_id["BAU"].best_value_at)


# A small case for the Monte Carlo: five options, three criteria, two cost lines and a
# risk each. Option 0 is the baseline at a fixed cost of 0; option 4 has no cost.
POINTS = np.array(
    [[4.0, 5.0, 3.0], [7.0, 6.0, 5.0], [6.0, 8.0, 6.0], [8.0, 5.0, 7.0], [9.0, 9.0, 9.0]]
)
WEIGHTS = np.array([0.5, 0.3, 0.2])


def _terms() -> CostTerms:
    nan = np.nan
    return CostTerms(
        pv=np.array([[0.0, 0.0], [900.0, 400.0], [700.0, 600.0], [1000.0, 350.0], [nan, nan]]),
        uplift=np.array([[0.0, 0.0], [0.2, 0.0], [0.3, 0.1], [0.15, 0.0], [0.0, 0.0]]),
        low=np.array([[1.0, 1.0], [0.9, 0.8], [0.85, 1.0], [0.9, 0.9], [1.0, 1.0]]),
        high=np.array([[1.0, 1.0], [1.4, 1.2], [1.5, 1.0], [1.3, 1.25], [1.0, 1.0]]),
        uplift_low=np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.1], [0.0, 0.0], [0.0, 0.0]]),
        uplift_high=np.array([[0.0, 0.0], [0.41, 0.0], [0.41, 0.1], [0.3, 0.0], [0.0, 0.0]]),
        risk_pv=np.array([[0.0], [300.0], [250.0], [500.0], [0.0]]),
        risk_p=np.array([[0.0], [0.3], [1.0], [0.2], [0.0]]),
    )


def _brute_force(
    weight_model: str, samples: int, seed: int, terms: CostTerms
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(frontier), P(best value) and every sample's costs, one sample at a time from
    the definitions, on the same random numbers as :func:`smaa` (the chunks' streams:
    weights from ``spawn_key=(k,)``, costs from ``spawn_key=(k, COST_STREAM)``)."""
    m, n = POINTS.shape
    chunk = chunk_size(m, n)
    draws = CostDraws.build(terms)
    on = np.zeros(m)
    best = np.zeros(m)
    every = []
    for k in range(-(-samples // chunk)):
        size = min(chunk, samples - k * chunk)
        g = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(k,))))
        w = _weights_by_criterion(g, size, weight_model, WEIGHTS, 20.0, np.zeros(n))
        with threadpool_limits(limits=1, user_api="blas"):
            totals = (POINTS @ w) * 100.0  # as smaa computes them, scores fixed
        key = np.random.SeedSequence(seed, spawn_key=(k, COST_STREAM))
        f, u, occurs = draws.parts(np.random.Generator(np.random.PCG64(key)), size)
        for s in range(size):
            cost = np.full(m, np.nan)
            for i in range(m):
                if not np.isfinite(terms.pv[i]).all():
                    continue
                lines = sum(
                    terms.pv[i, j] * f[i, j, s] * (1.0 + u[i, j, s])
                    for j in range(terms.pv.shape[1])
                )
                risks = sum(
                    terms.risk_pv[i, r] * occurs[i, r, s] for r in range(terms.risk_pv.shape[1])
                )
                cost[i] = lines + risks
            every.append(cost)
            benefit = totals[:, s]
            status, _ = efficient_frontier(cost, benefit)
            on += status == FRONTIER
            # best value: lowest (cost - cost_0) / (benefit - benefit_0) among the
            # others with a cost that add benefit; ties share
            ratios = {
                i: (cost[i] - cost[0]) / (benefit[i] - benefit[0])
                for i in range(1, m)
                if np.isfinite(cost[i]) and benefit[i] > benefit[0]
            }
            if ratios:
                low = min(ratios.values())
                winners = [i for i, r in ratios.items() if r == low]
                for i in winners:
                    best[i] += 1 / len(winners)
    return on / samples, best / samples, np.array(every)


@pytest.mark.parametrize("weight_model", ["fixed", "dirichlet"])
def test_cost_draws_match_a_per_sample_loop_on_the_same_draws(weight_model: str) -> None:
    samples, seed = CHUNK + 300, 5
    terms = _terms()
    fast = smaa(
        POINTS,
        WEIGHTS,
        samples=samples,
        seed=seed,
        weight_model=weight_model,  # type: ignore[arg-type]
        concentration=20.0,
        scale=100.0,
        total_range=(0.0, 1000.0),
        costs=terms,
        baseline=0,
        threads=1,
    )
    c = fast.costs
    assert c is not None
    assert c.drawn
    on, best, every = _brute_force(weight_model, samples, seed, terms)
    assert c.frontier[:4] == pytest.approx(on[:4], abs=1e-12)
    assert np.isnan(c.frontier[4])  # no cost: no part in the frontier
    assert c.best_value[1:4] == pytest.approx(best[1:4], abs=1e-12)
    assert np.isnan(c.best_value[[0, 4]]).all()
    assert c.no_best_value == pytest.approx(1 - best.sum(), abs=1e-12)
    assert 0.05 < on[1] < 0.95  # the case is not trivial
    assert 0.05 < best[1] < 0.95
    assert c.mean_costs[:4] == pytest.approx(every[:, :4].mean(axis=0), rel=1e-12)
    # intervals: to within a bin (and the spacing of the samples there)
    width = (c.cost_high - c.cost_low)[:4] / COST_BINS
    q = c.cost_quantiles()
    exact = np.quantile(every[:, :4], [0.05, 0.5, 0.95], axis=0).T
    assert np.abs(q[:4] - exact).max(axis=1) == pytest.approx(np.zeros(4), abs=2 * width.max())
    assert q[0].tolist() == [0.0, 0.0, 0.0]  # the baseline's cost is fixed
    assert np.isnan(q[4]).all()
    totals = (POINTS @ WEIGHTS) * 100.0
    if weight_model == "fixed":
        per_point = np.quantile(every[:, 1:4] / totals[1:4], [0.05, 0.5, 0.95], axis=0).T
        pp_width = (c.per_point_high - c.per_point_low)[1:4] / COST_BINS
        assert c.per_point_quantiles()[1:4] == pytest.approx(per_point, abs=2 * pp_width.max())


def test_the_draws_follow_their_distributions() -> None:
    """Amount factors and uplifts are triangular (mean (a + c + b) / 3, inside [a, b]);
    a risk happens with its probability; fixed terms stay at their value."""
    terms = _terms()
    f, u, occurs = CostDraws.build(terms).parts(np.random.default_rng(1), 200_000)
    assert f[1, 0].min() >= 0.9
    assert f[1, 0].max() <= 1.4
    assert f[1, 0].mean() == pytest.approx((0.9 + 1.0 + 1.4) / 3, abs=2e-3)
    assert u[2, 0].mean() == pytest.approx((0.0 + 0.3 + 0.41) / 3, abs=2e-3)
    assert (u[2, 1] == 0.1).all()  # a fixed uplift
    assert (f[2, 1] == 1.0).all()  # a fixed amount
    assert occurs[1, 0].mean() == pytest.approx(0.3, abs=3e-3)
    assert (occurs[2, 0] == 1).all()  # probability 1: a stated sum, always
    assert (occurs[0, 0] == 0).all()


def test_costs_leave_every_other_monte_carlo_figure_unchanged() -> None:
    """Costs come from streams of their own: with or without them (drawn or fixed),
    ranks, central weights, confidence and histograms are the same to the bit."""
    kw = {
        "samples": 2 * CHUNK + 7,
        "seed": 3,
        "weight_model": "dirichlet",
        "low": POINTS - 1,
        "high": POINTS + 1,
        "scale": 100.0,
        "total_range": (0.0, 1000.0),
    }
    plain = smaa(POINTS, WEIGHTS, **kw)  # type: ignore[arg-type]
    drawn = smaa(POINTS, WEIGHTS, costs=_terms(), baseline=0, **kw)  # type: ignore[arg-type]
    fixed = smaa(POINTS, WEIGHTS, costs=_fixed(_terms()), baseline=0, **kw)  # type: ignore[arg-type]
    for other in (drawn, fixed):
        for name in ("acceptability", "central_weights", "confidence", "mean_totals"):
            assert np.array_equal(getattr(plain, name), getattr(other, name), equal_nan=True)
        assert np.array_equal(plain.total_histogram, other.total_histogram)
        assert np.array_equal(plain.margin_histogram, other.margin_histogram)
    assert plain.costs is None
    assert fixed.costs is not None
    assert not fixed.costs.drawn


def _fixed(terms: CostTerms) -> CostTerms:
    """The same costs with nothing drawn: ranges closed on the modes, each risk a stated
    sum of its expected value."""
    return CostTerms(
        pv=terms.pv,
        uplift=terms.uplift,
        low=np.ones_like(terms.low),
        high=np.ones_like(terms.high),
        uplift_low=terms.uplift,
        uplift_high=terms.uplift,
        risk_pv=terms.risk_p * terms.risk_pv,
        risk_p=np.where(terms.risk_p > 0, 1.0, 0.0),
    )


def test_cost_results_do_not_depend_on_threads_and_repeat_for_a_seed() -> None:
    kw = {
        "samples": 3 * CHUNK + 11,
        "weight_model": "dirichlet",
        "low": POINTS - 1,
        "high": POINTS + 1,
        "scale": 100.0,
        "total_range": (0.0, 1000.0),
        "costs": _terms(),
        "baseline": 0,
    }
    one = smaa(POINTS, WEIGHTS, seed=11, threads=1, **kw).costs  # type: ignore[arg-type]
    two = smaa(POINTS, WEIGHTS, seed=11, threads=2, **kw).costs  # type: ignore[arg-type]
    again = smaa(POINTS, WEIGHTS, seed=11, threads=2, **kw).costs  # type: ignore[arg-type]
    other = smaa(POINTS, WEIGHTS, seed=12, threads=2, **kw).costs  # type: ignore[arg-type]
    assert one is not None
    assert two is not None
    assert again is not None
    assert other is not None
    for name in ("frontier", "best_value", "mean_costs", "cost_histogram", "per_point_histogram"):
        assert np.array_equal(getattr(one, name), getattr(two, name), equal_nan=True), name
        assert np.array_equal(getattr(two, name), getattr(again, name), equal_nan=True), name
    assert not np.array_equal(one.cost_histogram, other.cost_histogram)


def test_with_nothing_drawn_the_chances_are_the_deterministic_answer() -> None:
    """Costs, weights and scores all fixed: P(frontier) and P(best value) are 1 for the
    options the value-for-money table puts on the frontier and finds best value, 0 for
    the others, and the intervals close on the cost and the cost per point."""
    from dataclasses import replace

    from appraise.analysis.problem import CostArrays, build_problem
    from appraise.analysis.score import value_for_money
    from appraise.analysis.sensitivity import analyse

    p = build_problem(appraise.load(REPO))
    t = p.cost_terms
    assert t is not None
    assert t.uncertain
    fixed = CostArrays(
        pv=t.pv,
        uplift=t.uplift,
        low=np.ones_like(t.low),
        high=np.ones_like(t.high),
        uplift_low=t.uplift,
        uplift_high=t.uplift,
        risk_pv=t.risk_p * t.risk_pv,
        risk_p=np.where(t.risk_p > 0, 1.0, 0.0),
    )
    assert not fixed.uncertain
    assert fixed.npc() == pytest.approx(p.costs)
    sens = analyse(
        replace(p, cost_terms=fixed),
        samples=500,
        weight_model="fixed",
        score_model="fixed",
        sections=("montecarlo", "costs"),
    )
    mc = sens.monte_carlo
    assert mc is not None
    assert mc.result.costs is not None
    c = mc.result.costs
    assert not c.drawn
    vfm = value_for_money(sens.base)
    assert vfm is not None
    on = [vfm.label(i) == "frontier" for i in mc.options]
    assert c.frontier.tolist() == [1.0 if x else 0.0 for x in on]
    assert 0 < sum(on) < len(on)
    best = best_value(p.costs, sens.base.totals, p.baseline, sens.base.eligible)
    expected = [np.nan if i == p.baseline else float(best[i]) for i in mc.options]
    assert c.best_value.tolist() == pytest.approx(expected, nan_ok=True)
    assert sum(best) == 1
    q = c.cost_quantiles()
    for k, i in enumerate(mc.options):
        assert q[k] == pytest.approx([p.costs[i]] * 3, rel=1e-6, abs=1e-6)
        per_point = p.costs[i] / sens.base.totals[i]
        assert c.per_point_quantiles()[k] == pytest.approx([per_point] * 3, rel=1e-6, abs=1e-9)


def _costs_at_uplift(example: SensitivityResult, option: int, value: float) -> np.ndarray:
    """Every option's cost with ``option``'s uplifted lines at ``value`` (an uplift when
    they share one, else points added to each), worked out from the cost terms."""
    from dataclasses import replace

    p = example.problem
    t = p.cost_terms
    assert t is not None
    sw = next(c.uplift for c in example.cost_switches if c.option == option)
    assert sw is not None
    carries = (t.pv[option] != 0) & (t.uplift_high[option] > 0)
    uplift = t.uplift.copy()
    uplift[option, carries] = value if sw.shared else uplift[option, carries] + value
    return replace(t, uplift=uplift).npc()


def test_every_uplift_switch_flips_the_frontier_or_best_value(example: SensitivityResult) -> None:
    """Each option's uplift set just either side of its switching values, its cost
    worked out again from its lines, and the deterministic classification rerun: the
    status flips there (infeasible values too: the arithmetic holds below 0%)."""
    p = example.problem
    benefits = example.base.totals
    include = example.base.eligible
    checked = 0
    for c in example.cost_switches:
        u = c.uplift
        if u is None:
            assert p.option_ids[c.option] == "BAU"
            continue
        if np.isfinite(u.frontier_at):
            sides = [
                efficient_frontier(_costs_at_uplift(example, c.option, x), benefits, include)[0]
                for x in (u.frontier_at - EPS, u.frontier_at + EPS)
            ]
            assert sides[0][c.option] == FRONTIER
            assert sides[1][c.option] != FRONTIER
            assert u.frontier_feasible == (u.frontier_at >= 0)
            checked += 1
        if np.isfinite(u.best_value_at):
            below = _costs_at_uplift(example, c.option, u.best_value_at - EPS)
            above = _costs_at_uplift(example, c.option, u.best_value_at + EPS)
            assert best_value(below, benefits, p.baseline, include)[c.option]
            assert not best_value(above, benefits, p.baseline, include)[c.option]
            assert u.best_value_feasible == (u.best_value_at >= 0)
            checked += 1
    assert checked == 11  # CFT leaves the frontier at no uplift


def test_the_uplift_switching_values_of_the_example_by_hand(
    example: SensitivityResult,
) -> None:
    # CHT's transition line: 450 in 2009/10 and 250 in 2010/11 at the STPR, 3.5%:
    #   pv = 450 + 250 / 1.035 = 691.546; its uplift is 41% less 30% mitigated:
    #   0.41 x 0.7 = 28.7%. Its cost: 691.546 x 1.287 + 495.866 (board, pv) + 0.3 x
    #   144.928 (the risk) = 890.020 + 495.866 + 43.478 = 1429.364.
    # It leaves the frontier, and stops being best value, where the line from BAU (0)
    # to CT reaches its benefit: 1807.096 x 129.6 / 143.55 = 1631.5. That is
    #   d = (1631.5 - 1429.364) / 691.546 = 0.2923 more uplift: 28.7% + 29.2% = 57.9%.
    # SE: pv 700 + 400 / 1.035 = 1086.473 at 41% x 0.6 = 24.6%, cost 2141.631. It would
    # be best value below 164.55 x (1429.364 / 129.6) = 1814.84: d = (1814.84 -
    # 2141.631) / 1086.473 = -0.3008, an uplift of 24.6% - 30.1% = -5.5%, below 0: not
    # possible by its uplift alone.
    p = example.problem
    by_id = {p.option_ids[c.option]: c for c in example.cost_switches}
    cht = by_id["CHT"].uplift
    assert cht is not None
    assert cht.shared
    assert cht.uplift == pytest.approx(0.287)
    assert cht.base == pytest.approx(450 + 250 / 1.035)
    threshold = 1807.0965 * (576.85 - 447.25) / (590.8 - 447.25)
    d = (threshold - 1429.3635) / (450 + 250 / 1.035)
    assert d == pytest.approx(0.2923, abs=1e-4)
    assert cht.frontier_at == pytest.approx(0.287 + d, rel=1e-6)
    assert cht.frontier_at == pytest.approx(0.579, abs=5e-4)
    assert cht.best_value_at == pytest.approx(cht.frontier_at, rel=1e-9)
    assert cht.frontier_feasible
    se = by_id["SE"].uplift
    assert se is not None
    d_se = (164.55 * 1429.3635 / 129.6 - 2141.6309) / (700 + 400 / 1.035)
    assert d_se == pytest.approx(-0.3008, abs=1e-4)
    assert se.best_value_at == pytest.approx(0.246 + d_se, rel=1e-6)
    assert not se.best_value_feasible


def test_the_tables_fit_80_columns_without_splitting(example: SensitivityResult) -> None:
    from rich.console import Console

    from appraise.paper.tables.sensitivity import (
        cost_switch_table,
        montecarlo_costs_table,
        uplift_switch_table,
    )
    from appraise.terminal.render import render_table

    for build in (cost_switch_table, uplift_switch_table, montecarlo_costs_table):
        t = build(example)
        assert t is not None
        console = Console(width=80, record=True)
        for part in render_table(t, 80):
            console.print(part)
        out = console.export_text()
        assert max(len(line) for line in out.splitlines()) <= 80, t.key
        assert "(1 of 2)" not in out, t.key


def test_the_monte_carlo_cost_table_shows_the_result(example: SensitivityResult) -> None:
    from appraise.paper.tables.sensitivity import montecarlo_costs_table

    mc = example.monte_carlo
    assert mc is not None
    c = mc.result.costs
    assert c is not None
    assert c.drawn
    t = montecarlo_costs_table(example)
    assert t is not None
    p = example.problem
    shown = {t.rows[r].cells[0].short: r for r in range(len(t.rows))}
    k = mc.options.index(p.option_ids.index("CHT"))
    row = shown["CHT"]
    assert t.rows[row].cells[1].value == c.frontier[k]
    assert t.rows[row].cells[2].value == c.best_value[k]
    assert t.text(row, 1).endswith("%")
    assert t.text(shown["BAU"], 2) == "–"  # the baseline is never best value
    # every option's chances of best value, with the samples where none is, add to 1
    assert np.nansum(c.best_value) + c.no_best_value == pytest.approx(1.0)
    assert "incremental cost per extra benefit point over the baseline (BAU)" in t.notes[0]
    q = c.cost_quantiles()[k]
    assert q[0] < p.costs[p.option_ids.index("CHT")] < q[2]


def test_an_infeasible_uplift_is_marked(example: SensitivityResult) -> None:
    from appraise.paper.tables.sensitivity import uplift_switch_table

    t = uplift_switch_table(example)
    assert t is not None
    rows = {(t.rows[r].cells[0].short, t.text(r, 1)): r for r in range(len(t.rows))}
    se = rows[("SE", "becomes best value")]
    assert t.text(se, 3) == "-5.5%"
    assert t.text(se, 4) == "no"
    cht = rows[("CHT", "stops being best value")]
    assert (t.text(cht, 2), t.text(cht, 3), t.text(cht, 4)) == ("28.7%", "57.9%", "yes")
    assert t.text(rows[("CFT", "leaves the frontier")], 3) == "never"


def test_costs_in_the_sensitivity_json(example: SensitivityResult) -> None:
    d = example.as_dict()
    se = next(o for o in d["costs"]["options"] if o["option"] == "SE")
    assert se["optimism_bias"]["best_value_feasible"] is False
    assert se["optimism_bias"]["as"] == "uplift"
    assert d["costs"]["baseline"] == "BAU"
    mc = d["monte_carlo"]
    assert mc["costs"]["drawn"] is True
    cht = next(o for o in mc["options"] if o["id"] == "CHT")
    assert 0 < cht["p_best_value"] < 1
    assert len(cht["cost_5_50_95"]) == len(cht["cost_per_point_5_50_95"]) == 3
    bau = next(o for o in mc["options"] if o["id"] == "BAU")
    assert bau["p_best_value"] is None
    assert bau["cost_5_50_95"] == [0.0, 0.0, 0.0]


def test_without_the_baseline_there_is_no_best_value_but_still_a_frontier() -> None:
    from dataclasses import fields

    t = _terms()
    rest = CostTerms(*(getattr(t, f.name)[1:] for f in fields(CostTerms)))  # no baseline
    kw = {"samples": 2000, "seed": 1, "scale": 100.0, "total_range": (0.0, 1000.0)}
    r = smaa(POINTS[1:], WEIGHTS, costs=rest, **kw)  # type: ignore[arg-type]
    c = r.costs
    assert c is not None
    assert np.isnan(c.best_value).all()
    assert np.isnan(c.no_best_value)
    assert np.nansum(c.frontier) >= 1  # someone is always on the frontier
