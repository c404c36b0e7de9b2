"""Checks across the files of an appraisal.

Each file has already passed its own model (:mod:`appraise.files.loading`). These rules need
more than one file or one object: references between ids, completeness of the panel's
scores, scales and steps, weights at each level of the tree and of each weight set,
the baseline, hurdle results, double counting, rationale and moderation notes.

Some rules are warnings early in an appraisal and errors later; :data:`SEVERITY_TABLE`
lists which, and the README prints it. ``--strict`` makes every warning an error.
"""

from __future__ import annotations

import difflib
import functools
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from appraise.errors import Issue, Severity
from appraise.files.loading import Appraisal, Node
from appraise.files.models import STATUSES, Scale
from appraise.files.yamlio import Document, issue_at

__all__ = ["SEVERITY_TABLE", "check_appraisal", "near_duplicate"]

SEVERITY_TABLE: dict[str, tuple[str, str]] = {
    "no-definition": ("scored", "a criterion or group without a definition"),
    "no-rationale": ("final", "a panel score without a rationale"),
    "moderation-note-missing": (
        "moderated",
        "a flagged or departing moderated score without a note",
    ),
    "missing-moderated": ("final", "a cell without a moderated score (from status moderated)"),
}
"""Rules whose severity depends on status: code → (first status where it is an error,
what it catches). Before that status they are warnings."""

_RANK = {status: i for i, status in enumerate(STATUSES)}
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "promote",
        "promotes",
        "promoting",
        "support",
        "supports",
        "supporting",
        "improve",
        "improves",
        "improving",
        "enable",
        "enables",
        "robust",
    ]
)
MANY_CRITERIA = 15
REPEATED_RATIONALE = 3


def check_appraisal(appraisal: Appraisal) -> list[Issue]:
    """Every cross-file issue in an appraisal whose files each passed their model.

    Args:
        appraisal: the loaded appraisal.

    Returns:
        Issues, errors and warnings, in no particular order.
    """
    return list(_Checker(appraisal).run())


def near_duplicate(a: str, b: str) -> bool:
    """True when two criterion names would read as the same criterion.

    Names are compared without case, punctuation, filler words (``promotes``,
    ``supports``, ``the`` …) and doubled letters (``focussed`` = ``focused``). They are
    near duplicates when what is left is equal, or at least 90 % similar with the same
    numbers in both (``Criterion 1`` and ``Criterion 11`` differ).
    """
    left, right = _name_key(a), _name_key(b)
    if not left or not right:
        return a.casefold().strip() == b.casefold().strip()
    if left == right:
        return True
    if re.findall(r"\d+", left) != re.findall(r"\d+", right):
        return False
    matcher = difflib.SequenceMatcher(None, left, right)
    return (
        matcher.real_quick_ratio() >= 0.9
        and matcher.quick_ratio() >= 0.9
        and matcher.ratio() >= 0.9
    )


def _name_key(name: str) -> str:
    words = re.sub(r"[^\w]+", " ", name.casefold()).split()
    kept = [w for w in words if w not in _STOPWORDS]
    return re.sub(r"([^\W\d_])\1+", r"\1", " ".join(kept))


class _Checker:
    def __init__(self, appraisal: Appraisal) -> None:
        self.a = appraisal
        self.status = appraisal.status
        self.nodes = list(appraisal.nodes())
        self.by_id: dict[str, Node] = {}
        for node in self.nodes:
            self.by_id.setdefault(node.criterion.id, node)
        self.leaves = [n for n in self.nodes if not n.is_group]
        self.leaf_ids = [n.criterion.id for n in self.leaves]
        self.scales: dict[str, Scale] = {
            n.criterion.id: appraisal.scale_for(n.criterion) for n in self.leaves
        }
        self.options = appraisal.options()
        self.option_ids = {o.item.id for o in self.options}
        self.active = [o for o in self.options if not o.item.discounted]
        self.active_ids = [o.item.id for o in self.active]
        self.scorer_ids = {s.scorer.id for _, s in appraisal.sheets}

    # -- helpers ------------------------------------------------------------------------

    def severity(self, code: str) -> Severity:
        error_from = SEVERITY_TABLE[code][0]
        return Severity.ERROR if _RANK[self.status] >= _RANK[error_from] else Severity.WARNING

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
        return self.issue(Severity.WARNING, code, message, hint, doc, where, key=key)

    def suggest(self, value: str, choices: Iterable[str]) -> str:
        close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
        return f"did you mean `{close[0]}`?" if close else ""

    # -- the rules ----------------------------------------------------------------------

    def run(self) -> Iterator[Issue]:
        yield from self.check_ids()
        yield from self.check_tree()
        yield from self.check_scales()
        yield from self.check_weight_sets()
        yield from self.check_elicitation()
        yield from self.check_options()
        yield from self.check_sheets()
        yield from self.check_moderation()

    def check_ids(self) -> Iterator[Issue]:
        groups: dict[str, list[tuple[str, Document, tuple[Any, ...]]]] = {
            "criterion": [(n.criterion.id, n.doc, (*n.where, "id")) for n in self.nodes],
            "option": [(o.item.id, o.doc, (*o.where, "id")) for o in self.options],
            "scorer": [(s.scorer.id, d, ("scorer", "id")) for d, s in self.a.sheets],
            "hurdle": [
                (h.id, d, ("hurdles", i, "id"))
                for d, f in self.a.criteria_files
                for i, h in enumerate(f.hurdles)
            ],
            "weight set": [
                (w.id, d, ("weight_sets", i, "id"))
                for d, f in self.a.criteria_files
                for i, w in enumerate(f.weight_sets)
            ],
        }
        if self.a.settings_doc is not None:
            groups["objective"] = [
                (o.id, self.a.settings_doc, ("appraisal", "objectives", i, "id"))
                for i, o in enumerate(self.a.settings.appraisal.objectives)
            ]
        for what, entries in groups.items():
            first: dict[str, tuple[Document, tuple[Any, ...]]] = {}
            for ident, doc, where in entries:
                if ident in first:
                    prev_doc, prev_where = first[ident]
                    loc = prev_doc.locate(prev_where)
                    yield self.error(
                        "duplicate-id",
                        f"{what} id `{ident}` is already used at {prev_doc.path}:{loc.line}",
                        f"give each {what} its own id",
                        doc,
                        where,
                        key=False,
                    )
                else:
                    first[ident] = (doc, where)

    def check_tree(self) -> Iterator[Issue]:
        if not self.nodes:
            doc = self.a.criteria_files[0][0] if self.a.criteria_files else None
            yield self.error(
                "no-criteria",
                "the value tree has no criteria",
                "add criteria under `criteria:` in a file in criteria/",
                doc,
            )
            return
        settings = self.a.settings.weights
        top = [n for n in self.nodes if n.parent is None]
        yield from self._level_sum(
            "the top level",
            [n.criterion.weight for n in top],
            settings.normalise,
            top[0].doc,
            (*top[0].where, "weight"),
        )
        objective_ids = {o.id for o in self.a.settings.appraisal.objectives}
        for node in self.nodes:
            c = node.criterion
            if c.criteria is not None:
                yield from self._level_sum(
                    f"`{c.id}`",
                    [ch.weight for ch in c.criteria],
                    settings.normalise or c.normalise,
                    node.doc,
                    (*node.where, "criteria"),
                )
            if not c.definition.strip():
                yield self.issue(
                    self.severity("no-definition"),
                    "no-definition",
                    f"`{c.id}` ({c.name}) has no definition",
                    "say what is judged, in service or output terms",
                    node.doc,
                    (*node.where, "id"),
                )
            for i, ref in enumerate(c.objectives):
                if ref not in objective_ids:
                    hint = (
                        self.suggest(ref, objective_ids)
                        or "list it under appraisal.objectives in appraisal.yaml"
                    )
                    yield self.error(
                        "unknown-objective",
                        f"unknown objective `{ref}`",
                        hint,
                        node.doc,
                        (*node.where, "objectives", i),
                        key=False,
                    )
            for i, distinct in enumerate(c.distinct_from):
                if distinct.id not in self.by_id:
                    yield self.error(
                        "unknown-criterion",
                        f"unknown criterion `{distinct.id}`",
                        self.suggest(distinct.id, self.by_id) or "check the id",
                        node.doc,
                        (*node.where, "distinct_from", i, "id"),
                        key=False,
                    )
            if c.covered_by_cost:
                yield self.warning(
                    "covered-by-cost",
                    f"`{c.id}` is also covered by the costs: cost per benefit "
                    "point would count it twice",
                    "leave it out of value for money, or redefine it",
                    node.doc,
                    (*node.where, "covered_by_cost"),
                )
        yield from self._duplicates()
        if len(self.leaves) > MANY_CRITERIA:
            first = self.leaves[0]
            yield self.warning(
                "many-criteria",
                f"{len(self.leaves)} scored criteria; more than about "
                f"{MANY_CRITERIA} are hard to judge consistently",
                "group or merge criteria that overlap",
                first.doc,
                first.where,
            )

    def _level_sum(
        self,
        label: str,
        values: list[float],
        normalise: bool,
        doc: Document,
        where: tuple[Any, ...],
    ) -> Iterator[Issue]:
        total = self.a.settings.weights.total
        tolerance = self.a.settings.weights.tolerance
        ssum = sum(values)
        terms = " + ".join(_num(w) for w in values)
        if ssum == 0:
            yield self.error(
                "weights-all-zero",
                f"every weight at {label} is zero",
                "give at least one criterion a weight above zero",
                doc,
                where,
            )
        elif not normalise and abs(ssum - total) > tolerance:
            yield self.error(
                "weights-sum",
                f"weights at {label} sum to {_num(ssum)} ({terms}), not {_num(total)}",
                f"make them sum to {_num(total)}, or set `normalise: true` to "
                "scale them explicitly",
                doc,
                where,
            )

    def _duplicates(self) -> Iterator[Issue]:
        allowed: set[frozenset[str]] = set()
        for node in self.nodes:
            for distinct in node.criterion.distinct_from:
                allowed.add(frozenset((node.criterion.id, distinct.id)))
        leaves = self.leaves
        for j, right in enumerate(leaves):
            for left in leaves[:j]:
                pair = frozenset((left.criterion.id, right.criterion.id))
                if pair in allowed or not near_duplicate(left.criterion.name, right.criterion.name):
                    continue
                loc = left.doc.locate((*left.where, "name"))
                yield self.error(
                    "duplicate-criterion",
                    f"criterion `{right.criterion.id}` ({right.criterion.name!r}) duplicates "
                    f"`{left.criterion.id}` ({left.criterion.name!r}) at "
                    f"{left.doc.path}:{loc.line}: scoring both counts it twice",
                    f"keep one, or split them into distinct criteria with different "
                    f"definitions and list `distinct_from: [{{id: {left.criterion.id}, "
                    f"reason: ...}}]`",
                    right.doc,
                    (*right.where, "name"),
                    key=False,
                )

    def check_scales(self) -> Iterator[Issue]:
        doc = self.a.settings_doc
        yield from self._descriptors(self.a.settings.scale, doc, ("scale",))
        for node in self.leaves:
            override = node.criterion.scale
            if override is None:
                continue
            scale = self.scales[node.criterion.id]
            where = (*node.where, "scale")
            problem = _scale_problem(scale)
            if problem:
                yield self.error(
                    "bad-scale",
                    f"`{node.criterion.id}`'s scale: {problem}",
                    "e.g. min 0, max 10, step 1",
                    node.doc,
                    where,
                )
                continue
            if override.descriptors is not None:
                yield from self._descriptors(scale, node.doc, where)

    def _descriptors(
        self, scale: Scale, doc: Document | None, where: tuple[Any, ...]
    ) -> Iterator[Issue]:
        points = list(scale.descriptors)
        for point in points:
            if not _on_scale(point, scale):
                yield self.error(
                    "descriptor-off-scale",
                    f"descriptor for {_num(point)} is not a point of the scale "
                    f"{_scale_text(scale)}",
                    "describe points that can be scored",
                    doc,
                    (*where, "descriptors", point),
                )
        if doc is None:
            return
        ends = [p for p in (scale.min, scale.max) if p not in scale.descriptors]
        middle = [p for p in points if scale.min < p < scale.max]
        if ends or not middle:
            missing = [_num(p) for p in ends] + ([] if middle else ["a middle point"])
            yield self.warning(
                "few-descriptors",
                f"the scale has no descriptor for {', '.join(missing)}",
                "describe at least both ends and the middle, so scorers "
                "share one meaning of each score",
                doc,
                where,
            )

    def check_elicitation(self) -> Iterator[Issue]:
        yield from self.elicited[1]

    @functools.cached_property
    def elicited(self) -> tuple[dict[str, dict[str, float]], list[Issue]]:
        """Elicited local weights (scaled to the total) by set id, and the issues."""
        from appraise.files.elicitation import derive

        if not any(
            f.elicitation is not None or any(ws.elicitation for ws in f.weight_sets)
            for _, f in self.a.criteria_files
        ):
            return {}, []
        sets, issues = derive(self.a)
        total = self.a.settings.weights.total
        scaled = {es.set_id: {i: share * total for i, share in es.shares().items()} for es in sets}
        return scaled, issues

    def check_weight_sets(self) -> Iterator[Issue]:
        for doc, file in self.a.criteria_files:
            for i, ws in enumerate(file.weight_sets):
                where = ("weight_sets", i)
                unknown = [ident for ident in ws.weights if ident not in self.by_id]
                for ident in unknown:
                    yield self.error(
                        "unknown-criterion",
                        f"weight set `{ws.id}` names unknown criterion `{ident}`",
                        self.suggest(ident, self.by_id) or "use the ids of criteria/ and groups",
                        doc,
                        (*where, "weights", ident),
                    )
                if unknown:
                    continue
                if ws.elicitation is not None and ws.id not in self.elicited[0]:
                    continue  # the elicitation has errors, reported by check_elicitation
                derived = self.elicited[0].get(ws.id, {}) if ws.elicitation else {}
                if ws.elicitation is not None and not ws.weights:
                    continue  # derived weights: each level sums by construction
                normalise = ws.normalise or self.a.settings.weights.normalise
                levels: dict[str | None, list[tuple[str, float]]] = defaultdict(list)
                for node in self.nodes:
                    ident = node.criterion.id
                    weight = ws.weights.get(ident, derived.get(ident, node.criterion.weight))
                    levels[node.parent].append((ident, weight))
                for parent, entries in levels.items():
                    own = any(n in ws.weights for n, _ in entries)
                    if not own and not normalise:
                        continue
                    label = "the top level" if parent is None else f"`{parent}`"
                    yield from self._level_sum(
                        f"{label} in weight set `{ws.id}`",
                        [w for _, w in entries],
                        normalise,
                        doc,
                        (*where, "weights"),
                    )

    def check_options(self) -> Iterator[Issue]:
        if not self.options:
            return
        first = self.options[0]
        if not self.active:
            yield self.error(
                "no-options",
                "every option is discounted: nothing to appraise",
                "carry at least the baseline forward",
                first.doc,
                first.where,
            )
            return
        baselines = [o for o in self.options if o.item.baseline]
        for o in baselines:
            if o.item.discounted:
                yield self.error(
                    "baseline-discounted",
                    f"the baseline `{o.item.id}` is discounted",
                    "the baseline (business as usual) must be appraised",
                    o.doc,
                    (*o.where, "baseline"),
                )
        if not baselines:
            yield self.error(
                "no-baseline",
                "no option is the baseline",
                "mark business as usual with `baseline: true` (Green Book: "
                "options are compared with BAU)",
                first.doc,
                first.where,
            )
        for extra in baselines[1:]:
            yield self.error(
                "many-baselines",
                f"`{extra.item.id}` is a second baseline (first: `{baselines[0].item.id}`)",
                "exactly one option is business as usual",
                extra.doc,
                (*extra.where, "baseline"),
            )
        hurdles = [
            (h, d, ("hurdles", i))
            for d, f in self.a.criteria_files
            for i, h in enumerate(f.hurdles)
        ]
        hurdle_ids = {h.id for h, _, _ in hurdles}
        for o in self.options:
            option = o.item
            if option.discounted and option.filter is not None and not option.filter.reason.strip():
                yield self.error(
                    "no-filter-reason",
                    f"`{option.id}` is discounted without a reason",
                    "say precisely how it fails the long-list filter",
                    o.doc,
                    (*o.where, "filter", "outcome"),
                )
            for ident in option.hurdles:
                if ident not in hurdle_ids:
                    yield self.error(
                        "unknown-hurdle",
                        f"unknown hurdle `{ident}`",
                        self.suggest(ident, hurdle_ids)
                        or "define hurdles under `hurdles:` in criteria/",
                        o.doc,
                        (*o.where, "hurdles", ident),
                    )
            if not option.discounted:
                missing = [h.id for h, _, _ in hurdles if h.id not in option.hurdles]
                if missing:
                    yield self.error(
                        "hurdle-missing",
                        f"`{option.id}` has no result for hurdle(s) {', '.join(missing)}",
                        "add `hurdles: {" + missing[0] + ": {result: pass, reason: ...}}`",
                        o.doc,
                        o.where,
                    )
            cost = option.cost
            if cost is not None and cost.breakdown:
                total = sum(line.amount for line in cost.breakdown)
                if abs(total - cost.amount) > 1e-6 * max(1.0, abs(cost.amount)):
                    yield self.error(
                        "cost-breakdown",
                        f"`{option.id}`'s cost breakdown adds up to {_num(total)}, "
                        f"not its amount {_num(cost.amount)}",
                        "correct the amount or the breakdown",
                        o.doc,
                        (*o.where, "cost", "amount"),
                        key=False,
                    )
        costed = [o for o in self.active if o.item.cost is not None]
        if costed and len(costed) < len(self.active):
            for o in self.active:
                if o.item.cost is None:
                    yield self.warning(
                        "cost-missing",
                        f"`{o.item.id}` has no cost while other options do",
                        "add `cost: {amount: ...}` so value for money covers every option",
                        o.doc,
                        o.where,
                    )
        scopes = Counter(o.item.scope for o in self.active if o.item.scope)
        if len(scopes) > 1:
            common = scopes.most_common(1)[0][0]
            for o in self.active:
                if o.item.scope and o.item.scope != common:
                    yield self.warning(
                        "scope-differs",
                        f"`{o.item.id}` covers a different scope "
                        f"({o.item.scope!r}) from most options ({common!r}): "
                        "their scores are not comparable",
                        "combine partial options into one whole-scope option, "
                        "or score all options for a common scope",
                        o.doc,
                        (*o.where, "scope"),
                    )
        if self.a.settings.appraisal.stage == "shortlist" and len(self.active) < 4:
            yield self.warning(
                "short-shortlist",
                f"the shortlist has {len(self.active)} option(s)",
                "the Green Book expects at least BAU, a do-minimum, the "
                "preferred way forward and one other option",
                first.doc,
                first.where,
            )

    def check_sheets(self) -> Iterator[Issue]:
        if not self.a.sheets:
            doc = self.a.moderations[0][0] if self.a.moderations else None
            yield self.error(
                "no-panel",
                "there is no panel member's score sheet",
                "add one file per panel member in scores/ (appraise sheet)",
                doc,
            )
            return
        for doc, sheet in self.a.sheets:
            yield from self._cells(doc, sheet.scorer.id, sheet.scores, moderated=False)
            texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for option_id, row in sheet.scores.items():
                for criterion_id, cell in row.items():
                    text = " ".join(cell.rationale.split()).casefold()
                    if text:
                        texts[text].append((option_id, criterion_id))
                    elif option_id in self.active_ids and criterion_id in self.scales:
                        yield self.issue(
                            self.severity("no-rationale"),
                            "no-rationale",
                            f"{sheet.scorer.id}'s score for {option_id} × "
                            f"{criterion_id} has no rationale",
                            "say why, citing the evidence",
                            doc,
                            ("scores", option_id, criterion_id),
                        )
            for cells in texts.values():
                if len(cells) > REPEATED_RATIONALE:
                    option_id, criterion_id = cells[0]
                    yield self.warning(
                        "repeated-rationale",
                        f"{sheet.scorer.id} gives the same rationale for {len(cells)} scores",
                        "say why for each option and criterion",
                        doc,
                        ("scores", option_id, criterion_id, "rationale"),
                    )

    def _cells(
        self, doc: Document, who: str, scores: Mapping[str, Mapping[str, Any]], *, moderated: bool
    ) -> Iterator[Issue]:
        for option_id, row in scores.items():
            if option_id not in self.option_ids:
                yield self.error(
                    "unknown-option",
                    f"unknown option `{option_id}`",
                    self.suggest(option_id, self.option_ids) or "use an id from options/",
                    doc,
                    ("scores", option_id),
                )
                continue
            if option_id not in self.active_ids:
                yield self.warning(
                    "scored-discounted",
                    f"`{option_id}` was discounted at the long-list filter; its scores are ignored",
                    "remove them",
                    doc,
                    ("scores", option_id),
                )
                continue
            for criterion_id, cell in row.items():
                where = ("scores", option_id, criterion_id)
                scale = self.scales.get(criterion_id)
                if scale is None:
                    if criterion_id in self.by_id:
                        yield self.error(
                            "scored-group",
                            f"`{criterion_id}` is a group: score its criteria",
                            "score the criteria under it instead",
                            doc,
                            where,
                        )
                    else:
                        yield self.error(
                            "unknown-criterion",
                            f"unknown criterion `{criterion_id}`",
                            self.suggest(criterion_id, self.leaf_ids) or "use an id from criteria/",
                            doc,
                            where,
                        )
                    continue
                values = [("score", cell.score)]
                if not moderated and cell.low is not None:
                    values += [("low", cell.low), ("high", cell.high)]
                for key, value in values:
                    problem = _off_scale(value, scale)
                    if problem:
                        code, text, hint = problem
                        yield self.error(
                            code,
                            f"{key} {_num(value)} {text} (criterion {criterion_id})",
                            hint,
                            doc,
                            (*where, key),
                            key=False,
                        )
        if moderated and self.status in ("draft", "scored"):
            return
        for option_id in self.active_ids:
            present = scores.get(option_id)
            if present is None:
                if moderated:
                    yield self.issue(
                        self.severity("missing-moderated"),
                        "missing-moderated",
                        f"no moderated scores for option `{option_id}`",
                        "record the agreed score for each criterion",
                        doc,
                        ("scores",),
                    )
                else:
                    yield self.error(
                        "missing-score",
                        f"{who} has no scores for option `{option_id}` "
                        f"({len(self.leaf_ids)} criteria)",
                        f"add `{option_id}:` under `scores:` with a score for each criterion",
                        doc,
                        ("scores",),
                    )
                continue
            missing = [c for c in self.leaf_ids if c not in present]
            if missing:
                listed = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
                if moderated:
                    yield self.issue(
                        self.severity("missing-moderated"),
                        "missing-moderated",
                        f"no moderated score for {option_id} × {listed}",
                        "record the agreed score",
                        doc,
                        ("scores", option_id),
                    )
                else:
                    yield self.error(
                        "missing-score",
                        f"{who} has no score for {option_id} × {listed}",
                        "add a score and rationale for each",
                        doc,
                        ("scores", option_id),
                    )

    def check_moderation(self) -> Iterator[Issue]:
        for extra_doc, _ in self.a.moderations[1:]:
            first = self.a.moderations[0][0]
            yield self.error(
                "many-moderations",
                f"a second moderation file (first: {first.path})",
                "keep the moderated scores in one file",
                extra_doc,
            )
        if not self.a.moderations:
            if _RANK[self.status] >= _RANK["moderated"]:
                doc = self.a.settings_doc
                yield self.issue(
                    self.severity("missing-moderated"),
                    "missing-moderated",
                    f"status is {self.status} but there are no moderated scores",
                    "add scores/moderated.yaml with `moderation:` and `scores:`",
                    doc,
                    ("appraisal", "status") if doc else (),
                    key=False,
                )
            return
        doc, moderation = self.a.moderations[0]
        yield from self._cells(doc, "moderation", moderation.scores, moderated=True)
        settings = self.a.settings.moderation
        panel: dict[tuple[str, str], list[float]] = defaultdict(list)
        for _, sheet in self.a.sheets:
            for option_id, row in sheet.scores.items():
                for criterion_id, cell in row.items():
                    panel[(option_id, criterion_id)].append(cell.score)
        for option_id, agreed_row in moderation.scores.items():
            for criterion_id, agreed in agreed_row.items():
                where = ("scores", option_id, criterion_id)
                for i, dissent in enumerate(agreed.dissent):
                    if dissent.scorer not in self.scorer_ids:
                        yield self.error(
                            "unknown-scorer",
                            f"dissent by unknown panel member `{dissent.scorer}`",
                            self.suggest(dissent.scorer, self.scorer_ids)
                            or "use a scorer id from scores/",
                            doc,
                            (*where, "dissent", i, "scorer"),
                            key=False,
                        )
                values = panel.get((option_id, criterion_id))
                if not values or agreed.note.strip():
                    continue
                median = statistics.median(values)
                spread = max(values) - min(values)
                far = max(abs(v - median) for v in values)
                reasons = []
                if spread >= settings.flag_range:
                    reasons.append(
                        f"the panel's scores range {_num(min(values))}–{_num(max(values))}"
                    )
                elif far > settings.flag_distance:
                    reasons.append(f"a panel score is {_num(far)} from the median")
                if abs(agreed.score - median) > settings.note_departure:
                    reasons.append(
                        f"the moderated {_num(agreed.score)} departs from the panel "
                        f"median {_num(median)}"
                    )
                if reasons:
                    yield self.issue(
                        self.severity("moderation-note-missing"),
                        "moderation-note-missing",
                        f"{option_id} × {criterion_id} needs a moderation note: "
                        + " and ".join(reasons),
                        "add `note:` saying what the panel agreed and why "
                        "(and `dissent:` for anyone who disagrees)",
                        doc,
                        where,
                    )


def _num(value: float) -> str:
    """A number as a person writes it: 18, 18.5, 0.01."""
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def _scale_text(scale: Scale) -> str:
    step = f" in steps of {_num(scale.step)}" if scale.step else ""
    return f"{_num(scale.min)}–{_num(scale.max)}{step}"


def _scale_problem(scale: Scale) -> str:
    if not scale.min < scale.max:
        return f"min {_num(scale.min)} is not less than max {_num(scale.max)}"
    if scale.step is not None:
        if scale.step <= 0:
            return "the step must be more than 0"
        count = (scale.max - scale.min) / scale.step
        if abs(count - round(count)) > 1e-9 * max(1.0, count):
            return f"step {_num(scale.step)} does not divide {_scale_text(scale)}"
    return ""


def _on_scale(value: float, scale: Scale) -> bool:
    return _off_scale(value, scale) is None


def _off_scale(value: float, scale: Scale) -> tuple[str, str, str] | None:
    if not scale.min <= value <= scale.max:
        return (
            "score-off-scale",
            f"is outside the scale {_scale_text(scale)}",
            f"use a score from {_num(scale.min)} to {_num(scale.max)}",
        )
    if scale.step:
        steps = (value - scale.min) / scale.step
        if abs(steps - round(steps)) > 1e-9 * max(1.0, abs(steps)):
            below = scale.min + int(steps) * scale.step
            return (
                "score-off-step",
                f"is not on the scale's steps ({_scale_text(scale)})",
                f"use {_num(below)} or {_num(below + scale.step)}",
            )
    return None
