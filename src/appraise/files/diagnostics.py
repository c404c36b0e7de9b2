"""Issues as text for people, JSON for tools, and GitHub Actions annotations.

Each reporter is a pure function from issues to a string, so tests compare strings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from appraise.errors import Issue, Severity

__all__ = ["format_github", "format_json", "format_text", "summary_line"]


def _where(issue: Issue) -> str:
    if issue.path is None:
        return "appraise"
    path = issue.path.as_posix()
    if issue.line:
        return f"{path}:{issue.line}:{issue.column}" if issue.column else f"{path}:{issue.line}"
    return path


def format_text(issues: Sequence[Issue]) -> str:
    """Compiler-style lines: ``path:line:col: error: message`` and an indented hint."""
    lines = []
    for issue in issues:
        lines.append(f"{_where(issue)}: {issue.severity.value}: {issue.message}")
        if issue.hint:
            lines.append(f"  hint: {issue.hint}")
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
                "message": i.message,
                "hint": i.hint or None,
            }
            for i in issues
        ],
    }
    if facts is not None:
        payload["appraisal"] = facts
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(issues: Sequence[Issue]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…,col=…::message``)."""
    lines = []
    for issue in issues:
        props = []
        if issue.path is not None:
            props.append(f"file={_escape_property(issue.path.as_posix())}")
            if issue.line:
                props.append(f"line={issue.line}")
            if issue.column:
                props.append(f"col={issue.column}")
        props.append(f"title={_escape_property('appraise ' + issue.code)}")
        message = issue.message + (f"\nhint: {issue.hint}" if issue.hint else "")
        lines.append(f"::{issue.severity.value} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
