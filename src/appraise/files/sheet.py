"""A blank score sheet for a new panel member.

The sheet lists every option to be scored and every criterion, with the criterion's
definition and the scale's descriptors as comments, and an empty ``score:`` and
``rationale:`` in each cell. Until it is filled in, ``appraise validate`` reports each
empty score, so an unfinished sheet cannot land unnoticed.
"""

from __future__ import annotations

import json

from appraise.files.loading import Appraisal
from appraise.files.models import Scale

__all__ = ["blank_sheet"]


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


def blank_sheet(appraisal: Appraisal, scorer_id: str, name: str, role: str) -> str:
    """The text of a blank score sheet for one new panel member.

    Args:
        appraisal: the appraisal (its options and criteria are listed).
        scorer_id: the new member's id.
        name: their name or pseudonym.
        role: their role or constituency.
    """
    info = appraisal.settings.appraisal
    leaves = appraisal.leaves()
    options = [o.item for o in appraisal.options() if not o.item.discounted]
    out = [
        "# yaml-language-server: $schema=../schema/scores.schema.json",
        f"# Score sheet for {_comment(name)}: {_comment(info.title)}",
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
        f"  id: {_quote(scorer_id)}",
        f"  name: {_quote(name)}",
        f"  role: {_quote(role)}",
        "scores:",
    ]
    for option in options:
        label = _comment(option.name) + (" (baseline)" if option.baseline else "")
        out.append(f"  {_quote(option.id)}:  # {label}")
        for node in leaves:
            c = node.criterion
            definition = f" — {_comment(c.definition)}" if c.definition.strip() else ""
            out.append(f"    {_quote(c.id)}:  # {_comment(c.name)}{definition}")
            out.append("      score:")
            out.append('      rationale: ""')
    return "\n".join(out) + "\n"
