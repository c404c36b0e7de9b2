"""How robust the ranking is, and what would change it (Green Book 5.59–5.61; K1–K7).

:func:`analyse` runs, on one :class:`~appraise.analysis.problem.Problem` scored by weighted sum:

* exact one-way switching values for every criterion's and group's weight, every score
  and every cost, the costs also as optimism-bias uplifts (:mod:`appraise.engine.switching`);
* scenarios side by side: each weight set, equal weights, each group and each criterion
  removed, each panel member's scores alone and each left out, panel minimum/maximum;
* Monte Carlo / SMAA-2 (:mod:`appraise.engine.smaa`), drawing the costs too where
  they have ranges, uplifts or risks (:mod:`appraise.engine.cost_draws`): the chance of
  each option being on the cost–benefit frontier and best value;
* the ranking under each method;
* a tornado of the swing in the leader's margin over the best other option across all
  of these.

The result is plain data; :mod:`appraise.paper.tables.sensitivity` presents it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from appraise.analysis import DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES, SECTIONS
from appraise.analysis.problem import Problem
from appraise.analysis.score import (
    Aggregate,
    ScoreResult,
    provisional_dict,
    score_problem,
    value_for_money,
)
from appraise.engine import global_weights, panel_stats, rank_with_ties
from appraise.engine.smaa import SmaaResult, WeightModel, smaa
from appraise.engine.switching import (
    Crossings,
    LeaderSegment,
    best_value_thresholds,
    frontier_thresholds,
    leader_segments,
    score_switches,
    weight_crossings,
    weight_lines,
)
from appraise.engine.vfm import best_value

FloatArray = npt.NDArray[np.float64]
ScoreModel = Literal["panel", "declared", "fixed"]

BEST_VALUE = (
    "lowest incremental cost per extra benefit point over the baseline, among the "
    "options that add benefit (the baseline excluded; adding benefit for no more cost "
    "than the baseline is lowest)"
)
"""What *best value* means, in JSON and in the tables' notes: cost per benefit point
alone says nothing when the baseline costs 0, as costs of change over business as usual
do."""


__all__ = [
    "BEST_VALUE",
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "MAX_SAMPLES",
    "SECTIONS",
    "CostSwitch",
    "MonteCarlo",
    "Scenario",
    "ScoreSwitch",
    "SensitivityResult",
    "TornadoBar",
    "UpliftSwitch",
    "WeightSwitch",
    "analyse",
]


@dataclass(frozen=True)
class WeightSwitch:
    """One criterion's (or group's) weight varied from 0 to the whole, others in proportion.

    Attributes:
        kind: ``criterion`` or ``group``.
        id: its id.
        name: its name.
        weight: its global weight now (units of the appraisal's weight total).
        whole: the weight total (e.g. 100).
        segments: who leads over the range, as weights (not shares).
        below: the weight below which the leader changes (``None``: never), and to whom.
        above: the weight above which the leader changes (``None``: never), and to whom.
        crossings: every change of order between two ranked options, as weights.
    """

    kind: str
    id: str
    name: str
    weight: float
    whole: float
    segments: list[LeaderSegment]
    below: tuple[float, int] | None
    above: tuple[float, int] | None
    crossings: Crossings


@dataclass(frozen=True)
class ScoreSwitch:
    """For one option against the leader: the change in one score that levels them.

    Attributes:
        option: the challenger's index.
        raise_by: ``(n_criteria,)`` change in the challenger's score on each criterion.
        raise_feasible: whether the changed score stays on the criterion's scale.
        lower_by: ``(n_criteria,)`` change in the leader's score on each criterion.
        lower_feasible: likewise.
    """

    option: int
    raise_by: FloatArray
    raise_feasible: npt.NDArray[np.bool_]
    lower_by: FloatArray
    lower_feasible: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class UpliftSwitch:
    """Where one option's optimism-bias uplift would change its place on the frontier
    or its best value (Green Book 5.60: switching values on optimism bias).

    Its cost is linear in a common uplift ``d`` added to each of its lines that carry
    one: ``cost(d) = cost + d * base`` with ``base`` the lines' present value before
    uplift. A cost switching value ``threshold`` is so reached at
    ``d = (threshold - cost) / base``. When the lines share one uplift ``u`` it is said
    as the uplift reached, ``u + d``; otherwise as ``d``, points added to each.

    Attributes:
        option: index.
        lines: how many of its lines carry an uplift.
        uplift: their uplift now when they share one (a fraction), else ``None``.
        lowest: the lowest of their uplifts now.
        base: their present value before uplift (the cost of a whole 100% of uplift).
        frontier_at: the uplift (or points added) at which it joins or leaves the
            frontier; ``inf`` when no uplift takes it off.
        frontier_feasible: whether that is an uplift of 0 or more on every line.
        best_value_at: the uplift (or points added) at which it starts or stops being
            best value; ``inf`` when it is best value at any cost, NaN when it can never
            be (it adds no benefit, or is the baseline).
        best_value_feasible: whether that is an uplift of 0 or more on every line.
    """

    option: int
    lines: int
    uplift: float | None
    lowest: float
    base: float
    frontier_at: float
    frontier_feasible: bool
    best_value_at: float
    best_value_feasible: bool

    @property
    def shared(self) -> bool:
        """True when the lines share one uplift (values are uplifts, not points added)."""
        return self.uplift is not None


@dataclass(frozen=True)
class CostSwitch:
    """Cost switching values of one option (costs in the appraisal's cost unit).

    Attributes:
        option: index.
        cost: its cost now.
        status: its frontier status now (``frontier``, ``dominated``, ...).
        frontier_at: the cost at which it joins (below) or leaves (above) the frontier.
        best_value_at: the cost below which it is best value: the lowest incremental
            cost per extra benefit point over the baseline among the options that add
            benefit (:func:`appraise.engine.vfm.incremental_ratios`); ``inf`` at any
            cost, NaN for the baseline and for an option that adds no benefit.
        best_value: whether it is best value now.
        uplift: the same switching values as optimism-bias uplifts (``None``: no line
            of the option carries an uplift).
    """

    option: int
    cost: float
    status: str
    frontier_at: float
    best_value_at: float
    best_value: bool = False
    uplift: UpliftSwitch | None = None


@dataclass(frozen=True)
class Scenario:
    """The ranking under one alternative assumption (weighted sum).

    Attributes:
        kind: ``base``, ``weight set``, ``weights``, ``without group``, ``without
            criterion``, ``panel member``, ``panel without``, ``panel``.
        label: what changed, in words.
        totals: ``(n_options,)``.
        ranks: ``(n_options,)`` (0 = not ranked).
    """

    kind: str
    label: str
    totals: FloatArray
    ranks: npt.NDArray[np.intp]

    @property
    def leaders(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.ranks == 1)]

    def runner_up(self) -> int | None:
        """The best-placed option not among the leaders."""
        rest = [(int(r), i) for i, r in enumerate(self.ranks) if r > 1]
        return min(rest)[1] if rest else None

    def margin(self) -> float:
        """The leader's lead over the runner-up (0 when the lead is shared; NaN when no
        option, or only one, is ranked)."""
        leaders, runner = self.leaders, self.runner_up()
        if len(leaders) > 1:
            return 0.0  # a tie at the top
        if not leaders or runner is None:
            return math.nan  # nobody ranked, or nobody to lead
        return float(self.totals[leaders[0]] - self.totals[runner])


@dataclass(frozen=True)
class MonteCarlo:
    """The SMAA run and how it was set up."""

    result: SmaaResult
    options: list[int]
    weight_model: str
    concentration: float
    bounds: float
    score_model: str
    seed: int


@dataclass(frozen=True)
class TornadoBar:
    """The leader's margin over the best other option at the low and high end of one
    factor (negative: another option would lead).

    Attributes:
        source: ``weight``, ``scores``, ``scenario`` or ``monte carlo``.
        label: the factor, in words.
        low: the lower of the two margins.
        high: the higher.
        low_other: the best other option where the margin is ``low`` (``None`` for
            Monte Carlo, whose ends are quantiles over samples).
        high_other: likewise where it is ``high``.
    """

    source: str
    label: str
    low: float
    high: float
    low_other: int | None = None
    high_other: int | None = None

    @property
    def swing(self) -> float:
        """How far the margin moves between the two ends."""
        return abs(self.high - self.low)


@dataclass
class SensitivityResult:
    """Everything ``appraise sensitivity`` shows."""

    base: ScoreResult
    points: FloatArray
    leader: int | None
    runner_up: int | None
    margin: float
    weight_switches: list[WeightSwitch] = field(default_factory=list)
    score_switches: list[ScoreSwitch] = field(default_factory=list)
    cost_switches: list[CostSwitch] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    methods: dict[str, ScoreResult] = field(default_factory=dict)
    monte_carlo: MonteCarlo | None = None
    tornado: list[TornadoBar] = field(default_factory=list)
    swing: float = 50.0
    samples: int = 0
    montecarlo_asked: bool = False

    @property
    def problem(self) -> Problem:
        return self.base.problem

    @property
    def monte_carlo_not_run(self) -> str | None:
        """Why there is no Monte Carlo (``"--samples 0"``, ``"no option is ranked"``),
        or ``None`` when it ran; said in every output, so a dropped section is never
        silent."""
        if self.monte_carlo is not None or not self.montecarlo_asked:
            return None
        if self.samples <= 0:
            return "--samples 0"
        return "no option is ranked"

    def scenarios_led(self) -> tuple[int, int]:
        """``(led, of)``: in how many alternative scenarios (the base case not counted)
        the leader alone is first, out of how many."""
        others = [sc for sc in self.scenarios if sc.kind != "base"]
        if self.leader is None:
            return 0, len(others)
        return sum(1 for sc in others if sc.leaders == [self.leader]), len(others)

    def as_dict(self) -> dict[str, Any]:
        """Every number, unrounded, for JSON output."""
        return _as_dict(self)


def analyse(
    problem: Problem,
    *,
    aggregate: Aggregate = "moderated",
    weight_set: str = "tree",
    include_failed: bool = False,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    weight_model: WeightModel = "dirichlet",
    concentration: float = 50.0,
    bounds: float = 5.0,
    score_model: ScoreModel = "panel",
    swing: float = 50.0,
    sections: tuple[str, ...] = SECTIONS,
    progress: Callable[[int], None] | None = None,
) -> SensitivityResult:
    """Run the selected sensitivity analyses (all by default).

    Args:
        problem: the appraisal as arrays.
        aggregate: which scores count (as ``appraise score``).
        weight_set: the weights analysed.
        include_failed: rank options failing a hurdle too.
        samples: Monte Carlo samples (0 to skip).
        seed: Monte Carlo seed.
        weight_model: how weights are drawn (:func:`appraise.engine.smaa.smaa`).
        concentration: Dirichlet concentration.
        bounds: ± half-width for ``bounds``, in weight units (e.g. points out of 100).
        score_model: ``panel`` (triangular from the panel's min, the score that counts
            and the max), ``declared`` (the members' declared low/high), ``fixed``.
        swing: for the tornado, each weight is moved ± this % of itself.
        sections: which analyses to run (the tornado runs what it needs).
        progress: Monte Carlo progress callback (samples done).
    """
    base = score_problem(
        problem,
        aggregate=aggregate,
        weight_set=weight_set,
        include_failed=include_failed,
    )
    points = problem.points(base.scores)
    ranked = base.ranks > 0
    leaders = base.leaders
    leader = leaders[0] if leaders else None
    rest = [i for i in base.order if base.ranks[i] > 0 and i != leader]
    runner = rest[0] if rest else None
    margin = (
        float(base.totals[leader] - base.totals[runner])
        if leader is not None and runner is not None
        else math.nan
    )
    out = SensitivityResult(
        base,
        points,
        leader,
        runner,
        margin,
        swing=swing,
        samples=samples,
        montecarlo_asked="montecarlo" in sections,
    )
    want = set(sections)
    if "tornado" in want:
        want |= {"scenarios", "scores"}
    if "weights" in want:
        out.weight_switches = _weight_switches(base, points, ranked)
    if "scores" in want and leader is not None:
        out.score_switches = _score_switches(base, leader)
    if "costs" in want:
        out.cost_switches = _cost_switches(base)
    if "scenarios" in want:
        out.scenarios = _scenarios(base, points, ranked, aggregate)
    if "methods" in want:
        out.methods = {
            m: score_problem(
                problem,
                method=m,
                aggregate=aggregate,
                weight_set=weight_set,
                include_failed=include_failed,
            )
            for m in ("wsm", "topsis", "promethee")
        }
    if ("montecarlo" in want or "tornado" in want) and samples > 0 and ranked.sum() > 0:
        out.monte_carlo = _monte_carlo(
            base,
            points,
            ranked,
            samples=samples,
            seed=seed,
            weight_model=weight_model,
            concentration=concentration,
            bounds=bounds,
            score_model=score_model,
            lead=leader,
            progress=progress,
        )
    if "tornado" in want and leader is not None and runner is not None:
        out.tornado = _tornado(out)
    return out


def _weight_switches(
    base: ScoreResult, points: FloatArray, ranked: npt.NDArray[np.bool_]
) -> list[WeightSwitch]:
    p = base.problem
    weights = base.weights
    whole = float(weights.sum())
    found: list[WeightSwitch] = []
    subjects: list[tuple[str, str, str, npt.NDArray[np.bool_]]] = [
        ("criterion", c, n, np.arange(len(weights)) == k)
        for k, (c, n) in enumerate(zip(p.criterion_ids, p.criterion_names, strict=True))
    ]
    if len(p.groups) > 1:
        subjects += [
            ("group", p.node_ids[g], p.node_names[g], p.leaf_group == k)
            for k, g in enumerate(p.groups)
            if (p.leaf_group == k).sum() > 1 or p.node_ids[g] not in p.criterion_ids
        ]
    for kind, ident, name, varied in subjects:
        if varied.all():
            continue
        lines = weight_lines(points, weights, varied)
        segments = leader_segments(lines, ranked)
        now = lines.share
        below = above = None
        for k, s in enumerate(segments):
            if s.start <= now <= s.end:
                if k > 0 and s.start > 0:
                    below = (segments[k - 1].end * whole, segments[k - 1].leader)
                if k + 1 < len(segments):
                    above = (s.end * whole, segments[k + 1].leader)
                break
        crossings = weight_crossings(lines, ranked)
        found.append(
            WeightSwitch(
                kind=kind,
                id=ident,
                name=name,
                weight=now * whole,
                whole=whole,
                segments=[
                    LeaderSegment(s.start * whole, s.end * whole, s.leader) for s in segments
                ],
                below=below,
                above=above,
                crossings=Crossings(crossings.at * whole, crossings.rising, crossings.falling),
            )
        )
    return found


def _score_switches(base: ScoreResult, leader: int) -> list[ScoreSwitch]:
    p = base.problem
    span = p.base_high - p.base_low
    per_score = np.where(p.higher_is_better, 1.0, -1.0) * span / (p.high - p.low)
    raise_by, lower_by = score_switches(base.totals, leader, per_score, base.weights)
    found = []
    for i in base.order:
        if i == leader or base.ranks[i] == 0:
            continue
        new_i = base.scores[i] + raise_by[i]
        new_l = base.scores[leader] + lower_by[i]
        found.append(
            ScoreSwitch(
                option=i,
                raise_by=raise_by[i],
                raise_feasible=np.asarray(
                    np.isfinite(new_i) & (new_i >= p.low) & (new_i <= p.high)
                ),
                lower_by=lower_by[i],
                lower_feasible=np.asarray(
                    np.isfinite(new_l) & (new_l >= p.low) & (new_l <= p.high)
                ),
            )
        )
    return found


def _cost_switches(base: ScoreResult) -> list[CostSwitch]:
    vfm = value_for_money(base)
    if vfm is None:
        return []
    p = base.problem
    include = np.ones(p.costs.shape, dtype=bool) if base.include_failed else base.eligible
    frontier = frontier_thresholds(vfm.costs, vfm.benefits, include)
    best = best_value_thresholds(vfm.costs, vfm.benefits, p.baseline, include)
    now = best_value(vfm.costs, vfm.benefits, p.baseline, include)
    return [
        CostSwitch(
            i,
            float(vfm.costs[i]),
            vfm.label(i),
            float(frontier[i]),
            float(best[i]),
            bool(now[i]),
            _uplift_switch(p, i, float(vfm.costs[i]), float(frontier[i]), float(best[i])),
        )
        for i in base.order
        if not np.isnan(frontier[i])
    ]


def _uplift_switch(
    p: Problem, i: int, cost: float, frontier_at: float, best_value_at: float
) -> UpliftSwitch | None:
    """Option ``i``'s cost switching values as uplifts on its optimism-bias lines
    (:class:`UpliftSwitch`), or ``None`` when none of its lines carries an uplift."""
    t = p.cost_terms
    if t is None or not np.isfinite(t.pv[i]).all():
        return None
    carries = (t.pv[i] != 0) & (
        (t.uplift[i] != 0) | (t.uplift_low[i] != t.uplift[i]) | (t.uplift_high[i] != t.uplift[i])
    )
    base = float(t.pv[i, carries].sum())
    if not carries.any() or base == 0:
        return None
    ups = t.uplift[i, carries]
    lowest = float(ups.min())
    shared = float(ups[0]) if (ups == ups[0]).all() else None

    def at(threshold: float) -> tuple[float, bool]:
        if np.isnan(threshold):
            return math.nan, False
        if np.isinf(threshold):
            return math.inf, True
        added = (threshold - cost) / base
        return (added if shared is None else shared + added), lowest + added >= 0

    f_at, f_ok = at(frontier_at)
    b_at, b_ok = at(best_value_at)
    return UpliftSwitch(i, int(carries.sum()), shared, lowest, base, f_at, f_ok, b_at, b_ok)


def _scenarios(
    base: ScoreResult, points: FloatArray, ranked: npt.NDArray[np.bool_], aggregate: str
) -> list[Scenario]:
    p = base.problem
    weights = base.weights
    whole = float(weights.sum())
    found = [Scenario("base", "As analysed", base.totals, base.ranks)]

    def add(kind: str, label: str, w: FloatArray, pts: FloatArray = points) -> None:
        totals = pts @ w
        found.append(Scenario(kind, label, totals, rank_with_ties(totals, ranked)))

    for ws in p.weight_sets:
        if ws.id == base.weight_set:
            continue
        w = global_weights(p.parent, ws.local, ws.normalise, p.total)[p.leaves]
        add("weight set", f"Weight set: {ws.name}", w / w.sum() * whole)
    n = len(weights)
    equal = np.full(n, whole / n)
    if not any(np.allclose(sc.totals, points @ equal) for sc in found):
        add("weights", "Equal weights (every criterion the same)", equal)
    if len(p.groups) > 1:
        for k, g in enumerate(p.groups):
            keep = p.leaf_group != k
            if (~keep).sum() < 2:
                continue  # a group of one criterion: "Without" that criterion follows
            if keep.any() and weights[keep].sum() > 0:
                w = np.where(keep, weights, 0.0)
                add("without group", f"Without {p.node_names[g]}", w / w.sum() * whole)
    for k, name in enumerate(p.criterion_names):
        keep = np.arange(n) != k
        if weights[keep].sum() > 0:
            w = np.where(keep, weights, 0.0)
            add("without criterion", f"Without {name}", w / w.sum() * whole)

    def pts_of(scores: FloatArray) -> FloatArray:
        filled = np.where(np.isnan(scores), base.scores, scores)
        return p.points(filled)

    stats = panel_stats(p.scores)
    if len(p.scorer_ids) > 1:
        # a member who has scored nothing yet has no scenario of their own (it would be
        # the base case relabelled); one who has scored part fills the rest from the panel
        scored = [
            (s, who, int(np.isnan(p.scores[s]).sum()))
            for s, who in enumerate(p.scorer_ids)
            if not np.isnan(p.scores[s]).all()
        ]
        for s, who, gaps in scored:
            label = f"{who}'s scores alone" + (" (the panel's where missing)" if gaps else "")
            add("panel member", label, weights, pts_of(p.scores[s]))
        for s, who, _ in scored:
            others = np.delete(p.scores, s, axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                median = np.nanmedian(others, axis=0)
            add("panel without", f"Panel median without {who}", weights, pts_of(median))
        # panel minimum / maximum: the pessimistic and optimistic end of every cell
        lo = pts_of(stats.min)
        hi = pts_of(stats.max)
        add("panel", "Panel's lowest score in every cell", weights, np.minimum(lo, hi))
        add("panel", "Panel's highest score in every cell", weights, np.maximum(lo, hi))
    return found


def _score_bounds(
    base: ScoreResult, model: ScoreModel
) -> tuple[FloatArray | None, FloatArray | None]:
    """Each cell's lowest and highest score, as points (``None``: scores fixed)."""
    p = base.problem
    if model == "fixed":
        return None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if model == "panel":
            lo_raw, hi_raw = np.nanmin(p.scores, axis=0), np.nanmax(p.scores, axis=0)
        else:
            lo_raw = np.nanmin(np.where(np.isnan(p.declared_low), p.scores, p.declared_low), 0)
            hi_raw = np.nanmax(np.where(np.isnan(p.declared_high), p.scores, p.declared_high), 0)
    lo_raw = np.where(np.isnan(lo_raw), base.scores, lo_raw)
    hi_raw = np.where(np.isnan(hi_raw), base.scores, hi_raw)
    a, b = p.points(lo_raw), p.points(hi_raw)
    return np.minimum(a, b), np.maximum(a, b)


def _monte_carlo(
    base: ScoreResult,
    points: FloatArray,
    ranked: npt.NDArray[np.bool_],
    *,
    samples: int,
    seed: int,
    weight_model: WeightModel,
    concentration: float,
    bounds: float,
    score_model: ScoreModel,
    lead: int | None,
    progress: Callable[[int], None] | None,
) -> MonteCarlo:
    p = base.problem
    options = [int(i) for i in np.flatnonzero(ranked)]
    whole = float(base.weights.sum())
    fractions = base.weights / whole
    lo, hi = _score_bounds(base, score_model)
    pos = {o: k for k, o in enumerate(options)}
    a = pos.get(lead, 0) if lead is not None else 0
    costs = None
    if p.cost_terms is not None and base.method == "wsm":
        costs = p.cost_terms.take(options)
    result = smaa(
        points[options],
        fractions,
        samples=samples,
        seed=seed,
        weight_model=weight_model,
        concentration=concentration,
        bounds=np.full(len(fractions), bounds / whole),
        low=None if lo is None else lo[options],
        high=None if hi is None else hi[options],
        scale=whole,
        total_range=(p.base_low * whole, p.base_high * whole),
        lead=a,
        costs=costs,
        baseline=pos.get(p.baseline),
        progress=progress,
    )
    return MonteCarlo(result, options, weight_model, concentration, bounds, score_model, seed)


def _tornado(out: SensitivityResult) -> list[TornadoBar]:
    """The leader's margin over the best other option at each end of every factor."""
    base, points = out.base, out.points
    p = base.problem
    lead = out.leader
    if lead is None or out.runner_up is None:
        return []
    ranked = base.ranks > 0
    others = ranked.copy()
    others[lead] = False
    weights = base.weights
    whole = float(weights.sum())

    def margin(totals: FloatArray, rivals: npt.NDArray[np.bool_] = others) -> tuple[float, int]:
        """The leader's lead over the best rival, and who that rival is."""
        masked = np.where(rivals, totals, -np.inf)
        best = int(np.argmax(masked))
        return float(totals[lead] - totals[best]), best

    def bar(source: str, label: str, a: tuple[float, int], b: tuple[float, int]) -> TornadoBar:
        lo, hi = sorted((a, b), key=lambda x: x[0])
        return TornadoBar(source, label, lo[0], hi[0], lo[1], hi[1])

    bars = []
    f = out.swing / 100.0
    for k, name in enumerate(p.criterion_names):
        ends = []
        for w_k in (weights[k] * (1 - f), min(weights[k] * (1 + f), whole)):
            rest = whole - weights[k]
            w = weights * ((whole - w_k) / rest) if rest > 0 else weights.copy()
            w[k] = w_k
            ends.append(margin(points @ w))
        bars.append(bar("weight", f"Weight on {name} ±{out.swing:g}%", *ends))
    # the panel's extremes on each criterion: the leader at its worst there and every
    # other option at its best (pessimistic), and the other way round (optimistic)
    stats = panel_stats(p.scores)
    lo_pts, hi_pts = p.points(stats.min), p.points(stats.max)
    worst = np.where(np.isnan(lo_pts), points, np.fmin(lo_pts, hi_pts))
    best = np.where(np.isnan(hi_pts), points, np.fmax(lo_pts, hi_pts))
    for k, name in enumerate(p.criterion_names):
        down, up = (
            weights[k] * (worst[:, k] - points[:, k]),
            weights[k] * (best[:, k] - points[:, k]),
        )
        if not (down.any() or up.any()):
            continue
        pess = base.totals + np.where(np.arange(len(ranked)) == lead, down, up)
        opt = base.totals + np.where(np.arange(len(ranked)) == lead, up, down)
        a, b = margin(pess), margin(opt)
        if a[0] != b[0]:
            bars.append(bar("scores", f"Panel's range on {name}", a, b))
    now = margin(base.totals)
    for sc in out.scenarios[1:]:
        rivals = (sc.ranks > 0) & (np.arange(len(ranked)) != lead)
        if not rivals.any():
            continue
        bars.append(bar("scenario", sc.label, now, margin(sc.totals, rivals)))
    if out.monte_carlo is not None:
        q = out.monte_carlo.result.margin_quantiles((0.05, 0.95))
        bars.append(TornadoBar("monte carlo", "Monte Carlo 5–95%", float(q[0]), float(q[1])))
    bars.sort(key=lambda b: -b.swing)
    return bars


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _as_dict(r: SensitivityResult) -> dict[str, Any]:
    p = r.problem
    ids = p.option_ids

    def opt(i: int | None) -> str | None:
        return None if i is None else ids[i]

    base = r.base
    out: dict[str, Any] = {
        "title": p.title,
        "illustrative": p.illustrative,
        "status": p.status,
        "method": "wsm",
        "aggregate": base.aggregate,
        "weight_set": base.weight_set,
        "include_failed": base.include_failed,
        "leader": opt(r.leader),
        "runner_up": opt(r.runner_up),
        "margin": _num(r.margin),
        "scenarios_led": dict(zip(("led", "of"), r.scenarios_led(), strict=True)),
        **provisional_dict(base),
        "weights": {
            "switching": [
                {
                    "kind": ws.kind,
                    "id": ws.id,
                    "name": ws.name,
                    "weight": ws.weight,
                    "whole": ws.whole,
                    "leader_changes_below": None
                    if ws.below is None
                    else {"weight": ws.below[0], "new_leader": ids[ws.below[1]]},
                    "leader_changes_above": None
                    if ws.above is None
                    else {"weight": ws.above[0], "new_leader": ids[ws.above[1]]},
                    "leaders": [
                        {"from": s.start, "to": s.end, "leader": ids[s.leader]} for s in ws.segments
                    ],
                    "rank_changes": [
                        {"weight": float(t), "overtakes": ids[a], "overtaken": ids[b]}
                        for t, a, b in zip(
                            ws.crossings.at, ws.crossings.rising, ws.crossings.falling, strict=True
                        )
                    ],
                }
                for ws in r.weight_switches
            ],
        },
        "scores": [
            {
                "option": ids[sw.option],
                "leader": opt(r.leader),
                "criteria": [
                    {
                        "id": c,
                        "score": _num(base.scores[sw.option, k]),
                        "raise_by": _num(sw.raise_by[k]),
                        "raise_feasible": bool(sw.raise_feasible[k]),
                        "leader_score": _num(base.scores[r.leader, k])
                        if r.leader is not None
                        else None,
                        "leader_lower_by": _num(sw.lower_by[k]),
                        "leader_lower_feasible": bool(sw.lower_feasible[k]),
                    }
                    for k, c in enumerate(p.criterion_ids)
                ],
            }
            for sw in r.score_switches
        ],
        "costs": {
            "unit": p.cost_unit,
            "baseline": ids[p.baseline],
            "best_value": BEST_VALUE,
            "options": [
                {
                    "option": ids[c.option],
                    "cost": c.cost,
                    "frontier": c.status or None,
                    "frontier_threshold": _num(c.frontier_at),
                    "best_value": c.best_value,
                    "best_value_threshold": _num(c.best_value_at),
                    "best_value_at_any_cost": c.best_value_at == math.inf,
                    "optimism_bias": _uplift_dict(c.uplift),
                }
                for c in r.cost_switches
            ],
        },
        "scenarios": [
            {
                "kind": sc.kind,
                "label": sc.label,
                "leaders": [ids[i] for i in sc.leaders],
                "runner_up": opt(sc.runner_up()),
                "margin": _num(sc.margin()),
                "totals": {ids[i]: float(sc.totals[i]) for i in range(len(ids))},
                "ranks": {ids[i]: int(sc.ranks[i]) or None for i in range(len(ids))},
            }
            for sc in r.scenarios
        ],
        "methods": {
            m: {
                "ranks": {ids[i]: int(res.ranks[i]) or None for i in range(len(ids))},
                "totals": {ids[i]: _num(res.totals[i]) for i in range(len(ids))},
            }
            for m, res in r.methods.items()
        },
        "monte_carlo": None,
        "monte_carlo_not_run": r.monte_carlo_not_run,
        "tornado": [
            {
                "source": b.source,
                "label": b.label,
                "low": b.low,
                "high": b.high,
                "swing": b.swing,
                "low_best_other": opt(b.low_other),
                "high_best_other": opt(b.high_other),
            }
            for b in r.tornado
        ],
    }
    mc = r.monte_carlo
    if mc is not None:
        res = mc.result
        tq = res.total_quantiles()
        rq = res.rank_quantiles()
        out["monte_carlo"] = {
            "samples": res.samples,
            "seed": mc.seed,
            "weights": mc.weight_model,
            "concentration": mc.concentration if mc.weight_model == "dirichlet" else None,
            "bounds": mc.bounds if mc.weight_model == "bounds" else None,
            "scores": mc.score_model,
            "options": [
                {
                    "id": ids[o],
                    "p_best": float(res.best[k]),
                    "rank_acceptability": [float(x) for x in res.acceptability[k]],
                    "mean_total": float(res.mean_totals[k]),
                    "total_5_50_95": [float(x) for x in tq[k]],
                    "rank_5_50_95": [int(x) for x in rq[k]],
                    "central_weights": None
                    if not np.isfinite(res.central_weights[k]).all()
                    else {
                        c: float(res.central_weights[k, j] * base.weights.sum())
                        for j, c in enumerate(p.criterion_ids)
                    },
                    "confidence": _num(res.confidence[k]),
                    **_mc_costs(res, k),
                }
                for k, o in enumerate(mc.options)
            ],
            "confidence_samples": res.confidence_samples,
            "margin_5_50_95": [float(x) for x in res.margin_quantiles()],
            "another_ahead": res.margin_below_zero / max(res.samples, 1),
            "costs": None
            if res.costs is None
            else {
                "drawn": res.costs.drawn,
                "baseline": ids[p.baseline],
                "best_value": BEST_VALUE,
                "no_best_value": _num(res.costs.no_best_value),
            },
        }
    return out


def _uplift_dict(u: UpliftSwitch | None) -> dict[str, Any] | None:
    """An option's optimism-bias switching values for JSON (``None``: no uplift)."""
    if u is None:
        return None
    return {
        "lines": u.lines,
        "uplift": u.uplift,
        "lowest_uplift": u.lowest,
        "base": u.base,
        "as": "uplift" if u.shared else "points added to each line's uplift",
        "frontier_at": _num(u.frontier_at),
        "frontier_feasible": u.frontier_feasible,
        "frontier_never": u.frontier_at == math.inf,
        "best_value_at": _num(u.best_value_at),
        "best_value_feasible": u.best_value_feasible,
        "best_value_at_any_uplift": u.best_value_at == math.inf,
    }


def _mc_costs(res: SmaaResult, k: int) -> dict[str, Any]:
    """The ``k``-th Monte Carlo option's value for money over the samples (nothing when
    no costs were given)."""
    c = res.costs
    if c is None:
        return {}
    if not c.costed[k]:
        return {
            "p_frontier": None,
            "p_best_value": None,
            "mean_cost": None,
            "cost_5_50_95": None,
            "cost_per_point_5_50_95": None,
        }
    return {
        "p_frontier": _num(c.frontier[k]),
        "p_best_value": _num(c.best_value[k]),
        "mean_cost": _num(c.mean_costs[k]),
        "cost_5_50_95": [_num(x) for x in c.cost_quantiles()[k]],
        "cost_per_point_5_50_95": [_num(x) for x in c.per_point_quantiles()[k]],
    }
