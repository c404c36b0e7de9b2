"""``appraise workshop``: the decision conference's page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, stderr
from appraise.cli.options import (
    AggregateChoice,
    AggregateOption,
    DirArgument,
    IncludeFailedOption,
)


@command()
def workshop(
    folder: DirArgument = Path("."),
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The page to write (.html); replaced in one step if it exists.",
        ),
    ] = Path("workshop.html"),
    weights: Annotated[
        str,
        typer.Option("--weights", "-w", help="The weight set the page starts from."),
    ] = "tree",
    aggregate: AggregateOption = AggregateChoice.moderated,
    include_failed: IncludeFailedOption = False,
) -> None:
    """Write the decision conference's page: one HTML file, no network.

    A slider per criterion and group (the others rescaled in proportion; lock
    one to hold it), with the ranking, contributions and cost-benefit frontier
    moving as it moves, each weight's switching values marked on its track, a
    "what if this score were..." for any cell, snapshots, and "save as weight
    set" (a YAML file for criteria/). It opens from a folder or an email
    attachment in Chromium-based browsers and Firefox.

    Example:

        appraise workshop -o board/workshop.html
    """
    from appraise import api

    written = api.workshop(
        folder,
        output,
        aggregate=aggregate.value,
        weights=weights,
        include_failed=include_failed,
    )
    stderr(f"appraise: wrote {written}\n")
