"""The typer application, and the one place a failure becomes an exit code.

Exit codes: 0 success; 1 invalid input or a failed check; 2 usage error (typer's).
Machine formats go to standard output; messages go to standard error. Every command is
registered with :func:`command`, which turns an :class:`~appraise.errors.AppraiseError`
into its message, where and hint on standard error and exit 1. Anything else is a bug
in appraise and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from appraise import __version__
from appraise.errors import AppraiseError, AppraiseInputError, OutputError, Severity

if TYPE_CHECKING:
    from appraise.analysis.problem import Problem

__all__ = ["app", "command", "fail", "main", "progress", "provisional_note", "stderr", "stdout"]

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


def provisional_note(problem: Problem) -> None:
    """Say on standard error that results are PROVISIONAL, and why (nothing when every
    panel score is in): machine output and files written carry it too, but a person
    running the command should not have to look for it."""
    from appraise.analysis.missing import provisional

    reason = provisional(problem)
    if reason:
        stderr(f"appraise: {reason} (the results list them)\n")


def stdout(text: str) -> None:
    """Write machine output to standard output."""
    sys.stdout.write(text)


def report_error(exc: AppraiseError) -> None:
    """Print a user's error as appraise prints every error."""
    if isinstance(exc, AppraiseInputError):
        from appraise.files.diagnostics import format_text

        stderr(format_text([i for i in exc.issues if i.severity is Severity.ERROR]))
    from appraise.text import shown

    stderr(
        f"appraise: error: {shown(str(exc))}\n"
        + (f"  hint: {shown(exc.hint)}\n" if exc.hint else "")
    )


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
                if not getattr(sys.stdout, "broken_pipe", False):
                    with contextlib.suppress(OutputError):
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


class _Stream:
    """Standard output or error as the commands see it: any character the stream's
    encoding cannot hold is written as a backslash escape (an ASCII-only terminal gets
    ``\\xb7``, not a traceback), and a failed write (a full disk, a closed stream)
    becomes one :class:`~appraise.errors.OutputError`."""

    def __init__(self, stream: Any, name: str) -> None:
        self._stream = stream
        self._name = name
        self.failed = False
        self.broken_pipe = False

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._stream, attribute)

    def write(self, text: str) -> int:
        return self._guard(lambda: self._stream.write(text))  # type: ignore[no-any-return]

    def flush(self) -> None:
        if self._stream is not None:
            self._guard(lambda: self._stream.flush())

    def _guard(self, action: Callable[[], Any]) -> Any:
        if self._stream is None:
            self.failed = True
            raise OutputError(
                f"cannot write to {self._name}: it is closed",
                hint="run appraise with its output open, or write a file with -o",
            )
        try:
            return action()
        except OSError as exc:
            self.failed = True
            if exc.errno == errno.EPIPE:
                self.broken_pipe = True
            raise OutputError(
                f"cannot write to {self._name}: {exc.strerror or exc}",
                hint="check where the output goes has space, or write a file with -o",
            ) from None


def _guarded(stream: Any, name: str) -> _Stream:
    if stream is not None and hasattr(stream, "reconfigure"):
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")
    return _Stream(stream, name)


def main() -> None:
    """Run the command line (the ``appraise`` console script).

    Why:
        Standard output may be a full disk (``> /dev/full``), closed (``>&-``), a pipe
        whose reader stopped (``| head``) or an ASCII-only terminal. Each ends in one
        clear line and exit 1, never a traceback or Python's "Exception ignored" at
        exit; a reader that stopped reading ends the command quietly.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")  # no entry-point scan at start
    out = _guarded(sys.stdout, "standard output")
    err = _guarded(sys.stderr, "standard error")
    sys.stdout, sys.stderr = out, err
    code: Any = 0
    try:
        app()
    except SystemExit as exit_:
        code = exit_.code
    except OutputError as exc:
        _report_stream_error(exc, out)
        code = 1
    try:
        out.flush()
    except OutputError as exc:
        _report_stream_error(exc, out)
        code = 1
    if out.broken_pipe:
        code = 1
    if out.failed or err.failed:
        _silence()
    sys.exit(code)


def _report_stream_error(exc: OutputError, out: _Stream) -> None:
    if not out.broken_pipe:
        with contextlib.suppress(OutputError):
            report_error(exc)


def _silence() -> None:
    """Point the standard streams at the null device, so Python's own flush at exit
    has nothing left to fail on."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
