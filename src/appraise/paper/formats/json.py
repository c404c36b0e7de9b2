"""JSON: strict (RFC 8259) everywhere, numbers unrounded.

:func:`dumps` is the one way appraise writes JSON: NaN and infinities become ``null``
(Python's ``json`` would write bare ``NaN``, which is not JSON), NumPy numbers become
plain numbers, and anything else unexpected is an error rather than a silent string.
:func:`render` is ``export``'s JSON: the paper's provenance and tables.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from appraise.paper.model import Paper, Table
from appraise.text import json_safe

if TYPE_CHECKING:
    from appraise.analysis.sensitivity import SensitivityResult

__all__ = ["dumps", "plain", "render", "sensitivity_payload", "table_dict"]


def plain(value: Any) -> Any:
    """``value`` with NumPy scalars and arrays made plain, non-finite floats ``None``."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "tolist"):  # NumPy scalar or array
        return plain(value.tolist())
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value: Any) -> str:
    """Strict JSON text (two-space indent, UTF-8 kept), with a final newline."""
    return json_safe(json.dumps(plain(value), indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


def table_dict(t: Table) -> dict[str, Any]:
    """One table: each column's quantity, each cell's unrounded value, the notes."""
    return {
        "key": t.key,
        "title": t.title,
        "caption": t.caption,
        "columns": [
            {
                "name": c.name,
                "quantity": c.quantity.key if c.quantity is not None else "text",
                "places": c.quantity.places if c.quantity is not None else None,
            }
            for c in t.columns
        ],
        "rows": [[c.value for c in row.cells] for row in t.rows],
        "notes": list(t.notes),
    }


def render(paper: Paper) -> bytes:
    """Provenance and every table: each column's quantity, each cell's unrounded value."""
    payload = {
        "title": paper.title,
        "illustrative": paper.illustrative,
        **({"provisional": paper.provisional} if paper.provisional else {}),
        "provenance": paper.provenance.as_dict() if paper.provenance is not None else None,
        "tables": [table_dict(t) for t in paper.tables],
        "charts": [{"key": f.key, "title": f.title, "alt": f.alt} for f in paper.figures],
    }
    return dumps(payload).encode("utf-8")


def sensitivity_payload(sens: SensitivityResult) -> dict[str, Any]:
    """``appraise sensitivity --format json``: every number unrounded, with each weight
    switching value's sentence as every other output words it."""
    from appraise.paper.wording import weight_sentence

    payload = sens.as_dict()
    for entry, ws in zip(payload["weights"]["switching"], sens.weight_switches, strict=True):
        entry["sentence"] = weight_sentence(sens, ws)
    return payload
