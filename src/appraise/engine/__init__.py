"""The appraisal engine: plain NumPy functions on arrays, no pydantic, no Rich, no I/O.

Shapes are stated in each docstring: ``scores`` are ``(n_scorers, n_options, n_criteria)``,
per-cell arrays ``(n_options, n_criteria)``, weights ``(n_criteria,)``. Missing values are
``NaN``. :mod:`appraise.problem` turns a loaded appraisal into these arrays.
"""

from __future__ import annotations

from appraise.engine.aggregate import PanelStats, combine_scores, flag_cells, panel_stats
from appraise.engine.methods import promethee_ii, to_points, topsis, weighted_sum
from appraise.engine.ranking import dominated_by, rank_with_ties
from appraise.engine.weights import global_weights

__all__ = [
    "PanelStats",
    "combine_scores",
    "dominated_by",
    "flag_cells",
    "global_weights",
    "panel_stats",
    "promethee_ii",
    "rank_with_ties",
    "to_points",
    "topsis",
    "weighted_sum",
]
