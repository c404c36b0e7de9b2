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
    panel = "panel"


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


class SheetFormat(enum.StrEnum):
    """What ``appraise sheet`` writes."""

    yaml = "yaml"
    xlsx = "xlsx"
    csv = "csv"


@command()
def sheet(
    scorer_id: Annotated[
        str | None,
        typer.Option("--id", help="The panel member's id, e.g. P6 (with --update: only theirs)."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Their name or pseudonym.")] = None,
    role: Annotated[str | None, typer.Option(help="Their role or constituency.")] = None,
    folder: DirArgument = Path("."),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write ('-': standard output). Default: scores/<id>.yaml; a "
            "workbook: <id>.xlsx here; with --all: a folder, default here.",
        ),
    ] = None,
    format_: Annotated[
        SheetFormat,
        typer.Option("--format", "-f", help="yaml (the score file), xlsx (a workbook) or csv."),
    ] = SheetFormat.yaml,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="A sheet for every panel member in panel.yaml (or --panel), else for "
            "every member with a sheet in scores/.",
        ),
    ] = False,
    panel: Annotated[
        Path | None,
        typer.Option(help="The panel file for --all. Default: panel.yaml in the folder."),
    ] = None,
    moderation: Annotated[
        bool,
        typer.Option(
            "--moderation",
            help="The moderation meeting's workbook (an xlsx): every cell with each "
            "member's score, for the agreed scores.",
        ),
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Add a blank block to each panel member's sheet in scores/ (or --id's) for "
            "every option and criterion added since it was made; what is there is kept.",
        ),
    ] = False,
) -> None:
    """Write a score sheet for a panel member: YAML, or a workbook or CSV.

    It lists every option and criterion, with definitions and descriptors.
    A member with a sheet in scores/ gets their answers filled in. It never
    overwrites a file. Returned workbooks go back with appraise import.

    With --update, the sheets already in scores/ get the blank cells of the
    options and criteria added since.

    Examples:

        appraise sheet --id P6 --name "P6" --role "GP, PBC lead"

        appraise sheet --all --format xlsx -o out/

        appraise sheet --moderation --format xlsx
    """
    if update:
        if name is not None or role is not None or output is not None or every or moderation:
            raise typer.BadParameter(
                "--update changes the sheets in scores/: leave out --name, --role, -o, "
                "--all and --moderation"
            )
        _update_sheets(folder, scorer_id)
        return
    if moderation:
        if format_ is SheetFormat.csv:
            raise typer.BadParameter("the moderation sheet is a workbook: use --format xlsx")
        if scorer_id or name or role or every:
            raise typer.BadParameter("--moderation is for the whole panel: leave out --id, --all")
        _moderation_sheet(folder, output)
        return
    if every:
        if scorer_id or name or role:
            raise typer.BadParameter("--all makes every member's sheet: leave out --id")
        _every_sheet(folder, output, format_, panel)
        return
    if scorer_id is None:
        raise typer.BadParameter("needed (or use --all or --update)", param_hint="--id")
    from appraise.files.models import ID_PATTERN
    from appraise.text import describe_char, unsafe_chars

    if not ID_PATTERN.fullmatch(scorer_id):
        raise typer.BadParameter("use letters, digits, _ - . only", param_hint="--id")
    for flag, value in (("--name", name), ("--role", role)):
        bad = unsafe_chars(value or "")
        if bad:
            raise typer.BadParameter(
                f"holds {describe_char(bad[0])}; write it without control or invisible characters",
                param_hint=flag,
            )
    if format_ is not SheetFormat.yaml:
        _form_sheet(folder, output, format_, scorer_id, name, role)
        return
    for flag, given in (("--name", name), ("--role", role)):
        if given is None:
            raise typer.BadParameter("needed for a new sheet (or use --update)", param_hint=flag)
    assert name is not None
    assert role is not None
    from appraise.atomic import write_text_atomic
    from appraise.files.loading import SUFFIXES
    from appraise.files.returns import load_for_sheets
    from appraise.files.sheet import blank_sheet
    from appraise.text import shown

    # the sheet needs the criteria and options; the panel's own sheets, blank or half
    # filled in (or none yet), never stop the next one being made
    appraisal = load_for_sheets(folder, "a sheet can be made")
    taken = {s.scorer.id for _, s in appraisal.sheets}
    taken |= {p.stem for p in (folder / "scores").glob("*") if p.suffix.lower() in SUFFIXES}
    if scorer_id in taken:
        raise OutputError(
            f"panel member {scorer_id} already has a score sheet",
            hint="choose another --id (or --format xlsx for a workbook of their answers)",
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


@command(name="import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Returned workbooks (.xlsx) or CSVs made by appraise sheet.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    folder: Annotated[
        Path,
        typer.Option("--dir", "-C", help="The appraisal folder.", show_default="."),
    ] = Path("."),
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace score files that exist, listing the changes."),
    ] = False,
) -> None:
    """Read returned score sheets into scores/.

    A member's workbook or CSV becomes their scores/<id>.yaml, and the
    moderation workbook scores/moderated.yaml. Every cell is checked as
    validate checks it, and every problem is reported at its sheet and cell.
    If anything is wrong, nothing is written.

    Example:

        appraise import returned/*.xlsx -C my-appraisal
    """
    from appraise.atomic import write_files_atomic
    from appraise.files.diagnostics import format_text
    from appraise.files.returns import plan_import

    plan = plan_import(folder, files, force=force)
    write_files_atomic(plan.writes)
    if plan.warnings:
        stderr(format_text(plan.warnings))
    for line in plan.said:
        stderr(f"appraise: {line}\n" if not line.startswith("  ") else f"{line}\n")
    if plan.writes:
        stderr(f"appraise: next: appraise validate {folder}\n")


def _form_target(folder: Path, output: Path | None, name: str) -> Path:
    """Where a workbook or CSV goes: ``output`` (a file, or a folder to put ``name``
    in), else ``name`` here; never into criteria/, options/ or scores/."""
    target = output if output is not None else Path(name)
    if output is not None and output.is_dir():
        target = output / name
    elif target.suffix.lower() != Path(name).suffix:
        raise OutputError(
            f"{target} does not end in {Path(name).suffix}",
            hint=f"name it {target.with_suffix(Path(name).suffix).name}: appraise import "
            "reads a file by its ending",
        )
    where = target.resolve().parent
    for part in ("criteria", "options", "scores"):
        inside = (folder / part).resolve()
        if where == inside or inside in where.parents:
            raise OutputError(
                f"{target} is inside {part}/, where appraise reads only YAML files",
                hint="write workbooks outside the appraisal's folders (-o)",
            )
    return target


def _form_bytes(appraisal: object, member: object, answers: object, format_: SheetFormat) -> bytes:
    from appraise.paper import forms

    if format_ is SheetFormat.xlsx:
        from appraise.paper.formats.office import need

        need("openpyxl", "office", "a workbook")
        return forms.score_workbook(appraisal, member, answers)  # type: ignore[arg-type]
    text = forms.score_csv(appraisal, member, answers)  # type: ignore[arg-type]
    return b"\xef\xbb\xbf" + text.encode("utf-8")  # the mark Excel needs to read UTF-8


def _form_sheet(
    folder: Path,
    output: Path | None,
    format_: SheetFormat,
    scorer_id: str,
    name: str | None,
    role: str | None,
) -> None:
    """``appraise sheet --id ID --format xlsx|csv``: one member's workbook or CSV."""
    from appraise.atomic import write_bytes_atomic
    from appraise.files.returns import answers_of, load_for_sheets, member_of, panel_members
    from appraise.files.sheet import Member

    appraisal = load_for_sheets(folder, "a sheet can be made")
    have = {s.scorer.id: s for _, s in appraisal.sheets}
    if scorer_id in have:
        if name is not None or role is not None:
            raise typer.BadParameter(
                f"{scorer_id} has a sheet in scores/, which names them: leave out --name and --role"
            )
        member, answers = member_of(have[scorer_id]), answers_of(have[scorer_id])
    else:
        listed = {}
        if (folder / "panel.yaml").is_file():
            listed = {m.id: m for m in panel_members(appraisal, None)}
        if scorer_id in listed and name is None and role is None:
            member = listed[scorer_id]
        elif name is None or role is None:
            raise typer.BadParameter(
                "needed for a member with no sheet in scores/ and not in panel.yaml",
                param_hint="--name" if name is None else "--role",
            )
        else:
            member = Member(scorer_id, name, role)
        answers = {}
    data = _form_bytes(appraisal, member, answers, format_)
    if output is not None and str(output) == "-":
        if format_ is SheetFormat.xlsx:
            raise OutputError("a workbook cannot go to standard output", hint="give -o FILE")
        stdout(data.decode("utf-8-sig"))
        return
    target = _form_target(folder, output, f"{scorer_id}.{format_.value}")
    write_bytes_atomic(target, data)
    stderr(f"appraise: wrote {target}\n")


def _every_sheet(
    folder: Path, output: Path | None, format_: SheetFormat, panel: Path | None
) -> None:
    """``appraise sheet --all``: a sheet for every panel member, all written or none."""
    from appraise.atomic import write_files_atomic
    from appraise.files.loading import SUFFIXES
    from appraise.files.returns import answers_of, load_for_sheets, panel_members
    from appraise.files.sheet import blank_sheet
    from appraise.text import shown

    appraisal = load_for_sheets(folder, "sheets can be made")
    members = panel_members(appraisal, panel)
    have = {s.scorer.id: s for _, s in appraisal.sheets}
    files: dict[Path, bytes] = {}
    if format_ is SheetFormat.yaml:
        if output is not None:
            raise typer.BadParameter("YAML sheets go in scores/: leave out -o")
        taken = set(have) | {
            p.stem for p in (folder / "scores").glob("*") if p.suffix.lower() in SUFFIXES
        }
        for m in members:
            if m.id not in taken:
                text = blank_sheet(appraisal, m.id, m.name, m.role)
                files[folder / "scores" / f"{m.id}.yaml"] = shown(text, multiline=True).encode()
        if not files:
            stderr("appraise: every panel member has a sheet in scores/\n")
            return
    else:
        if output is not None and output.exists() and not output.is_dir():
            raise OutputError(f"{output} is not a folder", hint="with --all, -o names a folder")
        base = output if output is not None else Path(".")
        if not base.is_dir():
            raise OutputError(f"{base} is not a folder", hint="create it first")
        for m in members:
            answers = answers_of(have[m.id]) if m.id in have else {}
            files[_form_target(folder, base, f"{m.id}.{format_.value}")] = _form_bytes(
                appraisal, m, answers, format_
            )
    for target in files:
        if target.exists():
            raise OutputError(f"{target} exists", hint="move it away first; nothing was written")
    write_files_atomic(files)
    for target in files:
        stderr(f"appraise: wrote {target}\n")


def _moderation_sheet(folder: Path, output: Path | None) -> None:
    """``appraise sheet --moderation --format xlsx``: the moderation meeting's workbook."""
    from appraise.atomic import write_bytes_atomic
    from appraise.files.returns import agreed_of, answers_of, load_for_sheets, member_of
    from appraise.paper.formats.office import need
    from appraise.paper.forms import moderation_workbook

    need("openpyxl", "office", "a workbook")
    appraisal = load_for_sheets(folder, "the moderation sheet can be made")
    if not appraisal.sheets:
        raise OutputError(
            "there is no panel member's score sheet to moderate",
            hint="import the panel's sheets first (appraise import)",
        )
    members = [(member_of(s), answers_of(s)) for _, s in appraisal.sheets]
    if appraisal.moderations:
        m = appraisal.moderations[0][1]
        meeting = (m.moderation.chair, m.moderation.date, m.moderation.note)
        agreed = agreed_of(m)
    else:
        chair = appraisal.settings.appraisal.chair or ""
        meeting, agreed = (chair, None, None), {}
    data = moderation_workbook(appraisal, members, meeting, agreed)
    if output is not None and str(output) == "-":
        raise OutputError("a workbook cannot go to standard output", hint="give -o FILE")
    target = _form_target(folder, output, "moderation.xlsx")
    write_bytes_atomic(target, data)
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
    from appraise.files.loading import discover
    from appraise.files.returns import load_for_sheets
    from appraise.files.sheet import SheetShapeError, updated_sheet
    from appraise.files.yamlio import read_yaml

    appraisal = load_for_sheets(folder, "sheets are updated")
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
