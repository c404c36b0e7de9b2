"""Moderation: one file of agreed scores, complete, with notes where the panel differed."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator

from appraise.errors import Issue
from appraise.files.checks.context import RANK, Context, num, off_scale
from appraise.files.checks.scores import check_cells, copied_by_alias

__all__ = ["check_moderation"]


def check_moderation(ctx: Context) -> Iterator[Issue]:
    """The moderation file and its agreed scores.

    Args:
        ctx: the appraisal being checked.

    Yields:
        Issues: aliases (see :func:`~appraise.files.checks.scores.copied_by_alias`), a
        second moderation file, no moderated scores from status moderated,
        the agreed scores' cells (see :func:`~appraise.files.checks.scores.check_cells`),
        dissent by unknown panel members, and agreed scores without the note their
        panel spread or departure from the median calls for.
    """
    a = ctx.appraisal
    for any_doc, _ in a.moderations:
        yield from copied_by_alias(any_doc)
    for extra_doc, _ in a.moderations[1:]:
        first = a.moderations[0][0]
        yield ctx.error(
            "many-moderations",
            f"a second moderation file (first: {first.path})",
            "keep the moderated scores in one file",
            extra_doc,
        )
    if not a.moderations:
        if RANK[ctx.status] >= RANK["moderated"]:
            doc = a.settings_doc
            yield ctx.issue(
                ctx.severity("missing-moderated"),
                "missing-moderated",
                f"status is {ctx.status} but there are no moderated scores",
                "add scores/moderated.yaml with `moderation:` and `scores:`",
                doc,
                ("appraisal", "status") if doc else (),
                key=False,
            )
        return
    doc, moderation = a.moderations[0]
    yield from check_cells(ctx, doc, "moderation", moderation.scores, moderated=True)
    settings = a.settings.moderation
    panel: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _, sheet in a.sheets:
        for option_id, row in sheet.scores.items():
            for criterion_id, cell in row.items():
                if cell.score is not None:
                    panel[(option_id, criterion_id)].append(cell.score)
    for option_id, agreed_row in moderation.scores.items():
        for criterion_id, agreed in agreed_row.items():
            where = ("scores", option_id, criterion_id)
            for i, dissent in enumerate(agreed.dissent):
                if dissent.scorer not in ctx.scorer_ids:
                    yield ctx.error(
                        "unknown-scorer",
                        f"dissent by unknown panel member `{dissent.scorer}`",
                        ctx.suggest(dissent.scorer, ctx.scorer_ids)
                        or "use a scorer id from scores/",
                        doc,
                        (*where, "dissent", i, "scorer"),
                        key=False,
                    )
                scale = ctx.scales.get(criterion_id)
                problem = (
                    None
                    if dissent.score is None or scale is None
                    else (off_scale(dissent.score, scale))
                )
                if problem is not None:
                    code, text, hint = problem
                    yield ctx.error(
                        code,
                        f"{dissent.scorer}'s dissenting score {num(dissent.score)} {text} "  # type: ignore[arg-type]
                        f"(criterion {criterion_id})",
                        hint,
                        doc,
                        (*where, "dissent", i, "score"),
                        key=False,
                    )
                if any(d.scorer == dissent.scorer for d in agreed.dissent[:i]):
                    yield ctx.error(
                        "duplicate-id",
                        f"{dissent.scorer} dissents twice on {option_id} × {criterion_id}",
                        "give one dissent per panel member, with their score and reason",
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
                reasons.append(f"the panel's scores range {num(min(values))}–{num(max(values))}")
            elif far > settings.flag_distance:
                reasons.append(f"a panel score is {num(far)} from the median")
            if abs(agreed.score - median) > settings.note_departure:
                reasons.append(
                    f"the moderated {num(agreed.score)} departs from the panel median {num(median)}"
                )
            if reasons:
                yield ctx.issue(
                    ctx.severity("moderation-note-missing"),
                    "moderation-note-missing",
                    f"{option_id} × {criterion_id} needs a moderation note: "
                    + " and ".join(reasons),
                    "add `note:` saying what the panel agreed and why "
                    "(and `dissent:` for anyone who disagrees)",
                    doc,
                    where,
                )
