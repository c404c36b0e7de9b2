"""appraise: multi-criteria option appraisal from YAML files.

The library behind the ``appraise`` command. The front door (:mod:`appraise.api`)::

    import appraise

    appraisal = appraise.load("my-appraisal")            # validated, or AppraiseInputError
    result = appraise.score(appraisal, weights="staff_side")
    robust = appraise.sensitivity(appraisal, samples=100_000, seed=7)
    appraise.export(appraisal, "board/ranking.xlsx", tables=["ranking", "vfm"])
    appraise.report(appraisal, "board/appraisal.docx")

Each returns a plain result object (or the paths written) and raises
:class:`~appraise.errors.AppraiseError` for anything the user can fix. The functions are
imported on first use, so ``import appraise`` (and ``appraise --help``) stays fast.

The package is layered, each layer importing only those below it:
:mod:`appraise.engine` (NumPy kernels) → :mod:`appraise.files` (YAML, models, checks;
no NumPy) → :mod:`appraise.analysis` (results as data) → :mod:`appraise.paper` (the
tables and every file format) → :mod:`appraise.terminal` (Rich) → :mod:`appraise.api`
→ :mod:`appraise.cli`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"


__all__ = [
    "__version__",
    "diff",
    "export",
    "load",
    "problem",
    "report",
    "score",
    "score_weight_sets",
    "sensitivity",
    "validate",
    "weights",
]

_FRONT_DOOR = frozenset(__all__) - {"__version__"}
"""What ``__getattr__`` brings in from :mod:`appraise.api` on first use."""

if TYPE_CHECKING:
    from appraise.api import (
        diff,
        export,
        load,
        problem,
        report,
        score,
        score_weight_sets,
        sensitivity,
        validate,
        weights,
    )


def __getattr__(name: str) -> Any:
    """The front door's functions, imported from :mod:`appraise.api` on first use."""
    if name in _FRONT_DOOR:
        from appraise import api

        return getattr(api, name)
    raise AttributeError(f"module 'appraise' has no attribute {name!r}")
