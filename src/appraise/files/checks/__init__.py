"""Checks across the files of an appraisal.

Each file has already passed its own model (:mod:`appraise.files.loading`). These rules need
more than one file or one object: references between ids, completeness of the panel's
scores, scales and steps, weights at each level of the tree and of each weight set,
the baseline, hurdle results, double counting, rationale and moderation notes.

Each family of rules is a module taking a :class:`~appraise.files.checks.context.Context`:
:mod:`~appraise.files.checks.ids`, :mod:`~appraise.files.checks.tree`,
:mod:`~appraise.files.checks.scales`, :mod:`~appraise.files.checks.weights`,
:mod:`~appraise.files.checks.options`, :mod:`~appraise.files.checks.costs`,
:mod:`~appraise.files.checks.scores`,
:mod:`~appraise.files.checks.moderation` and :mod:`~appraise.files.checks.paper`.

Some rules are warnings early in an appraisal and errors later; :data:`SEVERITY_TABLE`
lists which, and the README prints it. ``--strict`` makes every warning an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from appraise.errors import Issue
from appraise.files.checks.context import SEVERITY_TABLE, Context
from appraise.files.checks.costs import check_costs
from appraise.files.checks.ids import check_ids
from appraise.files.checks.moderation import check_moderation
from appraise.files.checks.options import check_options
from appraise.files.checks.paper import check_paper
from appraise.files.checks.scales import check_scales
from appraise.files.checks.scores import REPEATED_RATIONALE, check_sheets
from appraise.files.checks.tree import MANY_CRITERIA, check_tree, near_duplicate
from appraise.files.checks.weights import check_elicitation, check_weight_sets
from appraise.files.loading import Appraisal

__all__ = [
    "FAMILIES",
    "MANY_CRITERIA",
    "REPEATED_RATIONALE",
    "SEVERITY_TABLE",
    "check_appraisal",
    "near_duplicate",
]

FAMILIES: tuple[Callable[[Context], Iterator[Issue]], ...] = (
    check_ids,
    check_tree,
    check_scales,
    check_weight_sets,
    check_elicitation,
    check_options,
    check_costs,
    check_sheets,
    check_moderation,
    check_paper,
)
"""Every family of rules, in the order :func:`check_appraisal` runs them."""


def check_appraisal(appraisal: Appraisal) -> list[Issue]:
    """Every cross-file issue in an appraisal whose files each passed their model.

    Args:
        appraisal: the loaded appraisal.

    Returns:
        Issues, errors and warnings, in no particular order.
    """
    ctx = Context(appraisal)
    return [issue for family in FAMILIES for issue in family(ctx)]
