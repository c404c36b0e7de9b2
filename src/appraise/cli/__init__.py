"""The ``appraise`` command line: parse arguments, call the library, print, exit.

Exit codes: 0 success; 1 invalid input or a failed check; 2 usage error. Machine
formats go to standard output; messages go to standard error. A user's mistake never
produces a traceback; anything else is a bug in appraise and keeps its traceback.

Library modules are imported inside the commands so that ``appraise --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from appraise.analysis.problem import Problem
    from appraise.analysis.revisions import Side
    from appraise.analysis.sensitivity import SensitivityResult
    from appraise.files.loading import Appraisal
    from appraise.files.yamlio import Document
    from appraise.paper.provenance import Provenance
    from appraise.paper.writers import TableBlock

from appraise import __version__

app = typer.Typer(
    name="appraise",
    help="Multi-criteria option appraisal from YAML files: validate, score, explain.",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class IssueFormat(enum.StrEnum):
    """Output formats of ``appraise validate``."""

    text = "text"
    json = "json"
    github = "github"


class ScoreFormat(enum.StrEnum):
    """Output formats of ``appraise score``."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class MethodChoice(enum.StrEnum):
    """Aggregation methods."""

    wsm = "wsm"
    topsis = "topsis"
    promethee = "promethee"


class AggregateChoice(enum.StrEnum):
    """Which scores count."""

    moderated = "moderated"
    mean = "mean"
    median = "median"


class SensitivityFormat(enum.StrEnum):
    """Output formats of ``appraise sensitivity``."""

    table = "table"
    json = "json"


class WeightModelChoice(enum.StrEnum):
    """How Monte Carlo draws weights."""

    dirichlet = "dirichlet"
    uniform = "uniform"
    bounds = "bounds"
    fixed = "fixed"


class ScoreModelChoice(enum.StrEnum):
    """How Monte Carlo draws scores."""

    panel = "panel"
    declared = "declared"
    fixed = "fixed"


class SchemaKind(enum.StrEnum):
    """Kinds of file ``appraise schema`` describes."""

    appraisal = "appraisal"
    criteria = "criteria"
    options = "options"
    scores = "scores"
    moderation = "moderation"


DirArgument = Annotated[
    Path,
    typer.Argument(
        help="The appraisal folder (holding appraisal.yaml, criteria/, options/, scores/).",
        exists=True,
        file_okay=False,
        dir_okay=True,
        show_default=True,
    ),
]


def _console() -> Console:
    """The terminal console: user text (names, rationale) is printed as written, never
    read as Rich markup (``[bold]``) or emoji codes (``:warning:``)."""
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


def _stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def _fail(message: str, hint: str = "") -> NoReturn:
    _stderr(f"appraise: error: {message}\n" + (f"  hint: {hint}\n" if hint else ""))
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"appraise {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Multi-criteria option appraisal from YAML files.

    Keep the appraisal as YAML in a folder (appraisal.yaml, criteria/, options/, scores/),
    and check it with [bold]appraise validate[/bold].
    """


@app.command()
def validate(
    folder: DirArgument = Path("."),
    output_format: Annotated[
        IssueFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (people), json (tools) or github (Actions annotations).",
        ),
    ] = IssueFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check every file of an appraisal and report every problem in one run.

    Exit code 0 when valid (warnings allowed unless --strict), 1 when not.

    Example:

        appraise validate examples/pct --format github
    """
    from appraise.files.diagnostics import format_github, format_json, format_text, summary_line
    from appraise.files.validation import validate as run_validation

    result = run_validation(folder, strict=strict)
    facts = _facts(result.appraisal) if result.appraisal is not None else None
    if output_format is IssueFormat.json:
        sys.stdout.write(format_json(result.issues, facts))
    elif output_format is IssueFormat.github:
        sys.stdout.write(format_github(result.issues))
        _stderr(f"appraise: {summary_line(result.issues)}\n")
    else:
        _stderr(format_text(result.issues))
        what = ""
        if facts is not None:
            what = (
                f"{facts['criteria']} criteria, {facts['options']} options, "
                f"{facts['panel']} panel members, status {facts['status']}"
            )
        _stderr(f"appraise: {folder}: {summary_line(result.issues, what=what)}\n")
    raise typer.Exit(0 if result.valid else 1)


@app.command()
def score(
    folder: DirArgument = Path("."),
    method: Annotated[
        MethodChoice,
        typer.Option(
            "--method",
            "-m",
            help="wsm (weighted sum: the default, and what UK guidance uses), topsis, or "
            "promethee (PROMETHEE II with each criterion's `preference`).",
        ),
    ] = MethodChoice.wsm,
    aggregate: Annotated[
        AggregateChoice,
        typer.Option(
            "--aggregate",
            "-a",
            help="Which scores count: moderated (the panel median where a cell was not "
            "moderated), or the panel's mean or median.",
        ),
    ] = AggregateChoice.moderated,
    weights: Annotated[
        str,
        typer.Option(
            "--weights",
            "-w",
            help="Weight set: 'tree' (the value tree's weights) or a set's id.",
        ),
    ] = "tree",
    scorer: Annotated[
        str | None, typer.Option("--scorer", help="Rank on one panel member's scores alone.")
    ] = None,
    include_failed: Annotated[
        bool,
        typer.Option(
            "--include-failed", help="Rank options that fail a hurdle too (they stay marked)."
        ),
    ] = False,
    output_format: Annotated[
        ScoreFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (terminal), json (every number, unrounded), csv "
            "(ranking) or md (ranking and scores).",
        ),
    ] = ScoreFormat.table,
) -> None:
    """Rank the options by weighted sum and show where each total comes from.

    The appraisal must validate first. Options failing a hurdle are shown but not ranked.

    Example:

        appraise score --weights staff_side --format md
    """
    from appraise.analysis.score import score_problem

    _, problem = _load(folder, None)
    if weights == "all":
        _score_all(problem, method.value, aggregate.value, scorer, include_failed, output_format)
        return
    try:
        scored = score_problem(
            problem,
            method=method.value,
            aggregate=aggregate.value,
            weight_set=weights,
            scorer=scorer,
            include_failed=include_failed,
        )
    except KeyError as exc:
        _fail(str(exc.args[0]), "see the ids in criteria/ (weight sets) and scores/ (panel)")
    if output_format is ScoreFormat.json:
        import json

        sys.stdout.write(json.dumps(scored.as_dict(), indent=2, ensure_ascii=False) + "\n")
    elif output_format is ScoreFormat.csv:
        from appraise.terminal.score import to_csv

        sys.stdout.write(to_csv(scored))
    elif output_format is ScoreFormat.md:
        from appraise.terminal.score import to_markdown

        sys.stdout.write(to_markdown(scored))
    else:
        from appraise.terminal.score import render_tables

        _console().print(render_tables(scored))


@app.command()
def sensitivity(
    folder: DirArgument = Path("."),
    aggregate: Annotated[
        AggregateChoice,
        typer.Option("--aggregate", "-a", help="Which scores count (as in appraise score)."),
    ] = AggregateChoice.moderated,
    weights: Annotated[
        str, typer.Option("--weights", "-w", help="Weight set analysed: 'tree' or a set's id.")
    ] = "tree",
    include_failed: Annotated[
        bool, typer.Option("--include-failed", help="Rank options that fail a hurdle too.")
    ] = False,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            help="Show only these sections (repeat): weights, scores, costs, scenarios, "
            "methods, montecarlo, tornado. Default: all.",
        ),
    ] = None,
    samples: Annotated[
        int,
        typer.Option(
            "--samples", "-n", min=0, max=1_000_000_000, help="Monte Carlo samples (0: skip)."
        ),
    ] = 100_000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed: same seed, same numbers.")
    ] = 1,
    weight_model: Annotated[
        WeightModelChoice,
        typer.Option(
            "--weight-model",
            help="How weights are drawn: dirichlet (around the stated weights), uniform "
            "(any weights at all), bounds (each within ±--bounds), fixed.",
        ),
    ] = WeightModelChoice.dirichlet,
    concentration: Annotated[
        float,
        typer.Option(
            "--concentration",
            min=0.01,
            max=1_000_000,
            help="Dirichlet concentration: higher keeps draws closer to the stated weights.",
        ),
    ] = 50.0,
    bounds: Annotated[
        float,
        typer.Option("--bounds", min=0.0, help="± range of each weight for --weight-model bounds."),
    ] = 5.0,
    score_model: Annotated[
        ScoreModelChoice,
        typer.Option(
            "--score-model",
            help="How scores are drawn: panel (triangular: panel min, score, max), declared "
            "(the sheets' low/high), fixed.",
        ),
    ] = ScoreModelChoice.panel,
    swing: Annotated[
        float,
        typer.Option("--swing", min=0.0, help="Tornado: move each weight ± this % of itself."),
    ] = 50.0,
    output_format: Annotated[
        SensitivityFormat,
        typer.Option("--format", "-f", help="table (terminal) or json (every number, unrounded)."),
    ] = SensitivityFormat.table,
) -> None:
    """How robust the ranking is, and what would change it (weighted sum).

    Exact switching values for every weight, score and cost; scenarios and
    leave-one-out; Monte Carlo (SMAA-2) rank acceptability; the ranking under each
    method; a tornado of the leader's margin.

    Example:

        appraise sensitivity --samples 1000000 --seed 7 --section montecarlo
    """
    from appraise.analysis.sensitivity import SECTIONS, analyse

    chosen = tuple(section) if section else SECTIONS
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        _fail(f"no section {unknown[0]!r}", f"choose from {', '.join(SECTIONS)}")
    _, problem = _load(folder, weights)
    runs_mc = samples > 0 and ("montecarlo" in chosen or "tornado" in chosen)
    with _progress(samples if runs_mc else 0) as advance:
        analysis = analyse(
            problem,
            aggregate=aggregate.value,
            weight_set=weights,
            include_failed=include_failed,
            samples=samples if runs_mc else 0,
            seed=seed,
            weight_model=weight_model.value,
            concentration=concentration,
            bounds=bounds,
            score_model=score_model.value,
            swing=swing,
            sections=chosen,
            progress=advance,
        )
    if output_format is SensitivityFormat.json:
        import json

        sys.stdout.write(json.dumps(analysis.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    from appraise.terminal.sensitivity import render_sensitivity

    _console().print(render_sensitivity(analysis, chosen))


@app.command()
def weights(
    folder: DirArgument = Path("."),
    weight_set: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            "-s",
            help="Show only these weight sets (repeat; a set brings its participants).",
        ),
    ] = None,
    output_format: Annotated[
        SensitivityFormat,
        typer.Option("--format", "-f", help="table (terminal) or json (every number, unrounded)."),
    ] = SensitivityFormat.table,
) -> None:
    """Where the weights come from: per level of the tree, local and global weights.

    Every weight set side by side (global weights), then each recorded elicitation
    level by level: what was recorded (swings, points, ranks or AHP comparisons), each
    participant's weights, the combination, the weights used, and AHP consistency
    ratios against the declared random-index table.

    Example:

        appraise weights --set clinical
    """
    from appraise.analysis.weights import build_weights

    appraisal, problem = _load(folder, None)
    view = build_weights(appraisal, problem)
    if weight_set:
        known = {s.id for s in view.sets}
        for wanted in weight_set:
            if wanted not in known:
                _fail(
                    f"no weight set {wanted!r} (known: {', '.join(s.id for s in view.sets)})",
                    "see the ids in criteria/",
                )
        keep = [s for s in view.sets if s.id in weight_set or s.participant_of in weight_set]
        view = dataclasses.replace(view, sets=keep)
    if output_format is SensitivityFormat.json:
        import json

        sys.stdout.write(json.dumps(view.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    from appraise.terminal.weights import render_weights

    console = _console()
    console.print(render_weights(view, console.width))


class DiffFormat(enum.StrEnum):
    """Output formats of ``appraise diff``."""

    table = "table"
    json = "json"
    md = "md"


@app.command()
def diff(
    before: Annotated[
        str,
        typer.Argument(
            help="The earlier version: a folder, or a git revision (HEAD~1, main, a tag).",
            show_default=False,
        ),
    ],
    after: Annotated[
        str | None,
        typer.Argument(
            help="The later version: a folder or a git revision. Default: the appraisal "
            "folder's files on disk (-C).",
            show_default=False,
        ),
    ] = None,
    folder: Annotated[
        Path,
        typer.Option(
            "--dir",
            "-C",
            help="The appraisal folder in the git repository, for revisions.",
            file_okay=False,
        ),
    ] = Path("."),
    weights: WeightsOption = "tree",
    aggregate: Annotated[
        AggregateChoice,
        typer.Option("--aggregate", "-a", help="Which scores count (as in appraise score)."),
    ] = AggregateChoice.moderated,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="table (terminal), json, or md (a PR comment)."),
    ] = DiffFormat.table,
    fail_on_rank_change: Annotated[
        bool,
        typer.Option(
            "--fail-on-rank-change",
            help="Exit 1 when the ranking differs (for CI); otherwise exit 0 either way.",
        ),
    ] = False,
) -> None:
    """What changed between two versions of an appraisal, and whether the ranking moved.

    Each side is a folder or a git revision of the appraisal folder (extracted with git
    archive; the working tree is not touched). Things are matched by id, so moving or
    renaming files is not a change. Shows the ranking before and after, the leader's
    margin, switching values that moved, and every change to settings, options,
    criteria, hurdles, weights, elicitation records, scores and rationale, and
    moderated scores, with whose they are.

    Examples:

        appraise diff HEAD~1 HEAD

        appraise diff main feature-branch --format md --fail-on-rank-change
    """
    from appraise.analysis.diff import diff_appraisals, relative_file
    from appraise.analysis.problem import build_problem
    from appraise.analysis.revisions import RevisionError, authors, checkout
    from appraise.files.diagnostics import format_text
    from appraise.files.validation import validate as run_validation

    def load(side: Side) -> tuple[Appraisal, Problem]:
        result = run_validation(side.folder)
        if not result.valid or result.appraisal is None:
            errors = [i for i in result.issues if i.severity.value == "error"]
            if side.revision is not None:  # name files as REV:path, not the temporary copy
                errors = [
                    dataclasses.replace(
                        i, path=Path(f"{side.spec}:{relative_file(i.path, side.folder)}")
                    )
                    if i.path is not None
                    else i
                    for i in errors
                ]
            _stderr(format_text(errors))
            _fail(
                f"{side.label} is not a valid appraisal",
                "fix the errors above (appraise validate), then compare",
            )
        return result.appraisal, build_problem(result.appraisal)

    try:
        later = after if after is not None else str(folder)
        with checkout(before, folder) as side_a, checkout(later, folder) as side_b:
            a, pa = load(side_a)
            b, pb = load(side_b)
            for p, side in ((pa, side_a), (pb, side_b)):
                if weights not in {ws.id for ws in p.weight_sets}:
                    known = ", ".join(ws.id for ws in p.weight_sets)
                    _fail(
                        f"no weight set {weights!r} in {side.label} (known: {known})",
                        "compare a weight set both versions have",
                    )
            files = {relative_file(doc.path, x.root) for x in (a, b) for doc in _documents(x)}
            who = {f: authors(side_a, side_b, f) for f in sorted(files)}
            result = diff_appraisals(
                a,
                b,
                pa,
                pb,
                before=side_a.label,
                after=side_b.label,
                weight_set=weights,
                aggregate=aggregate.value,
                authors={f: w for f, w in who.items() if w},
            )
    except RevisionError as exc:
        _fail(str(exc), "give a folder, or a revision git knows (git log --oneline)")
    names = {
        **dict(zip(pa.option_ids, pa.option_names, strict=True)),
        **dict(zip(pb.option_ids, pb.option_names, strict=True)),
    }
    if output_format is DiffFormat.json:
        import json

        sys.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
    elif output_format is DiffFormat.md:
        from appraise.terminal.diff import diff_markdown

        sys.stdout.write(diff_markdown(result, pb.title, names))
    else:
        from appraise.terminal.diff import render_diff

        _console().print(render_diff(result, pb.title, names))
    if fail_on_rank_change and result.effect is not None and result.effect.rank_changed:
        _stderr("appraise: the ranking changed\n")
        raise typer.Exit(1)


def _documents(appraisal: Appraisal) -> list[Document]:
    """Every file an appraisal was loaded from."""
    docs = [appraisal.settings_doc] if appraisal.settings_doc is not None else []
    for group in (
        appraisal.criteria_files,
        appraisal.options_files,
        appraisal.sheets,
        appraisal.moderations,
    ):
        docs += [doc for doc, _ in group]
    return docs


OutputOption = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The file to write; its suffix sets the format. Replaced in one step if it "
        "exists; never one of the appraisal's input files.",
        dir_okay=False,
    ),
]
SamplesOption = Annotated[
    int,
    typer.Option("--samples", "-n", min=0, max=100_000_000, help="Monte Carlo samples (0: skip)."),
]
SeedOption = Annotated[
    int, typer.Option("--seed", min=0, help="Random seed: same seed, same numbers.")
]
WeightsOption = Annotated[
    str, typer.Option("--weights", "-w", help="Weight set: 'tree' or a set's id.")
]
AggregateOption = Annotated[
    AggregateChoice,
    typer.Option("--aggregate", "-a", help="Which scores count (as in appraise score)."),
]


@app.command()
def export(
    folder: DirArgument = Path("."),
    output: OutputOption = Path("appraisal.xlsx"),
    table: Annotated[
        list[str] | None,
        typer.Option(
            "--table",
            "-t",
            help="Tables to include (repeat): ranking, matrix, weights, vfm, switching, "
            "scenarios, acceptability, spread, rationale. Default: every table that "
            "applies (CSV: ranking).",
        ),
    ] = None,
    chart: Annotated[
        list[str] | None,
        typer.Option(
            "--chart",
            "-c",
            help="Charts (repeat): contributions, oneway, tornado, acceptability, "
            "frontier. A .png or .svg file holds one (default contributions); .html, "
            ".docx and .md files can add charts to their tables.",
        ),
    ] = None,
    criterion: Annotated[
        str | None,
        typer.Option("--criterion", help="The criterion the oneway chart varies (its id)."),
    ] = None,
    aggregate: AggregateOption = AggregateChoice.moderated,
    weights: WeightsOption = "tree",
    include_failed: Annotated[
        bool, typer.Option("--include-failed", help="Rank options that fail a hurdle too.")
    ] = False,
    samples: SamplesOption = 20_000,
    seed: SeedOption = 1,
) -> None:
    """Write tables or charts for a board paper, the format taken from the file's suffix.

    Tables: .csv (one table) .md .html .xlsx .docx .json .tex; charts: .png .svg.
    Every file carries its provenance (tool version, input file hashes, settings, seed,
    time — SOURCE_DATE_EPOCH when set) and the ILLUSTRATIVE banner where it applies.

    Example:

        appraise export -o board/ranking.xlsx --table ranking --table vfm
    """
    from appraise.paper.export import CHART_FORMATS, TABLE_FORMATS, default_tables

    suffix = output.suffix.lower()
    if suffix not in TABLE_FORMATS + CHART_FORMATS:
        _fail(
            f"cannot tell the format of {output}",
            f"end the file name with one of {' '.join(TABLE_FORMATS + CHART_FORMATS)}",
        )
    from appraise.paper.charts import CHARTS
    from appraise.paper.legacy_tables import TABLES

    charts = list(chart or [])
    for key in charts:
        if key not in CHARTS:
            _fail(f"no chart {key!r}", f"choose from {', '.join(CHARTS)}")
    for key in table or []:
        if key not in TABLES:
            _fail(f"no table {key!r}", f"choose from {', '.join(TABLES)}")
    if suffix in CHART_FORMATS:
        if table:
            _fail(f"a {suffix} file holds a chart, not tables", "use --chart, or a table format")
        if len(charts) > 1:
            _fail(f"a {suffix} file holds one chart", "export each chart to its own file")
        charts = charts or ["contributions"]
    elif charts and suffix not in {".html", ".docx", ".md"}:
        _fail(f"a {suffix} file cannot hold charts", "use .png/.svg, or .html/.docx/.md")
    if suffix == ".csv" and table and len(table) > 1:
        _fail("a CSV file holds one table", "export each table to its own file, or use .xlsx")
    needs_mc = "acceptability" in (table or []) or "acceptability" in charts
    appraisal, analysis, provenance = _analysed(
        folder, aggregate, weights, include_failed, samples, seed, needs_mc or not table
    )
    from appraise.paper.export import figure, render_paper, write_output
    from appraise.paper.writers import Paper, TableBlock

    with _output_errors():
        if suffix in CHART_FORMATS:
            _write_chart(output, suffix, analysis, appraisal, charts[0], criterion)
            return
        blocks = _export_tables(table, default_tables(suffix), analysis, appraisal)
        figures = [figure(analysis, key, n, criterion) for n, key in enumerate(charts, 1)]
        paper = Paper(provenance.title, provenance, (*blocks, *figures))
        write_output(output, render_paper(paper, suffix), appraisal)
    done = ", ".join(b.table.key for b in blocks if isinstance(b, TableBlock))
    _stderr(
        f"appraise: wrote {output} ({done}{', ' if done and charts else ''}{', '.join(charts)})\n"
    )


def _export_tables(
    chosen: list[str] | None,
    default: tuple[str, ...],
    analysis: SensitivityResult,
    appraisal: Appraisal,
) -> list[TableBlock]:
    """Table blocks: those asked for (each must apply), or every default that applies."""
    from appraise.paper.legacy_tables import TableUnavailable, build_table
    from appraise.paper.writers import TableBlock

    blocks: list[TableBlock] = []
    for key in chosen or default:
        try:
            t = build_table(key, analysis, appraisal)
        except TableUnavailable as exc:
            if chosen:
                _fail(str(exc))
            continue
        blocks.append(TableBlock(t, len(blocks) + 1))
    return blocks


def _write_chart(
    output: Path,
    suffix: str,
    analysis: SensitivityResult,
    appraisal: Appraisal,
    key: str,
    criterion: str | None,
) -> None:
    from appraise.paper.charts import build_chart, render
    from appraise.paper.export import write_output

    chart = build_chart(analysis, key, criterion=criterion)
    write_output(output, render(chart, suffix[1:]), appraisal)
    _stderr(f"appraise: wrote {output} ({key} chart)\n")


@app.command()
def report(
    folder: DirArgument = Path("."),
    output: OutputOption = Path("report.html"),
    aggregate: AggregateOption = AggregateChoice.moderated,
    weights: WeightsOption = "tree",
    include_failed: Annotated[
        bool, typer.Option("--include-failed", help="Rank options that fail a hurdle too.")
    ] = False,
    samples: SamplesOption = 100_000,
    seed: SeedOption = 1,
    no_charts: Annotated[
        bool, typer.Option("--no-charts", help="Leave the charts out (no matplotlib needed).")
    ] = False,
) -> None:
    """Write the whole appraisal as one board-paper document: .html or .docx.

    Summary in plain English, decision context, options and the long-list filter,
    weights, ranking, value for money, sensitivity (switching values, scenarios, Monte
    Carlo) with charts, and appendices (method, scale, panel and dissent, assumptions,
    score rationale). The HTML is one self-contained file that prints to A4.

    Example:

        appraise report -o board/option-appraisal.docx --seed 7
    """
    from appraise.paper.export import REPORT_FORMATS

    suffix = output.suffix.lower()
    if suffix not in REPORT_FORMATS:
        _fail(
            f"a report is .html or .docx, not {output.name}",
            "name the file report.html or report.docx",
        )
    appraisal, analysis, provenance = _analysed(
        folder, aggregate, weights, include_failed, samples, seed, True
    )
    from appraise.paper.export import render_paper, write_output
    from appraise.paper.report import build_report

    with _output_errors():
        paper = build_report(analysis, appraisal, provenance, charts=not no_charts)
        write_output(output, render_paper(paper, suffix), appraisal)
    _stderr(f"appraise: wrote {output}\n")


@contextlib.contextmanager
def _output_errors() -> Iterator[None]:
    """A file that cannot be written, a chart that does not apply or a missing extra:
    one line on stderr and exit 1 (nothing half-written: outputs are atomic)."""
    from appraise.atomic import OutputError
    from appraise.paper.charts import ChartUnavailable
    from appraise.paper.writers import MissingExtra

    try:
        yield
    except (OutputError, ChartUnavailable, MissingExtra) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}")


def _load(folder: Path, weights: str | None) -> tuple[Appraisal, Problem]:
    """The appraisal, validated (errors and exit 1 when it is not), as arrays, with
    the weight set ``weights`` checked when one is given."""
    from appraise.analysis.problem import build_problem
    from appraise.files.diagnostics import format_text
    from appraise.files.validation import validate as run_validation

    result = run_validation(folder)
    if not result.valid or result.appraisal is None:
        _stderr(format_text([i for i in result.issues if i.severity.value == "error"]))
        _fail("the appraisal is not valid", f"run appraise validate {folder} and fix the errors")
    problem = build_problem(result.appraisal)
    if weights is not None and weights not in {ws.id for ws in problem.weight_sets}:
        known = ", ".join(ws.id for ws in problem.weight_sets)
        _fail(f"no weight set {weights!r} (known: {known})", "see the ids in criteria/")
    return result.appraisal, problem


def _analysed(
    folder: Path,
    aggregate: AggregateChoice,
    weights: str,
    include_failed: bool,
    samples: int,
    seed: int,
    monte_carlo: bool,
) -> tuple[Appraisal, SensitivityResult, Provenance]:
    """Validate, build and analyse (every section), with the provenance of the outputs."""
    from appraise.analysis.sensitivity import analyse
    from appraise.paper.provenance import build_provenance

    appraisal, problem = _load(folder, weights)
    runs = samples if monte_carlo else 0
    with _progress(runs) as advance:
        analysis = analyse(
            problem,
            aggregate=aggregate.value,
            weight_set=weights,
            include_failed=include_failed,
            samples=runs,
            seed=seed,
            progress=advance,
        )
    return appraisal, analysis, build_provenance(appraisal, analysis)


PROGRESS_FROM = 500_000
"""Monte Carlo runs of at least this many samples show a progress bar on stderr."""


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on stderr for long Monte Carlo runs (a terminal only)."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Monte Carlo", total=total)
        yield lambda done: bar.update(task, completed=done)


def _score_all(
    problem: Problem,
    method: str,
    aggregate: str,
    scorer: str | None,
    include_failed: bool,
    output_format: ScoreFormat,
) -> None:
    """``appraise score --weights all``: every weight set side by side."""
    from appraise.analysis.score import score_all_weight_sets
    from appraise.terminal import score as render

    try:
        results = score_all_weight_sets(
            problem,
            method=method,
            aggregate=aggregate,
            scorer=scorer,
            include_failed=include_failed,
        )
    except KeyError as exc:
        _fail(str(exc.args[0]), "see the panel ids in scores/")
    if output_format is ScoreFormat.json:
        import json

        payload = {"weight_sets": [r.as_dict() for r in results]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif output_format is ScoreFormat.csv:
        sys.stdout.write(render.weight_sets_csv(results))
    elif output_format is ScoreFormat.md:
        sys.stdout.write(render.weight_sets_markdown(results))
    else:
        console = _console()
        console.print(render.render_weight_sets(results, console.width))


def _facts(appraisal: object) -> dict[str, object]:
    from appraise.files.loading import Appraisal

    assert isinstance(appraisal, Appraisal)
    options = appraisal.options()
    return {
        "title": appraisal.settings.appraisal.title,
        "status": appraisal.status,
        "illustrative": appraisal.settings.appraisal.illustrative,
        "criteria": len(appraisal.leaves()),
        "options": sum(1 for o in options if not o.item.discounted),
        "discounted": sum(1 for o in options if o.item.discounted),
        "panel": len(appraisal.sheets),
        "moderated": bool(appraisal.moderations),
    }


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(help="The new appraisal folder (must not exist, or be empty).")
    ],
) -> None:
    """Create a new appraisal folder from a template that validates as it is.

    Example:

        appraise init my-appraisal && appraise validate my-appraisal
    """
    from importlib import resources

    from appraise.atomic import OutputError, write_tree_atomic
    from appraise.files.schema import KINDS, schema_text

    template = resources.files("appraise") / "templates" / "init"
    files: dict[str, str] = {}

    def collect(node: object, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):  # type: ignore[attr-defined]
            if child.is_dir():
                collect(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".yaml"):
                files[prefix + child.name] = child.read_text(encoding="utf-8")

    collect(template, "")
    for kind in KINDS:
        files[f"schema/{kind}.schema.json"] = schema_text(kind)
    try:
        write_tree_atomic(folder, files)
    except OutputError as exc:
        _fail(str(exc), "choose a new folder name")
    except OSError as exc:
        _fail(f"cannot create {folder}: {exc.strerror or exc}")
    _stderr(f"appraise: created {folder} ({len(files)} files); next: appraise validate {folder}\n")


@app.command()
def sheet(
    scorer_id: Annotated[str, typer.Option("--id", help="The new panel member's id, e.g. P6.")],
    name: Annotated[str, typer.Option(help="Their name or pseudonym.")],
    role: Annotated[str, typer.Option(help="Their role or constituency.")],
    folder: DirArgument = Path("."),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the sheet ('-' for standard output). "
            "Default: scores/<id>.yaml in the appraisal folder.",
        ),
    ] = None,
) -> None:
    """Write a blank score sheet for a new panel member.

    It lists every option and criterion, with definitions and scale descriptors as
    comments. It never overwrites an existing file.

    Example:

        appraise sheet --id P6 --name "P6" --role "GP, practice-based commissioning lead"
    """
    from appraise.atomic import OutputError, write_text_atomic
    from appraise.files.diagnostics import format_text
    from appraise.files.loading import load_appraisal
    from appraise.files.models import ID_PATTERN
    from appraise.files.sheet import blank_sheet

    if not ID_PATTERN.fullmatch(scorer_id):
        raise typer.BadParameter("use letters, digits, _ - . only", param_hint="--id")
    appraisal, issues = load_appraisal(folder)
    if appraisal is None or not appraisal.criteria_files or not appraisal.options_files:
        _stderr(format_text([i for i in issues if i.severity.value == "error"]))
        _fail(
            "the appraisal's files must read cleanly before a sheet can be made",
            "run appraise validate and fix the errors above",
        )
    taken = {s.scorer.id for _, s in appraisal.sheets}
    if scorer_id in taken:
        _fail(f"panel member {scorer_id} already has a score sheet", "choose another --id")
    text = blank_sheet(appraisal, scorer_id, name, role)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return
    target = output if output is not None else folder / "scores" / f"{scorer_id}.yaml"
    try:
        write_text_atomic(target, text)
    except OutputError as exc:
        _fail(str(exc), "choose another --output, or remove the file first")
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")
    _stderr(f"appraise: wrote {target}\n")


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which kind of file.")] = SchemaKind.scores,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Write every kind's schema as <kind>.schema.json into this folder.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a kind of file (generated from appraise's models).

    Point an editor at it with a first line such as
    '# yaml-language-server: $schema=../schema/scores.schema.json'.

    Example:

        appraise schema criteria > criteria.schema.json
    """
    from appraise.atomic import write_text_atomic
    from appraise.files.schema import KINDS, schema_text

    if write is None:
        sys.stdout.write(schema_text(kind.value))
        return
    if not write.is_dir():
        _fail(f"{write} is not a folder", "create it first")
    for each in KINDS:
        write_text_atomic(write / f"{each}.schema.json", schema_text(each), overwrite=True)
    _stderr(f"appraise: wrote {len(KINDS)} schemas to {write}\n")


def main() -> None:
    """Run the command line (the ``appraise`` console script)."""
    app()
