"""The decision conference's page: one self-contained HTML file with live what-ifs.

:func:`workshop_data` gathers what the page needs from the engine's own results (the
agreed weights, each cell's points on the appraisal's scale, the costs, the panel's
scores and reasons, each weight's switching points); :func:`workshop_html` embeds it
with the page's style and script. Nothing is fetched: no remote script, style, font or
image, so the file works offline, from a folder or an email attachment.

The page's arithmetic is the engine's, written once in the script below: a weight moved
to ``v`` (of the total) with every other weight rescaled in proportion
(:func:`appraise.analysis.whatif.rescaled`), totals as Σ weight × points
(:func:`appraise.engine.weighted_sum`), competition ranks with ties to nine decimals
(:func:`appraise.engine.rank_with_ties`) and the cost–benefit frontier
(:func:`appraise.engine.vfm.efficient_frontier`). The tests drive the page in Chromium
and compare it with ``appraise score --set-weight``.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import numpy as np

from appraise.engine.ranking import TIE_DECIMALS
from appraise.paper.numbers import POINTS
from appraise.text import json_safe

if TYPE_CHECKING:
    from appraise.analysis.sensitivity import SensitivityResult
    from appraise.files.loading import Appraisal

__all__ = ["workshop_data", "workshop_html"]


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def workshop_data(sens: SensitivityResult, appraisal: Appraisal) -> dict[str, Any]:
    """Everything the page shows, from the agreed analysis (JSON-ready)."""
    from appraise.analysis.whatif import local_shares
    from appraise.engine import global_weights

    base = sens.base
    p = base.problem
    ws = p.weight_set(base.weight_set)
    node_global = global_weights(p.parent, ws.local, ws.normalise, p.total) * p.total
    share = local_shares(p.parent, ws.local, ws.normalise, p.total)
    leaf_of = {int(node): k for k, node in enumerate(p.leaves)}
    switches = {w.id: w for w in sens.weight_switches}
    nodes = []
    for k, ident in enumerate(p.node_ids):
        sw = switches.get(ident)
        marks = []
        if sw is not None:
            for a, b in zip(sw.segments, sw.segments[1:], strict=False):
                marks.append(
                    {"at": a.end, "from": p.option_ids[a.leader], "to": p.option_ids[b.leader]}
                )
        nodes.append(
            {
                "id": ident,
                "name": p.node_names[k],
                "parent": int(p.parent[k]),
                "leaf": leaf_of.get(k),
                "weight": float(node_global[k]),
                "share": float(share[k]),
                "switches": marks,
            }
        )
    rationale: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for _, sheet in appraisal.sheets:
        for option, row in sheet.scores.items():
            for criterion, c in row.items():
                if c.score is None:
                    continue
                rationale.setdefault(option, {}).setdefault(criterion, []).append(
                    {"who": sheet.scorer.id, "score": c.score, "why": c.rationale or ""}
                )
    from appraise.analysis.missing import provisional

    costs = p.costs
    return {
        "title": p.title,
        "provisional": provisional(p),
        "illustrative": p.illustrative,
        "status": p.status,
        "include_failed": bool(base.include_failed),
        "total": p.total,
        "base": [p.base_low, p.base_high],
        "places": POINTS.places,
        "tie_decimals": TIE_DECIMALS,
        "unit": p.cost_unit,
        "baseline": p.baseline,
        "nodes": nodes,
        "criteria": [
            {
                "id": c,
                "name": p.criterion_names[k],
                "low": float(p.low[k]),
                "high": float(p.high[k]),
                "up": bool(p.higher_is_better[k]),
                "group": int(p.leaf_group[k]),
            }
            for k, c in enumerate(p.criterion_ids)
        ],
        "groups": [p.node_ids[int(g)] for g in p.groups],
        # ids a saved set may not take: the sets there are, and what --weights reserves
        "weight_sets": sorted({"tree", "all", *(w.id for w in p.weight_sets)}),
        "options": [
            {
                "id": o,
                "name": p.option_names[i],
                "eligible": bool(base.eligible[i]),
                "complete": bool(base.complete[i]),
                "cost": _num(costs[i]),
                "scores": [_num(x) for x in base.scores[i]],
            }
            for i, o in enumerate(p.option_ids)
        ],
        "rationale": rationale,
    }


def _asset(name: str) -> str:
    return (files("appraise.paper") / "assets" / name).read_text(encoding="utf-8")


def workshop_html(data: dict[str, Any]) -> str:
    """The page: style, markup, the data and the script (``paper/assets/workshop.*``),
    in one file."""
    payload = json_safe(json.dumps(data, ensure_ascii=False, allow_nan=False))
    # no `<` at all inside the script element: nothing in a name can close or reopen it
    payload = payload.replace("<", "\\u003c")
    title = _escape(data["title"])
    banner = (
        '<p class="banner" role="note">ILLUSTRATIVE: invented data for demonstration, '
        "not a real appraisal</p>"
        if data["illustrative"]
        else ""
    )
    if data.get("provisional"):
        banner += f'<p class="banner" role="note">{_escape(data["provisional"])}</p>'

    parts = {
        "STYLE": _asset("workshop.css"),
        "SCRIPT": _asset("workshop.js"),
        "TITLE": title,
        "BANNER": banner,
        "DATA": payload,
    }
    # one pass: text put in is never searched again (a title may say "%DATA%")
    return re.sub(
        r"%(STYLE|SCRIPT|TITLE|BANNER|DATA)%", lambda m: parts[m[1]], _asset("workshop.html")
    )


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
