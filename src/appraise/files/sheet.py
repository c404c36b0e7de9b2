"""A blank score sheet for a new panel member.

The sheet lists every option to be scored and every criterion, with the criterion's
definition and the scale's descriptors as comments, and an empty ``score:`` and
``rationale:`` in each cell. Until it is filled in, ``appraise validate`` reports each
empty score, so an unfinished sheet cannot land unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from appraise.files.loading import Appraisal
from appraise.files.models import Criterion, Option, Scale

__all__ = [
    "Agreed",
    "Answer",
    "Member",
    "SheetShapeError",
    "blank_sheet",
    "moderation_text",
    "number",
    "sheet_text",
    "updated_sheet",
]


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return " ".join(text.split())


def _num(value: float) -> str:
    return f"{value:g}"


def _scale_lines(scale: Scale, indent: str) -> list[str]:
    step = f" in steps of {_num(scale.step)}" if scale.step else ""
    lines = [f"{indent}Scale {_num(scale.min)}–{_num(scale.max)}{step}:"]
    for point, text in sorted(scale.descriptors.items()):
        lines.append(f"{indent}  {_num(point):>4}  {_comment(text)}")
    return lines


@dataclass(frozen=True)
class Member:
    """A panel member, as their sheet's ``scorer:`` block names them."""

    id: str
    name: str
    role: str
    interests: str | None = None


@dataclass(frozen=True)
class Answer:
    """One cell of a sheet as a panel member filled it in (``score`` ``None``: blank)."""

    score: float | None = None
    rationale: str = ""
    low: float | None = None
    high: float | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agreed:
    """One moderated cell as the meeting agreed it."""

    score: float
    note: str = ""
    dissent: tuple[tuple[str, float | None, str], ...] = ()  # (scorer, score, reason)


def blank_sheet(appraisal: Appraisal, scorer_id: str, name: str, role: str) -> str:
    """The text of a blank score sheet for one new panel member.

    Args:
        appraisal: the appraisal (its options and criteria are listed).
        scorer_id: the new member's id.
        name: their name or pseudonym.
        role: their role or constituency.
    """
    return sheet_text(appraisal, Member(scorer_id, name, role), {})


def sheet_text(
    appraisal: Appraisal, member: Member, answers: Mapping[tuple[str, str], Answer]
) -> str:
    """A panel member's score sheet: every option and criterion of the appraisal, in its
    order, with the criterion's definition and the scale's descriptors as comments, and
    each cell's answer (a blank ``score:`` where there is none).

    Args:
        appraisal: the appraisal (its options and criteria are listed).
        member: who scored.
        answers: their answers by ``(option id, criterion id)``.
    """
    info = appraisal.settings.appraisal
    leaves = appraisal.leaves()
    options = [o.item for o in appraisal.options() if not o.item.discounted]
    out = [
        "# yaml-language-server: $schema=../schema/scores.schema.json",
        f"# Score sheet for {_comment(member.name)}: {_comment(info.title)}",
        "# Score every option on every criterion and say why (rationale), citing evidence.",
        "# Optionally give `low:` and `high:` for the range you think plausible.",
        "#",
    ]
    out += _scale_lines(appraisal.settings.scale, "# ")
    for node in leaves:
        if node.criterion.scale is not None:
            out.append("#")
            out.append(
                f"# {node.criterion.id} ({_comment(node.criterion.name)}) has its own scale:"
            )
            out += _scale_lines(appraisal.scale_for(node.criterion), "#   ")
    out += [
        "",
        "scorer:",
        f"  id: {_quote(member.id)}",
        f"  name: {_quote(member.name)}",
        f"  role: {_quote(member.role)}",
    ]
    if member.interests:
        out.append(f"  interests: {_quote(member.interests)}")
    out.append("scores:")
    criteria = [node.criterion for node in leaves]
    for option in options:
        out += _option_lines(option, criteria, "  ", "    ", answers)
    return "\n".join(out) + "\n"


def moderation_text(
    appraisal: Appraisal,
    meeting: tuple[str, str | None, str | None],
    agreed: Mapping[tuple[str, str], Agreed],
) -> str:
    """The moderation file: the meeting (chair, date, note) and each agreed score with its
    note and dissent, in the appraisal's order of options and criteria.

    Args:
        appraisal: the appraisal.
        meeting: ``(chair, date, note)``.
        agreed: the agreed cells by ``(option id, criterion id)``; cells not agreed yet
            are left out.
    """
    chair, date, note = meeting
    info = appraisal.settings.appraisal
    out = [
        "# yaml-language-server: $schema=../schema/moderation.schema.json",
        f"# Moderated scores: {_comment(info.title)}",
        "",
        "moderation:",
        f"  chair: {_quote(chair)}",
    ]
    if date:
        out.append(f"  date: {_quote(date)}")
    if note:
        out.append(f"  note: {_quote(note)}")
    out.append("scores:")
    criteria = [node.criterion for node in appraisal.leaves()]
    for option in (o.item for o in appraisal.options() if not o.item.discounted):
        cells = [(c, agreed[option.id, c.id]) for c in criteria if (option.id, c.id) in agreed]
        if not cells:
            continue
        out.append(f"  {_quote(option.id)}:  # {_comment(option.name)}")
        for c, cell in cells:
            out.append(f"    {_quote(c.id)}:  # {_comment(c.name)}")
            out.append(f"      score: {number(cell.score)}")
            if cell.note:
                out.append(f"      note: {_quote(cell.note)}")
            if cell.dissent:
                out.append("      dissent:")
                for who, score, reason in cell.dissent:
                    out.append(f"        - scorer: {_quote(who)}")
                    if score is not None:
                        out.append(f"          score: {number(score)}")
                    out.append(f"          reason: {_quote(reason)}")
    if out[-1] == "scores:":
        out[-1] = "scores: {}"
    return "\n".join(out) + "\n"


def number(value: float) -> str:
    """A number as YAML holds it exactly and a person writes it (``7``, ``6.5``)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    if "e" in text and "." not in text:  # 1e+20: YAML 1.1 reads a float only as 1.0e+20
        text = text.replace("e", ".0e")
    return text


def _option_lines(
    option: Option,
    criteria: list[Criterion],
    at: str,
    inner: str,
    answers: Mapping[tuple[str, str], Answer] | None = None,
) -> list[str]:
    label = _comment(option.name) + (" (baseline)" if option.baseline else "")
    out = [f"{at}{_quote(option.id)}:  # {label}"]
    for c in criteria:
        out += _cell_lines(c, inner, (answers or {}).get((option.id, c.id)))
    return out


def _cell_lines(c: Criterion, at: str, answer: Answer | None = None) -> list[str]:
    definition = f" — {_comment(c.definition)}" if c.definition.strip() else ""
    a = answer or Answer()
    out = [
        f"{at}{_quote(c.id)}:  # {_comment(c.name)}{definition}",
        f"{at}  score:" + (f" {number(a.score)}" if a.score is not None else ""),
        f"{at}  rationale: {_quote(a.rationale)}",
    ]
    if a.low is not None:
        out.append(f"{at}  low: {number(a.low)}")
    if a.high is not None:
        out.append(f"{at}  high: {number(a.high)}")
    if a.evidence:
        out.append(f"{at}  evidence: [{', '.join(_quote(e) for e in a.evidence)}]")
    return out


class SheetShapeError(ValueError):
    """A sheet whose layout blank cells cannot be added to (the message says where)."""


def updated_sheet(appraisal: Appraisal, text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` (a panel member's sheet) with a blank block added for every option and
    criterion it lacks, in the appraisal's order; everything already there, comments
    included, is kept as written.

    Returns:
        The new text and the cells added, ``(option id, criterion id)``.

    Raises:
        SheetShapeError: the sheet's ``scores`` (or an option's) is written in flow
            style (``{…}`` on one line), where a block cannot be added.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root = yaml.compose(text, Loader=loader)
    criteria = [node.criterion for node in appraisal.leaves()]
    options = [o.item for o in appraisal.options() if not o.item.discounted]
    lines = text.splitlines()
    if not isinstance(root, yaml.MappingNode):
        raise SheetShapeError("the sheet is not a mapping of `scorer` and `scores`")
    scores = _value(root, "scores")
    inserts: list[tuple[int, list[str]]] = []  # (insert before this line index, lines)
    added: list[tuple[str, str]] = []
    if scores is None or (isinstance(scores, yaml.ScalarNode) and scores.value == ""):
        if scores is None:
            block = ["scores:"]
            at = len(lines)
        else:  # `scores:` with nothing under it
            block = []
            at = scores.start_mark.line + 1
        for option in options:
            block += _option_lines(option, criteria, "  ", "    ")
            added += [(option.id, c.id) for c in criteria]
        inserts.append((at, block))
    else:
        if not isinstance(scores, yaml.MappingNode):
            raise SheetShapeError("`scores` is not a mapping of options")
        if scores.flow_style and scores.value:
            raise SheetShapeError(
                f"line {scores.start_mark.line + 1}: `scores` is written on one line ({{…}})"
            )
        have = {str(k.value): v for k, v in scores.value}
        option_at = scores.value[0][0].start_mark.column if scores.value else 2
        cell_at = next(
            (
                v.value[0][0].start_mark.column
                for _, v in scores.value
                if isinstance(v, yaml.MappingNode) and v.value and not v.flow_style
            ),
            option_at + 2,
        )
        new_options: list[str] = []
        for option in options:
            node = have.get(option.id)
            if node is None:
                new_options += _option_lines(option, criteria, " " * option_at, " " * cell_at)
                added += [(option.id, c.id) for c in criteria]
                continue
            if not isinstance(node, yaml.MappingNode):
                continue  # not a mapping: validate says so; nothing to add to
            got = {str(k.value) for k, _ in node.value}
            missing = [c for c in criteria if c.id not in got]
            if not missing:
                continue
            if node.flow_style:
                raise SheetShapeError(
                    f"line {node.start_mark.line + 1}: option `{option.id}` is written on one "
                    "line ({…})"
                )
            block = []
            for c in missing:
                block += _cell_lines(c, " " * cell_at)
                added.append((option.id, c.id))
            inserts.append((_last_line(node) + 1, block))
        if new_options:
            inserts.append((_last_line(scores) + 1, new_options))
    # from the bottom up, so earlier line numbers still hold; at the same line, the
    # later insert first, so an option's cells stay above the new options after it
    order = sorted(range(len(inserts)), key=lambda k: (-inserts[k][0], -k))
    for k in order:
        at, block = inserts[k]
        lines[at:at] = block
    newline = "\r\n" if "\r\n" in text else "\n"  # a sheet saved on Windows stays so
    return newline.join(lines) + newline, added


def _value(mapping: Any, key: str) -> Any:
    for k, v in mapping.value:
        if getattr(k, "value", None) == key:
            return v
    return None


def _last_line(node: Any) -> int:
    """The 0-based index of the last line that holds part of ``node``."""
    import yaml

    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if not node.value:
            return int(node.start_mark.line)
        last = node.value[-1]
        return _last_line(last[1] if isinstance(node, yaml.MappingNode) else last)
    end = node.end_mark
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") and end.column == 0:
        return int(end.line) - 1  # a block scalar ends at the start of the next line
    return int(end.line)
