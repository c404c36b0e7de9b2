"""The start-up floor for a typer command shaped like ``appraise score``.

One command with the same kinds of options (a path argument, enum choices, strings, an
optional string, a flag) that imports appraise's dependencies and exits. ``bench/run.py``
times it next to ``appraise score`` so the ratio separates typer's own per-run cost
(it builds a pydantic adapter for each option) from appraise's.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Method(StrEnum):
    wsm = "wsm"
    topsis = "topsis"


app = typer.Typer(add_completion=False)


@app.command()
def score(
    folder: Annotated[Path, typer.Argument(exists=True, file_okay=False)] = Path("."),
    method: Annotated[Method, typer.Option("--method", "-m")] = Method.wsm,
    aggregate: Annotated[Method, typer.Option("--aggregate", "-a")] = Method.wsm,
    weights: Annotated[str, typer.Option("--weights", "-w")] = "tree",
    scorer: Annotated[str | None, typer.Option("--scorer")] = None,
    include_failed: Annotated[bool, typer.Option("--include-failed")] = False,
    output_format: Annotated[Method, typer.Option("--format", "-f")] = Method.wsm,
) -> None:
    import numpy  # noqa: F401
    import pydantic  # noqa: F401
    import rich  # noqa: F401
    import yaml  # noqa: F401


@app.command()
def other() -> None:
    """A second command, so typer dispatches by name as appraise does."""


if __name__ == "__main__":
    app()
