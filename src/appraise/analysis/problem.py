"""An appraisal as arrays: the bridge between the validated files and the engine.

:func:`build_problem` turns a loaded :class:`~appraise.files.loading.Appraisal` (already
validated) into a :class:`Problem` of NumPy arrays and labels. The engine works on the
arrays; outputs use the labels. Discounted options are left out; options that fail a
hurdle stay in, marked, and are not ranked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from appraise.engine.cost_draws import CostTerms
from appraise.errors import RequestError
from appraise.files.loading import Appraisal, Node

if TYPE_CHECKING:
    from appraise.files.costing import CostBook
    from appraise.files.elicitation import ElicitedSet

__all__ = ["CostArrays", "Problem", "WeightSetArrays", "build_problem"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class WeightSetArrays:
    """One named set of local weights over the tree's nodes.

    Attributes:
        id: the set's id (``tree`` for the weights written in the value tree).
        name: the set's name.
        local: ``(n_nodes,)`` local weights.
        normalise: ``(n_nodes + 1,)`` explicit normalisation of each node's children
            (index 0: the top level).
    """

    id: str
    name: str
    local: FloatArray
    normalise: BoolArray


CostArrays = CostTerms
"""The options' costs as the terms Monte Carlo draws: the engine's
:class:`~appraise.engine.cost_draws.CostTerms` (one line per option for a single amount).
An option's cost is ``Σ pv × (1 + uplift) + Σ probability × risk_pv``, the same sum, at
the modes, as :attr:`Problem.costs`."""


@dataclass(frozen=True)
class Problem:
    """Everything the engine needs, as arrays, with the labels to show them.

    Attributes:
        title: the appraisal's title.
        illustrative: whether outputs carry the ILLUSTRATIVE banner.
        status: the appraisal's status.
        option_ids: ``(n_options,)`` ids of the appraised (not discounted) options.
        option_names: their names.
        baseline: index of the baseline option.
        node_ids: ``(n_nodes,)`` ids of every tree node, parents before children.
        node_names: their names.
        parent: ``(n_nodes,)`` parent index, ``-1`` at the top.
        leaves: ``(n_criteria,)`` node index of each scored criterion.
        groups: ``(n_groups,)`` node index of each top-level node.
        leaf_group: ``(n_criteria,)`` which top-level node (index into ``groups``) each
            criterion sits under.
        scorer_ids: ``(n_scorers,)`` panel member ids.
        preference: ``(n_criteria,)`` PROMETHEE preference function of each criterion.
        preference_q: ``(n_criteria,)`` its indifference threshold, on the appraisal's
            scale (converted from the criterion's own units).
        preference_p: ``(n_criteria,)`` its preference threshold, likewise.
        scores: ``(n_scorers, n_options, n_criteria)`` panel scores, NaN where absent.
        moderated: ``(n_options, n_criteria)`` moderated scores, NaN where absent.
        low: ``(n_criteria,)`` scale minimum of each criterion.
        high: ``(n_criteria,)`` scale maximum of each criterion.
        higher_is_better: ``(n_criteria,)`` direction.
        base_low: the appraisal scale's minimum.
        base_high: the appraisal scale's maximum.
        scale_type: ``fixed`` or ``relative``.
        total: what weights at each level sum to.
        weight_sets: the tree's weights first (id ``tree``), then each named set.
        hurdle_ids: ``(n_hurdles,)`` hurdle ids.
        hurdle_results: ``(n_options, n_hurdles)`` ``pass``/``fail``/``conditional``.
        costs: ``(n_options,)`` costs (the risk-adjusted net present cost of cost lines,
            or the amount given), NaN where absent.
        cost_unit: the cost unit.
        cost_terms: the costs' lines and risks, for Monte Carlo (``None``: no costs).
        cost_book: the cost book the costs come from (profiles, discounting, uplifts).
        flag_range: moderation flag: range threshold.
        flag_distance: moderation flag: distance-from-median threshold.
        declared_low: ``(n_scorers, n_options, n_criteria)`` each panel member's
            lowest plausible score, NaN where not declared.
        declared_high: likewise, the highest plausible score.
    """

    title: str
    illustrative: bool
    status: str
    option_ids: list[str]
    option_names: list[str]
    baseline: int
    node_ids: list[str]
    node_names: list[str]
    parent: IntArray
    leaves: IntArray
    groups: IntArray
    leaf_group: IntArray
    scorer_ids: list[str]
    scores: FloatArray
    moderated: FloatArray
    low: FloatArray
    high: FloatArray
    higher_is_better: BoolArray
    base_low: float
    base_high: float
    scale_type: str
    total: float
    weight_sets: list[WeightSetArrays]
    hurdle_ids: list[str]
    hurdle_results: npt.NDArray[np.str_]
    costs: FloatArray
    cost_unit: str
    flag_range: float
    flag_distance: float
    criterion_ids: list[str] = field(default_factory=list)
    criterion_names: list[str] = field(default_factory=list)
    preference: list[str] = field(default_factory=list)
    preference_q: FloatArray = field(default_factory=lambda: np.zeros(0))
    preference_p: FloatArray = field(default_factory=lambda: np.zeros(0))
    declared_low: FloatArray = field(default_factory=lambda: np.zeros((0, 0, 0)))
    declared_high: FloatArray = field(default_factory=lambda: np.zeros((0, 0, 0)))
    cost_terms: CostArrays | None = None
    cost_book: CostBook | None = None

    @property
    def eligible(self) -> BoolArray:
        """``(n_options,)`` options that fail no hurdle (and so are ranked)."""
        if not self.hurdle_ids:
            return np.ones(len(self.option_ids), dtype=bool)
        return np.asarray(~(self.hurdle_results == "fail").any(axis=1))

    def points(self, scores: FloatArray) -> FloatArray:
        """Scores ``(..., n_criteria)`` on each criterion's scale as points on the
        appraisal's scale, the better end high (:func:`appraise.engine.to_points`)."""
        from appraise.engine import to_points

        return to_points(
            scores, self.low, self.high, self.higher_is_better, self.base_low, self.base_high
        )

    def weight_set(self, ident: str, *, where: str = "") -> WeightSetArrays:
        """The weight set with this id (``tree`` for the value tree's own weights).

        Raises:
            RequestError: no weight set has this id (the hint lists those there are).
        """
        for ws in self.weight_sets:
            if ws.id == ident:
                return ws
        known = ", ".join(ws.id for ws in self.weight_sets)
        raise RequestError(
            f"no weight set {ident!r}" + (f" in {where}" if where else ""),
            hint=f"known weight sets: {known} (ids in criteria/)",
        )


def build_problem(appraisal: Appraisal) -> Problem:
    """The arrays of a loaded, validated appraisal."""
    settings = appraisal.settings
    nodes = list(appraisal.nodes())
    index = {n.criterion.id: i for i, n in enumerate(nodes)}
    parent = np.array(
        [index[n.parent] if n.parent is not None else -1 for n in nodes], dtype=np.intp
    )
    leaves = np.array([i for i, n in enumerate(nodes) if not n.is_group], dtype=np.intp)
    groups = np.array([i for i, n in enumerate(nodes) if n.parent is None], dtype=np.intp)
    top = np.arange(len(nodes))
    for _ in range(len(nodes)):
        top = np.where(parent[top] >= 0, parent[top], top)
    group_pos = {int(g): k for k, g in enumerate(groups)}
    leaf_group = np.array([group_pos[int(top[i])] for i in leaves], dtype=np.intp)

    options = [o.item for o in appraisal.options() if not o.item.discounted]
    option_pos = {o.id: k for k, o in enumerate(options)}
    leaf_ids = [nodes[i].criterion.id for i in leaves]
    leaf_pos = {c: k for k, c in enumerate(leaf_ids)}
    sheets = [s for _, s in appraisal.sheets]
    scores = np.full((len(sheets), len(options), len(leaf_ids)), np.nan)
    declared_low = np.full(scores.shape, np.nan)
    declared_high = np.full(scores.shape, np.nan)
    for s, sheet in enumerate(sheets):
        _fill(scores[s], sheet.scores, option_pos, leaf_pos)
        _fill(declared_low[s], sheet.scores, option_pos, leaf_pos, "low")
        _fill(declared_high[s], sheet.scores, option_pos, leaf_pos, "high")
    moderated = np.full((len(options), len(leaf_ids)), np.nan)
    for _, moderation in appraisal.moderations[:1]:
        _fill(moderated, moderation.scores, option_pos, leaf_pos)

    scales = [appraisal.scale_for(nodes[i].criterion) for i in leaves]
    base_span = float(settings.scale.max - settings.scale.min)
    to_base = np.array([base_span / (sc.max - sc.min) for sc in scales], dtype=float)
    prefs = [nodes[i].criterion.preference for i in leaves]
    weight_settings = settings.weights
    base_normalise = np.zeros(len(nodes) + 1, dtype=bool)
    base_normalise[0] = weight_settings.normalise
    for i, n in enumerate(nodes):
        base_normalise[i + 1] = weight_settings.normalise or n.criterion.normalise
    tree_local = np.array([n.criterion.weight for n in nodes], dtype=float)
    weight_sets = [WeightSetArrays("tree", "Value tree", tree_local, base_normalise)]
    elicited = _elicited(appraisal)
    total = float(weight_settings.total)
    weight_sets.extend(
        _participants(elicited.get("tree"), nodes, tree_local, base_normalise, total)
    )
    for _, file in appraisal.criteria_files:
        for ws in file.weight_sets:
            es = elicited.get(ws.id)
            derived = es.shares() if es is not None else {}
            local = np.array(
                [
                    ws.weights.get(
                        n.criterion.id,
                        derived[n.criterion.id] * total
                        if n.criterion.id in derived
                        else n.criterion.weight,
                    )
                    for n in nodes
                ],
                dtype=float,
            )
            normalise = base_normalise | ws.normalise
            weight_sets.append(WeightSetArrays(ws.id, ws.name, local, normalise))
            weight_sets.extend(_participants(es, nodes, local, normalise, total))

    hurdle_ids = [h.id for _, f in appraisal.criteria_files for h in f.hurdles]
    from appraise.files.costing import cost_book, hurdle_results

    results = [hurdle_results(appraisal, o) for o in options]
    hurdle_results_ = np.array(
        [[r[h].result if h in r else "pass" for h in hurdle_ids] for r in results],
        dtype=np.str_,
    ).reshape(len(options), len(hurdle_ids))
    book = cost_book(appraisal)
    terms = _cost_terms(book, [o.id for o in options])
    costs = np.array([book.options[o.id].npc if o.id in book.options else np.nan for o in options])
    baseline = next((k for k, o in enumerate(options) if o.baseline), 0)
    return Problem(
        title=settings.appraisal.title,
        illustrative=settings.appraisal.illustrative,
        status=settings.appraisal.status,
        option_ids=[o.id for o in options],
        option_names=[o.name for o in options],
        baseline=baseline,
        node_ids=[n.criterion.id for n in nodes],
        node_names=[n.criterion.name for n in nodes],
        parent=parent,
        leaves=leaves,
        groups=groups,
        leaf_group=leaf_group,
        scorer_ids=[s.scorer.id for s in sheets],
        scores=scores,
        moderated=moderated,
        low=np.array([s.min for s in scales], dtype=float),
        high=np.array([s.max for s in scales], dtype=float),
        higher_is_better=np.array(
            [nodes[i].criterion.direction == "higher_is_better" for i in leaves], dtype=bool
        ),
        base_low=float(settings.scale.min),
        base_high=float(settings.scale.max),
        scale_type=settings.scale.type,
        total=float(weight_settings.total),
        weight_sets=weight_sets,
        hurdle_ids=hurdle_ids,
        hurdle_results=hurdle_results_,
        costs=costs,
        cost_unit=settings.costs.unit,
        flag_range=float(settings.moderation.flag_range),
        flag_distance=float(settings.moderation.flag_distance),
        criterion_ids=leaf_ids,
        criterion_names=[nodes[i].criterion.name for i in leaves],
        preference=[pr.function if pr is not None else "usual" for pr in prefs],
        preference_q=np.array([pr.q if pr is not None else 0.0 for pr in prefs]) * to_base,
        preference_p=np.array([pr.p if pr is not None else 0.0 for pr in prefs]) * to_base,
        declared_low=declared_low,
        declared_high=declared_high,
        cost_terms=terms,
        cost_book=book,
    )


def _cost_terms(book: CostBook, ids: list[str]) -> CostArrays | None:
    """The cost book's lines and risks as arrays, options in ``ids`` order."""
    if not book.options:
        return None
    costed = [book.options.get(i) for i in ids]
    n_lines = max((max(1, len(c.lines)) for c in costed if c is not None), default=1)
    n_risks = max((len(c.risks) for c in costed if c is not None), default=0)
    shape = (len(ids), n_lines)
    pv, up, low, high = np.zeros(shape), np.zeros(shape), np.ones(shape), np.ones(shape)
    up_low, up_high = np.zeros(shape), np.zeros(shape)
    risk_pv, risk_p = np.zeros((len(ids), n_risks)), np.zeros((len(ids), n_risks))
    for k, c in enumerate(costed):
        if c is None:
            pv[k] = np.nan
            continue
        if not c.lines:
            pv[k, 0] = c.amount or 0.0
            low[k, 0], high[k, 0] = c.low, c.high
        for j, line in enumerate(c.lines):
            pv[k, j], up[k, j] = line.pv, line.uplift
            low[k, j], high[k, j] = line.low, line.high
            up_low[k, j], up_high[k, j] = line.uplift_low, line.uplift_high
        for j, r in enumerate(c.risks):
            risk_pv[k, j], risk_p[k, j] = r.pv, r.probability
    return CostArrays(pv, up, low, high, up_low, up_high, risk_pv, risk_p)


def _elicited(appraisal: Appraisal) -> dict[str, ElicitedSet]:
    """The recorded elicitations by set id (``tree`` for the value tree's)."""
    if not any(
        f.elicitation is not None or any(ws.elicitation for ws in f.weight_sets)
        for _, f in appraisal.criteria_files
    ):
        return {}
    from appraise.files.elicitation import derive

    return {es.set_id: es for es in derive(appraisal)[0]}


def _participants(
    es: ElicitedSet | None,
    nodes: list[Node],
    owner: FloatArray,
    normalise: BoolArray,
    total: float,
) -> list[WeightSetArrays]:
    """Each participant's weights as its own set (when several took part): their
    elicited levels, and the owner's weights elsewhere."""
    if es is None or len(es.participants) < 2:
        return []
    from appraise.files.elicitation import participant_set_id

    out = []
    for record in es.participants:
        shares = es.shares(record)
        local = owner.copy()
        for k, n in enumerate(nodes):
            if n.criterion.id in shares:
                local[k] = shares[n.criterion.id] * total
        out.append(
            WeightSetArrays(
                participant_set_id(es.set_id, record.id or ""),
                f"{es.name}: {record.id}",
                local,
                normalise,
            )
        )
    return out


def _fill(
    target: FloatArray,
    rows: Mapping[str, Mapping[str, Any]],
    option_pos: dict[str, int],
    leaf_pos: dict[str, int],
    attribute: str = "score",
) -> None:
    """Write each cell's ``attribute`` (``score``, ``low`` or ``high``; ``None`` stays NaN)
    into ``target[option, criterion]``, skipping unknown ids. A cell whose score is
    blank is absent: its ``low`` and ``high`` stay NaN too."""
    for option_id, row in rows.items():
        o = option_pos.get(option_id)
        if o is None:
            continue
        for criterion_id, cell in row.items():
            c = leaf_pos.get(criterion_id)
            value = getattr(cell, attribute) if c is not None and cell.score is not None else None
            if value is not None:
                target[o, c] = value
