"""The tables of the appraisal itself: options and the long-list filter, hurdles, the
weights used, the scale, the panel, recorded dissent and the score rationale.

They come from the loaded files (and, for the weights, the scored result), for the
report and ``export``.
"""

from __future__ import annotations

import numpy as np

from appraise.analysis.score import ScoreResult
from appraise.files.loading import Appraisal
from appraise.paper.model import Column, Row, Table, cell, table
from appraise.paper.numbers import SCALE, SCORE, WEIGHT, format_number

__all__ = [
    "dissent_table",
    "hurdles_table",
    "options_table",
    "panel_table",
    "rationale_table",
    "scale_table",
    "weights_table",
]


def weights_table(r: ScoreResult) -> Table:
    """Each group's and criterion's weight, local and global, for the weights used."""
    p = r.problem
    ws = p.weight_set(r.weight_set)
    rows = []
    for g, node in enumerate(p.groups):
        rows.append(
            Row(
                (
                    cell(p.node_names[node]),
                    cell(p.node_ids[node]),
                    cell("group"),
                    cell(ws.local[node]),
                    cell(r.group_weights[g]),
                ),
                "group",
            )
        )
        for k in np.flatnonzero(p.leaf_group == g):
            leaf = int(p.leaves[k])
            if leaf == node:  # a top-level criterion is its own group
                continue
            rows.append(
                Row(
                    (
                        cell("    " + p.criterion_names[k]),
                        cell(p.criterion_ids[k]),
                        cell("criterion"),
                        cell(ws.local[leaf]),
                        cell(r.weights[k]),
                    )
                )
            )
    return table(
        "weights",
        f"Weights: {ws.name}",
        "Each group's and criterion's weight: local (within its group) and global (its "
        f"share of the whole); weights at each level sum to {format_number(p.total, WEIGHT)}.",
        (
            Column("Criterion", wide=True),
            Column("Id"),
            Column("Level"),
            Column("Local weight", WEIGHT, short="Local"),
            Column("Global weight", WEIGHT, short="Global"),
        ),
        rows,
    )


def options_table(appraisal: Appraisal) -> Table:
    """Every option considered, the long-list filter's outcome and the reason."""
    rows = []
    for _, file in appraisal.options_files:
        for o in file.options:
            outcome = o.filter.outcome.replace("_", " ") if o.filter else ""
            if o.baseline:
                outcome = (outcome + ", baseline").lstrip(", ")
            reason = o.filter.reason if o.filter and o.filter.reason else ""
            rows.append(
                (cell(o.id), cell(o.name), cell(outcome), cell(reason or (o.description or "")))
            )
    return table(
        "options",
        "Options and the long-list filter",
        "Every option considered, the outcome of the long-list filter and the reason; "
        "discounted options are not scored.",
        (
            Column("Id"),
            Column("Option", wide=True),
            Column("Outcome"),
            Column("Reason", wide=True),
        ),
        rows,
    )


def hurdles_table(appraisal: Appraisal) -> Table | None:
    """Each shortlisted option's result on each hurdle, with the reason."""
    hurdles = [h for _, f in appraisal.criteria_files for h in f.hurdles]
    if not hurdles:
        return None
    options = [o for _, f in appraisal.options_files for o in f.options if not o.discounted]
    rows = []
    for o in options:
        cells = [cell(o.name, short=o.id)]
        for h in hurdles:
            res = o.hurdles.get(h.id)
            cells.append(
                cell("" if res is None else res.result + (f": {res.reason}" if res.reason else ""))
            )
        rows.append(tuple(cells))
    return table(
        "hurdles",
        "Hurdle criteria",
        "Pass/fail tests every shortlisted option must meet before it is ranked: "
        + "; ".join(f"{h.id} {h.name}" for h in hurdles)
        + ".",
        (Column("Option", wide=True), *[Column(h.id, wide=True) for h in hurdles]),
        rows,
    )


def scale_table(appraisal: Appraisal) -> Table:
    """The scoring scale's descriptors."""
    scale = appraisal.settings.scale
    rows = [
        (cell(float(k)), cell(v))
        for k, v in sorted(scale.descriptors.items(), key=lambda kv: float(kv[0]))
    ]
    kind = (
        "anchored on defined reference levels, so scores compare across options"
        if scale.type == "fixed"
        else "best option = max, worst = min"
    )
    step = f" in steps of {format_number(scale.step, SCALE)}" if scale.step else ""
    return table(
        "scale",
        "Scoring scale",
        f"Scores run from {format_number(scale.min, SCALE)} to "
        f"{format_number(scale.max, SCALE)}{step}; the scale is {scale.type} ({kind}). "
        "Criteria with their own scales are converted onto it.",
        (Column("Score", SCALE), Column("Descriptor", wide=True)),
        rows,
    )


def panel_table(appraisal: Appraisal) -> Table | None:
    """Who scored, in what role, and the interests they declared."""
    if not appraisal.sheets:
        return None
    rows = [
        (
            cell(s.scorer.id),
            cell(s.scorer.name),
            cell(s.scorer.role),
            cell(s.scorer.interests or "none declared"),
        )
        for _, s in appraisal.sheets
    ]
    chair = appraisal.settings.appraisal.chair
    return table(
        "panel",
        "Scoring panel",
        "Who scored, in what role, and the interests they declared"
        + (f"; chaired by {chair}." if chair else "."),
        (
            Column("Id"),
            Column("Name"),
            Column("Role", wide=True),
            Column("Interests", wide=True),
        ),
        rows,
    )


def dissent_table(appraisal: Appraisal) -> Table | None:
    """Panel members who disagreed with a moderated score, and why."""
    rows = []
    for _, mod in appraisal.moderations:
        for option, cells in mod.scores.items():
            for criterion, moderated in cells.items():
                for d in moderated.dissent:
                    rows.append(
                        (
                            cell(option),
                            cell(criterion),
                            cell(moderated.score),
                            cell(d.scorer),
                            cell(d.score),
                            cell(d.reason),
                        )
                    )
    if not rows:
        return None
    return table(
        "dissent",
        "Recorded dissent",
        "Panel members who disagreed with a moderated score, the score they would have "
        "given, and why.",
        (
            Column("Option"),
            Column("Criterion"),
            Column("Agreed", SCORE),
            Column("Member"),
            Column("Their score", SCORE),
            Column("Reason", wide=True),
        ),
        rows,
    )


def rationale_table(r: ScoreResult, appraisal: Appraisal) -> Table | None:
    """Each panel member's score and reason, cell by cell, with the moderation note."""
    if not appraisal.sheets:
        return None
    p = r.problem
    notes: dict[tuple[str, str], str] = {}
    for _, mod in appraisal.moderations:
        for option, cells in mod.scores.items():
            for criterion, moderated in cells.items():
                if moderated.note:
                    notes[(option, criterion)] = moderated.note
    rows = []
    for i in r.order:
        oid = p.option_ids[i]
        for k, cid in enumerate(p.criterion_ids):
            where = (cell(p.option_names[i], short=oid), cell(p.criterion_names[k], short=cid))
            if (oid, cid) in notes:
                rows.append(
                    (
                        *where,
                        cell("Panel (moderated)"),
                        cell(p.moderated[i, k]),
                        cell(notes[(oid, cid)]),
                    )
                )
            for _, sheet in appraisal.sheets:
                scored = sheet.scores.get(oid, {}).get(cid)
                if scored is None:
                    continue
                rows.append(
                    (*where, cell(sheet.scorer.id), cell(scored.score), cell(scored.rationale))
                )
    return table(
        "rationale",
        "Score rationale",
        "Each panel member's score and the reason given for it, cell by cell, with the "
        "moderation note where the panel recorded one.",
        (
            Column("Option", wide=True),
            Column("Criterion", wide=True),
            Column("Scorer"),
            Column("Score", SCORE),
            Column("Rationale", wide=True),
        ),
        rows,
    )
