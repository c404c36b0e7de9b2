"""Which scores count: panel statistics per cell, moderation flags, combined scores."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class PanelStats:
    """Spread of the panel's scores in each cell; every array is ``(n_options, n_criteria)``.

    Attributes:
        n: how many panel members scored the cell.
        min: lowest score.
        max: highest score.
        range: ``max - min``.
        median: median score.
        mean: mean score.
        sd: sample standard deviation (``ddof=1``; 0 for a single score).
        far: the largest distance of any score from the median.
    """

    n: npt.NDArray[np.intp]
    min: FloatArray
    max: FloatArray
    range: FloatArray
    median: FloatArray
    mean: FloatArray
    sd: FloatArray
    far: FloatArray


def panel_stats(scores: FloatArray) -> PanelStats:
    """Per-cell statistics of ``scores`` ``(n_scorers, n_options, n_criteria)``; NaN = absent."""
    present = ~np.isnan(scores)
    n = present.sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanmin(scores, axis=0)
        high = np.nanmax(scores, axis=0)
        median = np.nanmedian(scores, axis=0)
        mean = np.nanmean(scores, axis=0)
        sd = np.where(n > 1, np.nanstd(scores, axis=0, ddof=1), 0.0)
        far = np.nanmax(np.abs(scores - median), axis=0)
    return PanelStats(
        n=n, min=low, max=high, range=high - low, median=median, mean=mean, sd=sd, far=far
    )


def flag_cells(stats: PanelStats, flag_range: float, flag_distance: float) -> BoolArray:
    """Cells for the moderation meeting: range at least ``flag_range``, or a score more
    than ``flag_distance`` from the median."""
    with np.errstate(invalid="ignore"):
        return np.asarray((stats.range >= flag_range) | (stats.far > flag_distance))


def combine_scores(
    scores: FloatArray, moderated: FloatArray, how: Literal["moderated", "mean", "median"]
) -> FloatArray:
    """The score that counts in each cell.

    Args:
        scores: ``(n_scorers, n_options, n_criteria)`` panel scores, NaN where absent.
        moderated: ``(n_options, n_criteria)`` moderated scores, NaN where not moderated.
        how: ``moderated`` (the moderated score where there is one, else the panel
            median), ``mean`` or ``median`` of the panel.

    Returns:
        ``(n_options, n_criteria)`` scores.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if how == "mean":
            return np.asarray(np.nanmean(scores, axis=0))
        median = np.asarray(np.nanmedian(scores, axis=0))
    if how == "median":
        return median
    return np.where(np.isnan(moderated), median, moderated)
