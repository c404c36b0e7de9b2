"""Load and check an appraisal in one call: what ``appraise validate`` runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appraise.errors import Issue, Report, Severity
from appraise.files.checks import check_appraisal
from appraise.files.loading import Appraisal, load_appraisal
from appraise.files.yamlio import DEFAULT_LIMITS, Limits

__all__ = ["Validation", "validate"]


@dataclass(frozen=True)
class Validation:
    """The outcome of validating an appraisal folder.

    Attributes:
        appraisal: the loaded appraisal, or ``None`` when a file could not be read or
            did not match its model.
        issues: every issue, sorted by file and line (warnings already escalated when
            ``strict``).
    """

    appraisal: Appraisal | None
    issues: list[Issue]

    @property
    def valid(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    def facts(self) -> dict[str, object] | None:
        """What was read: title, status, counts of criteria, options and panel members
        (``None`` when the files could not be read)."""
        a = self.appraisal
        if a is None:
            return None
        options = a.options()
        return {
            "title": a.settings.appraisal.title,
            "status": a.status,
            "illustrative": a.settings.appraisal.illustrative,
            "criteria": len(a.leaves()),
            "options": sum(1 for o in options if not o.item.discounted),
            "discounted": sum(1 for o in options if o.item.discounted),
            "panel": len(a.sheets),
            "moderated": bool(a.moderations),
        }


def validate(root: Path, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> Validation:
    """Read every file of the appraisal in ``root`` and check them together.

    Problems inside files (syntax, keys, types) are found in every file. Checks across
    files (references, completeness, weights, moderation) run once every file has been
    read cleanly, so that one broken file does not cause a cascade of false alarms.

    Args:
        root: the appraisal folder.
        strict: turn every warning into an error.
        limits: size, depth and alias bounds for each file.
    """
    report = Report()
    appraisal, issues = load_appraisal(root, limits)
    report.extend(issues)
    if appraisal is not None:
        report.extend(check_appraisal(appraisal))
    return Validation(appraisal, report.sorted(strict=strict))
