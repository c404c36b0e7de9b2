"""What changed between two versions of an appraisal, and what it did to the result.

:func:`diff_appraisals` compares two loaded, valid appraisals by meaning, not by text:
things are matched by id, wherever they sit, so moving an option to another file or
renaming a file is not a change, and reordering keys is not either. It reports:

* changes to the appraisal's settings, options, criteria, hurdles, weights (every
  weight set's local and global weights as used, elicited ones included, and the
  elicitation records), each panel member's scores and rationale, and the moderated
  scores, notes and dissent — each with who it belongs to (the panel member whose
  sheet it is; for git revisions, also who committed changes to the file);
* each option's risk-adjusted net present cost that moved (its lines, the discounting
  or a workbook cell it reads), and beside it each workbook it reads whose bytes
  differ (a CIA workbook re-saved with new figures), by SHA-256;
* the effect: the ranking before and after, totals moved, the leader and its margin,
  the weight switching values that moved, and the leader under every weight set.

It is plain data; :mod:`appraise.paper.tables.diff` presents it, :meth:`AppraisalDiff.as_dict`
is the JSON.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.analysis.problem import Problem
from appraise.analysis.score import Aggregate, ScoreResult, score_all_weight_sets
from appraise.analysis.sensitivity import SensitivityResult, WeightSwitch, analyse
from appraise.files.loading import Appraisal
from appraise.files.yamlio import Document

__all__ = [
    "NPC_FIELD",
    "WORKBOOK_FIELD",
    "AppraisalDiff",
    "Change",
    "Effect",
    "RankRow",
    "SwitchMove",
    "diff_appraisals",
    "relative_file",
    "workbook_files",
]

MOVED = 0.05
"""A switching value has moved when it changes by more than this (weight units): the
tables show one decimal."""

NPC_FIELD = "risk-adjusted NPC"
"""The field of a ``cost`` change to an option's risk-adjusted net present cost."""
WORKBOOK_FIELD = "workbook "
"""The start of the field of a ``cost`` change to a workbook an option reads (then its
path; the change's ``before`` and ``after`` are the SHA-256s, its ``file`` the path)."""


@dataclass(frozen=True)
class Change:
    """One thing that differs.

    Attributes:
        kind: ``added``, ``removed`` or ``changed``.
        area: ``settings``, ``option``, ``cost``, ``criterion``, ``hurdle``,
            ``weights``, ``weight set``, ``panel``, ``score`` or ``moderation``.
        subject: what changed: an id, or ``scorer · option · criterion`` for a score.
        field: which field (dotted), or ``""`` for the thing as a whole.
        before: the value before (``None`` when added).
        after: the value after (``None`` when removed).
        who: whose it is: the panel member for a score, ``moderation`` for a moderated
            score; git authors are added for revisions.
        file: the file it is in (after; before when removed).
    """

    kind: str
    area: str
    subject: str
    field: str
    before: Any
    after: Any
    who: str = ""
    file: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "area": self.area,
            "subject": self.subject,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "who": self.who or None,
            "file": self.file or None,
        }


@dataclass(frozen=True)
class RankRow:
    """One option's place before and after (``None`` where it is absent or unranked)."""

    id: str
    name: str
    rank_before: str | None
    rank_after: str | None
    total_before: float | None
    total_after: float | None

    @property
    def moved(self) -> float | None:
        """Change in total (``None`` unless present on both sides)."""
        if self.total_before is None or self.total_after is None:
            return None
        return self.total_after - self.total_before


@dataclass(frozen=True)
class SwitchMove:
    """A weight switching value that moved.

    Attributes:
        id: the criterion or group.
        name: its name.
        kind: ``criterion`` or ``group``.
        weight_before / weight_after: its global weight.
        below_before / below_after: weight below which the leader changes, and to whom.
        above_before / above_after: weight above which the leader changes, and to whom.
    """

    id: str
    name: str
    kind: str
    weight_before: float | None
    weight_after: float | None
    below_before: tuple[float, str] | None
    below_after: tuple[float, str] | None
    above_before: tuple[float, str] | None
    above_after: tuple[float, str] | None


@dataclass(frozen=True)
class Effect:
    """What the changes did to the result (weighted sum, the chosen scores and weights).

    Attributes:
        ranking: every option of either side, in the after-order, then removed ones.
        leader_before / leader_after: ids of the leader(s).
        runner_before / runner_after: id of the runner-up.
        margin_before / margin_after: the leader's lead over the runner-up.
        switches: weight switching values that moved.
        weight_sets: ``(set id, leaders before, leaders after)`` for every weight set
            whose leader differs or which exists on one side only.
        weight_set: the weight set analysed; aggregate: the scores that counted.
    """

    ranking: list[RankRow]
    leader_before: list[str]
    leader_after: list[str]
    runner_before: str | None
    runner_after: str | None
    margin_before: float | None
    margin_after: float | None
    switches: list[SwitchMove]
    weight_sets: list[tuple[str, list[str], list[str]]]
    weight_set: str
    aggregate: str

    @property
    def rank_changed(self) -> bool:
        """True when the ranked options or their ranks differ."""
        return any(r.rank_before != r.rank_after for r in self.ranking)

    @property
    def leader_changed(self) -> bool:
        """True when a different option (or set of tied options) leads."""
        return self.leader_before != self.leader_after


@dataclass
class AppraisalDiff:
    """Everything that differs between two versions, and the effect.

    Attributes:
        before, after: how the two sides are named (a folder, or ``REV (hash)``).
        changes: every change, by area.
        effect: what the changes did to the ranking (``None`` when not analysed).
        authors: for git revisions, who committed changes to each file.
        title: the later side's title.
        names: option id → name, over both sides.
        illustrative: either side is marked illustrative.
        notes: what the comparison could not include (a submodule in a revision),
            said in every output.
    """

    before: str
    after: str
    changes: list[Change] = field(default_factory=list)
    effect: Effect | None = None
    authors: dict[str, list[str]] = field(default_factory=dict)
    title: str = ""
    names: dict[str, str] = field(default_factory=dict)
    illustrative: bool = False
    notes: list[str] = field(default_factory=list)

    def count(self, area: str) -> int:
        """How many changes there are in one area."""
        return sum(1 for c in self.changes if c.area == area)

    def as_dict(self) -> dict[str, Any]:
        """Everything, unrounded, for ``--format json``."""
        e = self.effect
        return {
            "before": self.before,
            "after": self.after,
            "changed": bool(self.changes),
            "rank_changed": bool(e and e.rank_changed),
            "leader_changed": bool(e and e.leader_changed),
            "changes": [c.as_dict() for c in self.changes],
            "authors": self.authors,
            "notes": self.notes,
            "effect": None if e is None else _effect_dict(e),
        }


def _effect_dict(e: Effect) -> dict[str, Any]:
    def pair(x: tuple[float, str] | None) -> dict[str, Any] | None:
        return None if x is None else {"weight": x[0], "leader": x[1]}

    return {
        "weight_set": e.weight_set,
        "aggregate": e.aggregate,
        "leader_before": e.leader_before,
        "leader_after": e.leader_after,
        "runner_up_before": e.runner_before,
        "runner_up_after": e.runner_after,
        "margin_before": e.margin_before,
        "margin_after": e.margin_after,
        "ranking": [
            {
                "id": r.id,
                "name": r.name,
                "rank_before": r.rank_before,
                "rank_after": r.rank_after,
                "total_before": r.total_before,
                "total_after": r.total_after,
                "moved": r.moved,
            }
            for r in e.ranking
        ],
        "switching_values_moved": [
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "weight_before": s.weight_before,
                "weight_after": s.weight_after,
                "below_before": pair(s.below_before),
                "below_after": pair(s.below_after),
                "above_before": pair(s.above_before),
                "above_after": pair(s.above_after),
            }
            for s in e.switches
        ],
        "weight_set_leaders": [
            {"weight_set": ws, "before": a, "after": b} for ws, a, b in e.weight_sets
        ],
    }


# -- comparing the files --------------------------------------------------------------------


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested data as ``dotted.path -> leaf``; lists of mappings with an ``id`` (or a
    ``group``, for elicitation levels) are keyed by it, so reordering is no change."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = [_list_key(v, k) for k, v in enumerate(value)]
        for key, v in zip(keys, value, strict=True):
            out.update(_flatten(v, f"{prefix}[{key}]"))
    else:
        out[prefix] = value
    return out


def _list_key(item: dict[str, Any], index: int) -> str:
    if "id" in item:
        return str(item["id"])
    if "group" in item:
        return str(item["group"] or "top")
    return str(index)


def _compare(
    changes: list[Change],
    area: str,
    subject: str,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    who: str = "",
    file: str = "",
    skip: Callable[[str], bool] = lambda _: False,
) -> None:
    if not before or not after:
        # a whole block added or removed (e.g. an elicitation record): one line
        kind = "added" if not before else "removed"
        if before or after:
            top = sorted({k.split(".")[0].split("[")[0] for k in (before or after)})
            what = ", ".join(top)
            changes.append(
                Change(
                    kind,
                    area,
                    subject,
                    what,
                    None if after else what,
                    what if after else None,
                    who,
                    file,
                )
            )
        return
    for key in sorted(set(before) | set(after), key=_natural):
        if skip(key):
            continue
        a, b = before.get(key), after.get(key)
        if _same(a, b):
            continue
        kind = "added" if key not in before else "removed" if key not in after else "changed"
        changes.append(Change(kind, area, subject, key, a, b, who, file))


def _natural(key: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in key.replace("[", ".").split("."))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if (
        isinstance(a, (int, float))
        and isinstance(b, (int, float))
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return float(a) == float(b)
    return bool(a == b)


def _file(doc: Document, appraisal: Appraisal) -> str:
    """A file's path inside its appraisal folder (``scores/p2.yaml``), whatever folder
    the appraisal was loaded from, so that the two sides name files alike."""
    return relative_file(doc.path, appraisal.root)


def relative_file(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it is inside it, else as it is."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _by_id(items: Iterable[tuple[str, Any, str]]) -> dict[str, tuple[Any, str]]:
    out: dict[str, tuple[Any, str]] = {}
    for ident, item, file in items:
        out.setdefault(ident, (item, file))
    return out


def _things(
    changes: list[Change],
    area: str,
    before: dict[str, tuple[Any, str]],
    after: dict[str, tuple[Any, str]],
    *,
    skip: Callable[[str], bool] = lambda _: False,
    name: Callable[[Any], str] = lambda item: str(getattr(item, "name", "")),
) -> None:
    for ident in [*before, *(i for i in after if i not in before)]:
        if ident not in after:
            item, file = before[ident]
            changes.append(Change("removed", area, ident, "", name(item), None, file=file))
        elif ident not in before:
            item, file = after[ident]
            changes.append(Change("added", area, ident, "", None, name(item), file=file))
        else:
            _compare(
                changes,
                area,
                ident,
                _flatten(before[ident][0].model_dump(mode="json")),
                _flatten(after[ident][0].model_dump(mode="json")),
                file=after[ident][1],
                skip=skip,
            )


def _nodes(appraisal: Appraisal) -> dict[str, tuple[Any, str]]:
    return _by_id(
        (n.criterion.id, (n.criterion, n.parent), _file(n.doc, appraisal))
        for n in appraisal.nodes()
    )


def _criteria(changes: list[Change], a: Appraisal, b: Appraisal) -> None:
    before, after = _nodes(a), _nodes(b)
    for ident in [*before, *(i for i in after if i not in before)]:
        if ident not in after:
            (c, _), file = before[ident]
            changes.append(Change("removed", "criterion", ident, "", c.name, None, file=file))
            continue
        if ident not in before:
            (c, _), file = after[ident]
            changes.append(Change("added", "criterion", ident, "", None, c.name, file=file))
            continue
        (ca, pa), _ = before[ident]
        (cb, pb), file = after[ident]
        if pa != pb:
            changes.append(
                Change(
                    "changed", "criterion", ident, "group", pa or "(top)", pb or "(top)", file=file
                )
            )
        plain = {"criteria", "weight"}
        _compare(
            changes,
            "criterion",
            ident,
            _flatten(ca.model_dump(mode="json", exclude=plain)),
            _flatten(cb.model_dump(mode="json", exclude=plain)),
            file=file,
        )


def _weights(changes: list[Change], pa: Problem, pb: Problem, a: Appraisal, b: Appraisal) -> None:
    """Every weight set's weights as used (local and global), by node id."""
    from appraise.engine import global_weights

    sets_a = {ws.id: ws for ws in pa.weight_sets}
    sets_b = {ws.id: ws for ws in pb.weight_sets}
    # a named set added or removed is reported with the weight sets; participants'
    # sets exist only here
    named = {ws.id for x in (a, b) for _, f in x.criteria_files for ws in f.weight_sets}
    for ident in [*sets_a, *(i for i in sets_b if i not in sets_a)]:
        if (ident not in sets_a or ident not in sets_b) and ident in named:
            continue
        if ident not in sets_b:
            changes.append(Change("removed", "weights", ident, "", sets_a[ident].name, None))
            continue
        if ident not in sets_a:
            changes.append(Change("added", "weights", ident, "", None, sets_b[ident].name))
            continue
        wa, wb = sets_a[ident], sets_b[ident]
        ga = global_weights(pa.parent, wa.local, wa.normalise, pa.total) * pa.total
        gb = global_weights(pb.parent, wb.local, wb.normalise, pb.total) * pb.total
        local_a = dict(zip(pa.node_ids, map(float, wa.local), strict=True))
        local_b = dict(zip(pb.node_ids, map(float, wb.local), strict=True))
        global_a = dict(zip(pa.node_ids, map(float, ga), strict=True))
        global_b = dict(zip(pb.node_ids, map(float, gb), strict=True))
        for node in [*pa.node_ids, *(n for n in pb.node_ids if n not in local_a)]:
            la, lb = local_a.get(node), local_b.get(node)
            ua, ub = global_a.get(node), global_b.get(node)
            if la is None or lb is None:
                continue  # the node itself was added or removed: a criterion change
            if abs(la - lb) > 1e-9 or abs((ua or 0) - (ub or 0)) > 1e-9:
                changes.append(
                    Change(
                        "changed",
                        "weights",
                        ident,
                        node,
                        {"local": la, "global": ua},
                        {"local": lb, "global": ub},
                    )
                )


def _weight_set_files(
    appraisal: Appraisal,
) -> tuple[dict[str, tuple[Any, str]], tuple[Any, str] | None]:
    sets = _by_id(
        (ws.id, ws, _file(doc, appraisal))
        for doc, f in appraisal.criteria_files
        for ws in f.weight_sets
    )
    tree = next(
        (
            (f.elicitation, _file(doc, appraisal))
            for doc, f in appraisal.criteria_files
            if f.elicitation
        ),
        None,
    )
    return sets, tree


def _sheets(
    changes: list[Change], a: Appraisal, b: Appraisal, authors: dict[str, list[str]]
) -> None:
    before = _by_id((s.scorer.id, s, _file(doc, a)) for doc, s in a.sheets)
    after = _by_id((s.scorer.id, s, _file(doc, b)) for doc, s in b.sheets)
    for ident in [*before, *(i for i in after if i not in before)]:
        if ident not in after:
            sheet, file = before[ident]
            changes.append(
                Change("removed", "panel", ident, "", sheet.scorer.name, None, ident, file)
            )
            continue
        if ident not in before:
            sheet, file = after[ident]
            changes.append(
                Change("added", "panel", ident, "", None, sheet.scorer.name, ident, file)
            )
            continue
        (sa, _), (sb, file) = before[ident], after[ident]
        who = ", ".join([ident, *authors.get(file, [])])
        _compare(
            changes,
            "panel",
            ident,
            _flatten(sa.scorer.model_dump(mode="json")),
            _flatten(sb.scorer.model_dump(mode="json")),
            who=who,
            file=file,
        )
        _cells(changes, "score", ident, sa.scores, sb.scores, who, file)


def _cells(
    changes: list[Change],
    area: str,
    owner: str,
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    who: str,
    file: str,
) -> None:
    options = [*before, *(o for o in after if o not in before)]
    for option in options:
        row_a, row_b = before.get(option, {}), after.get(option, {})
        for criterion in [*row_a, *(c for c in row_b if c not in row_a)]:
            subject = f"{owner} · {option} · {criterion}" if owner else f"{option} · {criterion}"
            ca, cb = row_a.get(criterion), row_b.get(criterion)
            if ca is None:
                assert cb is not None
                changes.append(Change("added", area, subject, "score", None, cb.score, who, file))
            elif cb is None:
                changes.append(Change("removed", area, subject, "score", ca.score, None, who, file))
            else:
                _compare(
                    changes,
                    area,
                    subject,
                    _flatten(ca.as_json()),
                    _flatten(cb.as_json()),
                    who=who,
                    file=file,
                )


def _moderation(
    changes: list[Change], a: Appraisal, b: Appraisal, authors: dict[str, list[str]]
) -> None:
    ma = a.moderations[0] if a.moderations else None
    mb = b.moderations[0] if b.moderations else None
    if ma is None and mb is None:
        return
    file = _file((mb or ma)[0], b if mb else a)  # type: ignore[index]
    who = ", ".join(["moderation", *authors.get(file, [])])
    if ma is None or mb is None:
        kind = "added" if ma is None else "removed"
        changes.append(Change(kind, "moderation", "moderation", "", None, None, who, file))
        return
    _compare(
        changes,
        "moderation",
        "meeting",
        _flatten(ma[1].moderation.model_dump(mode="json")),
        _flatten(mb[1].moderation.model_dump(mode="json")),
        who=who,
        file=file,
    )
    _cells(changes, "moderation", "", ma[1].scores, mb[1].scores, who, file)


def workbook_files(appraisal: Appraisal) -> dict[str, str]:
    """Each workbook the appraisal's costs read, by its path inside the appraisal folder
    as written (``./costs/../costs/cia.xlsx`` is ``costs/cia.xlsx``), and its SHA-256."""
    from appraise.files.costing import cost_book

    return {posixpath.normpath(p): h for p, h in cost_book(appraisal).workbooks.items()}


def _workbooks_read(item: Any) -> set[str]:
    """The workbooks (normalised paths) the cell references in ``item`` read."""
    from appraise.files.costing import cell_refs

    return {posixpath.normpath(ref.workbook) for ref in cell_refs(item)}


def _costs(
    changes: list[Change],
    a: Appraisal,
    b: Appraisal,
    pa: Problem,
    pb: Problem,
    authors: dict[str, list[str]],
) -> None:
    """Each option's risk-adjusted NPC that moved, then each workbook it reads (on
    either side) whose SHA-256 differs; for an option whose NPC did not move, the
    changed workbooks it reads all the same."""
    files_a, files_b = workbook_files(a), workbook_files(b)
    changed = {p for p in files_a.keys() & files_b.keys() if files_a[p] != files_b[p]}
    cost_a = dict(zip(pa.option_ids, map(float, pa.costs), strict=True))
    cost_b = dict(zip(pb.option_ids, map(float, pb.costs), strict=True))
    items_a = {o.item.id: o.item for o in a.options()}
    where_b = {o.item.id: (o.item, _file(o.doc, b)) for o in b.options()}
    for ident in pb.option_ids:
        if ident not in cost_a or ident not in items_a:
            continue  # the option was added: an option change
        item, file = where_b[ident]
        x, y = cost_a[ident], cost_b[ident]
        if math.isnan(x) != math.isnan(y) or not (
            math.isnan(x) or math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-9)
        ):
            kind = "added" if math.isnan(x) else "removed" if math.isnan(y) else "changed"
            before = None if math.isnan(x) else x
            after = None if math.isnan(y) else y
            changes.append(Change(kind, "cost", ident, NPC_FIELD, before, after, file=file))
        read = _workbooks_read(items_a[ident].cost) | _workbooks_read(item.cost)
        for path in sorted(read & changed):
            changes.append(
                Change(
                    "changed",
                    "cost",
                    ident,
                    WORKBOOK_FIELD + path,
                    files_a[path],
                    files_b[path],
                    ", ".join(authors.get(path, [])),
                    path,
                )
            )


# -- the effect -------------------------------------------------------------------------------


def _leaders(r: ScoreResult) -> list[str]:
    return [r.problem.option_ids[i] for i in r.leaders]


def _switch(x: tuple[float, int] | None, p: Problem) -> tuple[float, str] | None:
    return None if x is None else (float(x[0]), p.option_ids[x[1]])


def _moved(x: tuple[float, str] | None, y: tuple[float, str] | None) -> bool:
    if x is None or y is None:
        return (x is None) != (y is None)
    return abs(x[0] - y[0]) > MOVED or x[1] != y[1]


def _effect(
    sa: SensitivityResult, sb: SensitivityResult, weight_set: str, aggregate: str
) -> Effect:
    ra, rb = sa.base, sb.base
    pa, pb = ra.problem, rb.problem
    pos_a = {o: i for i, o in enumerate(pa.option_ids)}
    ranking = []
    order = [pb.option_ids[i] for i in rb.order] + [
        pa.option_ids[i] for i in ra.order if pa.option_ids[i] not in set(pb.option_ids)
    ]
    pos_b = {o: i for i, o in enumerate(pb.option_ids)}
    for ident in order:
        i, j = pos_a.get(ident), pos_b.get(ident)
        name = pb.option_names[j] if j is not None else pa.option_names[i]  # type: ignore[index]
        ranking.append(
            RankRow(
                ident,
                name,
                ra.rank_label(i) if i is not None else None,
                rb.rank_label(j) if j is not None else None,
                float(ra.totals[i]) if i is not None else None,
                float(rb.totals[j]) if j is not None else None,
            )
        )
    ranking = [
        RankRow(
            r.id,
            r.name,
            None if r.rank_before == "–" else r.rank_before,
            None if r.rank_after == "–" else r.rank_after,
            r.total_before,
            r.total_after,
        )
        for r in ranking
    ]
    switches = []
    by_a: dict[tuple[str, str], WeightSwitch] = {(w.kind, w.id): w for w in sa.weight_switches}
    by_b: dict[tuple[str, str], WeightSwitch] = {(w.kind, w.id): w for w in sb.weight_switches}
    for key in [*by_a, *(k for k in by_b if k not in by_a)]:
        wa, wb = by_a.get(key), by_b.get(key)
        below_a = _switch(wa.below, pa) if wa else None
        below_b = _switch(wb.below, pb) if wb else None
        above_a = _switch(wa.above, pa) if wa else None
        above_b = _switch(wb.above, pb) if wb else None
        if wa is None or wb is None or _moved(below_a, below_b) or _moved(above_a, above_b):
            named = wb or wa
            assert named is not None
            switches.append(
                SwitchMove(
                    named.id,
                    named.name,
                    named.kind,
                    wa.weight if wa else None,
                    wb.weight if wb else None,
                    below_a,
                    below_b,
                    above_a,
                    above_b,
                )
            )
    sets_a = {r.weight_set: _leaders(r) for r in score_all_weight_sets(pa, aggregate=aggregate)}
    sets_b = {r.weight_set: _leaders(r) for r in score_all_weight_sets(pb, aggregate=aggregate)}
    weight_sets = [
        (ws, sets_a.get(ws, []), sets_b.get(ws, []))
        for ws in [*sets_a, *(s for s in sets_b if s not in sets_a)]
        if sets_a.get(ws) != sets_b.get(ws)
    ]

    def opt(p: Problem, i: int | None) -> str | None:
        return None if i is None else p.option_ids[i]

    def margin(s: SensitivityResult) -> float | None:
        return None if math.isnan(s.margin) else float(s.margin)

    return Effect(
        ranking=ranking,
        leader_before=_leaders(ra),
        leader_after=_leaders(rb),
        runner_before=opt(pa, sa.runner_up),
        runner_after=opt(pb, sb.runner_up),
        margin_before=margin(sa),
        margin_after=margin(sb),
        switches=switches,
        weight_sets=weight_sets,
        weight_set=weight_set,
        aggregate=aggregate,
    )


def diff_appraisals(
    a: Appraisal,
    b: Appraisal,
    pa: Problem,
    pb: Problem,
    *,
    before: str = "before",
    after: str = "after",
    weight_set: str = "tree",
    aggregate: Aggregate = "moderated",
    authors: dict[str, list[str]] | None = None,
) -> AppraisalDiff:
    """Compare two valid appraisals (and their problems).

    Args:
        a, b: the appraisals before and after.
        pa, pb: their problems (:func:`appraise.analysis.problem.build_problem`).
        before, after: how the two sides are named.
        weight_set: the weight set whose ranking is compared (must exist on both sides).
        aggregate: which scores count (as ``appraise score``).
        authors: for git revisions, who committed changes to each file (by the file's
            path inside the appraisal folder).
    """
    authors = authors or {}
    names = dict(zip(pa.option_ids, pa.option_names, strict=True))
    names.update(zip(pb.option_ids, pb.option_names, strict=True))
    out = AppraisalDiff(
        before,
        after,
        authors=authors,
        title=pb.title,
        names=names,
        illustrative=pa.illustrative or pb.illustrative,
    )
    changes = out.changes
    settings_file = _file(b.settings_doc, b) if b.settings_doc else "appraisal.yaml"
    _compare(
        changes,
        "settings",
        "appraisal",
        _flatten(a.settings.model_dump(mode="json")),
        _flatten(b.settings.model_dump(mode="json")),
        file=settings_file,
    )
    _things(
        changes,
        "option",
        _by_id((o.item.id, o.item, _file(o.doc, a)) for o in a.options()),
        _by_id((o.item.id, o.item, _file(o.doc, b)) for o in b.options()),
    )
    _costs(changes, a, b, pa, pb, authors)
    _criteria(changes, a, b)
    _things(
        changes,
        "hurdle",
        _by_id((h.id, h, _file(d, a)) for d, f in a.criteria_files for h in f.hurdles),
        _by_id((h.id, h, _file(d, b)) for d, f in b.criteria_files for h in f.hurdles),
    )
    _weights(changes, pa, pb, a, b)
    sets_a, tree_a = _weight_set_files(a)
    sets_b, tree_b = _weight_set_files(b)
    _things(changes, "weight set", sets_a, sets_b, skip=lambda key: key.startswith("weights."))
    if tree_a is not None or tree_b is not None:
        _compare(
            changes,
            "weight set",
            "tree",
            _flatten({"elicitation": tree_a[0].model_dump(mode="json")} if tree_a else {}),
            _flatten({"elicitation": tree_b[0].model_dump(mode="json")} if tree_b else {}),
            file=(tree_b or tree_a)[1],  # type: ignore[index]
        )
    _sheets(changes, a, b, authors)
    _moderation(changes, a, b, authors)
    sens_a = analyse(
        pa, aggregate=aggregate, weight_set=weight_set, samples=0, sections=("weights",)
    )
    sens_b = analyse(
        pb, aggregate=aggregate, weight_set=weight_set, samples=0, sections=("weights",)
    )
    out.effect = _effect(sens_a, sens_b, weight_set, aggregate)
    return out
