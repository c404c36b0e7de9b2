"""Find an appraisal's files, read them, and validate each against its model.

An appraisal is a folder::

    appraisal.yaml        the appraisal itself (optional: defaults apply without it)
    criteria/*.yaml       value tree, hurdles, weight sets      (CriteriaFile)
    options/*.yaml        options                               (OptionsFile)
    scores/*.yaml         one file per panel member             (ScoreSheet)
                          and the moderated scores              (ModerationFile)

Discovery rules: files ending ``.yaml`` or ``.yml`` (any case), in the three folders and
their sub-folders, in name order; names starting with ``.`` are skipped; a symbolic link
is followed only if it stays inside the appraisal folder, and no file or folder is read
twice (so link cycles end). Any other file in the three folders is a ``file-not-read``
warning naming it.

Every problem becomes an :class:`~appraise.errors.Issue` at file:line:column; loading
never stops at the first problem.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from appraise.errors import Issue, Severity
from appraise.files.models import (
    AppraisalFile,
    AppraisalInfo,
    CriteriaFile,
    Criterion,
    ModerationFile,
    Option,
    OptionsFile,
    Scale,
    ScoreSheet,
)
from appraise.files.yamlio import DEFAULT_LIMITS, Document, Limits, Yaml11Text, read_yaml

__all__ = [
    "FOLDERS",
    "SUFFIXES",
    "Appraisal",
    "Located",
    "Node",
    "discover",
    "load_appraisal",
]

FOLDERS = ("criteria", "options", "scores")
SUFFIXES = (".yaml", ".yml")
APPRAISAL_FILES = ("appraisal.yaml", "appraisal.yml")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """An object from a file, with where it stands (for issues about it).

    Attributes:
        item: the object.
        doc: the file it came from.
        where: its path inside the file's data.
    """

    item: T
    doc: Document
    where: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Node:
    """A node of the value tree with its place in the tree.

    Attributes:
        criterion: the node.
        parent: the parent's id, or ``None`` at the top level.
        depth: 1 for top-level nodes.
        doc: the file it came from.
        where: its path inside the file's data.
    """

    criterion: Criterion
    parent: str | None
    depth: int
    doc: Document
    where: tuple[Any, ...]

    @property
    def is_group(self) -> bool:
        """True for a group (a node with children)."""
        return self.criterion.criteria is not None


@dataclass
class Appraisal:
    """Every file of one appraisal, each validated against its model.

    Attributes:
        root: the appraisal folder as given.
        settings: the appraisal file (defaults when there is none).
        settings_doc: the appraisal file's document, if there is one.
        criteria_files: the criteria files.
        options_files: the options files.
        sheets: the panel members' score sheets.
        moderations: the moderation files (normally one).
        cache: what is worked out from the files once (the cost book), by name.
    """

    root: Path
    settings: AppraisalFile
    settings_doc: Document | None
    criteria_files: list[tuple[Document, CriteriaFile]] = field(default_factory=list)
    options_files: list[tuple[Document, OptionsFile]] = field(default_factory=list)
    sheets: list[tuple[Document, ScoreSheet]] = field(default_factory=list)
    moderations: list[tuple[Document, ModerationFile]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def status(self) -> str:
        """The appraisal's status."""
        return self.settings.appraisal.status

    def documents(self) -> list[Document]:
        """Every file the appraisal was read from: the appraisal file, then criteria,
        options, score sheets and moderation files, each in the order read."""
        docs = [self.settings_doc] if self.settings_doc is not None else []
        for group in (self.criteria_files, self.options_files, self.sheets, self.moderations):
            docs += [doc for doc, _ in group]
        return docs

    def nodes(self) -> Iterator[Node]:
        """Every node of the value tree, depth first, in file order."""
        for doc, file in self.criteria_files:
            stack: list[tuple[Criterion, str | None, int, tuple[Any, ...]]] = []
            for i, top in reversed(list(enumerate(file.criteria))):
                stack.append((top, None, 1, ("criteria", i)))
            while stack:
                criterion, parent, depth, where = stack.pop()
                yield Node(criterion, parent, depth, doc, where)
                for i, child in reversed(list(enumerate(criterion.criteria or []))):
                    stack.append((child, criterion.id, depth + 1, (*where, "criteria", i)))

    def leaves(self) -> list[Node]:
        """The scored criteria (nodes without children), in tree order."""
        return [n for n in self.nodes() if not n.is_group]

    def options(self) -> list[Located[Option]]:
        """Every option, discounted ones included, in file order."""
        return [
            Located(option, doc, ("options", i))
            for doc, file in self.options_files
            for i, option in enumerate(file.options)
        ]

    def scale_for(self, criterion: Criterion) -> Scale:
        """The scale a criterion is scored on (its own overrides applied)."""
        base = self.settings.scale
        override = criterion.scale
        if override is None:
            return base
        values = base.model_dump()
        values.update(override.model_dump(exclude_none=True))
        return Scale.model_construct(**values)


def load_appraisal(
    root: Path, limits: Limits = DEFAULT_LIMITS, *, lenient: tuple[str, ...] = ()
) -> tuple[Appraisal | None, list[Issue]]:
    """Read and validate every file of the appraisal in ``root``.

    Args:
        root: the appraisal folder.
        limits: size, depth and alias bounds for each file.
        lenient: folders (``scores``) whose problems do not stop the appraisal loading:
            their files that read cleanly are attached, the rest left out (``appraise
            sheet`` needs the criteria and options, not every panel member's sheet).

    Returns:
        The appraisal (``None`` if any file failed) and every issue found in the files.
        Checks across files are :func:`appraise.files.checks.check_appraisal`'s job.
    """
    found, issues = discover(root)
    appraisal = Appraisal(root=root, settings=_default_settings(root), settings_doc=None)
    spared = [root / folder for folder in lenient]

    def counts(issue: Issue) -> bool:  # an error that stops the appraisal loading
        if issue.severity is not Severity.ERROR:
            return False  # a warning still loads
        where = issue.path
        return where is None or not any(where == s or s in where.parents for s in spared)

    failed = any(counts(i) for i in issues)
    for kind, path, shown in found:
        doc, file_issues = read_yaml(path, shown, limits)
        if doc is None:
            issues.extend(file_issues)
            failed = failed or kind not in lenient
            continue
        model_cls = _model_for(kind, doc.data)
        if not isinstance(doc.data, dict):
            issues.append(_not_a_mapping(doc, kind))
            failed = failed or kind not in lenient
            continue
        try:
            model = model_cls.model_validate(doc.data)
        except ValidationError as exc:
            issues.extend(issues_from_validation(doc, exc, model_cls))
            failed = failed or kind not in lenient
            continue
        doc.data = None  # the model holds it now; locations re-read the text when needed
        _attach(appraisal, kind, doc, model)
    elsewhere = any(i.code == "not-an-appraisal" for i in issues)
    if not elsewhere and not any(kind == "appraisal" for kind, _, _ in found):
        issues.append(
            Issue(
                Severity.WARNING,
                "no-appraisal-file",
                "no appraisal.yaml: using a 0–10 scale and status draft",
                "add appraisal.yaml (appraise init shows one)",
                root,
                0,
                0,
            )
        )
    return (None if failed else appraisal), issues


def _default_settings(root: Path) -> AppraisalFile:
    name = root.resolve().name or "appraisal"
    return AppraisalFile(
        appraisal=AppraisalInfo(title=name, decision="(not stated)", decision_maker="(not stated)"),
        scale=Scale(min=0, max=10, step=1),
    )


def _model_for(kind: str, data: Any) -> type[BaseModel]:
    if kind == "appraisal":
        return AppraisalFile
    if kind == "criteria":
        return CriteriaFile
    if kind == "options":
        return OptionsFile
    if isinstance(data, dict) and "moderation" in data:
        return ModerationFile
    return ScoreSheet


def _attach(appraisal: Appraisal, kind: str, doc: Document, model: Any) -> None:
    if kind == "appraisal":
        appraisal.settings = model
        appraisal.settings_doc = doc
    elif kind == "criteria":
        appraisal.criteria_files.append((doc, model))
    elif kind == "options":
        appraisal.options_files.append((doc, model))
    elif isinstance(model, ModerationFile):
        appraisal.moderations.append((doc, model))
    else:
        appraisal.sheets.append((doc, model))


_EXPECTED_TOP = {
    "appraisal": "`appraisal:` and `scale:`",
    "criteria": "`criteria:`, `hurdles:` or `weight_sets:`",
    "options": "`options:`",
    "scores": "`scorer:` and `scores:` (or `moderation:` and `scores:`)",
}


def _not_a_mapping(doc: Document, kind: str) -> Issue:
    return Issue(
        Severity.ERROR,
        "not-a-mapping",
        f"the file holds {_describe(doc.data)}, not a mapping of keys",
        f"start the file with {_EXPECTED_TOP[kind]}",
        doc.path,
        1,
        1,
    )


# --- discovery -------------------------------------------------------------------------


def discover(root: Path) -> tuple[list[tuple[str, Path, Path]], list[Issue]]:
    """List the appraisal's files as ``(kind, real path, path to show)``.

    Args:
        root: the appraisal folder.

    Returns:
        The files in reading order, and issues (missing folders, links that leave the
        folder).
    """
    issues: list[Issue] = []
    found: list[tuple[str, Path, Path]] = []
    try:
        root_real = root.resolve(strict=True)
    except OSError:
        return [], [
            Issue(
                Severity.ERROR,
                "no-folder",
                f"{root} is not a folder",
                "give the appraisal folder",
                root,
            )
        ]
    seen_files: set[Path] = set()
    seen_dirs: set[Path] = {root_real}
    tops = [root / n for n in APPRAISAL_FILES if (root / n).is_file()]
    if not tops and not any((root / f).exists() for f in FOLDERS):
        return [], [_not_an_appraisal(root, root_real)]
    if len(tops) > 1:
        issues.append(
            Issue(
                Severity.ERROR,
                "two-appraisal-files",
                "both appraisal.yaml and appraisal.yml exist",
                "keep one of them",
                tops[1],
                1,
                1,
            )
        )
    for top in tops[:1]:
        real = _inside(top, root_real, issues)
        if real is not None:
            seen_files.add(real)
            found.append(("appraisal", real, top))
    for folder in FOLDERS:
        path = root / folder
        if not path.is_dir():
            what = "is not a folder" if path.exists() else "is missing"
            issues.append(
                Issue(
                    Severity.ERROR,
                    "missing-folder",
                    f"{folder}/ {what}",
                    f"create {folder}/ with at least one .yaml file "
                    "(appraise init shows the layout)",
                    path,
                )
            )
            continue
        candidates: list[tuple[str, Path, Path]] = []
        _walk(path, root_real, folder, candidates, seen_dirs, issues)
        files = _read_once(candidates, seen_files)
        if not files:
            issues.append(
                Issue(
                    Severity.ERROR,
                    "empty-folder",
                    f"{folder}/ has no .yaml or .yml files",
                    f"add the {folder} files",
                    path,
                )
            )
        found.extend(files)
    return found, issues


def _looks_like_appraisal(folder: Path) -> bool:
    try:
        return any((folder / n).is_file() for n in APPRAISAL_FILES) or all(
            (folder / f).is_dir() for f in FOLDERS
        )
    except OSError:
        return False


NEAR_DEPTH = 2
"""How far below a folder that is not an appraisal one is looked for."""
NEAR_MOST = 200
"""The most folders looked into below it (a home folder must not take minutes)."""


def _not_an_appraisal(root: Path, root_real: Path) -> Issue:
    """The folder has none of an appraisal's files: say so, and name the appraisal
    above it (run from inside ``scores/``) or the ones below it, if there are any."""
    above = next((p for p in root_real.parents if _looks_like_appraisal(p)), None)
    below: list[Path] = []
    if above is None:
        queue, looked = [(root_real, 0)], 0
        while queue and looked < NEAR_MOST and len(below) < 3:
            folder, depth = queue.pop(0)
            looked += 1
            try:
                children = sorted(
                    c for c in folder.iterdir() if c.is_dir() and not c.name.startswith(".")
                )
            except OSError:
                continue
            for child in children:
                if _looks_like_appraisal(child):
                    below.append(child)
                elif depth + 1 < NEAR_DEPTH:
                    queue.append((child, depth + 1))
    if above is not None:
        shown = os.path.relpath(above, Path.cwd()) if root_real != above else str(above)
        hint = f"the appraisal is {shown}: run appraise validate {shown}"
    elif below:
        names = [os.path.relpath(b, Path.cwd()) for b in below]
        hint = (
            "an appraisal is below it: " + ", ".join(names) + (f" (appraise validate {names[0]})")
        )
    else:
        hint = "give the appraisal's folder, or create one with appraise init DIR"
    return Issue(
        Severity.ERROR,
        "not-an-appraisal",
        f"{root} is not an appraisal folder: it has no appraisal.yaml, criteria/, options/ "
        "or scores/",
        hint,
        root,
    )


def _read_once(
    candidates: list[tuple[str, Path, Path]], seen: set[Path]
) -> list[tuple[str, Path, Path]]:
    """Keep one entry per real file: the file itself rather than a link to it."""
    chosen: dict[Path, tuple[str, Path, Path]] = {}
    for entry in candidates:
        real, shown = entry[1], entry[2]
        if real in seen:
            continue
        current = chosen.get(real)
        if current is None or (current[2].is_symlink() and not shown.is_symlink()):
            chosen[real] = entry
    seen.update(chosen)
    return [entry for entry in candidates if chosen.get(entry[1]) is entry]


def _walk(
    folder: Path,
    root_real: Path,
    kind: str,
    out: list[tuple[str, Path, Path]],
    seen_dirs: set[Path],
    issues: list[Issue],
) -> None:
    real_folder = _inside(folder, root_real, issues)
    if real_folder is None or (real_folder in seen_dirs and folder.is_symlink()):
        return
    seen_dirs.add(real_folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        issues.append(
            Issue(
                Severity.ERROR,
                "folder-unreadable",
                f"cannot read the folder: {exc.strerror or exc}",
                "check its permissions",
                folder,
            )
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:  # a link loop (ELOOP) or an entry that cannot be examined
            _inside(path, root_real, issues)  # reports it as a link that loops
            continue
        if is_dir:
            real = _inside(path, root_real, issues)
            if real is not None and real not in seen_dirs:
                _walk(path, root_real, kind, out, seen_dirs, issues)
        elif entry.name.lower().endswith(SUFFIXES):
            real = _inside(path, root_real, issues)
            if real is not None and real.is_file():
                out.append((kind, real, path))
        else:
            issues.append(_not_read(path))


def _not_read(path: Path) -> Issue:
    """A file in one of the three folders that is not read, named, so that a sheet
    saved as ``P3.yaml.txt`` (Windows hides the ``.txt``) does not silently drop a panel
    member from every result."""
    name = path.name
    lower = name.lower()
    stem = next(
        (name[: -len(s + ".txt")] + s for s in SUFFIXES if lower.endswith(s + ".txt")), None
    )
    if stem is not None:  # saved by an editor that adds .txt, which Windows hides
        hint = f"rename it {stem} (Windows may hide the .txt at the end of its name)"
    else:
        hint = "move it out of the appraisal folder, or save it as .yaml if it belongs"
    return Issue(
        Severity.WARNING,
        "file-not-read",
        f"{name} is not read: only .yaml and .yml files are",
        hint,
        path,
    )


def _inside(path: Path, root_real: Path, issues: list[Issue]) -> Path | None:
    """The real path, if it stays inside the appraisal folder; else an issue."""
    try:
        real = path.resolve(strict=True)
    except PermissionError as exc:
        issues.append(
            Issue(
                Severity.ERROR,
                "folder-unreadable",
                f"cannot be read: {exc.strerror or exc}",
                "check the permissions of it and of the folders above it",
                path,
            )
        )
        return None
    except (OSError, RuntimeError):
        issues.append(_broken_link(path, root_real))
        return None
    if real != root_real and root_real not in real.parents:
        issues.append(
            Issue(
                Severity.ERROR,
                "link-outside",
                f"a link to {real}, outside the appraisal folder",
                "copy the file into the folder instead of linking to it",
                path,
            )
        )
        return None
    return real


def _broken_link(path: Path, root_real: Path) -> Issue:
    """A link that cannot be followed, named by what it says: one that points out of
    the folder (say, to a file of the repository beside the appraisal, absent from a
    revision read for ``diff``) is reported as leaving the folder."""
    try:
        written = os.readlink(path)
    except OSError:
        written = None
    if written is not None:
        lexical = Path(os.path.normpath(os.path.join(path.parent.resolve(), written)))
        if lexical != root_real and root_real not in lexical.parents:
            return Issue(
                Severity.ERROR,
                "link-outside",
                f"a link to {written}, outside the appraisal folder",
                "copy the file into the folder instead of linking to it",
                path,
            )
    target = f" to {written}" if written is not None else ""
    return Issue(
        Severity.ERROR,
        "broken-link",
        f"a link{target} that leads nowhere (or loops)",
        "remove the link or fix its target",
        path,
    )


# --- pydantic errors → issues ------------------------------------------------------------


def issues_from_validation(
    doc: Document, exc: ValidationError, model_cls: type[BaseModel]
) -> list[Issue]:
    """Turn a pydantic ``ValidationError`` into issues at file:line:column.

    Args:
        doc: the document that was validated.
        exc: the error.
        model_cls: the model of the whole file (to name the keys allowed where one is
            unknown or missing).
    """
    issues = []
    errors = exc.errors(include_url=False)
    for err in errors:  # a tagged union's branch (`<number>`, `<cell>`) is not a key
        err["loc"] = tuple(
            part
            for part in err["loc"]
            if not (isinstance(part, str) and part.startswith("<") and part.endswith(">"))
        )
    paths = []
    for err in errors:
        loc = tuple(err["loc"])
        path = loc[:-1] if loc and loc[-1] == "[key]" else loc
        paths.append(path[:-1] if err["type"] == "missing" else path)
    places = doc.locate_all(paths)
    for err, located in zip(errors, places, strict=True):
        loc = tuple(err["loc"])
        is_key = bool(loc) and loc[-1] == "[key]"
        path = loc[:-1] if is_key else loc
        message, hint = _explain(err, model_cls, path, is_key)
        kind = err["type"]
        context = path[:-1] if kind in ("missing", "extra_forbidden") or is_key else path
        if context:
            message += (
                f" (in {_dotted(context)})"
                if kind in ("missing", "extra_forbidden") or is_key
                else f" (at {_dotted(context)})"
            )
        if kind in ("missing", "extra_forbidden") or is_key:
            line, column = located.key_line, located.key_column
        else:
            line, column = located.line, located.column
        issues.append(
            Issue(
                Severity.ERROR,
                "schema-" + kind.replace("_", "-"),
                message,
                hint,
                doc.path,
                line,
                column,
                _dotted(path),
            )
        )
    return issues


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the text {str(value)!r}"


def _explain(
    err: Any, model_cls: type[BaseModel], path: tuple[Any, ...], is_key: bool
) -> tuple[str, str]:
    """A plain-English message and a fix for one pydantic error."""
    kind = err["type"]
    value = err.get("input")
    name = path[-1] if path else ""
    ctx = err.get("ctx") or {}
    if kind == "missing":
        parent = _model_at(model_cls, path[:-1])
        described = _field_description(parent, str(name))
        return f"missing key `{name}`", f"add `{name}:`" + (f" ({described})" if described else "")
    if kind == "extra_forbidden":
        parent = _model_at(model_cls, path[:-1])
        allowed = list(parent.model_fields) if parent is not None else []
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        if close:
            return f"unknown key `{name}`", f"did you mean `{close[0]}`?"
        return f"unknown key `{name}`", "allowed keys here: " + ", ".join(allowed)
    if kind in ("id_yaml11", "id_not_text"):
        shown = str(value) if not isinstance(value, bool) else str(value).lower()
        return err["msg"], f"quote it: '{shown}'"
    if kind == "id_pattern":
        from appraise.files.checks.ids import explain_id

        return explain_id(str(value))
    if kind in ("float_type", "int_type", "float_parsing"):
        if value is None:
            return f"`{name}` has no value", "enter a number"
        if isinstance(value, Yaml11Text):
            return (
                f"expected a number, got {value!r}: {value.note}",
                "write a plain number such as 7 or 6.5",
            )
        if isinstance(value, str):
            from appraise.files.yamlio import number_text

            return number_text(value)
        return f"expected a number, got {_describe(value)}", "write a number"
    if kind == "bool_type":
        if isinstance(value, Yaml11Text):
            return (f"expected true or false, got {value!r} ({value.note})", "write true or false")
        return f"expected true or false, got {_describe(value)}", "write true or false"
    if kind == "string_type":
        if isinstance(value, (bool, int, float)) and value is not None:
            shown = str(value).lower() if isinstance(value, bool) else repr(value)
            return f"expected text, got {_describe(value)}", f"quote it: '{shown}'"
        if value is None:
            return f"`{name}` is empty", "write the text, or remove the key"
        return f"expected text, got {_describe(value)}", "write plain text (quote it if needed)"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in str(expected).replace(" or ", ",").split(",")]
        close = difflib.get_close_matches(str(value), [o for o in options if o], n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"use one of: {expected}"
        return f"{_describe(value)} is not allowed for `{name}`", hint
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if value is None:
            return f"`{name}` is empty", "fill it in, or remove the key"
        return (
            f"expected a mapping (keys and values), got {_describe(value)}",
            "indent the keys under it",
        )
    if kind == "list_type":
        if value is None:
            return f"`{name}` is empty", "give a list (items start with '- '), or remove the key"
        return f"expected a list, got {_describe(value)}", "write each item on a line starting '- '"
    if kind == "greater_than_equal":
        return f"{value!r} is less than {ctx.get('ge')}", f"use a number of {ctx.get('ge')} or more"
    if kind == "less_than_equal":
        return f"{value!r} is more than {ctx.get('le')}", f"use a number of {ctx.get('le')} or less"
    if kind == "greater_than":
        return f"{value!r} is not more than {ctx.get('gt')}", f"use a number above {ctx.get('gt')}"
    if kind in ("judgement_type", "judgement_range"):
        return err["msg"], (
            "1 = equally important, 3 moderately, 5 strongly, 7 very strongly, 9 extremely "
            "more important; the reciprocals 1/3 … 1/9 for less important"
        )
    if kind == "level_kind":
        return err["msg"], (
            "record each level on its own list item: `- group: ID` and one of `swings:`, "
            "`points:`, `ranks:`, `pairwise:`"
        )
    if kind in ("elicitation_who", "elicitation_combine"):
        return err["msg"], (
            "e.g. `participants: [...]` with `combine: geometric_mean` or "
            "`combine: mean_weights`; or `levels: [...]` for one agreed record"
        )
    if kind == "weight_set_empty":
        return err["msg"], "give `weights:` by criterion id, or the recorded `elicitation:`"
    if kind == "not_finite":
        return "only finite numbers are allowed", "write an ordinary number"
    if kind == "string_too_long":
        return "the text is too long", f"keep it under {ctx.get('max_length')} characters"
    if kind in ("low_high_pair", "low_high_order"):
        return err["msg"], "low and high bracket the score: low ≤ score ≤ high"
    if kind in ("preference_negative", "preference_order"):
        return err["msg"], "e.g. preference: {function: vshape_2, q: 1, p: 3}"
    if kind in ("scale_range", "scale_step"):
        return err["msg"], "e.g. min 0, max 10, step 1"
    if kind == "empty_group":
        return err["msg"], "add its criteria, or remove `criteria:` to score it directly"
    if kind in ("year_key", "year_label"):
        return err["msg"], (
            "number the years 0, 1, 2 … from `costs.first_year`, or write them as it is "
            "written ('2009/10', whose second part is the next year)"
        )
    if kind == "cell_address":
        return err["msg"], "give one cell, its column letters then its row: F42 or $F$42"
    if kind == "percent_type":
        return err["msg"], "write the percentage as a number (41) or as '41%'"
    if kind in ("line_amounts", "risk_shape", "cost_shape", "envelope_limit"):
        return err["msg"], "see the Costs section of the README"
    if kind == "group_scale":
        return err["msg"], "move the scale to the criteria it applies to"
    if kind == "group_preference":
        return err["msg"], "move the preference to the criteria it applies to"
    message = str(err["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message, "see the file format in the README"


def _model_at(model_cls: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``path`` (for key names)."""
    current: Any = model_cls
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None
            current = info.annotation
        else:
            args = typing.get_args(current)
            origin = typing.get_origin(current)
            if origin is list and args:
                current = args[0]
            elif origin is dict and len(args) == 2:
                current = args[1]
            else:
                return None
    current = _unwrap(current)
    if typing.get_origin(current) in (typing.Union, types.UnionType):
        # a number or a model (an amount or a workbook cell): the mapping is the model
        models = [
            a
            for a in map(_unwrap, typing.get_args(current))
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        current = models[0] if len(models) == 1 else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional``/``X | None`` and ``Annotated`` from an annotation, and stand a
    compact cell class in for by its file-format model (``ScoreCell`` → ``Cell``)."""
    while True:
        annotation = getattr(annotation, "FORMAT", annotation)
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def _field_description(model: type[BaseModel] | None, name: str) -> str:
    if model is None or name not in model.model_fields:
        return ""
    return (model.model_fields[name].description or "").rstrip(".")
