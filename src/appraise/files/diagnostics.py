"""Issues as text for people, JSON for tools, and GitHub Actions annotations.

Each reporter is a pure function from issues to a string, so tests compare strings.

Text for people (and GitHub annotations) shows every piece of user text through
:func:`appraise.text.shown`, so a file name or id holding ESC, BEL or a bidi control
cannot act on the terminal; and after the first :data:`SHOWN_PER_KIND` issues of one
kind it says how many more there are in one line, so 100,000 unscored options do not
print 300,000 errors. JSON keeps every issue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from appraise.errors import Issue, Severity
from appraise.text import json_safe, shown

__all__ = ["SHOWN_PER_KIND", "format_github", "format_json", "format_text", "summary_line"]

SHOWN_PER_KIND = 20
"""Text output shows this many issues of one kind (code and severity) in full, then one
line saying how many more there are."""

_SUBJECT = re.compile(r"`([^`]+)`")


def _limited(issues: Sequence[Issue], limit: int) -> tuple[list[Issue], list[str]]:
    """The issues to show in full, and one line for each kind with more than ``limit``."""
    kept: list[Issue] = []
    hidden: dict[tuple[Severity, str], list[Issue]] = {}
    seen: dict[tuple[Severity, str], int] = {}
    for issue in issues:
        kind = (issue.severity, issue.code)
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= limit:
            kept.append(issue)
        else:
            hidden.setdefault(kind, []).append(issue)
    lines = []
    for (severity, code), rest in hidden.items():
        files = {i.path for i in rest}
        subjects = [m.group(1) for i in rest if (m := _SUBJECT.search(i.message))]
        about = (
            f": `{shown(subjects[0])}` to `{shown(subjects[-1])}`"
            if len(subjects) == len(rest) and len(set(subjects)) > 1
            else ""
        )
        plural = "s" if len(rest) != 1 else ""
        lines.append(
            f"appraise: … and {len(rest):,} more {severity.value}{plural} of the same kind "
            f"({code}) in {len(files):,} file{'s' if len(files) != 1 else ''}{about}"
        )
    return kept, lines


def _where(issue: Issue) -> str:
    if issue.path is None:
        return "appraise"
    path = shown(issue.path.as_posix())
    if issue.cell:
        return f"{path}:{shown(issue.cell)}"
    if issue.line:
        return f"{path}:{issue.line}:{issue.column}" if issue.column else f"{path}:{issue.line}"
    return path


def format_text(issues: Sequence[Issue], *, limit: int = SHOWN_PER_KIND) -> str:
    """Compiler-style lines: ``path:line:col: error: message`` and an indented hint; the
    first ``limit`` of each kind, then how many more."""
    kept, more = _limited(issues, limit)
    lines = []
    for issue in kept:
        lines.append(f"{_where(issue)}: {issue.severity.value}: {shown(issue.message)}")
        if issue.hint:
            lines.append(f"  hint: {shown(issue.hint)}")
    lines.extend(more)
    return "\n".join(lines) + ("\n" if lines else "")


def summary_line(issues: Sequence[Issue], *, what: str = "") -> str:
    """One line: valid or invalid, with the counts of errors and warnings."""
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = len(issues) - errors
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    verdict = "invalid" if errors else "valid"
    return f"{verdict}: {counts}" + (f" ({what})" if what else "")


def format_json(issues: Sequence[Issue], facts: dict[str, object] | None = None) -> str:
    """A JSON object: ``valid``, counts, ``issues`` (every field) and optional facts."""
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    payload = {
        "valid": errors == 0,
        "errors": errors,
        "warnings": len(issues) - errors,
        "issues": [
            {
                "severity": i.severity.value,
                "code": i.code,
                "file": i.path.as_posix() if isinstance(i.path, Path) else None,
                "line": i.line or None,
                "column": i.column or None,
                "where": i.where or None,
                "cell": i.cell or None,
                "message": i.message,
                "hint": i.hint or None,
            }
            for i in issues
        ],
    }
    if facts is not None:
        payload["appraisal"] = facts
    return json_safe(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(issues: Sequence[Issue], *, limit: int = SHOWN_PER_KIND) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…,col=…::message``): the
    first ``limit`` of each kind, then a notice of how many more."""
    kept, more = _limited(issues, limit)
    lines = []
    for issue in kept:
        props = []
        if issue.path is not None:
            props.append(f"file={_escape_property(shown(issue.path.as_posix()))}")
            if issue.line:
                props.append(f"line={issue.line}")
            if issue.column:
                props.append(f"col={issue.column}")
        props.append(f"title={_escape_property('appraise ' + issue.code)}")
        text = issue.message + (f"\nhint: {issue.hint}" if issue.hint else "")
        message = shown(text, multiline=True)
        lines.append(f"::{issue.severity.value} {','.join(props)}::{_escape_data(message)}")
    lines.extend(f"::notice title=appraise::{_escape_data(line)}" for line in more)
    return "\n".join(lines) + ("\n" if lines else "")
