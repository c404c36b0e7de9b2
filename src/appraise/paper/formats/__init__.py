"""Every file format a paper is written in, behind one registry.

Each format is a module with ``render(paper) -> bytes``. :data:`FORMATS` maps a file
suffix to it; :func:`render` picks by suffix. Adding a format is one module and one
line here, and ``test_every_format_is_registered`` checks none is left out.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from appraise.errors import RequestError
from appraise.paper.model import Paper

__all__ = ["CHART_FORMATS", "FORMATS", "REPORT_FORMATS", "TABLE_FORMATS", "render"]

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".md": "markdown",
    ".html": "html",
    ".xlsx": "xlsx",
    ".docx": "docx",
    ".json": "json",
    ".tex": "tex",
}
"""File suffix → module of :mod:`appraise.paper.formats` that writes it."""

TABLE_FORMATS = tuple(FORMATS)
"""Suffixes ``appraise export`` writes tables in."""
CHART_FORMATS = (".png", ".svg")
"""Suffixes that hold one chart."""
REPORT_FORMATS = (".html", ".docx")
"""Suffixes ``appraise report`` writes."""
FIGURE_FORMATS = (".html", ".docx", ".md")
"""Table formats that can hold charts too."""


def writer(suffix: str) -> Callable[[Paper], bytes]:
    """The ``render`` function of the format for ``suffix`` (imported when asked for).

    Raises:
        RequestError: no format has this suffix.
    """
    name = FORMATS.get(suffix.lower())
    if name is None:
        raise RequestError(
            f"no format for {suffix!r}",
            hint=f"end the file name with one of {' '.join(TABLE_FORMATS + CHART_FORMATS)}",
        )
    module = importlib.import_module(f"appraise.paper.formats.{name}")
    render_fn: Callable[[Paper], bytes] = module.render
    return render_fn


def render(paper: Paper, suffix: str) -> bytes:
    """``paper`` in the format of ``suffix`` (``.html``, ``.docx``...)."""
    return writer(suffix)(paper)
