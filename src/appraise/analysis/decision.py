"""What a board asks first, worked out from a sensitivity result: the smallest change
of one weight, one score or one cost that changes the leader, and the disputed cells
the lead rests on.

Plain data, no wording: :mod:`appraise.paper.tables.decision` says it in sentences.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from appraise.analysis.score import ScoreResult
from appraise.analysis.sensitivity import SensitivityResult, WeightSwitch

__all__ = [
    "Contested",
    "ScoreChange",
    "contested_cells",
    "nearest_point",
    "nearest_weight_switch",
    "smallest_score_change",
]


@dataclass(frozen=True)
class ScoreChange:
    """The smallest change in one score (on its scale) that levels another option with
    the leader.

    Attributes:
        option: whose score changes (the leader's, lowered, or a challenger's, raised).
        criterion: which criterion.
        now: the score that counts now.
        to: the score at which the two are level (past it, ``challenger`` leads).
        challenger: the option that then leads.
    """

    option: int
    criterion: int
    now: float
    to: float
    challenger: int

    @property
    def change(self) -> float:
        """``to`` minus ``now``."""
        return self.to - self.now


@dataclass(frozen=True)
class Contested:
    """A disputed cell whose other view would put another option first.

    Attributes:
        option: the option scored.
        criterion: the criterion.
        agreed: the score that counts.
        other: the other view's score (a member's dissent, or a member's own score in
            a cell flagged for moderation).
        scorer: whose view it is.
        dissent: the member recorded dissent from the agreed score (else: their own
            score in a flagged cell).
        leader: who leads with ``other`` in place of ``agreed``.
        level_at: the score in this cell at which ``leader`` draws level (past it,
            ``leader`` is first).
    """

    option: int
    criterion: int
    agreed: float
    other: float
    scorer: str
    dissent: bool
    leader: int
    level_at: float


def nearest_point(ws: WeightSwitch) -> tuple[float, tuple[float, int]] | None:
    """The switching point of ``ws`` nearest its weight now, with its distance as a
    share of the whole (``None``: the leader never changes on this weight)."""
    found = [
        (abs(point[0] - ws.weight) / max(ws.whole, 1e-12), point)
        for point in (ws.below, ws.above)
        if point is not None
    ]
    return min(found, key=lambda x: x[0]) if found else None


def nearest_weight_switch(sens: SensitivityResult) -> tuple[WeightSwitch, float, int] | None:
    """The weight switching value nearest its weight now (as a share of the whole):
    the switch, the weight at which the leader changes, and who then leads."""
    best: tuple[float, WeightSwitch, float, int] | None = None
    for ws in sens.weight_switches:
        near = nearest_point(ws)
        if near is not None and (best is None or near[0] < best[0]):
            best = (near[0], ws, near[1][0], near[1][1])
    return None if best is None else best[1:]


def smallest_score_change(sens: SensitivityResult) -> ScoreChange | None:
    """The smallest change in one score, staying on its scale, after which another
    option would lead: the leader's score lowered or a challenger's raised. The change
    is measured as a share of the criterion's scale, so criteria on other scales
    compare fairly."""
    leader = sens.leader
    if leader is None:
        return None
    p = sens.problem
    span = p.high - p.low
    best: tuple[tuple[float, bool], ScoreChange] | None = None
    for sw in sens.score_switches:
        for whose, changes, feasible in (
            (sw.option, sw.raise_by, sw.raise_feasible),
            (leader, sw.lower_by, sw.lower_feasible),
        ):
            for k in np.flatnonzero(feasible & np.isfinite(changes)):
                # the leader's own score first where the two are as near
                size = (abs(float(changes[k])) / float(span[k]), whose != leader)
                if best is None or size < best[0]:
                    now = float(sens.base.scores[whose, k])
                    change = ScoreChange(whose, int(k), now, now + float(changes[k]), sw.option)
                    best = (size, change)
    return None if best is None else best[1]


def contested_cells(
    base: ScoreResult,
    leader: int,
    dissent: Mapping[tuple[str, str], Sequence[tuple[str, float]]],
) -> list[Contested]:
    """The disputed cells on which the lead rests: every cell of a ranked option with
    recorded dissent, or flagged for moderation, where one member's view (their
    dissent, or in a flagged cell their own score) in place of the score that counts
    would put another option first. Weighted sum only; largest effect first.

    Args:
        base: the result (its scores, weights and ranks).
        leader: the option that leads.
        dissent: ``(option id, criterion id) → [(member, score), …]`` from the
            moderation file.
    """
    if base.method != "wsm":
        return []
    p = base.problem
    span = p.base_high - p.base_low
    per_score = np.where(p.higher_is_better, 1.0, -1.0) * span / (p.high - p.low)
    ranked = base.ranks > 0
    found: list[tuple[float, Contested]] = []
    for i in np.flatnonzero(ranked):
        for k in range(len(p.criterion_ids)):
            views: list[tuple[str, float, bool]] = [
                (who, float(s), True)
                for who, s in dissent.get((p.option_ids[i], p.criterion_ids[k]), ())
            ]
            if base.flagged[i, k]:
                views += [
                    (p.scorer_ids[j], float(p.scores[j, i, k]), False)
                    for j in range(len(p.scorer_ids))
                    if not math.isnan(p.scores[j, i, k])
                ]
            agreed = float(base.scores[i, k])
            seen: set[str] = set()
            for who, other, said in views:
                if who in seen or other == agreed:
                    continue
                seen.add(who)
                totals = base.totals.copy()
                totals[i] += (other - agreed) * per_score[k] * base.weights[k]
                masked = np.where(ranked, totals, -np.inf)
                top = [int(t) for t in np.flatnonzero(masked == masked.max())]
                if top == [leader]:
                    continue  # the leader stays first alone
                new = next(t for t in top if t != leader)
                effect = abs(float(totals[i] - base.totals[i]))
                gap = float(base.totals[leader] - base.totals[new if i == leader else i])
                step = float(per_score[k] * base.weights[k])
                level = agreed - gap / step if i == leader else agreed + gap / step
                found.append((effect, Contested(int(i), k, agreed, other, who, said, new, level)))
    found.sort(key=lambda x: (not x[1].dissent, -x[0]))
    return [c for _, c in found]
