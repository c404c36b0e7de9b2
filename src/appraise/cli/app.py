"""The typer application, and the one place a failure becomes an exit code.

Exit codes: 0 success; 1 invalid input or a failed check; 2 usage error (typer's).
Machine formats go to standard output; messages go to standard error. Every command is
registered with :func:`command`, which turns an :class:`~appraise.errors.AppraiseError`
into its message, where and hint on standard error and exit 1. Anything else is a bug
in appraise and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from appraise import __version__
from appraise.errors import AppraiseError, AppraiseInputError, Severity

__all__ = ["app", "command", "fail", "main", "progress", "stderr", "stdout"]

app = typer.Typer(
    name="appraise",
    help="Multi-criteria option appraisal from YAML files: validate, score, explain.",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


def stderr(text: str) -> None:
    """Write a message to standard error."""
    sys.stderr.write(text)
    sys.stderr.flush()


def stdout(text: str) -> None:
    """Write machine output to standard output."""
    sys.stdout.write(text)


def report_error(exc: AppraiseError) -> None:
    """Print a user's error as appraise prints every error."""
    if isinstance(exc, AppraiseInputError):
        from appraise.files.diagnostics import format_text

        stderr(format_text([i for i in exc.issues if i.severity is Severity.ERROR]))
    stderr(f"appraise: error: {exc}\n" + (f"  hint: {exc.hint}\n" if exc.hint else ""))


def fail(message: str, hint: str = "") -> NoReturn:
    """Stop the command with a user's error (exit 1)."""
    raise AppraiseError(message, hint=hint)


def command(**kwargs: Any) -> Callable[[F], F]:
    """Register a command whose user errors exit 1 with a clear message."""

    def register(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kw: Any) -> Any:
            try:
                return fn(*args, **kw)
            except AppraiseError as exc:
                report_error(exc)
                raise typer.Exit(1) from None

        app.command(**kwargs)(run)
        return fn

    return register


PROGRESS_FROM = 500_000
"""Monte Carlo runs of at least this many samples show a progress bar on stderr."""


@contextlib.contextmanager
def progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on stderr for long Monte Carlo runs (a terminal only)."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    from appraise.terminal.render import console

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("Monte Carlo", total=total)
        yield lambda done: bar.update(task, completed=done)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"appraise {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Multi-criteria option appraisal from YAML files.

    Keep the appraisal as YAML in a folder (appraisal.yaml, criteria/, options/, scores/),
    and check it with [bold]appraise validate[/bold].
    """


def main() -> None:
    """Run the command line (the ``appraise`` console script)."""
    app()
