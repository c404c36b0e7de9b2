"""What every rule of the checks shares: the appraisal seen once, and number and scale text.

:class:`Context` works out once what the rules keep asking (the nodes by id, the scored
criteria and their scales, the options still in, the panel) and makes issues for them.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Iterator
from typing import Any

from appraise.errors import Issue, Severity
from appraise.files.loading import Appraisal, Located, Node
from appraise.files.models import STATUSES, Option, Scale
from appraise.files.yamlio import Document, issue_at

__all__ = [
    "SEVERITY_TABLE",
    "Context",
    "num",
    "off_scale",
    "on_scale",
    "scale_problem",
    "scale_text",
]

SEVERITY_TABLE: dict[str, tuple[str, str]] = {
    "no-definition": ("scored", "a criterion or group without a definition"),
    "missing-score": (
        "moderated",
        "a panel member × option × criterion without a score (results are PROVISIONAL)",
    ),
    "blank-score": (
        "moderated",
        "a panel score left blank, `score:` with no value (results are PROVISIONAL)",
    ),
    "no-rationale": ("final", "a panel score without a rationale"),
    "moderation-note-missing": (
        "moderated",
        "a flagged or departing moderated score without a note",
    ),
    "missing-moderated": ("final", "a cell without a moderated score (from status moderated)"),
    "optimism-bias-source": ("final", "an optimism-bias uplift without its source"),
}
"""Rules whose severity depends on status: code → (first status where it is an error,
what it catches). Before that status they are warnings."""

RANK = {status: i for i, status in enumerate(STATUSES)}
"""Each status's place in :data:`~appraise.files.models.STATUSES`, earliest 0."""


class Context:
    """One appraisal as the rules see it, and the makers of their issues.

    Args:
        appraisal: the loaded appraisal, whose files each passed their model.

    Attributes:
        appraisal: the appraisal.
        status: its status.
        nodes: every node of the value tree, depth first, in file order.
        by_id: the first node with each id.
        leaves: the scored criteria (nodes that are not groups), in tree order.
        leaf_ids: their ids, in the same order.
        scales: the scale of each scored criterion, by id.
        options: every option, in file order.
        option_ids: the ids of every option.
        active: the options not discounted at the long-list filter, in file order.
        active_ids: their ids, in the same order.
        active_set: the same ids as a set, for membership tests.
        scorer_ids: the ids of the panel members with a score sheet.
    """

    def __init__(self, appraisal: Appraisal) -> None:
        self.appraisal = appraisal
        self.status = appraisal.status
        self.nodes: list[Node] = list(appraisal.nodes())
        self.by_id: dict[str, Node] = {}
        for node in self.nodes:
            self.by_id.setdefault(node.criterion.id, node)
        self.leaves = [n for n in self.nodes if not n.is_group]
        self.leaf_ids = [n.criterion.id for n in self.leaves]
        self.scales: dict[str, Scale] = {
            n.criterion.id: appraisal.scale_for(n.criterion) for n in self.leaves
        }
        self.options: list[Located[Option]] = appraisal.options()
        self.option_ids = {o.item.id for o in self.options}
        self.active = [o for o in self.options if not o.item.discounted]
        self.active_ids = [o.item.id for o in self.active]
        self.active_set = frozenset(self.active_ids)
        self.scorer_ids = {s.scorer.id for _, s in appraisal.sheets}
        self._indexes: dict[int, tuple[dict[str, str], list[str]]] = {}
        self._kept: list[Any] = []

    @functools.cached_property
    def elicited(self) -> tuple[dict[str, dict[str, float]], list[Issue]]:
        """Elicited local weights (scaled to the total) by set id, and the issues.

        Derived once, when first asked for, and only if some criteria file records an
        elicitation.
        """
        from appraise.files.elicitation import derive

        if not any(
            f.elicitation is not None or any(ws.elicitation for ws in f.weight_sets)
            for _, f in self.appraisal.criteria_files
        ):
            return {}, []
        sets, issues = derive(self.appraisal)
        total = self.appraisal.settings.weights.total
        scaled = {es.set_id: {i: share * total for i, share in es.shares().items()} for es in sets}
        return scaled, issues

    def severity(self, code: str) -> Severity:
        """The severity of a rule of :data:`SEVERITY_TABLE` at the appraisal's status.

        Args:
            code: the rule's issue code.

        Returns:
            An error from the rule's status on, a warning before it.
        """
        error_from = SEVERITY_TABLE[code][0]
        return Severity.ERROR if RANK[self.status] >= RANK[error_from] else Severity.WARNING

    @staticmethod
    def issue(
        severity: Severity,
        code: str,
        message: str,
        hint: str,
        doc: Document | None,
        where: tuple[Any, ...] = (),
        *,
        key: bool = True,
    ) -> Issue:
        """An issue at a place in a file (see :func:`~appraise.files.yamlio.issue_at`).

        Args:
            severity: error or warning.
            code: the issue code.
            message: what is wrong.
            hint: how to put it right.
            doc: the file (``None`` for the appraisal as a whole).
            where: the path to the value in the file.
            key: point at the key rather than its value.

        Returns:
            The issue.
        """
        return issue_at(severity, code, message, hint, doc, where, key=key)

    def error(
        self,
        code: str,
        message: str,
        hint: str,
        doc: Document | None,
        where: tuple[Any, ...] = (),
        *,
        key: bool = True,
    ) -> Issue:
        """An error at a place in a file; the arguments are :meth:`issue`'s."""
        return self.issue(Severity.ERROR, code, message, hint, doc, where, key=key)

    def warning(
        self,
        code: str,
        message: str,
        hint: str,
        doc: Document | None,
        where: tuple[Any, ...] = (),
        *,
        key: bool = True,
    ) -> Issue:
        """A warning at a place in a file; the arguments are :meth:`issue`'s."""
        return self.issue(Severity.WARNING, code, message, hint, doc, where, key=key)

    def suggest(self, value: str, choices: Iterable[str]) -> str:
        """A hint naming the choice closest to a mistyped value.

        Args:
            value: what was written.
            choices: what could have been meant.

        Returns:
            ``did you mean `…`?``, or an empty string when nothing is close.
        """
        close = self._closest(value, choices)
        return f"did you mean `{close}`?" if close else ""

    def _closest(self, value: str, choices: Iterable[str]) -> str | None:
        """The same id but for case and punctuation; else, among a few thousand
        choices, difflib's closest; among more, one typing slip away (a letter
        missing, added, changed or two swapped), so that a search stays quick when an
        appraisal of 100,000 options has thousands of unknown ids."""
        pool = (
            choices if isinstance(choices, (list, tuple, set, frozenset, dict)) else list(choices)
        )
        if len(pool) <= FULL_SEARCH:
            folded = _fold(value)
            same = sorted(c for c in pool if _fold(c) == folded)
            if same:
                return same[0]
            close = difflib.get_close_matches(value, sorted(pool), n=1, cutoff=0.5)
            return close[0] if close else None
        found = self._indexes.get(id(pool))
        if found is None:
            index: dict[str, str] = {}
            for choice in sorted(pool):
                index.setdefault(_fold(choice), choice)
            # a letter inserted or changed can only help if some id holds it
            alphabet = sorted({ch for key in index for ch in key})
            found = self._indexes[id(pool)] = (index, alphabet)
            self._kept.append(pool)  # the id stays this pool's while the index is used
        index, alphabet = found
        folded = _fold(value)
        if folded in index:
            return index[folded]
        for near in _one_slip(folded, alphabet):
            if near in index:
                return index[near]
        return None


FULL_SEARCH = 2_000
"""Up to this many choices a "did you mean" compares with each (difflib); beyond it,
only the same id up to case and punctuation, or one slip away, is suggested."""


def _fold(text: str) -> str:
    """An id as compared for "did you mean": case and ``-``, ``_``, ``.`` ignored."""
    return text.casefold().replace("-", "").replace("_", "").replace(".", "")


def _one_slip(word: str, alphabet: list[str]) -> Iterator[str]:
    """Every string one deletion, swap, change or insertion away from ``word``, in
    that order (those likeliest to be meant first)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
    for left, right in splits:
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
    for left, right in splits:
        if right:
            for ch in alphabet:
                if ch != right[0]:
                    yield left + ch + right[1:]
    for left, right in splits:
        for ch in alphabet:
            yield left + ch + right


def num(value: float) -> str:
    """A number as a person writes it: 18, 18.5, 0.01; with up to ten digits where fewer
    would show another number (7.0000001 is not shown as 7)."""
    if abs(value) >= 1e15:
        return repr(value)
    short = f"{value:g}"
    return short if float(short) == value else f"{value:.10g}"


def scale_text(scale: Scale) -> str:
    """A scale as text: ``0–10 in steps of 1``."""
    step = f" in steps of {num(scale.step)}" if scale.step else ""
    return f"{num(scale.min)}–{num(scale.max)}{step}"


def scale_problem(scale: Scale) -> str:
    """What is wrong with a scale's bounds or step, or an empty string if nothing."""
    if not scale.min < scale.max:
        return f"min {num(scale.min)} is not less than max {num(scale.max)}"
    if scale.step is not None:
        if scale.step <= 0:
            return "the step must be more than 0"
        count = (scale.max - scale.min) / scale.step
        if abs(count - round(count)) > 1e-9 * max(1.0, count):
            return f"step {num(scale.step)} does not divide {scale_text(scale)}"
    return ""


def on_scale(value: float, scale: Scale) -> bool:
    """True when a value is within a scale and on one of its steps."""
    return off_scale(value, scale) is None


def off_scale(value: float, scale: Scale) -> tuple[str, str, str] | None:
    """Why a value cannot be scored on a scale.

    Args:
        value: the score.
        scale: the criterion's scale.

    Returns:
        The issue code, the end of the message after the value, and the hint; or
        ``None`` when the value is on the scale.
    """
    if not scale.min <= value <= scale.max:
        return (
            "score-off-scale",
            f"is outside the scale {scale_text(scale)}",
            f"use a score from {num(scale.min)} to {num(scale.max)}",
        )
    if scale.step:
        steps = (value - scale.min) / scale.step
        if abs(steps - round(steps)) > 1e-9 * max(1.0, abs(steps)):
            below = scale.min + int(steps) * scale.step
            return (
                "score-off-step",
                f"is not on the scale's steps ({scale_text(scale)})",
                f"use {num(below)} or {num(below + scale.step)}",
            )
    return None
