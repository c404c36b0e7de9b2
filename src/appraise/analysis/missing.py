"""Panel scores still to come: which cells each member has not scored, and why that
makes every result PROVISIONAL.

Before status ``moderated`` a panel member's sheet may be incomplete (a cell left out,
or ``score:`` left blank, as ``appraise sheet`` writes it). The analysis then runs on the
cells that are there: a cell counts with the members who scored it. A cell no member
has scored (and with no moderated score) cannot be guessed, so an option with one is
*not yet scored*: it has no total and is not ranked
(:attr:`~appraise.analysis.score.ScoreResult.unscored`). Every output says that the
result is provisional and lists what is missing, by member.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from appraise.analysis.problem import Problem

__all__ = ["SHOWN_CELLS", "MemberGap", "MissingScores", "missing_scores", "provisional"]

SHOWN_CELLS = 8
"""A member's missing cells are named up to this many (options wholly missing count
as one); beyond it, how many more (JSON lists every one)."""


@dataclass(frozen=True)
class MemberGap:
    """The cells one panel member has not scored.

    Attributes:
        scorer: the member's id.
        cells: ``(option id, criterion id)`` of each missing cell, in the appraisal's
            order.
        of: how many cells the member should score.
    """

    scorer: str
    cells: tuple[tuple[str, str], ...]
    of: int

    def summary(self, criteria: int) -> str:
        """The missing cells in a few words: ``all 88 cells``, ``every option ×
        RISK``, ``CIC (all 11 criteria), CFT × VFM``, ``… and 7 more``.

        Args:
            criteria: how many criteria each option is scored on.
        """
        if len(self.cells) == self.of:
            return f"all {self.of:,} cells"
        options = self.of // criteria if criteria else 0
        by_criterion: dict[str, int] = {}
        for _, criterion in self.cells:
            by_criterion[criterion] = by_criterion.get(criterion, 0) + 1
        whole = [c for c, n in by_criterion.items() if n == options and options > 1]
        items: list[str] = [f"every option × {c}" for c in whole]
        by_option: dict[str, list[str]] = {}
        for option, criterion in self.cells:
            if criterion not in whole:
                by_option.setdefault(option, []).append(criterion)
        for option, missing in by_option.items():
            if len(missing) == criteria and criteria > 1:
                items.append(f"{option} (all {criteria} criteria)")
            else:
                items.extend(f"{option} × {c}" for c in missing)
        if len(items) > SHOWN_CELLS:
            rest = len(items) - SHOWN_CELLS + 1
            items = [*items[: SHOWN_CELLS - 1], f"… and {rest:,} more"]
        return ", ".join(items)


@dataclass(frozen=True)
class MissingScores:
    """What the panel has still to score.

    Attributes:
        members: the members with a missing cell, in panel order.
        panel: how many members there are.
        criteria: how many criteria each option is scored on.
    """

    members: tuple[MemberGap, ...]
    panel: int
    criteria: int

    @property
    def cells(self) -> int:
        """Missing member × option × criterion cells in all."""
        return sum(len(m.cells) for m in self.members)

    @property
    def reason(self) -> str:
        """The banner: ``PROVISIONAL: 2 of 5 panel members' sheets are incomplete; 90
        cells missing``."""
        n = len(self.members)
        if self.panel == 1:
            whose = "the panel member's sheet is"
        else:
            whose = f"{n} of {self.panel} panel members' sheets {'is' if n == 1 else 'are'}"
        cells = self.cells
        return f"PROVISIONAL: {whose} incomplete; {cells:,} cell{'s' if cells != 1 else ''} missing"

    def as_dict(self) -> dict[str, object]:
        """Every missing cell, for JSON."""
        return {
            "reason": self.reason,
            "cells": self.cells,
            "missing": [
                {"scorer": m.scorer, "option": o, "criterion": c}
                for m in self.members
                for o, c in m.cells
            ],
        }


def missing_scores(problem: Problem) -> MissingScores | None:
    """The panel's missing cells, or ``None`` when every member has scored every cell
    (the result is then not provisional)."""
    absent = np.isnan(problem.scores)
    if not absent.any():
        return None
    n_options, n_criteria = absent.shape[1:]
    members = []
    for s, who in enumerate(problem.scorer_ids):
        at = np.argwhere(absent[s])
        if at.size:
            cells = tuple(
                (problem.option_ids[int(o)], problem.criterion_ids[int(c)]) for o, c in at
            )
            members.append(MemberGap(who, cells, n_options * n_criteria))
    return MissingScores(tuple(members), len(problem.scorer_ids), n_criteria)


def provisional(problem: Problem) -> str:
    """The PROVISIONAL banner for outputs of ``problem`` (see
    :attr:`MissingScores.reason`), or ``""`` when every panel score is in."""
    gaps = missing_scores(problem)
    return gaps.reason if gaps is not None else ""
