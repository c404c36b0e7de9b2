"""Weights derived from what a weighting workshop recorded, checked against the tree.

An elicitation is recorded in YAML beside the weights it produced: under
``elicitation:`` in a criteria file for the value tree's own weights (the method is
``weights.method`` in ``appraisal.yaml``), or under a weight set's ``elicitation:`` (the
method is the set's ``method``). It holds, level by level of the tree, either one
agreed record or each participant's record and a declared rule to combine them.

:func:`derive` checks every record against the tree (which groups and criteria, one
method, complete levels, ranks without gaps, reciprocal AHP judgements, comparisons
that connect every criterion), derives the local weights of every level with
:mod:`appraise.engine.elicitation`, checks that weights written beside the record
agree with it, and warns where an AHP consistency ratio is above the declared limit,
naming the judgements least consistent with the weights. Every problem is an
:class:`~appraise.errors.Issue` at file:line:column.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from appraise.engine import elicitation as eng
from appraise.errors import Issue, Severity
from appraise.files.loading import Appraisal, Node
from appraise.files.models import Elicitation, ElicitedLevel
from appraise.files.yamlio import Document, issue_at

__all__ = [
    "METHOD_KIND",
    "Consistency",
    "ElicitedSet",
    "LevelWeights",
    "Record",
    "derive",
    "participant_set_id",
]

Gen = Generator[Issue, None, Any]

METHOD_KIND = {"swing": "swings", "points": "points", "ranking": "ranks", "ahp": "pairwise"}
"""The key a level records under, for each elicitation method."""

AGREEMENT = 0.01
"""How far (as a share of the level's total) a written weight may be from the elicited
one: one point in a hundred, which allows rounding to whole numbers."""

RECIPROCAL = 1.05
"""How far a pair given both ways may be from reciprocal (3 and 0.33 agree)."""

WORST = 3
"""How many judgements an inconsistency warning names."""


@dataclass(frozen=True)
class Where:
    """A place in a file, looked up only when asked: finding lines re-reads the file,
    which a clean run never needs."""

    doc: Document
    path: tuple[Any, ...]

    @property
    def line(self) -> int:
        """The value's line."""
        return self.doc.locate(self.path).line

    @property
    def key_line(self) -> int:
        """The key's line."""
        return self.doc.locate(self.path).key_line


@dataclass(frozen=True)
class Judgement:
    """One AHP judgement set against the weights derived from all of them.

    Attributes:
        row: the criterion judged more (or less) important.
        col: the one it was compared with.
        given: how many times as important ``row`` was judged (after completing the pair).
        implied: what the weights say: ``w_row / w_col``.
        line: where it was written (0 if only its reciprocal was).
    """

    row: str
    col: str
    given: float
    implied: float
    at: Where | None = field(default=None, repr=False, compare=False)

    @property
    def line(self) -> int:
        """The line it was written on (0 if only its reciprocal was)."""
        return self.at.line if self.at is not None else 0


@dataclass(frozen=True)
class Consistency:
    """Saaty's consistency figures for one comparison matrix.

    Attributes:
        n: the matrix size.
        lambda_max: principal eigenvalue.
        ci: consistency index ``(lambda_max - n) / (n - 1)``.
        ri: the random index from the declared table (``None`` when it has no entry).
        cr: consistency ratio ``ci / ri`` (``None`` without ``ri``; 0 for n < 3).
        limit: the declared limit.
        missing: comparisons left out (completed by Harker's method).
        worst: the judgements furthest from the weights, worst first.
    """

    n: int
    lambda_max: float
    ci: float
    ri: float | None
    cr: float | None
    limit: float
    missing: int
    worst: list[Judgement]

    @property
    def acceptable(self) -> bool:
        """True unless the consistency ratio is known and above the limit."""
        return self.cr is None or self.cr <= self.limit + 1e-12


@dataclass(frozen=True)
class LevelWeights:
    """The local weights derived for one level of the tree.

    Attributes:
        group: the group whose children were weighed (``None``: the top level).
        ids: the children, in tree order.
        kind: ``swings``, ``points``, ``ranks`` or ``pairwise``.
        recorded: what was recorded, by child id (swing, points or rank; for pairwise,
            ``{row: {col: judgement}}``); empty for a combination.
        shares: ``(n,)`` local weights as fractions summing to 1.
        consistency: AHP consistency (``None`` for other methods).
        matrix: AHP: the reciprocal comparison matrix used, NaN where a pair was not
            compared.
        line: where the level was recorded (0 for a combination).
    """

    group: str | None
    ids: list[str]
    kind: str
    recorded: dict[str, Any]
    shares: list[float]
    consistency: Consistency | None = None
    matrix: list[list[float]] | None = None
    at: Where | None = field(default=None, repr=False, compare=False)

    @property
    def line(self) -> int:
        """The line the level was recorded on (0 for a combination)."""
        return self.at.key_line if self.at is not None else 0


@dataclass(frozen=True)
class Record:
    """One participant's record (or the one agreed record, with ``id`` ``None``)."""

    id: str | None
    name: str | None
    role: str | None
    levels: list[LevelWeights]


@dataclass(frozen=True)
class ElicitedSet:
    """A weight set (or the value tree) with the elicitation behind it.

    Attributes:
        set_id: ``tree`` or the weight set's id.
        name: its name.
        method: ``swing``, ``points``, ``ranking`` or ``ahp``.
        source: the workshop, date or document.
        combine: how participants were combined (``None`` for one record).
        rank_rule: rank-weight rule for rankings.
        records: each participant's record, or the one agreed record.
        combined: the levels the weights come from (the agreed record, or the
            participants combined).
        written: the weights written beside the record, by node id.
    """

    set_id: str
    name: str
    method: str
    source: str | None
    combine: str | None
    rank_rule: str
    records: list[Record]
    combined: list[LevelWeights]
    written: dict[str, float] = field(default_factory=dict)

    @property
    def participants(self) -> list[Record]:
        """The participants' records (empty for one agreed record)."""
        return [r for r in self.records if r.id is not None]

    def shares(self, record: Record | None = None) -> dict[str, float]:
        """Local shares (fractions of their level) by node id, of the combined levels or
        of one participant's."""
        levels = self.combined if record is None else record.levels
        return {i: float(s) for lv in levels for i, s in zip(lv.ids, lv.shares, strict=True)}


def participant_set_id(set_id: str, participant: str) -> str:
    """The id of the weight set holding one participant's weights."""
    return f"{set_id}.{participant}"


def derive(appraisal: Appraisal) -> tuple[list[ElicitedSet], list[Issue]]:
    """Every recorded elicitation of an appraisal, derived and checked.

    Returns:
        The elicitations without errors, and every issue found (errors and warnings).
    """
    tree = _Tree(appraisal)
    found: list[ElicitedSet] = []
    issues: list[Issue] = []
    settings = appraisal.settings.weights
    taken = {"tree"} | {ws.id for _, f in appraisal.criteria_files for ws in f.weight_sets}
    first: Where | None = None
    for doc, file in appraisal.criteria_files:
        if file.elicitation is None:
            continue
        if first is not None:
            issues.append(
                issue_at(
                    Severity.ERROR,
                    "elicitation-twice",
                    "the value tree's elicitation is already recorded at "
                    f"{first.doc.path}:{first.key_line}",
                    "record it once, in one criteria file",
                    doc,
                    ("elicitation",),
                )
            )
            continue
        first = Where(doc, ("elicitation",))
        written = {n.criterion.id: n.criterion.weight for n in tree.nodes}
        where_written = {n.criterion.id: (n.doc, (*n.where, "weight")) for n in tree.nodes}
        normalise = {
            parent: settings.normalise or (parent is not None and tree.node(parent).normalise)
            for parent in tree.children
        }
        deriver = _Deriver(
            tree,
            "tree",
            "Value tree",
            settings.method,
            settings.agreed,
            file.elicitation,
            doc,
            ("elicitation",),
            written,
            where_written,
            normalise,
            taken,
            method_where=(appraisal.settings_doc, ("weights", "method")),
        )
        issues.extend(deriver.run())
        if deriver.result is not None:
            found.append(deriver.result)
    for doc, file in appraisal.criteria_files:
        for i, ws in enumerate(file.weight_sets):
            if ws.elicitation is None:
                continue
            where = ("weight_sets", i)
            if any(ident not in tree.by_id for ident in ws.weights):
                continue  # unknown ids are reported by the weight-set check
            written = {ident: float(w) for ident, w in ws.weights.items()}
            where_written = {ident: (doc, (*where, "weights", ident)) for ident in ws.weights}
            normalise = {
                parent: ws.normalise
                or settings.normalise
                or (parent is not None and tree.node(parent).normalise)
                for parent in tree.children
            }
            deriver = _Deriver(
                tree,
                ws.id,
                ws.name,
                ws.method,
                ws.source,
                ws.elicitation,
                doc,
                (*where, "elicitation"),
                written,
                where_written,
                normalise,
                taken,
                method_where=(doc, (*where, "method")),
            )
            issues.extend(deriver.run())
            if deriver.result is not None:
                found.append(deriver.result)
    return found, issues


class _Tree:
    """The value tree as the elicitation checks need it."""

    def __init__(self, appraisal: Appraisal) -> None:
        self.nodes: list[Node] = list(appraisal.nodes())
        self.by_id: dict[str, Node] = {}
        for n in self.nodes:
            self.by_id.setdefault(n.criterion.id, n)
        self.children: dict[str | None, list[str]] = {}
        for n in self.nodes:
            self.children.setdefault(n.parent, []).append(n.criterion.id)
        self.total = float(appraisal.settings.weights.total)

    def node(self, ident: str) -> Any:
        return self.by_id[ident].criterion

    def groups(self) -> list[str]:
        return [n.criterion.id for n in self.nodes if n.is_group]


def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x - round(x)) > 1e-9 else f"{round(x)}"


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _level_name(group: str | None) -> str:
    return "the top level" if group is None else f"group `{group}`"


class _Deriver:
    """Checks and derives one elicitation (the tree's or one weight set's)."""

    def __init__(
        self,
        tree: _Tree,
        set_id: str,
        name: str,
        method: str,
        source: str | None,
        el: Elicitation,
        doc: Document,
        where: tuple[Any, ...],
        written: dict[str, float],
        where_written: dict[str, tuple[Document, tuple[Any, ...]]],
        normalise: dict[str | None, bool],
        taken: set[str],
        method_where: tuple[Document | None, tuple[Any, ...]],
    ) -> None:
        self.tree = tree
        self.set_id = set_id
        self.name = name
        self.method = method
        self.source = source
        self.el = el
        self.doc = doc
        self.where = where
        self.written = written
        self.where_written = where_written
        self.normalise = normalise
        self.taken = taken
        self.method_where = method_where
        self.errors = 0
        self.result: ElicitedSet | None = None
        self.ri: dict[int, float] = (
            {n + 1: v for n, v in enumerate(eng.SAATY_RI)}
            if el.random_index == "saaty"
            else {int(k): float(v) for k, v in el.random_index.items()}
        )

    def error(self, code: str, message: str, hint: str, where: tuple[Any, ...]) -> Issue:
        self.errors += 1
        return issue_at(Severity.ERROR, code, message, hint, self.doc, where)

    def run(self) -> Iterator[Issue]:
        kind = METHOD_KIND.get(self.method)
        owner = "the value tree" if self.set_id == "tree" else f"weight set `{self.set_id}`"
        if kind is None:
            doc, where = self.method_where
            self.errors += 1
            yield issue_at(
                Severity.ERROR,
                "elicitation-method",
                f"{owner} records an elicitation but its method is `{self.method}`",
                "set the method to swing, points, ranking or ahp"
                + (" (weights.method in appraisal.yaml)" if self.set_id == "tree" else ""),
                doc if doc is not None else self.doc,
                where if doc is not None else self.where,
            )
            return
        el = self.el
        records: list[
            tuple[str | None, str | None, str | None, list[ElicitedLevel], tuple[Any, ...]]
        ] = []
        if el.levels is not None:
            records.append((None, None, None, el.levels, (*self.where, "levels")))
        else:
            seen: dict[str, int] = {}
            for p, person in enumerate(el.participants or []):
                pwhere = (*self.where, "participants", p)
                if person.id in seen:
                    yield self.error(
                        "duplicate-id",
                        f"participant id `{person.id}` is already used in this elicitation",
                        "give each participant their own id",
                        (*pwhere, "id"),
                    )
                    continue
                seen[person.id] = p
                set_id = participant_set_id(self.set_id, person.id)
                if len(el.participants or []) > 1 and set_id in self.taken:
                    yield self.error(
                        "duplicate-id",
                        f"participant `{person.id}`'s weights would be weight set `{set_id}`, "
                        "an id already used",
                        "rename the participant or the other weight set",
                        (*pwhere, "id"),
                    )
                    continue
                self.taken.add(set_id)
                records.append(
                    (person.id, person.name, person.role, person.levels, (*pwhere, "levels"))
                )
        derived: list[Record] = []
        level_keys: list[tuple[frozenset[str | None], tuple[Any, ...], str | None]] = []
        for pid, pname, prole, levels, lwhere in records:
            out: list[LevelWeights] = []
            keys: set[str | None] = set()
            for k, level in enumerate(levels):
                here = (*lwhere, k)
                if level.group in keys:
                    yield self.error(
                        "elicitation-level",
                        f"{_level_name(level.group)} is recorded twice"
                        + (f" for participant `{pid}`" if pid else ""),
                        "record each level once",
                        (*here, "group") if level.group else here,
                    )
                    continue
                keys.add(level.group)
                lw = yield from self.level(level, kind, here)
                if lw is not None:
                    out.append(lw)
            level_keys.append((frozenset(keys), lwhere[:-1], pid))
            derived.append(Record(pid, pname, prole, self.ordered(out)))
        if len(level_keys) > 1:
            everyone = frozenset().union(*(k for k, _, _ in level_keys))
            for got, pwhere, pid in level_keys:
                missing = [g for g in everyone if g not in got]
                if missing:
                    names = ", ".join(_level_name(g) for g in self.sorted_groups(missing))
                    yield self.error(
                        "elicitation-level",
                        f"participant `{pid}` records no weights for {names}, which others do",
                        "every participant records the same levels (or leave the level "
                        "out for everyone)",
                        (*pwhere, "id"),
                    )
        if not derived:
            return
        # combine (and check against the written weights) every level that every record
        # derived without error, so that one run reports every problem
        complete = [
            lv.group
            for lv in derived[0].levels
            if all(any(x.group == lv.group for x in r.levels) for r in derived[1:])
        ]
        combined = yield from self.combine(derived, kind, complete)
        if combined is None:
            return
        yield from self.agreement(combined)
        if self.errors:
            return
        self.result = ElicitedSet(
            set_id=self.set_id,
            name=self.name,
            method=self.method,
            source=self.source,
            combine=el.combine if len(derived) > 1 else None,
            rank_rule=el.rank_rule,
            records=derived,
            combined=combined,
            written=dict(self.written),
        )

    def sorted_groups(self, groups: Iterable[str | None]) -> list[str | None]:
        order = {g: i for i, g in enumerate(self.tree.children)}
        return sorted(groups, key=lambda g: order.get(g, len(order)))

    def ordered(self, levels: list[LevelWeights]) -> list[LevelWeights]:
        order = {g: i for i, g in enumerate(self.tree.children)}
        return sorted(levels, key=lambda lv: order.get(lv.group, len(order)))

    # -- one level ----------------------------------------------------------------------

    def level(self, level: ElicitedLevel, kind: str, here: tuple[Any, ...]) -> Gen:
        group = level.group
        if group is not None and group not in self.tree.by_id:
            close = difflib.get_close_matches(group, self.tree.groups(), n=1, cutoff=0.5)
            yield self.error(
                "unknown-criterion",
                f"unknown group `{group}`",
                f"did you mean `{close[0]}`?" if close else "use the id of a group of the tree",
                (*here, "group"),
            )
            return None
        if group is not None and group not in self.tree.children:
            yield self.error(
                "elicitation-level",
                f"`{group}` is a scored criterion, not a group: it has no criteria to weigh",
                "name a group, or leave `group` out for the top level",
                (*here, "group"),
            )
            return None
        if level.kind != kind:
            yield self.error(
                "elicitation-method",
                f"this level records `{level.kind}`, but the method is `{self.method}`",
                f"record `{kind}:` here, or change the method",
                (*here, level.kind),
            )
            return None
        ids = self.tree.children[group]
        values: dict[str, Any] = getattr(level, kind)
        where = (*here, kind)
        bad = False
        for ident in values:
            if ident not in ids:
                bad = True
                yield self.not_here(ident, group, (*where, ident))
        if kind == "pairwise":
            for row, cols in values.items():
                for col in cols:
                    if col not in ids:
                        bad = True
                        yield self.not_here(col, group, (*where, row, col))
            if bad:
                return None
            return (yield from self.pairwise(group, ids, values, where))
        if bad:
            return None  # the level's members are named in the hint above
        missing = [i for i in ids if i not in values]
        if missing:
            yield self.error(
                "elicitation-level",
                f"{_level_name(group)}: {_ids(missing)} not weighed (it holds {_ids(ids)})",
                f"record every criterion of the level under `{kind}:`",
                where,
            )
            return None
        v = [float(values[i]) for i in ids]
        if kind == "swings":
            if not math.isclose(max(v), 100.0, abs_tol=1e-9):
                yield self.error(
                    "swing-no-100",
                    f"the most valued swing must be 100; the largest here is {_num(max(v))}",
                    "give the swing valued most 100 and judge the others against it",
                    where,
                )
                return None
        elif kind == "points" and sum(v) <= 0:
            yield self.error(
                "points-zero",
                "every criterion here got 0 points",
                "allocate the points that were given",
                where,
            )
            return None
        if kind == "ranks":
            shares = yield from self.ranks([int(x) for x in v], where)
            if shares is None:
                return None
        else:
            shares = eng.normalise(v)
        return LevelWeights(group, list(ids), kind, dict(values), shares, at=Where(self.doc, where))

    def not_here(self, ident: str, group: str | None, where: tuple[Any, ...]) -> Issue:
        if ident not in self.tree.by_id:
            close = difflib.get_close_matches(ident, self.tree.children[group], n=1, cutoff=0.5)
            return self.error(
                "unknown-criterion",
                f"unknown criterion `{ident}`",
                f"did you mean `{close[0]}`?"
                if close
                else f"{_level_name(group)} holds {_ids(self.tree.children[group])}",
                where,
            )
        parent = self.tree.by_id[ident].parent
        return self.error(
            "elicitation-level",
            f"`{ident}` is not in {_level_name(group)}: it belongs to {_level_name(parent)}",
            f"{_level_name(group)} holds {_ids(self.tree.children[group])}",
            where,
        )

    def ranks(self, r: list[int], where: tuple[Any, ...]) -> Gen:
        competition = [1 + sum(1 for y in r if y < x) for x in r]
        if r != competition:
            used = sorted(set(r))
            dense = {u: k + 1 for k, u in enumerate(used)}
            if used != list(range(1, len(used) + 1)):
                ordered = sorted(r)
                shown = ", ".join(str(x) for x in ordered)
                # the first rank that neither counting (1, 1, 3) nor dense (1, 1, 2)
                # ranking allows
                place, previous = next(
                    (k, ordered[k - 1] if k else 0)
                    for k, x in enumerate(ordered)
                    if (k == 0 or x != ordered[k - 1])
                    and x not in (k + 1, (dense[ordered[k - 1]] if k else 0) + 1)
                )
                allowed = sorted({place + 1, (dense[previous] if previous else 0) + 1})
                after = (
                    f"after {previous} comes {ordered[place]}"
                    if previous
                    else f"the first rank is {ordered[place]}"
                )
                yield self.error(
                    "ranks-gap",
                    f"ranks {shown} have a gap: {after}, where "
                    + " or ".join(str(x) for x in allowed)
                    + " was expected",
                    "number the places 1, 2, 3 …; tied criteria share a rank (1, 1, 3 or 1, 1, 2)",
                    where,
                )
                return None
            # dense ranking (1, 1, 2): the same order as competition ranking (1, 1, 3)
            order = [dense[x] for x in r]
            r = [1 + sum(1 for y in order if y < x) for x in order]
        return eng.rank_weights(r, self.el.rank_rule)

    def pairwise(
        self,
        group: str | None,
        ids: list[str],
        values: dict[str, dict[str, float]],
        where: tuple[Any, ...],
    ) -> Gen:
        n = len(ids)
        pos = {ident: k for k, ident in enumerate(ids)}
        a = [[1.0 if i == j else math.nan for j in range(n)] for i in range(n)]
        lines: dict[tuple[int, int], Where] = {}
        ok = True
        for row, cols in values.items():
            for col, given in cols.items():
                i, j = pos[row], pos[col]
                here = (*where, row, col)
                line = Where(self.doc, here)
                if i == j:
                    if not math.isclose(given, 1.0, rel_tol=1e-9):
                        ok = False
                        yield self.error(
                            "judgement-self",
                            f"`{row}` compared with itself is {_num(given)}; it can only be 1",
                            "leave out self-comparisons",
                            here,
                        )
                    continue
                if (i, j) in lines:
                    continue  # a key written twice is a YAML error, reported on load
                if (j, i) in lines:
                    other = a[j][i]
                    product = given * other
                    if not (1 / RECIPROCAL <= product <= RECIPROCAL):
                        ok = False
                        yield self.error(
                            "reciprocal-mismatch",
                            f"`{row}` over `{col}` is {_num(given)}, but `{col}` over "
                            f"`{row}` is {_num(other)} (line {lines[(j, i)].line}): the two must "
                            "be reciprocals",
                            f"write {_frac(1 / other)} here, or give the pair only once",
                            here,
                        )
                        continue
                    mean = math.sqrt(given / other)
                    a[i][j], a[j][i] = mean, 1 / mean
                    lines[(i, j)] = line
                    continue
                a[i][j], a[j][i] = given, 1 / given
                lines[(i, j)] = line
        if not ok:
            return None
        known = [[i != j and not math.isnan(a[i][j]) for j in range(n)] for i in range(n)]
        if not eng.connected(known):
            parts = _components(known)
            shown = "; ".join(_ids(ids[k] for k in part) for part in parts)
            yield self.error(
                "comparisons-disconnected",
                f"{_level_name(group)}: the comparisons do not link every criterion "
                f"to every other (separate parts: {shown})",
                "compare at least one criterion of each part with one of another",
                where,
            )
            return None
        result = eng.ahp(a)
        consistency = self.consistency(result, ids, lines)
        if not consistency.acceptable:
            worst = "; ".join(
                f"`{j.row}` over `{j.col}` {_frac(j.given)}"
                + (f" (line {j.line})" if j.line else "")
                + f", the weights imply {_frac(j.implied)}"
                for j in consistency.worst
            )
            yield issue_at(
                Severity.WARNING,
                "ahp-inconsistent",
                f"{_level_name(group)}: consistency ratio {consistency.cr:.3f} is above "
                f"{consistency.limit:g} (λmax {consistency.lambda_max:.3f}, CI "
                f"{consistency.ci:.3f}, RI {consistency.ri:g}); least consistent: {worst}",
                "revisit these judgements with the participant, or record why they stand",
                self.doc,
                where,
            )
        elif consistency.ri is None and n >= 3:
            yield issue_at(
                Severity.WARNING,
                "no-random-index",
                f"{_level_name(group)}: the random-index table has no entry for {n} "
                "criteria, so no consistency ratio",
                f"declare `random_index:` with an entry for {n}",
                self.doc,
                where,
            )
        recorded = {row: dict(cols) for row, cols in values.items()}
        return LevelWeights(
            group,
            list(ids),
            "pairwise",
            recorded,
            result.weights,
            consistency,
            a,
            Where(self.doc, where),
        )

    def consistency(
        self,
        result: eng.AhpResult,
        ids: list[str],
        lines: Mapping[tuple[int, int], Where | None],
    ) -> Consistency:
        n = len(ids)
        ri = self.ri.get(n) if n >= 3 else None
        if n < 3:
            cr: float | None = 0.0
        elif ri is not None and ri > 0:
            cr = result.ci / ri
        else:
            cr, ri = None, None
        w = result.weights
        worst: list[Judgement] = []
        for i, j, _ in result.worst[:WORST]:
            given = result.completed[i][j]
            # show each judgement the way round it was written
            if (i, j) in lines or (j, i) not in lines:
                worst.append(Judgement(ids[i], ids[j], given, w[i] / w[j], lines.get((i, j))))
            else:
                worst.append(Judgement(ids[j], ids[i], 1 / given, w[j] / w[i], lines[(j, i)]))
        # a pair given both ways is one comparison, not two
        made = {(min(i, j), max(i, j)) for i, j in lines}
        missing = n * (n - 1) // 2 - len(made)
        return Consistency(
            n, result.lambda_max, result.ci, ri, cr, self.el.consistency_limit, missing, worst
        )

    # -- combining and agreeing -----------------------------------------------------------

    def combine(self, records: list[Record], kind: str, groups: list[str | None]) -> Gen:
        if len(records) == 1:
            return records[0].levels
        rule = self.el.combine
        out: list[LevelWeights] = []
        for group in groups:
            levels = [next(x for x in r.levels if x.group == group) for r in records]
            first = levels[0]
            if rule == "geometric_mean" and kind == "pairwise":
                matrix = eng.combine_judgements(
                    [lv.matrix for lv in levels if lv.matrix is not None]
                )
                result = eng.ahp(matrix)
                # the pairs someone compared (no line: a combination of several)
                made: dict[tuple[int, int], Where | None] = {
                    (i, j): None
                    for i in range(len(matrix))
                    for j in range(i + 1, len(matrix))
                    if not math.isnan(matrix[i][j])
                }
                consistency = self.consistency(result, first.ids, made)
                out.append(
                    LevelWeights(
                        first.group, first.ids, kind, {}, result.weights, consistency, matrix
                    )
                )
                continue
            stack = [lv.shares for lv in levels]
            if rule == "geometric_mean":
                geo = [
                    0.0 if min(col) <= 0 else math.exp(math.fsum(map(math.log, col)) / len(col))
                    for col in zip(*stack, strict=True)
                ]
                if sum(geo) <= 0:
                    yield self.error(
                        "elicitation-combine",
                        f"{_level_name(first.group)}: the geometric mean of the "
                        "participants' weights is 0 for every criterion (each got 0 "
                        "from someone)",
                        "combine by `mean_weights` instead",
                        (*self.where, "combine"),
                    )
                    return None
                shares = eng.normalise(geo)
            else:
                shares = eng.mean_weights(stack)
            out.append(LevelWeights(first.group, first.ids, kind, {}, shares))
        return out

    def agreement(self, combined: list[LevelWeights]) -> Iterator[Issue]:
        total = self.tree.total
        for lv in combined:
            given = [i for i in lv.ids if i in self.written]
            if not given:
                continue
            merged = {
                i: self.written.get(i, float(s) * total)
                for i, s in zip(lv.ids, lv.shares, strict=True)
            }
            divisor = sum(merged.values()) if self.normalise.get(lv.group) else total
            if divisor <= 0:
                continue
            for ident, share in zip(lv.ids, lv.shares, strict=True):
                if ident not in self.written:
                    continue
                written_share = merged[ident] / divisor
                if abs(written_share - share) > AGREEMENT + 1e-9:
                    doc, where = self.where_written[ident]
                    self.errors += 1
                    owner = (
                        "the value tree" if self.set_id == "tree" else f"weight set `{self.set_id}`"
                    )
                    yield issue_at(
                        Severity.ERROR,
                        "elicitation-mismatch",
                        f"`{ident}`'s weight {_num(merged[ident])} in {owner} does not agree "
                        f"with its elicitation, which gives {share * total:.2f} "
                        f"({_level_name(lv.group)})",
                        f"write the elicited weight (rounding is fine), or correct the record "
                        f"at {self.doc.path}:"
                        f"{lv.line or self.doc.locate(self.where).key_line}",
                        doc,
                        where,
                    )


def _frac(x: float) -> str:
    """A judgement as people write them: ``3``, ``1/3``, ``2.5``."""
    if x >= 1 or x <= 0:
        return _num(x)
    inverse = 1 / x
    if abs(inverse - round(inverse)) < 1e-6:
        return f"1/{round(inverse)}"
    return _num(x)


def _components(known: list[list[bool]]) -> list[list[int]]:
    n = len(known)
    seen: set[int] = set()
    parts: list[list[int]] = []
    for start in range(n):
        if start in seen:
            continue
        part, stack = [], [start]
        seen.add(start)
        while stack:
            i = stack.pop()
            part.append(i)
            for j in range(n):
                if (known[i][j] or known[j][i]) and j not in seen:
                    seen.add(j)
                    stack.append(j)
        parts.append(sorted(part))
    return parts
