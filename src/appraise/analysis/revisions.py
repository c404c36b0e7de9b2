"""One side of ``appraise diff``: a folder, or a git revision of the appraisal folder.

:func:`checkout` turns what the user typed into a folder to load. An existing folder is
used as it is. Anything else is taken as a git revision (``HEAD~1``, ``main``, a tag or
a commit) of the repository that holds the appraisal folder ``where``: the folder's
files at that revision are extracted with ``git archive`` into a temporary folder,
which is removed afterwards. Nothing in the working tree is touched, so uncommitted
work is safe, and ``appraise diff HEAD .`` compares the last commit with the files on
disk.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from appraise.errors import RevisionError

__all__ = ["RevisionError", "Side", "authors", "checkout"]

GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Side:
    """One side of a diff, ready to load.

    Attributes:
        spec: what the user typed.
        folder: the appraisal folder to load.
        revision: the commit it came from (``None`` for a folder on disk).
        repo: the git repository's top folder, for a revision.
        prefix: the appraisal folder's path inside the repository (``""`` at the top).
    """

    spec: str
    folder: Path
    revision: str | None = None
    repo: Path | None = None
    prefix: str = ""

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
            [git, *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False
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
    repo = Path(top.stdout.decode().strip())
    prefix = _git(["rev-parse", "--show-prefix"], where).stdout.decode().strip()
    if spec.startswith("-"):
        raise RevisionError(f"`{spec}` is neither a folder nor a git revision")
    commit = _git(["rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], where)
    if commit.returncode != 0:
        raise RevisionError(
            f"`{spec}` is neither a folder nor a revision of the git repository at {repo}"
        )
    sha = commit.stdout.decode().strip()
    args = ["archive", "--format=tar", sha]
    if prefix:
        args += ["--", prefix]
    archive = _git(args, repo)
    if archive.returncode != 0:
        message = archive.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(
            f"the appraisal folder `{prefix or '.'}` is not in revision `{spec}`"
            + (f" ({message[-1]})" if message else "")
        )
    with tempfile.TemporaryDirectory(prefix="appraise-diff-") as tmp:
        _extract(archive.stdout, Path(tmp))
        folder = Path(tmp) / prefix if prefix else Path(tmp)
        if not folder.is_dir():
            raise RevisionError(f"the appraisal folder `{prefix}` is not in revision `{spec}`")
        yield Side(spec, folder, sha, repo, prefix.rstrip("/"))


def _extract(data: bytes, dest: Path) -> None:
    """Unpack a tar from ``git archive`` safely (nothing outside ``dest``)."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        if hasattr(tarfile, "data_filter"):
            try:
                tar.extractall(dest, filter="data")
            except tarfile.FilterError as exc:
                raise RevisionError(f"cannot unpack the revision safely: {exc}") from exc
            return
        for member in tar.getmembers():  # Python < 3.11.4: plain files and folders only
            target = (dest / member.name).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise RevisionError(f"cannot unpack the revision safely: {member.name}")
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                source = tar.extractfile(member)
                if source is not None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(source.read())


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
