"""One side of ``appraise diff``: a folder, or a git revision of the appraisal folder.

:func:`checkout` turns what the user typed into a folder to load. An existing folder is
used as it is. Anything else is taken as a git revision (``HEAD~1``, ``main``, a tag or
a commit) of the repository that holds the appraisal folder ``where``: the folder's
files at that revision are read from git's objects (``git ls-tree`` and ``git cat-file
--batch``) into a temporary folder, which is removed afterwards.

Why objects, not ``git archive``: an archive applies the revision's own
``.gitattributes`` (``export-subst`` rewrites text, ``export-ignore`` drops files), so
it is not what was committed; it also holds the whole tree in memory and refuses any
absolute link anywhere in the repository. Objects are the committed bytes, only the
appraisal folder's are read, each is streamed to disk, and no filter or hook runs.
A submodule inside the folder has no files in the revision: it is listed in
:attr:`Side.submodules`, so the diff can say so. Nothing in the working tree is
touched, so ``appraise diff HEAD .`` compares the last commit with the files on disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appraise.errors import RevisionError

__all__ = ["RevisionError", "Side", "authors", "checkout"]

GIT_TIMEOUT = 60
CHUNK = 1 << 20
"""Blobs are copied to disk this many bytes at a time."""
LINK_LIMIT = 4096
"""The longest symbolic-link target read from a revision."""
GIT_OPTIONS = (
    "--no-pager",
    "--literal-pathspecs",
    "--no-replace-objects",
    "-c",
    "core.quotePath=off",
    "-c",
    "log.showSignature=false",
)
"""Every git call: paths taken literally (a folder named ``:(top)`` is a folder), the
objects as committed (no replace refs), plain output whatever the user's config."""


@dataclass(frozen=True)
class Side:
    """One side of a diff, ready to load.

    Attributes:
        spec: what the user typed.
        folder: the appraisal folder to load.
        revision: the commit it came from (``None`` for a folder on disk).
        repo: the git repository's top folder, for a revision.
        prefix: the appraisal folder's path inside the repository (``""`` at the top).
        submodules: paths (inside the appraisal folder) that are git submodules at the
            revision: their files are not part of it and are not compared.
    """

    spec: str
    folder: Path
    revision: str | None = None
    repo: Path | None = None
    prefix: str = ""
    submodules: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the side is named in the output (``HEAD~1 (3f2a9c1)``, or the folder)."""
        if self.revision is None or self.revision.startswith(self.spec):
            return self.spec
        return f"{self.spec} ({self.revision[:7]})"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise RevisionError("git is not installed, so only folders can be compared")
    try:
        return subprocess.run(
            [git, *GIT_OPTIONS, *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env=_git_env(),
        )
    except subprocess.TimeoutExpired as exc:
        raise RevisionError(f"git {' '.join(args)} took longer than {GIT_TIMEOUT} s") from exc


@contextlib.contextmanager
def checkout(spec: str, where: Path) -> Iterator[Side]:
    """The folder for ``spec``: itself if it is a folder, else the appraisal folder
    ``where`` at git revision ``spec``, extracted to a temporary folder for the
    duration of the ``with`` block.

    Raises:
        RevisionError: ``spec`` is neither an existing folder nor a revision of the
            repository holding ``where``, or the folder did not exist at that revision.
    """
    path = Path(spec)
    if path.is_dir():
        yield Side(spec, path)
        return
    if not where.is_dir():
        raise RevisionError(f"`{where}` is not a folder")
    top = _git(["rev-parse", "--show-toplevel"], where)
    if top.returncode != 0:
        raise RevisionError(
            f"`{spec}` is not a folder, and `{where}` is not in a git repository, so it "
            "cannot be a revision either"
        )
    repo = Path(os.fsdecode(top.stdout).removesuffix("\n"))
    prefix = os.fsdecode(_git(["rev-parse", "--show-prefix"], where).stdout).removesuffix("\n")
    if spec.startswith("-"):
        raise RevisionError(f"`{spec}` is neither a folder nor a git revision")
    commit = _git(["rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], where)
    if commit.returncode != 0:
        raise RevisionError(
            f"`{spec}` is neither a folder nor a revision of the git repository at {repo}"
        )
    sha = commit.stdout.decode().strip()
    entries = _tree(sha, prefix, repo)
    if prefix and not entries:
        raise RevisionError(f"the appraisal folder `{prefix}` is not in revision `{spec}`")
    with tempfile.TemporaryDirectory(prefix="appraise-diff-") as tmp:
        folder = Path(tmp) / "appraisal"
        folder.mkdir()
        submodules = _extract(entries, prefix, folder, repo)
        yield Side(spec, folder, sha, repo, prefix.rstrip("/"), tuple(submodules))


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_NO_LAZY_FETCH="1")
    return env


def _tree(sha: str, prefix: str, repo: Path) -> list[tuple[str, str, str, int, str]]:
    """``(mode, type, object, size, path)`` of every entry under ``prefix`` at ``sha``."""
    args = ["ls-tree", "-r", "-z", "-l", "--full-tree", sha]
    if prefix:
        args += ["--", prefix]
    listing = _git(args, repo)
    if listing.returncode != 0:
        message = listing.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(
            "cannot list the revision's files" + (f" ({message[-1]})" if message else "")
        )
    out = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        path = os.fsdecode(raw_path)
        if prefix and not path.startswith(prefix):
            continue
        out.append((mode, kind, oid, int(size) if size.isdigit() else 0, path))
    return out


def _extract(
    entries: list[tuple[str, str, str, int, str]], prefix: str, dest: Path, repo: Path
) -> list[str]:
    """Write the entries' committed bytes under ``dest``; return the submodules' paths."""
    from appraise.files.yamlio import DEFAULT_LIMITS

    git = shutil.which("git")
    assert git is not None  # _git found it already
    submodules: list[str] = []
    batch = subprocess.Popen(
        [git, *GIT_OPTIONS, "cat-file", "--batch"],
        cwd=repo,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_git_env(),
    )
    assert batch.stdin is not None
    assert batch.stdout is not None
    try:
        for mode, kind, oid, size, path in entries:
            relative = path[len(prefix) :]
            parts = relative.split("/")
            if any(part in ("", ".", "..") for part in parts):
                raise RevisionError(f"the revision holds an unsafe path: {path!r}")
            target = dest.joinpath(*parts)
            if kind == "commit":
                submodules.append(relative)
                continue
            if kind != "blob":
                continue
            _make_parents(target, dest)
            if mode == "120000":
                link = _blob(batch, oid, LINK_LIMIT)
                if link is None or b"\0" in link:
                    raise RevisionError(f"the revision holds an unusable link: {path!r}")
                os.symlink(os.fsdecode(link), target)
            elif size > DEFAULT_LIMITS.max_bytes:
                with open(target, "xb") as handle:  # the reader refuses it by its size
                    handle.truncate(size)
            else:
                with open(target, "xb") as handle:
                    _blob(batch, oid, size, handle)
    finally:
        batch.stdin.close()
        batch.stdout.close()
        try:
            batch.wait(timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            batch.kill()
    return submodules


def _make_parents(target: Path, dest: Path) -> None:
    """Create ``target``'s folders under ``dest``, never through a link."""
    folder = dest
    for part in target.relative_to(dest).parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            raise RevisionError(f"the revision's folder {part!r} is also a link")
        folder.mkdir(exist_ok=True)


def _blob(batch: subprocess.Popen[bytes], oid: str, limit: int, handle: Any = None) -> bytes | None:
    """One object from ``git cat-file --batch``: streamed into ``handle``, or returned
    (``None`` when larger than ``limit``)."""
    assert batch.stdin is not None
    assert batch.stdout is not None
    batch.stdin.write(f"{oid}\n".encode())
    batch.stdin.flush()
    header = batch.stdout.readline().split()
    if len(header) != 3:
        raise RevisionError(f"git could not read object {oid}")
    size = int(header[2])
    kept = bytearray()
    left = size
    while left:
        chunk = batch.stdout.read(min(CHUNK, left))
        if not chunk:
            raise RevisionError(f"git stopped while reading object {oid}")
        left -= len(chunk)
        if handle is not None:
            handle.write(chunk)
        elif len(kept) <= limit:
            kept += chunk
    batch.stdout.read(1)  # the newline after each object
    if handle is not None:
        return None
    return bytes(kept) if size <= limit else None


def authors(a: Side, b: Side, relative: str) -> list[str]:
    """Who committed changes to the file ``relative`` (inside the appraisal folder)
    between revisions ``a`` and ``b``, oldest first; empty unless both are revisions of
    one repository."""
    if a.revision is None or b.revision is None or a.repo is None or a.repo != b.repo:
        return []
    path = f"{a.prefix}/{relative}" if a.prefix else relative
    log = _git(
        ["log", "--format=%an", "--reverse", f"{a.revision}..{b.revision}", "--", path], a.repo
    )
    if log.returncode != 0:
        return []
    names: list[str] = []
    for name in log.stdout.decode(errors="replace").splitlines():
        if name and name not in names:
            names.append(name)
    return names
