"""Where the weights come from: every weight set's local and global weights, and the
recorded elicitation behind them (``appraise weights``).

:func:`build_weights` gathers, for the value tree and every weight set (participants'
sets included), the local weights as used and the global weights (the product down
the tree), the method and source, and the derived elicitation (:mod:`appraise.files.elicitation`)
with each participant's weights and the AHP consistency figures. It is plain data:
:mod:`appraise.paper.tables.weights` presents it and :meth:`WeightsView.as_dict` is the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from appraise.analysis.problem import Problem
from appraise.engine import global_weights
from appraise.files.elicitation import (
    Consistency,
    ElicitedSet,
    LevelWeights,
    derive,
    participant_set_id,
)
from appraise.files.loading import Appraisal

__all__ = ["SetWeights", "WeightsView", "build_weights"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SetWeights:
    """One weight set as used.

    Attributes:
        id: ``tree``, a weight set's id, or ``SET.PARTICIPANT``.
        name: its name.
        method: ``direct``, ``swing``, ``points``, ``ranking`` or ``ahp``.
        source: the workshop, date or document, if recorded.
        participant_of: the set a participant's weights belong to (else ``None``).
        local: ``(n_nodes,)`` local weights as used, in the appraisal's units.
        global_: ``(n_nodes,)`` global weights as fractions (leaves sum to 1).
        elicited: the elicitation the weights were derived from, if recorded.
    """

    id: str
    name: str
    method: str
    source: str | None
    participant_of: str | None
    local: FloatArray
    global_: FloatArray
    elicited: ElicitedSet | None


@dataclass(frozen=True)
class WeightsView:
    """Every weight set of an appraisal, with how it was set."""

    problem: Problem
    sets: list[SetWeights]
    rationale: str | None
    agreed: str | None

    @property
    def elicited(self) -> list[SetWeights]:
        """The sets derived from a recorded elicitation (participants' own sets aside)."""
        return [s for s in self.sets if s.elicited is not None and s.participant_of is None]

    def as_dict(self) -> dict[str, Any]:
        """Everything, unrounded, for ``--format json``."""
        p = self.problem
        total = p.total
        leaves = {int(x) for x in p.leaves}
        nodes = [
            {
                "id": p.node_ids[k],
                "name": p.node_names[k],
                "parent": p.node_ids[int(p.parent[k])] if p.parent[k] >= 0 else None,
                "group": k not in leaves,
            }
            for k in range(len(p.node_ids))
        ]
        return {
            "title": p.title,
            "illustrative": p.illustrative,
            "total": total,
            "agreed": self.agreed,
            "rationale": self.rationale,
            "nodes": nodes,
            "weight_sets": [
                {
                    "id": s.id,
                    "name": s.name,
                    "method": s.method,
                    "source": s.source,
                    "participant_of": s.participant_of,
                    "local": dict(zip(p.node_ids, map(float, s.local), strict=True)),
                    "global": dict(
                        zip(p.node_ids, (float(g) * total for g in s.global_), strict=True)
                    ),
                }
                for s in self.sets
            ],
            "elicitations": [
                _elicitation_dict(s.elicited, total) for s in self.elicited if s.elicited
            ],
        }


def build_weights(appraisal: Appraisal, problem: Problem) -> WeightsView:
    """The weights of a loaded, validated appraisal and its problem."""
    settings = appraisal.settings.weights
    elicited = {es.set_id: es for es in derive(appraisal)[0]}
    described: dict[str, tuple[str, str | None]] = {"tree": (settings.method, settings.agreed)}
    for _, file in appraisal.criteria_files:
        for named in file.weight_sets:
            described[named.id] = (named.method, named.source)
    owners = {
        participant_set_id(es.set_id, r.id or ""): es.set_id
        for es in elicited.values()
        if len(es.participants) > 1
        for r in es.participants
    }
    sets = []
    for ws in problem.weight_sets:
        owner = owners.get(ws.id)
        method, source = described.get(owner or ws.id, ("direct", None))
        sets.append(
            SetWeights(
                id=ws.id,
                name=ws.name,
                method=method,
                source=source,
                participant_of=owner,
                local=ws.local,
                global_=global_weights(problem.parent, ws.local, ws.normalise, problem.total),
                elicited=elicited.get(owner or ws.id),
            )
        )
    return WeightsView(problem, sets, settings.rationale, settings.agreed)


def _consistency_dict(c: Consistency | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "n": c.n,
        "lambda_max": c.lambda_max,
        "ci": c.ci,
        "ri": c.ri,
        "cr": c.cr,
        "limit": c.limit,
        "acceptable": c.acceptable,
        "missing_comparisons": c.missing,
        "least_consistent": [
            {"row": j.row, "col": j.col, "given": j.given, "implied": j.implied, "line": j.line}
            for j in c.worst
        ],
    }


def _level_dict(lv: LevelWeights, total: float) -> dict[str, Any]:
    return {
        "group": lv.group,
        "kind": lv.kind,
        "recorded": lv.recorded,
        "local": {i: float(s) * total for i, s in zip(lv.ids, lv.shares, strict=True)},
        "consistency": _consistency_dict(lv.consistency),
    }


def _elicitation_dict(es: ElicitedSet, total: float) -> dict[str, Any]:
    return {
        "set": es.set_id,
        "name": es.name,
        "method": es.method,
        "source": es.source,
        "combine": es.combine,
        "rank_rule": es.rank_rule if es.method == "ranking" else None,
        "levels": [_level_dict(lv, total) for lv in es.combined],
        "records": [
            {
                "participant": r.id,
                "name": r.name,
                "role": r.role,
                "levels": [_level_dict(lv, total) for lv in r.levels],
            }
            for r in es.records
        ],
    }
