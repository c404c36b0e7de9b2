"""The panel's score sheets as spreadsheets to fill in: a workbook (or CSV) for each
member, and the moderation meeting's workbook.

A scoring workbook has one sheet, ``Scores``: a heading block (whose sheet it is, how to
fill it in, a cell for declared interests), then a row per option and criterion,
grouped by criterion under a row giving the criterion's definition and its scale's
descriptors. Only the answer cells (score, low, high, rationale, evidence, interests)
are unlocked; the sheet and the workbook's structure are protected (no password: the
point is to stop accidents, not the analyst). A hidden sheet, ``appraise``, records the
appraisal the workbook was made for and the version of its options, criteria and
scales (:func:`appraise.files.workbook.fingerprints`), which the import checks.

The CSV is the same table for those without a spreadsheet program: the record rows
first, then the headings and a row per cell (with the criterion's definition in a last
column, since a CSV has no heading rows between groups). Reading them back is
:mod:`appraise.files.workbook`'s job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from appraise.files.loading import Appraisal
from appraise.files.models import Scale
from appraise.files.sheet import Agreed, Answer, Member, number
from appraise.files.workbook import (
    FORMAT,
    HEAD_ROW,
    HEADINGS,
    MODERATION_HEADINGS,
    MODERATION_SHEET,
    RECORD_SHEET,
    SCORES_SHEET,
    active_options,
    fingerprints,
)

__all__ = ["moderation_workbook", "score_csv", "score_workbook"]

_WIDTHS = (10, 8, 26, 8, 7, 7, 60, 34, 60)
_ANSWER_FILL = "FFF2CC"
_GROUP_FILL = "DDEBF7"
_HEAD_FILL = "1F4E78"


def _scale_text(scale: Scale) -> str:
    step = f" in steps of {number(scale.step)}" if scale.step else ""
    return f"{number(scale.min)}–{number(scale.max)}{step}"


def _descriptors(scale: Scale) -> str:
    return "\n".join(
        f"{number(point)}: {' '.join(text.split())}"
        for point, text in sorted(scale.descriptors.items())
    )


def _points(scale: Scale) -> list[float] | None:
    """The scale's points when a drop-down can list them (at most 21)."""
    if not scale.step:
        return None
    count = round((scale.max - scale.min) / scale.step) + 1
    if count > 21:
        return None
    return [scale.min + k * scale.step for k in range(count)]


def score_workbook(
    appraisal: Appraisal, member: Member, answers: Mapping[tuple[str, str], Answer]
) -> bytes:
    """One panel member's scoring workbook (``answers`` pre-fill cells already scored).

    Args:
        appraisal: the appraisal (its options, criteria and scales).
        member: whose workbook.
        answers: what they have already answered, by ``(option id, criterion id)``.

    Returns:
        The ``.xlsx`` file's bytes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    ws = wb.active
    ws.title = SCORES_SHEET
    info = appraisal.settings.appraisal
    who = f"{member.id} — {member.name}, {member.role}"
    _heading_block(
        ws,
        [
            (f"Score sheet: {info.title}", Font(name="Calibri", bold=True, size=14)),
            (f"Panel member: {who}", Font(name="Calibri", bold=True)),
            (
                "Fill in the yellow cells only. For every option on every criterion give a "
                "score on the criterion's scale (the list in each score cell shows its "
                "points) and say why, citing the evidence. Low and high, the range you "
                "think plausible, are optional: give both or neither. Put each piece of "
                "evidence on its own line.",
                Font(name="Calibri", italic=True),
            ),
            ("Declared interests (if any), in the yellow cell:", Font(name="Calibri", bold=True)),
            (
                f"Scale {_scale_text(appraisal.settings.scale)}. Each criterion's "
                "definition and what its scores mean are in its blue row.",
                None,
            ),
        ],
    )
    unlocked = Protection(locked=False)
    answer_fill = PatternFill("solid", fgColor=_ANSWER_FILL)
    interests = ws.cell(row=4, column=7)
    _put(interests, member.interests or "")
    interests.protection = unlocked
    interests.fill = answer_fill
    interests.alignment = Alignment(wrap_text=True, vertical="top")
    _column_headings(ws, HEADINGS, _WIDTHS)
    row = HEAD_ROW + 1
    places: list[tuple[str, str, int]] = []
    group_fill = PatternFill("solid", fgColor=_GROUP_FILL)
    top = Alignment(wrap_text=True, vertical="top")
    middle = Alignment(horizontal="center", vertical="top")
    styles: dict[int, Any] = {}
    options = active_options(appraisal)
    for node in appraisal.leaves():
        c = node.criterion
        scale = appraisal.scale_for(c)
        definition = " ".join(c.definition.split())
        descriptors = _descriptors(scale)
        for column, text in (
            (1, c.id),
            (3, c.name),
            (7, definition or "(no definition given)"),
            (9, f"Scale {_scale_text(scale)}" + (f"\n{descriptors}" if descriptors else "")),
        ):
            cell = ws.cell(row=row, column=column)
            _put(cell, text)
            cell.font = Font(name="Calibri", bold=column in (1, 3), italic=column == 7)
            cell.alignment = top
        for column in range(1, len(HEADINGS) + 1):
            ws.cell(row=row, column=column).fill = group_fill
        ws.row_dimensions[row].height = _height(
            [(definition, _WIDTHS[6]), (descriptors, _WIDTHS[8]), (c.name, _WIDTHS[2])], +1
        )
        row += 1
        first = row
        for option in options:
            a = answers.get((option.id, c.id), Answer())
            values: list[Any] = [
                c.id,
                option.id,
                option.name + (" (baseline)" if option.baseline else ""),
                a.score,
                a.low,
                a.high,
                a.rationale,
                "\n".join(a.evidence),
                " ".join(option.description.split()),
            ]
            for column, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=column)
                if 4 <= column <= 6:
                    kind = {"alignment": middle, "protection": unlocked, "fill": answer_fill}
                elif column <= 8 and column >= 7:
                    kind = {"alignment": top, "protection": unlocked, "fill": answer_fill}
                else:
                    kind = {"alignment": top}
                _styled(styles, cell, column if 4 <= column <= 8 else 0, kind)
                if isinstance(value, str):
                    _put(cell, value)
                elif value is not None:
                    cell.value = value
            ws.row_dimensions[row].height = _height(
                [
                    (a.rationale, _WIDTHS[6]),
                    ("\n".join(a.evidence), _WIDTHS[7]),
                    (values[8], _WIDTHS[8]),
                    (values[2], _WIDTHS[2]),
                ]
            )
            places.append((option.id, c.id, row))
            row += 1
        if row > first:
            _score_validation(ws, scale, f"D{first}:F{row - 1}", c.id)
    _protect(ws, f"A{HEAD_ROW}:I{row - 1}")
    _record(wb, appraisal, "scores", member)
    wb.security = WorkbookProtection(lockStructure=True)
    return _saved(wb)


def score_csv(
    appraisal: Appraisal, member: Member, answers: Mapping[tuple[str, str], Answer]
) -> str:
    """One panel member's score sheet as CSV (UTF-8; the caller adds the byte-order mark
    Excel needs to read it as UTF-8).

    Args:
        appraisal: the appraisal.
        member: whose sheet.
        answers: what they have already answered.
    """
    from appraise.paper.formats.escape import neutralise

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    who, what = fingerprints(appraisal)
    w.writerow(["appraise score sheet", FORMAT, who, what])
    w.writerow(["Panel member", member.id, neutralise(member.name), neutralise(member.role)])
    w.writerow(["Declared interests", neutralise(member.interests or "")])
    w.writerow(["Appraisal", neutralise(appraisal.settings.appraisal.title)])
    w.writerow(["Fill in Score, Low, High, Rationale and Evidence; change nothing else."])
    w.writerow([])
    w.writerow([*HEADINGS, "About the criterion"])
    options = active_options(appraisal)
    for node in appraisal.leaves():
        c = node.criterion
        scale = appraisal.scale_for(c)
        about = f"{c.name}: {' '.join(c.definition.split())} Scale {_scale_text(scale)}. " + (
            "; ".join(_descriptors(scale).split("\n"))
        )
        for option in options:
            a = answers.get((option.id, c.id), Answer())
            w.writerow(
                [
                    c.id,
                    option.id,
                    neutralise(option.name),
                    "" if a.score is None else number(a.score),
                    "" if a.low is None else number(a.low),
                    "" if a.high is None else number(a.high),
                    neutralise(a.rationale),
                    neutralise("\n".join(a.evidence)),
                    neutralise(" ".join(option.description.split())),
                    neutralise(about),
                ]
            )
    return out.getvalue()


def moderation_workbook(
    appraisal: Appraisal,
    members: Sequence[tuple[Member, Mapping[tuple[str, str], Answer]]],
    meeting: tuple[str, str | None, str | None],
    agreed: Mapping[tuple[str, str], Agreed],
) -> bytes:
    """The moderation meeting's workbook: every cell with each member's score, the
    median and range, whether it is flagged, and the panel's reasons; the meeting fills
    in the agreed score, a note and any dissent.

    Args:
        appraisal: the appraisal.
        members: each panel member and their answers.
        meeting: ``(chair, date, note)`` to pre-fill.
        agreed: cells already moderated (pre-filled), by ``(option id, criterion id)``.
    """
    import numpy as np
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.protection import WorkbookProtection

    from appraise.engine.aggregate import flag_cells, panel_stats

    leaves = [n.criterion for n in appraisal.leaves()]
    options = active_options(appraisal)
    ids = [m.id for m, _ in members]
    scores = np.full((len(members), len(options), len(leaves)), np.nan)
    for s, (_, answers) in enumerate(members):
        for i, option in enumerate(options):
            for j, c in enumerate(leaves):
                a = answers.get((option.id, c.id))
                if a is not None and a.score is not None:
                    scores[s, i, j] = a.score
    stats = panel_stats(scores)
    mod = appraisal.settings.moderation
    flagged = flag_cells(stats, mod.flag_range, mod.flag_distance)

    wb = Workbook()
    ws = wb.active
    ws.title = MODERATION_SHEET
    info = appraisal.settings.appraisal
    _heading_block(
        ws,
        [
            (f"Moderation: {info.title}", Font(name="Calibri", bold=True, size=14)),
            ("Chair:", Font(name="Calibri", bold=True)),
            ("Date of the meeting:", Font(name="Calibri", bold=True)),
            ("Note on the meeting:", Font(name="Calibri", bold=True)),
            (
                "Fill in the yellow cells. Discuss the flagged cells first. Agreed score: "
                "the score the panel agrees. Note: why, above all where it departs from "
                "the median. Dissent: one line per member who disagrees, as "
                "'P4 3: reason' (or 'P4: reason' without a score).",
                Font(name="Calibri", italic=True),
            ),
        ],
    )
    unlocked = Protection(locked=False)
    answer_fill = PatternFill("solid", fgColor=_ANSWER_FILL)
    top = Alignment(wrap_text=True, vertical="top")
    middle = Alignment(horizontal="center", vertical="top")
    for row, value in zip((2, 3, 4), meeting, strict=True):
        cell = ws.cell(row=row, column=5)
        _put(cell, value or "")
        cell.protection = unlocked
        cell.fill = answer_fill
        cell.alignment = top
        ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=6)
    ws.row_dimensions[4].height = max(_height([(meeting[2] or "", 90)]), 45.0)
    headings = [*MODERATION_HEADINGS, *ids, "The panel's reasons"]
    widths = [10, 8, 26, 9, 50, 40, 8, 7, 8, *[6] * len(ids), 80]
    _column_headings(ws, headings, widths)
    row = HEAD_ROW + 1
    group_fill = PatternFill("solid", fgColor=_GROUP_FILL)
    styles: dict[int, Any] = {}
    for j, c in enumerate(leaves):
        scale = appraisal.scale_for(c)
        cell = ws.cell(row=row, column=1)
        _put(cell, c.id)
        cell.font = Font(name="Calibri", bold=True)
        cell = ws.cell(row=row, column=3)
        _put(cell, f"{c.name} (scale {_scale_text(scale)})")
        cell.font = Font(name="Calibri", bold=True)
        cell.alignment = top
        for column in range(1, len(headings) + 1):
            ws.cell(row=row, column=column).fill = group_fill
        ws.row_dimensions[row].height = _height(
            [(f"{c.name} (scale {_scale_text(scale)})", widths[2])], +1
        )  # bold: a line more than the estimate
        row += 1
        first = row
        for i, option in enumerate(options):
            done = agreed.get((option.id, c.id))
            reasons = []
            for s, (m, answers) in enumerate(members):
                given = answers.get((option.id, c.id))
                if given is not None and given.score is not None:
                    reasons.append(f"{m.id} ({number(scores[s, i, j])}): {given.rationale}")
            n = int(stats.n[i, j])
            values: list[Any] = [
                c.id,
                option.id,
                option.name,
                None if done is None else done.score,
                "" if done is None else done.note,
                "" if done is None else _dissent_text(done.dissent),
                float(stats.median[i, j]) if n else None,
                float(stats.range[i, j]) if n else None,
                "yes" if n and bool(flagged[i, j]) else "",
                *[None if np.isnan(v) else float(v) for v in scores[:, i, j]],
                "\n".join(reasons),
            ]
            for column, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=column)
                answer = 4 <= column <= 6
                _styled(
                    styles,
                    cell,
                    4 if column == 4 else 1 if answer else 2 if 7 <= column < 10 + len(ids) else 0,
                    {
                        "alignment": middle if column == 4 else top,
                        "protection": unlocked,
                        "fill": answer_fill,
                    }
                    if answer
                    else {"alignment": middle if 7 <= column < 10 + len(ids) else top},
                )
                if isinstance(value, str):
                    _put(cell, value)
                elif value is not None:
                    cell.value = value
            if values[8]:
                ws.cell(row=row, column=9).font = Font(name="Calibri", bold=True, color="B00020")
            ws.row_dimensions[row].height = _height(
                [(values[4], widths[4]), (values[5], widths[5]), (values[-1], widths[-1])]
            )
            row += 1
        if row > first:
            _score_validation(ws, scale, f"D{first}:D{row - 1}", c.id)
    last = ws.cell(row=HEAD_ROW, column=len(headings)).column_letter
    _protect(ws, f"A{HEAD_ROW}:{last}{row - 1}")
    _record(wb, appraisal, "moderation", None)
    wb.security = WorkbookProtection(lockStructure=True)
    return _saved(wb)


def _dissent_text(dissent: Sequence[tuple[str, float | None, str]]) -> str:
    return "\n".join(
        f"{who}{'' if score is None else ' ' + number(score)}: {reason}"
        for who, score, reason in dissent
    )


def _styled(cache: dict[int, Any], cell: Any, kind: int, attrs: dict[str, Any]) -> None:
    """Give ``cell`` the style ``kind``: set from ``attrs`` the first time, then copied
    (openpyxl looks a style up in its tables on every assignment, which was most of the
    time taken to make a workbook of 100,000 rows)."""
    from copy import copy

    style = cache.get(kind)
    if style is None:
        for name, value in attrs.items():
            setattr(cell, name, value)
        cache[kind] = copy(cell._style)
    else:
        cell._style = copy(style)


def _put(cell: Any, text: str) -> None:
    from appraise.paper.formats.xlsx import text_cell

    text_cell(cell, text)


def _height(texts: list[tuple[str, int]], extra: int = 0) -> float:
    from appraise.paper.formats.xlsx import LINE, wrapped_lines

    lines = max((wrapped_lines(t, w) for t, w in texts if t), default=1)
    return float(LINE * min(max(lines, 1) + extra, 27))  # Excel's limit is 409 points


def _heading_block(ws: Any, rows: list[tuple[str, Any]]) -> None:
    from openpyxl.styles import Alignment

    for n, (text, font) in enumerate(rows, start=1):
        cell = ws.cell(row=n, column=1)
        _put(cell, text)
        if font is not None:
            cell.font = font
        cell.alignment = Alignment(vertical="top")
        if len(text) > 110:  # the instructions: wrapped across the table's width
            ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=7)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[n].height = _height([(text, 120)])


def _column_headings(ws: Any, headings: Sequence[str], widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for k, (text, width) in enumerate(zip(headings, widths, strict=True), start=1):
        cell = ws.cell(row=HEAD_ROW, column=k)
        _put(cell, text)
        cell.font = Font(name="Calibri", bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEAD_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(k)].width = width
    ws.row_dimensions[HEAD_ROW].height = 2 * 15
    ws.freeze_panes = ws.cell(row=HEAD_ROW + 1, column=4)


def _score_validation(ws: Any, scale: Scale, cells: str, criterion: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    points = _points(scale)
    text = _scale_text(scale)
    if points is not None:
        dv = DataValidation(type="list", formula1='"' + ",".join(number(p) for p in points) + '"')
    else:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1=number(scale.min),
            formula2=number(scale.max),
        )
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "Not on the scale"
    dv.error = f"{criterion} is scored {text}."
    dv.showInputMessage = True
    dv.promptTitle = f"{criterion}: {text}"[:32]
    descriptors = _descriptors(scale)
    dv.prompt = (descriptors if len(descriptors) <= 250 else descriptors[:249] + "…") or text
    ws.add_data_validation(dv)
    dv.add(cells)


def _protect(ws: Any, table: str) -> None:
    """Lock every cell but the answers; print the table on A4, one page wide."""
    from openpyxl.worksheet.protection import SheetProtection

    ws.protection = SheetProtection(
        sheet=True, formatColumns=False, formatRows=False, selectLockedCells=False
    )
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"
    ws.print_area = "A1:" + table.split(":")[1]
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.left.text = "&A"


def _record(wb: Any, appraisal: Appraisal, kind: str, member: Member | None) -> None:
    """The hidden sheet: which appraisal, which version of it, whose sheet."""
    ws = wb.create_sheet(RECORD_SHEET)
    who, what = fingerprints(appraisal)
    rows = [
        ("made by", "appraise sheet"),
        ("kind", kind),
        ("format", FORMAT),
        ("appraisal", who),
        ("structure", what),
        ("title", appraisal.settings.appraisal.title),
    ]
    if member is not None:
        rows += [("scorer", member.id), ("name", member.name), ("role", member.role)]
    for n, (key, value) in enumerate(rows, start=1):
        ws.cell(row=n, column=1, value=key)
        _put(ws.cell(row=n, column=2), value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _saved(wb: Any) -> bytes:
    """The workbook's bytes, its timestamps the generation time (``SOURCE_DATE_EPOCH``
    when set), so the same appraisal gives the same file."""
    import time as clock

    from appraise.paper.formats.office import fix_zip_times
    from appraise.paper.provenance import generation_time

    when = datetime(*clock.gmtime(generation_time())[:6])
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "appraise"
    buffer = io.BytesIO()
    wb.save(buffer)
    return fix_zip_times(buffer.getvalue(), when)
