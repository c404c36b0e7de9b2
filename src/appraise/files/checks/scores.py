"""Score sheets: each panel member's scores complete, on the scale and with rationale."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from appraise.errors import Issue, Severity
from appraise.files.checks.context import Context, num, off_scale
from appraise.files.models import Scale
from appraise.files.yamlio import Document

__all__ = ["REPEATED_RATIONALE", "check_cells", "check_sheets", "copied_by_alias"]

REPEATED_RATIONALE = 3
"""One rationale given for more scores than this draws a ``repeated-rationale`` warning."""


def check_sheets(ctx: Context) -> Iterator[Issue]:
    """Every panel member's score sheet.

    Args:
        ctx: the appraisal being checked.

    Yields:
        Issues: no sheets, each sheet's cells (see :func:`check_cells`), scores without a
        rationale, and one rationale repeated across many scores.
    """
    a = ctx.appraisal
    if not a.sheets:
        doc = a.moderations[0][0] if a.moderations else None
        yield ctx.error(
            "no-panel",
            "there is no panel member's score sheet",
            "add one file per panel member in scores/ (appraise sheet)",
            doc,
        )
        return
    for doc, sheet in a.sheets:
        yield from copied_by_alias(doc)
        yield from check_cells(ctx, doc, sheet.scorer.id, sheet.scores, moderated=False)
        texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for option_id, row in sheet.scores.items():
            for criterion_id, cell in row.items():
                text = " ".join(cell.rationale.split()).casefold()
                if text:
                    texts[text].append((option_id, criterion_id))
                elif (
                    cell.score is not None
                    and option_id in ctx.active_set
                    and criterion_id in ctx.scales
                ):
                    yield ctx.issue(
                        ctx.severity("no-rationale"),
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
                yield ctx.warning(
                    "repeated-rationale",
                    f"{sheet.scorer.id} gives the same rationale for {len(cells)} scores",
                    "say why for each option and criterion",
                    doc,
                    ("scores", option_id, criterion_id, "rationale"),
                )


def copied_by_alias(doc: Document) -> Iterator[Issue]:
    """An error for each YAML alias (``*name``) in a score or moderation file.

    Each cell is one judgement with its own reason. An alias copies a score and its
    rationale from another cell without a trace in what the reader sees, which in a score
    sheet hides a copy-paste; so score files write every value out. (Criteria and options
    files may use aliases.)
    """
    for use in doc.aliases:
        yield Issue(
            Severity.ERROR,
            "score-alias",
            f"*{use.name} copies the value anchored at line {use.anchor_line}, column "
            f"{use.anchor_column} (&{use.name}): each score and rationale must be written "
            "out, so a copied judgement cannot pass unseen",
            f"write the value out in full here and remove &{use.name} (line "
            f"{use.anchor_line}); a program writing this file should dump without aliases "
            "(PyYAML: a Dumper whose ignore_aliases returns True)",
            doc.path,
            use.line,
            use.column,
        )


def check_cells(
    ctx: Context,
    doc: Document,
    who: str,
    scores: Mapping[str, Mapping[str, Any]],
    *,
    moderated: bool,
) -> Iterator[Issue]:
    """The scores of one sheet or of the moderation: known ids, on the scale, complete.

    Args:
        ctx: the appraisal being checked.
        doc: the file the scores are in.
        who: whose scores, in messages (a scorer id, or ``moderation``).
        scores: the scores by option id, then criterion id.
        moderated: True for the moderated scores: no ranges are checked, and missing
            scores are ``missing-moderated`` (from status moderated) rather than
            ``missing-score``.

    Yields:
        Issues: unknown options and criteria, scored discounted options and groups,
        scores (and ranges) off the scale or its steps, and missing scores.
    """
    for option_id, row in scores.items():
        if option_id not in ctx.option_ids:
            yield ctx.error(
                "unknown-option",
                f"unknown option `{option_id}`",
                ctx.suggest(option_id, ctx.option_ids) or "use an id from options/",
                doc,
                ("scores", option_id),
            )
            continue
        if option_id not in ctx.active_set:
            yield ctx.warning(
                "scored-discounted",
                f"`{option_id}` was discounted at the long-list filter; its scores are ignored",
                "remove them",
                doc,
                ("scores", option_id),
            )
            continue
        for criterion_id, cell in row.items():
            where = ("scores", option_id, criterion_id)
            scale = ctx.scales.get(criterion_id)
            if scale is None:
                if criterion_id in ctx.by_id:
                    yield ctx.error(
                        "scored-group",
                        f"`{criterion_id}` is a group: score its criteria",
                        "score the criteria under it instead",
                        doc,
                        where,
                    )
                else:
                    yield ctx.error(
                        "unknown-criterion",
                        f"unknown criterion `{criterion_id}`",
                        ctx.suggest(criterion_id, ctx.leaf_ids) or "use an id from criteria/",
                        doc,
                        where,
                    )
                continue
            if cell.score is None:
                yield ctx.issue(
                    ctx.severity("blank-score"),
                    "blank-score",
                    f"{who}'s score for {option_id} × {criterion_id} is blank",
                    _blank_hint(ctx, scale, ranged=cell.low is not None),
                    doc,
                    (*where, "score"),
                )
                continue
            values = [("score", cell.score)]
            if not moderated and cell.low is not None:
                values += [("low", cell.low), ("high", cell.high)]
            for key, value in values:
                problem = off_scale(value, scale)
                if problem:
                    code, text, hint = problem
                    yield ctx.error(
                        code,
                        f"{key} {num(value)} {text} (criterion {criterion_id})",
                        hint,
                        doc,
                        (*where, key),
                        key=False,
                    )
    if moderated and ctx.status in ("draft", "scored"):
        return
    for option_id in ctx.active_ids:
        present = scores.get(option_id)
        if present is None:
            if moderated:
                yield ctx.issue(
                    ctx.severity("missing-moderated"),
                    "missing-moderated",
                    f"no moderated scores for option `{option_id}`",
                    "record the agreed score for each criterion",
                    doc,
                    ("scores",),
                )
            else:
                yield ctx.issue(
                    ctx.severity("missing-score"),
                    "missing-score",
                    f"{who} has no scores for option `{option_id}` ({len(ctx.leaf_ids)} criteria)",
                    _lenient(
                        ctx, f"add `{option_id}:` under `scores:` with a score for each criterion"
                    ),
                    doc,
                    ("scores",),
                )
            continue
        missing = [c for c in ctx.leaf_ids if c not in present]
        if missing:
            listed = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
            if moderated:
                yield ctx.issue(
                    ctx.severity("missing-moderated"),
                    "missing-moderated",
                    f"no moderated score for {option_id} × {listed}",
                    "record the agreed score",
                    doc,
                    ("scores", option_id),
                )
            else:
                yield ctx.issue(
                    ctx.severity("missing-score"),
                    "missing-score",
                    f"{who} has no score for {option_id} × {listed}",
                    _lenient(ctx, "add a score and rationale for each"),
                    doc,
                    ("scores", option_id),
                )


def _blank_hint(ctx: Context, scale: Scale, *, ranged: bool = False) -> str:
    """How to fill a blank score in (and, before status moderated, what it means
    meanwhile); a ``low``–``high`` range beside a blank score counts for nothing."""
    enter = f"enter a score from {num(scale.min)} to {num(scale.max)} and its rationale"
    if ranged:
        enter += " (its low and high count only with a score)"
    if ctx.severity("blank-score") is Severity.ERROR:
        return f"{enter}: from status moderated every cell needs a score"
    return _lenient(ctx, enter)


def _lenient(ctx: Context, hint: str) -> str:
    """A missing score's hint, saying before status moderated that results are
    provisional until it is given."""
    if ctx.severity("missing-score") is Severity.ERROR:
        return hint
    return f"{hint}; until then results are PROVISIONAL (the cell is left out)"
