"""Where an output came from: tool version, input file hashes, settings, seed and time.

Every export and report carries one, so a board paper can be traced to the exact files
and settings that made it, and regenerated. The time is ``SOURCE_DATE_EPOCH`` when that
is set (reproducible builds), so the same inputs give byte-identical outputs.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from typing import Any

from appraise import __version__
from appraise.analysis.missing import missing_scores
from appraise.analysis.sensitivity import SensitivityResult
from appraise.errors import RequestError
from appraise.files.costing import cost_book
from appraise.files.loading import Appraisal
from appraise.paper import wording
from appraise.paper.numbers import COUNT, format_number
from appraise.text import shown

__all__ = ["Provenance", "build_provenance"]


@dataclass(frozen=True)
class Provenance:
    """What made an output.

    Attributes:
        title: the appraisal's title.
        tool: ``appraise`` and its version.
        status: the appraisal's status (draft … final).
        illustrative: whether the data are illustrative (banner on every output).
        method: aggregation method, in words.
        scores: which scores counted, in words.
        weight_set: the weight set's name and id.
        settings: other settings that change the numbers (Monte Carlo and so on).
        generated: when, as ``YYYY-MM-DD HH:MM UTC``.
        fingerprint: SHA-256 over every input file's path and hash (first 16 hex).
        inputs: each input file (relative to the appraisal folder) and its SHA-256: the
            YAML files and every workbook a cost is read from.
        provisional: the PROVISIONAL banner when panel scores are missing, ``""`` when
            every score is in.
        missing: each missing panel score as ``(scorer, option, criterion)``.
    """

    title: str
    tool: str
    status: str
    illustrative: bool
    method: str
    scores: str
    weight_set: str
    settings: tuple[tuple[str, str], ...]
    generated: str
    fingerprint: str
    inputs: tuple[tuple[str, str], ...] = field(default=())
    provisional: str = ""
    missing: tuple[tuple[str, str, str], ...] = field(default=())

    def summary(self) -> list[tuple[str, str]]:
        """The provenance as label/value pairs, input files summarised by fingerprint."""
        return [
            ("Appraisal", self.title),
            ("Status", self.status + (" (ILLUSTRATIVE data)" if self.illustrative else "")),
            *([("Provisional", self.provisional)] if self.provisional else []),
            ("Method", self.method),
            ("Scores", self.scores),
            ("Weights", self.weight_set),
            *self.settings,
            ("Inputs", f"{len(self.inputs)} files, fingerprint {self.fingerprint}"),
            ("Generated", f"{self.generated} by {self.tool}"),
        ]

    def line(self) -> str:
        """One line for a footer."""
        return (
            f"{self.tool} · {self.title} · status {self.status}"
            + (" (PROVISIONAL)" if self.provisional else "")
            + f" · {self.method} · "
            f"weights {self.weight_set} · inputs {self.fingerprint} · {self.generated}"
        )

    def as_dict(self) -> dict[str, Any]:
        """Everything, for JSON."""
        return {
            "title": self.title,
            "tool": self.tool,
            "status": self.status,
            "illustrative": self.illustrative,
            "method": self.method,
            "scores": self.scores,
            "weight_set": self.weight_set,
            "settings": dict(self.settings),
            "generated": self.generated,
            "fingerprint": self.fingerprint,
            "inputs": [{"path": p, "sha256": h} for p, h in self.inputs],
            **(
                {
                    "provisional": self.provisional,
                    "missing_scores": [
                        {"scorer": s, "option": o, "criterion": c} for s, o, c in self.missing
                    ],
                }
                if self.provisional
                else {}
            ),
        }


def _inputs(appraisal: Appraisal) -> tuple[tuple[str, str], ...]:
    """Every file read: the YAML files, and each workbook a cost was read from (a CIA
    workbook's cell), by path inside the appraisal folder, with its SHA-256."""
    root = appraisal.root.resolve()
    out: dict[str, str] = {}
    paths = [(doc.path, doc.sha256) for doc in appraisal.documents()]
    paths += [(appraisal.root / p, h) for p, h in cost_book(appraisal).workbooks.items()]
    for path, digest in paths:
        try:
            shown = path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError, RuntimeError):
            shown = path.as_posix()
        out[shown] = digest
    return tuple(sorted(out.items()))


LATEST_EPOCH = 253_402_300_799
"""The last second of 9999 (UTC): the latest ``SOURCE_DATE_EPOCH`` accepted."""


def generation_time() -> int:
    """When outputs are said to be made: ``SOURCE_DATE_EPOCH`` (seconds since 1970,
    for reproducible builds) when it is set, else now. Parsed here only.

    Raises:
        RequestError: ``SOURCE_DATE_EPOCH`` is set but not a whole number of seconds
            from 0 to the end of the year 9999.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return int(time.time())
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > LATEST_EPOCH:
        raise RequestError(
            f"SOURCE_DATE_EPOCH={shown(epoch[:40])} is not a time appraise can use",
            hint=f"set it to whole seconds since 1970 (0 to {LATEST_EPOCH:,}), or unset it",
        )
    return int(epoch)


def _generated() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(generation_time()))


def build_provenance(
    appraisal: Appraisal, sens: SensitivityResult, *, extra: dict[str, str] | None = None
) -> Provenance:
    """The provenance of outputs made from ``sens`` (analysed from ``appraisal``)."""
    base = sens.base
    p = base.problem
    ws = p.weight_set(base.weight_set)
    settings: list[tuple[str, str]] = []
    if base.scorer:
        settings.append(("Panel member", base.scorer))
    if base.include_failed:
        settings.append(("Hurdles", "options failing a hurdle ranked too"))
    mc = sens.monte_carlo
    if mc is not None:
        weights = mc.weight_model + (
            f", concentration {mc.concentration:g}" if mc.weight_model == "dirichlet" else ""
        )
        settings.append(
            (
                "Monte Carlo",
                f"{format_number(mc.result.samples, COUNT)} samples, seed {mc.seed}, "
                f"weights {weights}, scores {mc.score_model}",
            )
        )
    settings.extend((extra or {}).items())
    inputs = _inputs(appraisal)
    gaps = missing_scores(p)
    digest = hashlib.sha256("".join(f"{p}\0{h}\n" for p, h in inputs).encode()).hexdigest()
    return Provenance(
        title=p.title,
        tool=f"appraise {__version__}",
        status=p.status,
        illustrative=p.illustrative,
        method=wording.METHOD_NAMES.get(base.method, base.method),
        scores=wording.scores_name(base.aggregate, base.scorer),
        weight_set=f"{ws.name} ({ws.id})",
        settings=tuple(settings),
        generated=_generated(),
        fingerprint=digest[:16],
        inputs=inputs,
        provisional=gaps.reason if gaps is not None else "",
        missing=tuple((m.scorer, o, c) for m in (gaps.members if gaps else ()) for o, c in m.cells),
    )
