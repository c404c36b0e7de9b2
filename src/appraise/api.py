"""The library's front door: what the ``appraise`` commands do, as Python functions.

Each function takes an appraisal folder (or an :class:`~appraise.files.loading.Appraisal`
already loaded with :func:`load`) and returns a plain result object, or writes files
and returns their paths. The CLI, the benchmarks and the tests call these; nothing
here prints or exits. Every failure a user can cause raises an
:class:`~appraise.errors.AppraiseError` with a message and a hint.

Example::

    import appraise

    result = appraise.score("examples/pct", weights="staff_side")
    print(result.problem.option_names[result.leaders[0]], result.totals.max())
    appraise.report("examples/pct", "board/appraisal.docx", seed=7)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from appraise.errors import AppraiseInputError, RequestError, Severity

if TYPE_CHECKING:
    from appraise.analysis.diff import AppraisalDiff
    from appraise.analysis.problem import Problem
    from appraise.analysis.revisions import Side
    from appraise.analysis.score import Aggregate, Method, ScoreResult
    from appraise.analysis.sensitivity import ScoreModel, SensitivityResult
    from appraise.analysis.weights import WeightsView
    from appraise.analysis.whatif import WhatIf
    from appraise.engine.smaa import WeightModel
    from appraise.files.loading import Appraisal
    from appraise.files.validation import Validation
    from appraise.paper.provenance import Provenance

__all__ = [
    "diff",
    "export",
    "load",
    "problem",
    "report",
    "score",
    "score_weight_sets",
    "sensitivity",
    "validate",
    "weights",
    "what_if",
    "workshop",
]

Source = "str | Path | Appraisal"
Progress = Callable[[int], None] | None


def validate(folder: str | Path, *, strict: bool = False) -> Validation:
    """Read and check every file of the appraisal in ``folder``; never raises on bad
    input: the :class:`~appraise.files.validation.Validation` holds every issue."""
    from appraise.files.validation import validate as run

    return run(Path(folder), strict=strict)


def load(folder: str | Path) -> Appraisal:
    """The appraisal in ``folder``, validated.

    Raises:
        AppraiseInputError: it is not valid (every error is in ``.issues``).
    """
    result = validate(folder)
    if not result.valid or result.appraisal is None:
        errors = [i for i in result.issues if i.severity is Severity.ERROR]
        raise AppraiseInputError(
            errors,
            "the appraisal is not valid",
            hint=f"run appraise validate {folder} and fix the errors",
        )
    return result.appraisal


def _appraisal(source: str | Path | Appraisal) -> Appraisal:
    from appraise.files.loading import Appraisal

    return source if isinstance(source, Appraisal) else load(source)


def problem(source: str | Path | Appraisal) -> Problem:
    """The appraisal as the engine's arrays (:class:`~appraise.analysis.problem.Problem`)."""
    from appraise.analysis.problem import build_problem

    return build_problem(_appraisal(source))


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """Refuse a setting that is not one of ``allowed`` (the CLI's choices, for Python)."""
    if value not in allowed:
        raise RequestError(f"no {name} {value!r}", hint=f"choose {', '.join(allowed)}")


METHODS = ("wsm", "topsis", "promethee")
AGGREGATES = ("moderated", "mean", "median")
WEIGHT_MODELS = ("dirichlet", "uniform", "bounds", "fixed")
SCORE_MODELS = ("panel", "declared", "fixed")


def _weight_set(p: Problem, weights: str, where: str = "") -> None:
    p.weight_set(weights, where=where)  # raises RequestError naming the known sets


def score(
    source: str | Path | Appraisal,
    *,
    method: Method = "wsm",
    aggregate: Aggregate = "moderated",
    weights: str = "tree",
    scorer: str | None = None,
    include_failed: bool = False,
) -> ScoreResult:
    """Rank the options (``appraise score``).

    Args:
        source: the appraisal folder, or a loaded appraisal.
        method: ``wsm`` (weighted sum), ``topsis`` or ``promethee``.
        aggregate: which scores count: ``moderated``, ``mean`` or ``median``.
        weights: ``tree`` or a weight set's id.
        scorer: rank on one panel member's scores alone.
        include_failed: rank options that fail a hurdle too.

    Raises:
        AppraiseInputError: the appraisal is not valid.
        RequestError: an unknown weight set, panel member or method.
    """
    from appraise.analysis.score import score_problem

    _choice("method", method, METHODS)
    _choice("aggregate", aggregate, AGGREGATES)
    return score_problem(
        problem(source),
        method=method,
        aggregate=aggregate,
        weight_set=weights,
        scorer=scorer,
        include_failed=include_failed,
    )


def what_if(
    source: str | Path | Appraisal,
    *,
    weights: Sequence[str] = (),
    scores: Sequence[str] = (),
    method: Method = "wsm",
    aggregate: Aggregate = "moderated",
    weight_set: str = "tree",
    scorer: str | None = None,
    include_failed: bool = False,
) -> WhatIf:
    """The ranking with some weights or scores set, against the agreed one
    (``appraise score --set-weight VFM=30 --set-score SE.ACC=6``).

    Args:
        source: the appraisal folder, or a loaded appraisal.
        weights: ``ID=WEIGHT`` each: a criterion's or group's weight of the total, every
            other weight rescaled in proportion.
        scores: ``OPTION.CRITERION=SCORE`` each: the score that counts in that cell.
        method: ``wsm``, ``topsis`` or ``promethee``.
        aggregate: which scores count.
        scorer: rank on one panel member's scores alone.
        weight_set: the weight set the what-if starts from (``tree``: the value tree's).
        include_failed: rank options that fail a hurdle too.

    Raises:
        RequestError: a spec that is not ``ID=NUMBER``, an unknown id, a weight outside
            0 … total or weights that cannot add up, a score off its scale.
    """
    from appraise.analysis.whatif import parse_score, parse_weight
    from appraise.analysis.whatif import what_if as run

    _choice("method", method, METHODS)
    _choice("aggregate", aggregate, AGGREGATES)
    return run(
        problem(source),
        [parse_weight(spec) for spec in weights],
        [parse_score(spec) for spec in scores],
        method=method,
        aggregate=aggregate,
        weight_set=weight_set,
        scorer=scorer,
        include_failed=include_failed,
    )


def workshop(
    source: str | Path | Appraisal,
    output: str | Path,
    *,
    aggregate: Aggregate = "moderated",
    weights: str = "tree",
    include_failed: bool = False,
) -> Path:
    """Write the decision conference's page (``appraise workshop``): one self-contained
    HTML file with a slider per weight, the ranking, contributions and frontier moving
    with them, score what-ifs, snapshots and "save as weight set".

    Raises:
        AppraiseInputError: the appraisal is not valid.
        OutputError: the file cannot be written there, or is one of the inputs.
    """
    from appraise.atomic import write_text_atomic
    from appraise.paper.export import check_target
    from appraise.paper.workshop import workshop_data, workshop_html

    appraisal = _appraisal(source)
    target = Path(output)
    check_target(target, appraisal)
    sens = sensitivity(
        appraisal,
        aggregate=aggregate,
        weights=weights,
        include_failed=include_failed,
        samples=0,
        sections=("weights",),
    )
    write_text_atomic(target, workshop_html(workshop_data(sens, appraisal)), overwrite=True)
    return target


def score_weight_sets(
    source: str | Path | Appraisal,
    *,
    method: Method = "wsm",
    aggregate: Aggregate = "moderated",
    scorer: str | None = None,
    include_failed: bool = False,
) -> list[ScoreResult]:
    """The ranking under every weight set, the value tree's first
    (``appraise score --weights all``)."""
    from appraise.analysis.score import score_all_weight_sets

    _choice("method", method, METHODS)
    _choice("aggregate", aggregate, AGGREGATES)
    return score_all_weight_sets(
        problem(source),
        method=method,
        aggregate=aggregate,
        scorer=scorer,
        include_failed=include_failed,
    )


def sensitivity(
    source: str | Path | Appraisal,
    *,
    aggregate: Aggregate = "moderated",
    weights: str = "tree",
    include_failed: bool = False,
    samples: int | None = None,
    seed: int | None = None,
    weight_model: WeightModel = "dirichlet",
    concentration: float = 50.0,
    bounds: float = 5.0,
    score_model: ScoreModel = "panel",
    swing: float = 50.0,
    sections: tuple[str, ...] | None = None,
    progress: Progress = None,
) -> SensitivityResult:
    """How robust the ranking is (``appraise sensitivity``): switching values,
    scenarios, methods, Monte Carlo and the tornado.

    ``samples`` and ``seed`` default to the one default every command uses
    (:data:`~appraise.analysis.sensitivity.DEFAULT_SAMPLES`, ``DEFAULT_SEED``).

    Raises:
        AppraiseInputError: the appraisal is not valid.
        RequestError: an unknown weight set or section, or a bad setting.
    """
    from appraise.analysis.sensitivity import (
        DEFAULT_SAMPLES,
        DEFAULT_SEED,
        MAX_SAMPLES,
        SECTIONS,
        analyse,
    )

    _choice("aggregate", aggregate, AGGREGATES)
    _choice("weight model", weight_model, WEIGHT_MODELS)
    _choice("score model", score_model, SCORE_MODELS)
    if isinstance(sections, str):  # a Python caller's sections="montecarlo"
        sections = (sections,)  # type: ignore[unreachable]
    chosen = tuple(sections) if sections else SECTIONS
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise RequestError(f"no section {unknown[0]!r}", hint=f"choose from {', '.join(SECTIONS)}")
    n = DEFAULT_SAMPLES if samples is None else samples
    if not 0 <= n <= MAX_SAMPLES:
        raise RequestError(
            f"--samples {n} is out of range", hint=f"use 0 (no Monte Carlo) to {MAX_SAMPLES:,}"
        )
    limits = (
        ("swing", swing, 100.0),
        ("bounds", bounds, 1e6),
        ("concentration", concentration, 1e6),
    )
    for name, value, most in limits:
        if not 0 <= value <= most:  # NaN fails too
            raise RequestError(f"--{name} {value:g} is out of range", hint=f"use 0 to {most:g}")
    p = problem(source)
    _weight_set(p, weights)
    runs = n if ("montecarlo" in chosen or "tornado" in chosen) else 0
    return analyse(
        p,
        aggregate=aggregate,
        weight_set=weights,
        include_failed=include_failed,
        samples=runs,
        seed=DEFAULT_SEED if seed is None else seed,
        weight_model=weight_model,
        concentration=concentration,
        bounds=bounds,
        score_model=score_model,
        swing=swing,
        sections=chosen,
        progress=progress,
    )


def weights(source: str | Path | Appraisal, *, sets: list[str] | None = None) -> WeightsView:
    """Every weight set's local and global weights and how they were elicited
    (``appraise weights``); only ``sets`` (each with its participants) when given.

    Raises:
        AppraiseInputError: the appraisal is not valid.
        RequestError: an unknown weight set.
    """
    from appraise.analysis.weights import build_weights

    appraisal = _appraisal(source)
    view = build_weights(appraisal, problem(appraisal))
    if sets:
        known = [s.id for s in view.sets]
        for wanted in sets:
            if wanted not in known:
                raise RequestError(
                    f"no weight set {wanted!r}",
                    hint=f"known weight sets: {', '.join(known)} (ids in criteria/)",
                )
        keep = [s for s in view.sets if s.id in sets or s.participant_of in sets]
        view = replace(view, sets=keep)
    return view


def diff(
    before: str,
    after: str | None = None,
    *,
    folder: str | Path = ".",
    weights: str = "tree",
    aggregate: Aggregate = "moderated",
) -> AppraisalDiff:
    """What changed between two versions of an appraisal (``appraise diff``).

    Args:
        before: a folder, or a git revision of ``folder``.
        after: likewise; default: ``folder`` as it is on disk.
        folder: the appraisal folder inside its git repository (for revisions).
        weights: the weight set whose ranking is compared (both sides must have it).
        aggregate: which scores count.

    Raises:
        AppraiseInputError: a side is not a valid appraisal (files named ``REV:path``).
        RevisionError: a side is neither a folder nor a revision git knows.
        RequestError: a side lacks the weight set.
    """
    from appraise.analysis.diff import relative_file
    from appraise.analysis.problem import build_problem
    from appraise.analysis.revisions import checkout

    def side(s: Side) -> tuple[Appraisal, Problem]:
        result = validate(s.folder)
        if not result.valid or result.appraisal is None:
            errors = [i for i in result.issues if i.severity is Severity.ERROR]
            if s.revision is not None:  # name files as REV:path, not the temporary copy
                errors = [
                    replace(i, path=Path(f"{s.spec}:{relative_file(i.path, s.folder)}"))
                    if i.path is not None
                    else i
                    for i in errors
                ]
            raise AppraiseInputError(
                errors,
                f"{s.label} is not a valid appraisal",
                hint="fix the errors above (appraise validate), then compare",
            )
        p = build_problem(result.appraisal)
        _weight_set(p, weights, where=s.label)
        return result.appraisal, p

    from appraise.errors import RevisionError

    _choice("aggregate", aggregate, AGGREGATES)
    root = Path(folder)
    later = after if after is not None else str(root)
    try:
        opened = checkout(before, root), checkout(later, root)
        with opened[0] as side_a, opened[1] as side_b:
            return _compare(side_a, side_b, side, weights, aggregate)
    except RevisionError as exc:
        if not exc.hint:
            exc.hint = "give a folder, or a revision git knows (git log --oneline)"
        raise


def _compare(
    side_a: Side,
    side_b: Side,
    side: Callable[[Side], tuple[Appraisal, Problem]],
    weights: str,
    aggregate: Aggregate,
) -> AppraisalDiff:
    """Compare two checked-out sides (:func:`diff`)."""
    from appraise.analysis.diff import diff_appraisals, relative_file, workbook_files
    from appraise.analysis.revisions import authors

    a, pa = side(side_a)
    b, pb = side(side_b)
    files = {relative_file(doc.path, x.root) for x in (a, b) for doc in x.documents()}
    files |= {path for x in (a, b) for path in workbook_files(x)}
    who = {f: authors(side_a, side_b, f) for f in sorted(files)}
    from appraise.paper.wording import submodule_note

    result = diff_appraisals(
        a,
        b,
        pa,
        pb,
        before=side_a.label,
        after=side_b.label,
        weight_set=weights,
        aggregate=aggregate,
        authors={f: w for f, w in who.items() if w},
    )
    result.notes = [
        submodule_note(s.label, path) for s in (side_a, side_b) for path in s.submodules
    ]
    return result


def _analysed(
    source: str | Path | Appraisal,
    aggregate: Aggregate,
    weights: str,
    include_failed: bool,
    samples: int | None,
    seed: int | None,
    progress: Progress,
    monte_carlo: bool = True,
) -> tuple[Appraisal, SensitivityResult, Provenance]:
    from appraise.paper.provenance import build_provenance

    appraisal = _appraisal(source)
    sens = sensitivity(
        appraisal,
        aggregate=aggregate,
        weights=weights,
        include_failed=include_failed,
        samples=samples if monte_carlo else 0,
        seed=seed,
        progress=progress,
    )
    return appraisal, sens, build_provenance(appraisal, sens)


def export(
    source: str | Path | Appraisal,
    output: str | Path,
    *,
    tables: list[str] | None = None,
    charts: list[str] | None = None,
    criterion: str | None = None,
    aggregate: Aggregate = "moderated",
    weights: str = "tree",
    include_failed: bool = False,
    samples: int | None = None,
    seed: int | None = None,
    progress: Progress = None,
) -> list[Path]:
    """Write tables or a chart for a board paper (``appraise export``), the format
    from ``output``'s suffix.

    Returns:
        The files written (a CSV's provenance file beside it included).

    Raises:
        AppraiseInputError: the appraisal is not valid.
        RequestError: an unknown format, table or chart, or one that does not apply.
        MissingExtra: the format needs openpyxl, python-docx or matplotlib.
        OutputError: the file cannot be written there.
    """
    from appraise.paper.export import check_request, export_paper, write_chart, write_paper
    from appraise.paper.formats import CHART_FORMATS

    target = Path(output)
    tables = [tables] if isinstance(tables, str) else tables
    charts = [charts] if isinstance(charts, str) else charts
    suffix, chosen = check_request(target, tables, charts)
    wants_mc = (
        "acceptability" in chosen
        or not tables
        or bool(
            {"montecarlo", "montecarlo_costs", "acceptability", "central_weights", "tornado"}
            & set(tables)
        )
    )
    appraisal, sens, prov = _analysed(
        source, aggregate, weights, include_failed, samples, seed, progress, wants_mc
    )
    if suffix in CHART_FORMATS:
        return write_chart(target, sens, appraisal, chosen[0], criterion)
    paper = export_paper(
        sens,
        appraisal,
        prov,
        tables=tables,
        charts=chosen,
        criterion=criterion,
        csv=suffix == ".csv",
    )
    return write_paper(target, paper, appraisal)


def report(
    source: str | Path | Appraisal,
    output: str | Path,
    *,
    aggregate: Aggregate = "moderated",
    weights: str = "tree",
    include_failed: bool = False,
    samples: int | None = None,
    seed: int | None = None,
    charts: bool = True,
    pack: str | Path | None = None,
    progress: Progress = None,
) -> list[Path]:
    """Write the board paper, ``.html`` or ``.docx`` (``appraise report``): the cover
    sheet, the decision summary and the core; and, when ``pack`` names a file, the
    evidence pack behind it (both written together, or neither).

    Raises:
        AppraiseInputError: the appraisal is not valid.
        RequestError: ``output`` is not .html or .docx.
        MissingExtra: Word needs python-docx; charts need matplotlib.
        OutputError: the file cannot be written there.
    """
    from appraise.paper.export import write_papers
    from appraise.paper.formats import REPORT_FORMATS
    from appraise.paper.report import build_pack, build_report

    target = Path(output)
    targets = [target] if pack is None else [target, Path(pack)]
    for t in targets:
        if t.suffix.lower() not in REPORT_FORMATS:
            raise RequestError(
                f"a report is .html or .docx, not {t.name}",
                hint="name the file report.html or report.docx (the pack likewise)",
            )
    if pack is not None and Path(pack).resolve() == target.resolve():
        raise RequestError(
            f"the report and its evidence pack would both be {target}",
            hint="name the pack another file, such as pack.html",
        )
    appraisal, sens, prov = _analysed(
        source, aggregate, weights, include_failed, samples, seed, progress
    )
    papers = [(target, build_report(sens, appraisal, prov, charts=charts))]
    if pack is not None:
        papers.append((Path(pack), build_pack(sens, appraisal, prov, charts=charts)))
    return write_papers(papers, appraisal)
