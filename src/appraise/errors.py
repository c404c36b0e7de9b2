"""Problems found in an appraisal, and the exceptions that carry them.

Every problem appraise finds in a user's files becomes an :class:`Issue`: a file, a
line and a column, a one-line message and a hint saying how to fix it. Loading and
checking collect issues instead of stopping at the first, so one run reports them all.

Why:
    The CLI must tell a user errors (bad input, exit 1, no traceback) apart from bugs in
    appraise (which keep their traceback). :class:`AppraiseInputError` is the only
    exception the CLI treats as the user's; anything else is a bug.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from pathlib import Path


class Severity(enum.StrEnum):
    """How serious an issue is: errors make an appraisal invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one place.

    Attributes:
        severity: error or warning.
        code: a stable, kebab-case identifier (``score-off-scale``), for tools and tests.
        message: what is wrong, in one line.
        hint: how to fix it, in one line (may be empty).
        path: the file, or ``None`` for a problem with the folder as a whole.
        line: 1-based line, or 0 when unknown.
        column: 1-based column, or 0 when unknown.
        where: the data path inside the file (``options[2].id``), for machine output.
        cell: for a spreadsheet, the sheet and cell (``Scores!D7``) in place of a line
            and column.
    """

    severity: Severity
    code: str
    message: str
    hint: str = ""
    path: Path | None = None
    line: int = 0
    column: int = 0
    where: str = ""
    cell: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        """Order issues by file, then line and column, errors before warnings."""
        return (
            str(self.path) if self.path is not None else "",
            self.line,
            self.column,
            0 if self.severity is Severity.ERROR else 1,
            self.message,
        )

    def escalated(self) -> Issue:
        """This issue as an error (what ``--strict`` does to warnings)."""
        return replace(self, severity=Severity.ERROR)


@dataclass(slots=True)
class Report:
    """Every issue found in one run, in the order found.

    Attributes:
        issues: the issues found so far.
    """

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        """Record one issue."""
        self.issues.append(issue)

    def extend(self, issues: list[Issue]) -> None:
        """Record several issues."""
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        """The issues that are errors."""
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """The issues that are warnings."""
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def sorted(self, *, strict: bool = False) -> list[Issue]:
        """The issues sorted by file and line; with ``strict``, warnings become errors."""
        issues = [i.escalated() for i in self.issues] if strict else list(self.issues)
        unique = {(i.sort_key, i.code, i.hint): i for i in issues}
        return sorted(unique.values(), key=lambda i: i.sort_key)


class AppraiseError(Exception):
    """A failure the user caused and can fix: a message, where, and how to fix it.

    The CLI prints it as ``appraise: error: MESSAGE`` (with ``where`` first when there
    is one) and ``hint: HINT``, and exits 1, with no traceback. Any other exception is
    a bug in appraise and keeps its traceback.

    Args:
        message: what is wrong, in one line.
        hint: how to fix it, in one line (may be empty).
        where: the file, ``file:line:column``, ``workbook!sheet!cell`` or git revision
            it concerns (may be empty).
    """

    def __init__(self, message: str, *, hint: str = "", where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class AppraiseInputError(AppraiseError):
    """The appraisal's files are invalid; carries every issue found.

    Args:
        issues: the issues, at least one of them an error.
        message: the one-line summary (default: how many errors, and the first).
        hint: how to go on.
    """

    def __init__(
        self,
        issues: list[Issue],
        message: str = "",
        *,
        hint: str = "run appraise validate and fix the errors",
    ) -> None:
        errors = [i for i in issues if i.severity is Severity.ERROR]
        first = errors[0].message if errors else "invalid input"
        super().__init__(
            message or f"{len(errors)} error(s) in the appraisal; first: {first}", hint=hint
        )
        self.issues = issues


class RequestError(AppraiseError):
    """What was asked for does not exist or does not apply: an unknown weight set,
    panel member, table or chart; a format a file cannot hold; a bad what-if."""


class MissingExtra(AppraiseError):
    """An optional dependency is not installed (the hint names the extra to install)."""


class OutputError(AppraiseError):
    """An output cannot be written where it was asked for (exists, is an input, no
    such folder, no permission, disk full)."""


class RevisionError(AppraiseError):
    """A git revision cannot be read (not a repository, unknown revision, git missing)."""
