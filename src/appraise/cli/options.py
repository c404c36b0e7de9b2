"""Options shared by several commands, defined once."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from appraise.analysis import DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES

__all__ = [
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "AggregateChoice",
    "AggregateOption",
    "DirArgument",
    "IncludeFailedOption",
    "OutputOption",
    "SamplesOption",
    "SeedOption",
    "TableFormat",
    "WeightsOption",
]


class AggregateChoice(enum.StrEnum):
    """Which scores count."""

    moderated = "moderated"
    mean = "mean"
    median = "median"


class TableFormat(enum.StrEnum):
    """Output formats of commands that print tables and have JSON."""

    table = "table"
    json = "json"


DirArgument = Annotated[
    Path,
    typer.Argument(
        help="The appraisal folder (holding appraisal.yaml, criteria/, options/, scores/).",
        exists=True,
        file_okay=False,
        dir_okay=True,
        show_default=True,
    ),
]
AggregateOption = Annotated[
    AggregateChoice,
    typer.Option(
        "--aggregate",
        "-a",
        help="Which scores count: moderated (the panel median where a cell was not "
        "moderated), or the panel's mean or median.",
    ),
]
WeightsOption = Annotated[
    str,
    typer.Option("--weights", "-w", help="Weight set: 'tree' (the value tree's) or a set's id."),
]
IncludeFailedOption = Annotated[
    bool,
    typer.Option(
        "--include-failed", help="Rank options that fail a hurdle too (they stay marked)."
    ),
]
SamplesOption = Annotated[
    int,
    typer.Option("--samples", "-n", min=0, max=MAX_SAMPLES, help="Monte Carlo samples (0: skip)."),
]
SeedOption = Annotated[
    int, typer.Option("--seed", min=0, help="Random seed: same seed, same numbers.")
]
OutputOption = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The file to write; its suffix sets the format. Replaced in one step if it "
        "exists; never one of the appraisal's input files.",
        dir_okay=False,
    ),
]
