"""Ids: each criterion, option, scorer, hurdle, weight set and objective used once."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from appraise.errors import Issue
from appraise.files.checks.context import Context
from appraise.files.yamlio import Document
from appraise.text import describe_char, shown

__all__ = ["check_ids", "explain_id"]

_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_LOOK_ALIKES = dict(
    zip(
        "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcyxijsdqwABEKMHOPCTXIJSaBeiKvopTuxABEZHIKMNOPTYX",
        strict=True,
    )
)


def _ascii_twin(char: str) -> str:
    """The ASCII character ``char`` is mistaken for, or ``""``."""
    if char in _LOOK_ALIKES:
        return _LOOK_ALIKES[char]
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded in _ID_CHARS else ""


def explain_id(value: str) -> tuple[str, str]:
    """Why ``value`` is not a valid id, naming the first character at fault.

    Returns:
        The message (the id shown safely, the character by code point and name, its
        position, and what it looks like) and the hint (the ASCII spelling, if obvious).

    Why:
        A look-alike (Cyrillic ``а``) or invisible (``U+200B``) character printed raw
        makes a wrong id look right; only its name tells the reader what to fix.
    """
    ident = f"id `{shown(value)}`"
    rule = "ids use ASCII letters, digits, - _ and . (no spaces), at most 64 characters"
    if not value:
        return "an id is empty", "write the id"
    for position, char in enumerate(value, start=1):
        if char in _ID_CHARS and not (position == 1 and char in "_.-"):
            continue
        if char not in _ID_CHARS:
            twin = _ascii_twin(char)
            looks = f", which looks like `{twin}`" if twin else ""
            message = f"{ident} holds {describe_char(char)} at position {position}{looks}"
            if twin and all(c in _ID_CHARS or _ascii_twin(c) for c in value):
                fixed = "".join(c if c in _ID_CHARS else _ascii_twin(c) for c in value)
                return message, f"{rule}: write `{fixed}`"
            if unicodedata.category(char) == "Zs":
                fixed = "".join("-" if unicodedata.category(c) == "Zs" else c for c in value)
                return message, f"ids hold no spaces: write `{shown(fixed)}`; {rule}"
            if unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp"):
                fixed = "".join(c for c in value if c != char)
                return message, f"delete it (it is invisible): `{shown(fixed)}`; {rule}"
            return message, rule
        return f"{ident} starts with `{char}`", f"{rule}; start it with a letter or digit"
    return f"{ident} is {len(value)} characters long", rule


RESERVED_WEIGHT_SETS = {
    "tree": "`--weights tree` means the value tree's own weights",
    "all": "`--weights all` means every weight set side by side",
}
"""Weight set ids the commands give a meaning of their own."""


def check_ids(ctx: Context) -> Iterator[Issue]:
    """Ids given twice within one kind of thing.

    Args:
        ctx: the appraisal being checked.

    Yields:
        A ``duplicate-id`` error at each later use, naming the first.
    """
    a = ctx.appraisal
    groups: dict[str, list[tuple[str, Document, tuple[Any, ...]]]] = {
        "criterion": [(n.criterion.id, n.doc, (*n.where, "id")) for n in ctx.nodes],
        "option": [(o.item.id, o.doc, (*o.where, "id")) for o in ctx.options],
        "scorer": [(s.scorer.id, d, ("scorer", "id")) for d, s in a.sheets],
        "hurdle": [
            (h.id, d, ("hurdles", i, "id"))
            for d, f in a.criteria_files
            for i, h in enumerate(f.hurdles)
        ],
        "weight set": [
            (w.id, d, ("weight_sets", i, "id"))
            for d, f in a.criteria_files
            for i, w in enumerate(f.weight_sets)
        ],
    }
    if a.settings_doc is not None:
        groups["objective"] = [
            (o.id, a.settings_doc, ("appraisal", "objectives", i, "id"))
            for i, o in enumerate(a.settings.appraisal.objectives)
        ]
    for ident, doc, where in groups["weight set"]:
        if ident in RESERVED_WEIGHT_SETS:
            # `--weights tree` would rank with the value tree, `--weights all` with
            # every set: this one could never be chosen
            yield ctx.error(
                "duplicate-id",
                f"weight set id `{ident}` is taken: {RESERVED_WEIGHT_SETS[ident]}",
                "give the weight set another id",
                doc,
                where,
                key=False,
            )
    for what, entries in groups.items():
        first: dict[str, tuple[Document, tuple[Any, ...]]] = {}
        for ident, doc, where in entries:
            if ident in first:
                prev_doc, prev_where = first[ident]
                loc = prev_doc.locate(prev_where)
                yield ctx.error(
                    "duplicate-id",
                    f"{what} id `{ident}` is already used at {prev_doc.path}:{loc.line}",
                    f"give each {what} its own id",
                    doc,
                    where,
                    key=False,
                )
            else:
                first[ident] = (doc, where)
