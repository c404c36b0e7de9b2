"""The appraisal engine: plain NumPy functions on arrays, no pydantic, no Rich, no I/O.

Shapes are stated in each docstring: ``scores`` are ``(n_scorers, n_options, n_criteria)``,
per-cell arrays ``(n_options, n_criteria)``, weights ``(n_criteria,)``. Missing values are
``NaN``. :mod:`appraise.analysis.problem` turns a loaded appraisal into these arrays.

The names below are imported on first use, so that a module of the package that needs
no NumPy (:mod:`appraise.engine.elicitation`, used by ``appraise validate``) can be
imported without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from appraise.engine.aggregate import PanelStats, combine_scores, flag_cells, panel_stats
    from appraise.engine.methods import promethee_ii, to_points, topsis, weighted_sum
    from appraise.engine.ranking import dominated_by, dominators, rank_with_ties, undominated
    from appraise.engine.weights import global_weights

_HOMES = {
    "PanelStats": "aggregate",
    "combine_scores": "aggregate",
    "flag_cells": "aggregate",
    "panel_stats": "aggregate",
    "promethee_ii": "methods",
    "to_points": "methods",
    "topsis": "methods",
    "weighted_sum": "methods",
    "dominated_by": "ranking",
    "dominators": "ranking",
    "undominated": "ranking",
    "rank_with_ties": "ranking",
    "global_weights": "weights",
}

__all__ = [
    "PanelStats",
    "combine_scores",
    "dominated_by",
    "dominators",
    "flag_cells",
    "global_weights",
    "panel_stats",
    "promethee_ii",
    "rank_with_ties",
    "to_points",
    "topsis",
    "undominated",
    "weighted_sum",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'appraise.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"appraise.engine.{home}"), name)
    globals()[name] = value
    return value
