"""The panel's spreadsheets, from the appraisal's side: who is on the panel, what each
member has answered so far, and turning returned workbooks into score files.

:func:`plan_import` reads every returned file, builds the YAML each becomes, and checks
it the way ``appraise validate`` does, by validating a copy of the appraisal with the
new files in place; each issue in a new file is then reported at the workbook cell its
value came from. Nothing is written here: the plan is written all at once, or not at
all, by the caller.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from appraise.errors import AppraiseInputError, Issue, Severity
from appraise.files.loading import Appraisal, discover, issues_from_validation, load_appraisal
from appraise.files.models import ModerationFile, PanelFile, ScoreSheet
from appraise.files.sheet import Agreed, Answer, Member, moderation_text, sheet_text

__all__ = [
    "ImportPlan",
    "agreed_of",
    "answers_of",
    "files_on_disk",
    "load_for_sheets",
    "member_of",
    "panel_members",
    "plan_import",
]

PANEL_FILE = "panel.yaml"
"""The panel file's name in the appraisal folder."""

MODERATION_FILE = "moderated.yaml"
"""The moderation file's name when there is none yet."""


def load_for_sheets(root: Path, what: str) -> Appraisal:
    """The appraisal with its criteria and options read cleanly (score sheets may be
    blank, half filled in or absent).

    Raises:
        AppraiseInputError: the criteria or options (or appraisal.yaml) have errors.
    """
    appraisal, issues = load_appraisal(root, lenient=("scores",))
    if appraisal is None or not appraisal.criteria_files or not appraisal.options_files:
        scores = root / "scores"
        raise AppraiseInputError(
            [
                i
                for i in issues
                if i.severity is Severity.ERROR
                and not (i.path is not None and scores in (i.path, *i.path.parents))
            ],
            f"the appraisal's criteria and options must read cleanly before {what}",
            hint="run appraise validate and fix the errors above",
        )
    return appraisal


def member_of(sheet: ScoreSheet) -> Member:
    """The panel member a score sheet is by."""
    s = sheet.scorer
    return Member(s.id, s.name, s.role, s.interests)


def answers_of(sheet: ScoreSheet) -> dict[tuple[str, str], Answer]:
    """A score sheet's cells as answers."""
    return {
        (o, c): Answer(cell.score, cell.rationale, cell.low, cell.high, tuple(cell.evidence))
        for o, row in sheet.scores.items()
        for c, cell in row.items()
    }


def agreed_of(moderation: ModerationFile) -> dict[tuple[str, str], Agreed]:
    """A moderation file's cells."""
    return {
        (o, c): Agreed(
            cell.score, cell.note, tuple((d.scorer, d.score, d.reason) for d in cell.dissent)
        )
        for o, row in moderation.scores.items()
        for c, cell in row.items()
    }


def panel_members(appraisal: Appraisal, panel: Path | None) -> list[Member]:
    """Everyone to make a sheet for: the panel file's members (``panel.yaml`` in the
    appraisal folder unless ``panel`` names another), else the members with a sheet in
    scores/.

    Raises:
        AppraiseInputError: the panel file has errors, or there is no panel to list.
    """
    from appraise.files.yamlio import read_yaml

    path = panel if panel is not None else appraisal.root / PANEL_FILE
    if panel is None and not path.is_file():
        members = [member_of(s) for _, s in appraisal.sheets]
        if not members:
            raise AppraiseInputError(
                [],
                f"there is no {PANEL_FILE} and no sheet in scores/ to list the panel",
                hint=f"list the panel members in {path} (appraise schema panel shows the "
                "keys), or give --id, --name and --role for one member",
            )
        return members
    doc, issues = read_yaml(path, path)
    if doc is None:
        raise AppraiseInputError(issues, f"{path} cannot be read", hint="fix it and try again")
    try:
        model = PanelFile.model_validate(doc.data)
    except Exception as exc:
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        raise AppraiseInputError(
            issues_from_validation(doc, exc, PanelFile),
            f"{path} is not a valid panel file",
            hint="fix the errors above (appraise schema panel shows the keys)",
        ) from None
    seen: set[str] = set()
    problems = []
    for k, s in enumerate(model.panel):
        if s.id in seen:
            at = doc.locate(("panel", k, "id"))
            problems.append(
                Issue(
                    Severity.ERROR,
                    "duplicate-id",
                    f"panel member `{s.id}` is listed twice",
                    "give each member their own id",
                    doc.path,
                    at.line,
                    at.column,
                )
            )
        seen.add(s.id)
    if problems:
        raise AppraiseInputError(problems, f"{path} lists a member twice", hint="fix it")
    if not model.panel:
        raise AppraiseInputError([], f"{path} lists no panel member", hint="add the members")
    return [Member(s.id, s.name, s.role, s.interests) for s in model.panel]


def files_on_disk(root: Path, appraisal: Appraisal) -> tuple[dict[str, Path], Path | None]:
    """Where each panel member's sheet is (by their id) and the moderation file, as the
    files in scores/ say, whether or not they are complete or valid yet (the files that
    did not load are read again to see whose they are)."""
    from appraise.files.yamlio import read_yaml

    sheets = {s.scorer.id: doc.path for doc, s in appraisal.sheets}
    moderation = appraisal.moderations[0][0].path if appraisal.moderations else None
    loaded = set(sheets.values()) | {doc.path for doc, _ in appraisal.moderations}
    found, _ = discover(root)
    for kind, real, shown in found:
        if kind != "scores" or shown in loaded:
            continue
        doc, _issues = read_yaml(real, shown)
        data = doc.data if doc is not None else None
        if not isinstance(data, dict):
            continue
        if "moderation" in data:
            moderation = moderation or shown
        elif isinstance(data.get("scorer"), dict) and isinstance(data["scorer"].get("id"), str):
            sheets.setdefault(data["scorer"]["id"], shown)
    return sheets, moderation


@dataclass
class ImportPlan:
    """What ``appraise import`` will write.

    Attributes:
        writes: the new files' bytes, by path.
        said: a line for each imported file (and the changes, when one is replaced).
        warnings: warnings in the new files, at their workbook cells.
    """

    writes: dict[Path, bytes] = field(default_factory=dict)
    said: list[str] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def plan_import(root: Path, files: list[Path], *, force: bool = False) -> ImportPlan:
    """Turn returned workbooks and CSVs into the score files they stand for.

    Args:
        root: the appraisal folder.
        files: the returned files.
        force: replace score files that exist (the changes are listed).

    Raises:
        AppraiseInputError: any problem in any file (all of them, each at its cell);
            then nothing is to be written.
    """
    from appraise.files.workbook import read_returned

    appraisal = load_for_sheets(root, "sheets are imported")
    on_disk, moderation_at = files_on_disk(root, appraisal)
    problems: list[Issue] = []
    texts: dict[Path, tuple[str, Any]] = {}  # target -> (text, what was read)
    sources: dict[Path, Path] = {}
    to_check: dict[Path, str] = {}  # what validate checks: unreadable cells stood in for
    owners = {where: who for who, where in on_disk.items()}
    if moderation_at is not None:
        owners[moderation_at] = "the moderation"
    plan = ImportPlan()
    for path in files:
        got = read_returned(path, path, appraisal)
        for issue in got.issues:
            if issue.code == "workbook-stale" and got.member and got.member.id not in on_disk:
                m = got.member
                issue = replace(
                    issue,
                    hint=f'make a new sheet (appraise sheet --id {m.id} --name "{m.name}" '
                    f'--role "{m.role}" --format xlsx) and copy the answers across',
                )
            (plan.warnings if issue.severity is Severity.WARNING else problems).append(issue)
        if not got.ok or got.kind is None:
            continue
        if got.kind == "moderation":
            target = moderation_at or root / "scores" / MODERATION_FILE
            text = moderation_text(appraisal, got.meeting, got.agreed)
            checked_text = moderation_text(appraisal, got.meeting, {**got.agreed, **got.stand_in})
        else:
            assert got.member is not None
            target = on_disk.get(got.member.id) or root / "scores" / f"{got.member.id}.yaml"
            text = sheet_text(appraisal, got.member, got.answers)
            checked_text = sheet_text(appraisal, got.member, {**got.answers, **got.stand_in})
        if target in sources:
            twice = sources[target] == path
            problems.append(
                Issue(
                    Severity.ERROR,
                    "import-twice",
                    "is given twice"
                    if twice
                    else f"is a second file for {target} (the first is {sources[target]})",
                    "give each file once" if twice else "import one file for each panel member",
                    path,
                )
            )
            continue
        owner = owners.get(target)
        mine = "the moderation" if got.kind == "moderation" else got.member.id  # type: ignore[union-attr]
        if target.exists() or target.is_symlink():
            if not target.is_file():
                problems.append(
                    Issue(
                        Severity.ERROR,
                        "import-exists",
                        f"would be written to {target}, which is not a file",
                        "move it out of scores/",
                        path,
                    )
                )
                continue
            if owner != mine:
                whose = (
                    f"{owner}'s sheet"
                    if owner and owner != "the moderation"
                    else ("the moderation file" if owner else "a file that is not a score sheet")
                )
                problems.append(
                    Issue(
                        Severity.ERROR,
                        "import-exists",
                        f"would replace {target}, which is {whose}, not "
                        + ("the moderation file" if mine == "the moderation" else f"{mine}'s"),
                        "no --force replaces another's file: give the new member another id "
                        "(appraise sheet --id), or move the file away",
                        path,
                    )
                )
                continue
        sources[target] = path
        texts[target] = (text, got)
        to_check[target] = checked_text
    for target, (text, got) in texts.items():
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if old is not None and old != text and not force:
            problems.append(
                Issue(
                    Severity.ERROR,
                    "import-exists",
                    f"would replace {target}, which exists",
                    "give --force to replace it (the changes are listed)",
                    got.path,
                )
            )
    checked = _validate_with(root, to_check) if to_check else {}
    for target, (_, got) in texts.items():
        for issue in checked.get(target, []):
            placed = _placed(issue, got)
            if (placed.cell, placed.line, placed.column) in got.bad_cells:
                continue  # already reported as what the cell holds
            (problems if placed.severity is Severity.ERROR else plan.warnings).append(placed)
    if any(i.severity is Severity.ERROR for i in problems):
        order = {path: k for k, path in enumerate(files)}
        problems.sort(
            key=lambda i: (order.get(i.path, len(order)) if i.path else -1, *_cell_order(i))
        )
        raise AppraiseInputError(problems, "nothing was imported", hint="fix the files above")
    import yaml

    for target, (text, got) in texts.items():
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if old == text:
            plan.said.append(f"{got.path}: {target} is up to date")
            continue
        plan.writes[target] = text.encode("utf-8")
        count = len(got.answers) if got.kind == "scores" else len(got.agreed)
        scored = (
            sum(1 for a in got.answers.values() if a.score is not None)
            if got.kind == "scores"
            else count
        )
        what = (
            f"{scored} of {count} cells scored"
            if got.kind == "scores"
            else f"{count} agreed score{'s' * (count != 1)}"
        )
        plan.said.append(f"{got.path} → {target} ({what})")
        if old is not None:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            before = yaml.load(old, Loader=loader)
            after = yaml.load(text, Loader=loader)
            plan.said += [f"  {line}" for line in _changes(before, after)]
    return plan


def _validate_with(root: Path, texts: Mapping[Path, str]) -> dict[Path, list[Issue]]:
    """Validate a copy of the appraisal with ``texts`` in place; the issues in each of
    those files, by its path in the real folder."""
    from appraise.files.validation import validate

    with tempfile.TemporaryDirectory(prefix="appraise-import-") as tmp:
        copy = Path(tmp) / "appraisal"
        copy.mkdir()
        listed, _ = discover(root)  # regular files only: what validate would read
        for _kind, real, shown in listed:
            place = copy / shown.relative_to(root)
            place.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(real, place)
        for folder in ("criteria", "options", "scores"):
            (copy / folder).mkdir(exist_ok=True)
        back: dict[Path, Path] = {}
        for target, text in texts.items():
            place = copy / target.relative_to(root)
            place.parent.mkdir(parents=True, exist_ok=True)
            place.write_text(text, encoding="utf-8")
            back[place] = target
        result = validate(copy)
        found: dict[Path, list[Issue]] = {}
        for issue in result.issues:
            if issue.path is not None and issue.path in back:
                found.setdefault(back[issue.path], []).append(issue)
        return found


def _placed(issue: Issue, got: Any) -> Issue:
    """An issue found in the YAML an import would write, at the workbook cell (or CSV
    line and field) its value came from."""
    where = issue.where
    cell = ""
    while where:
        cell = got.cells.get(where, "")
        if cell:
            break
        where = where.rsplit(".", 1)[0] if "." in where else ""
        where = where.split("[", 1)[0] if where.endswith("]") else where
    if cell and ":" in cell and "!" not in cell:  # a CSV: line and field
        line, column = (int(x) for x in cell.split(":"))
        return replace(issue, path=got.path, line=line, column=column, cell="")
    return replace(issue, path=got.path, line=0, column=0, cell=cell)


def _cell_order(issue: Issue) -> tuple[int, int]:
    """An issue's place in its file: row, then column (of a cell or a CSV field)."""
    import re

    found = re.match(r"[^!]*!([A-Z]+)(\d+)", issue.cell)
    if found is None:
        return issue.line, issue.column
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(found.group(2)), column


def _flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, data


def _changes(before: Any, after: Any) -> list[str]:
    """What changed between two score files, a line per value (long texts: "changed")."""
    old, new = dict(_flatten(before)), dict(_flatten(after))
    lines = []
    for key in [*new, *(k for k in old if k not in new)]:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, str | list) or isinstance(b, str | list):
            what = (
                "added" if a in (None, "", []) else "removed" if b in (None, "", []) else "changed"
            )
            lines.append(f"{key}: {what}")
        else:
            lines.append(f"{key}: {_shown(a)} → {_shown(b)}")
    if len(lines) > 40:
        lines = [*lines[:40], f"… and {len(lines) - 40} more changes"]
    return lines or ["(only comments and layout changed)"]


def _shown(value: Any) -> str:
    from appraise.files.sheet import number

    if value is None:
        return "blank"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return str(value)
