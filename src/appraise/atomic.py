"""Writing files so that a failure never leaves half a file, and inputs are never written.

Why:
    A board paper regenerated while a disk fills up, or an interrupted run, must leave
    the old file intact rather than a truncated one. Writing to a temporary file in the
    same folder and renaming it over the target is atomic on POSIX and Windows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from appraise.errors import OutputError

__all__ = [
    "OutputError",
    "write_bytes_atomic",
    "write_files_atomic",
    "write_text_atomic",
    "write_tree_atomic",
]


def write_text_atomic(target: Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``target`` in one step.

    Args:
        target: the file to write.
        text: its content (written as UTF-8 with ``\\n`` line ends).
        overwrite: replace an existing file; without it an existing file is an error.

    Raises:
        OutputError: the file exists and ``overwrite`` is false, or its folder is missing.
    """
    write_bytes_atomic(target, text.encode("utf-8"), overwrite=overwrite)


def write_bytes_atomic(target: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``target`` in one step: a temporary file in the same folder,
    flushed to disk, then renamed over the target (the old file stays until then).

    Raises:
        OutputError: the file exists and ``overwrite`` is false, it is a folder, its
            folder is missing, or the system refused the write.
    """
    if target.is_dir():
        raise OutputError(f"{target} is a folder", hint="name a file to write")
    if target.exists() and not overwrite:
        raise OutputError(f"{target} already exists")
    write_files_atomic({target: data})


def write_files_atomic(files: dict[Path, bytes]) -> None:
    """Write several files (replacing any there), each in one step, all or none: every
    file is written to a temporary file beside it first, and only when all are on disk
    are they renamed into place.

    Raises:
        OutputError: a target is a folder, its folder is missing, or the system refused
            (no permission, disk full): nothing is left behind.
    """
    staged: list[tuple[str, Path]] = []
    current: Path | None = None
    try:
        for target, data in files.items():
            current = target
            if target.is_dir():
                raise OutputError(f"{target} is a folder", hint="name a file to write")
            folder = target.parent
            if not folder.is_dir():
                raise OutputError(f"folder {folder} does not exist", hint="create it first")
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
        for tmp, target in staged:
            current = target
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            where = current if current is not None else exc.filename
            raise OutputError(
                f"cannot write {where}: {exc.strerror or exc}",
                hint="check the folder exists, is writable and has space",
            ) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_tree_atomic(target: Path, files: dict[str, str]) -> None:
    """Create the folder ``target`` holding ``files`` (relative path → text), in one step.

    The tree is built in a temporary sibling folder and renamed into place, so a failure
    leaves nothing behind.

    Raises:
        OutputError: ``target`` exists and is not an empty folder, or the system refused
            (no permission, disk full): nothing is left behind.
    """
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise OutputError(f"{target} already exists and is not an empty folder")
    parent = target.resolve().parent
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(
            f"cannot create {target}: {exc.strerror or exc}",
            hint="choose a folder you can write to",
        ) from None
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 must not leak into the tree
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot create {target}: {exc.strerror or exc}",
                hint="check the folder is writable and has space",
            ) from None
        raise
