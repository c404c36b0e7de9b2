"""``appraise init``, ``appraise sheet`` and ``appraise schema``: the appraisal's files."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, stderr, stdout
from appraise.cli.options import DirArgument
from appraise.errors import AppraiseInputError, Issue, OutputError, Severity


class SchemaKind(enum.StrEnum):
    """Kinds of file ``appraise schema`` describes."""

    appraisal = "appraisal"
    criteria = "criteria"
    options = "options"
    scores = "scores"
    moderation = "moderation"


@command()
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

    from appraise.atomic import write_tree_atomic
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
        raise OutputError(exc.message, hint=exc.hint or "choose a new folder name") from None
    stderr(f"appraise: created {folder} ({len(files)} files); next: appraise validate {folder}\n")


@command()
def sheet(
    scorer_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="The new panel member's id, e.g. P6 (with --update: only theirs)."
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Their name or pseudonym.")] = None,
    role: Annotated[str | None, typer.Option(help="Their role or constituency.")] = None,
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
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Add a blank block to each panel member's sheet in scores/ (or --id's) for "
            "every option and criterion added since it was made; what is there is kept.",
        ),
    ] = False,
) -> None:
    """Write a blank score sheet for a new panel member.

    It lists every option and criterion, with definitions and scale descriptors as
    comments. It never overwrites an existing file.

    With --update, the sheets already in scores/ get the blank cells of the
    options and criteria added since.

    Example:

        appraise sheet --id P6 --name "P6" --role "GP, practice-based commissioning lead"
    """
    if update:
        if name is not None or role is not None or output is not None:
            raise typer.BadParameter(
                "--update changes the sheets in scores/: leave out --name, --role and -o"
            )
        _update_sheets(folder, scorer_id)
        return
    for flag, given in (("--id", scorer_id), ("--name", name), ("--role", role)):
        if given is None:
            raise typer.BadParameter("needed for a new sheet (or use --update)", param_hint=flag)
    assert scorer_id is not None
    assert name is not None
    assert role is not None
    from appraise.atomic import write_text_atomic
    from appraise.files.loading import SUFFIXES, load_appraisal
    from appraise.files.models import ID_PATTERN
    from appraise.files.sheet import blank_sheet
    from appraise.text import describe_char, shown, unsafe_chars

    if not ID_PATTERN.fullmatch(scorer_id):
        raise typer.BadParameter("use letters, digits, _ - . only", param_hint="--id")
    for flag, value in (("--name", name), ("--role", role)):
        bad = unsafe_chars(value)
        if bad:
            raise typer.BadParameter(
                f"holds {describe_char(bad[0])}; write it without control or invisible characters",
                param_hint=flag,
            )
    # the sheet needs the criteria and options; the panel's own sheets, blank or half
    # filled in (or none yet), never stop the next one being made
    appraisal, issues = load_appraisal(folder, lenient=("scores",))
    if appraisal is None or not appraisal.criteria_files or not appraisal.options_files:
        scores = folder / "scores"
        raise AppraiseInputError(
            [
                i
                for i in issues
                if i.severity is Severity.ERROR
                and not (i.path is not None and scores in (i.path, *i.path.parents))
            ],
            "the appraisal's criteria and options must read cleanly before a sheet can be made",
            hint="run appraise validate and fix the errors above",
        )
    taken = {s.scorer.id for _, s in appraisal.sheets}
    taken |= {p.stem for p in (folder / "scores").glob("*") if p.suffix.lower() in SUFFIXES}
    if scorer_id in taken:
        raise OutputError(
            f"panel member {scorer_id} already has a score sheet", hint="choose another --id"
        )
    # names from the files may hold control characters: as YAML escapes inside quotes
    # (the same text) and as visible escapes in comments, so the sheet validates
    text = shown(blank_sheet(appraisal, scorer_id, name, role), multiline=True)
    if output is not None and str(output) == "-":
        stdout(text)
        return
    default = folder / "scores" / f"{scorer_id}.yaml"
    target = output if output is not None else default
    inside = target.resolve().is_relative_to(folder.resolve())
    if output is not None and inside and target.resolve() != default.resolve():
        raise OutputError(
            f"{target} is inside the appraisal folder, where the next run would read it",
            hint=f"leave out -o to write {default}, or write the sheet outside the folder "
            "and move it into scores/ once it is filled in",
        )
    try:
        write_text_atomic(target, text)
    except OutputError as exc:
        raise OutputError(
            exc.message, hint=exc.hint or "choose another --output, or remove the file first"
        ) from None
    stderr(f"appraise: wrote {target}\n")


@command()
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
        stdout(schema_text(kind.value))
        return
    if not write.is_dir():
        raise OutputError(f"{write} is not a folder", hint="create it first")
    for each in KINDS:
        write_text_atomic(write / f"{each}.schema.json", schema_text(each), overwrite=True)
    stderr(f"appraise: wrote {len(KINDS)} schemas to {write}\n")


def _update_sheets(folder: Path, only: str | None) -> None:
    """``appraise sheet --update``: the blank cells each sheet lacks, added in place."""
    from appraise.atomic import write_files_atomic
    from appraise.files.loading import discover, load_appraisal
    from appraise.files.sheet import SheetShapeError, updated_sheet
    from appraise.files.yamlio import read_yaml

    appraisal, issues = load_appraisal(folder, lenient=("scores",))
    if appraisal is None or not appraisal.criteria_files or not appraisal.options_files:
        raise AppraiseInputError(
            [i for i in issues if i.severity is Severity.ERROR],
            "the appraisal's criteria and options must read cleanly before sheets are updated",
            hint="run appraise validate and fix the errors above",
        )
    found, _ = discover(folder)
    changed: dict[Path, bytes] = {}
    said: list[str] = []
    problems: list[Issue] = []
    matched = False
    for kind, real, shown in found:
        if kind != "scores":
            continue
        doc, read_issues = read_yaml(real, shown)
        if doc is None:
            problems.extend(read_issues)
            continue
        data = doc.data
        if not isinstance(data, dict) or "scorer" not in data:
            continue  # the moderation file, or not a sheet at all
        who = data["scorer"].get("id") if isinstance(data["scorer"], dict) else None
        if only is not None and who != only:
            continue
        matched = True
        try:
            text, added = updated_sheet(appraisal, doc.text)
        except SheetShapeError as exc:
            problems.append(
                Issue(
                    Severity.ERROR,
                    "sheet-layout",
                    f"cannot add blank cells: {exc}",
                    "write the option's cells one per line, as appraise sheet does",
                    shown,
                )
            )
            continue
        if not added:
            said.append(f"{shown}: up to date")
            continue
        changed[real] = text.encode("utf-8")
        options = sorted({o for o, _ in added})
        said.append(
            f"{shown}: added {len(added)} blank cell{'s' * (len(added) != 1)} "
            f"({', '.join(options)})"
        )
    if problems:
        raise AppraiseInputError(problems, "no sheet was changed", hint="fix the sheets above")
    if only is not None and not matched:
        raise OutputError(f"no score sheet for panel member {only} in scores/", hint="check --id")
    write_files_atomic(changed)
    for line in said:
        stderr(f"appraise: {line}\n")
