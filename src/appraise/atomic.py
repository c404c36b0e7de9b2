"""Writing files so that a failure never leaves half a file, and inputs are never written.

Why:
    A board paper regenerated while a disk fills up, or an interrupted run, must leave
    the old file intact rather than a truncated one. Writing to a temporary file in the
    same folder and renaming it over the target is atomic on POSIX and Windows. On Linux
    the file is written without a name (``O_TMPFILE``) and linked into place when it is
    complete, so even a SIGKILL mid-write leaves nothing behind; SIGTERM and SIGHUP are
    caught so a named temporary file (other systems) or a staging folder is removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    Without ``overwrite`` the file is created exclusively: of two runs racing to make
    the same new file, one wins and the other is told it exists.

    Raises:
        OutputError: the file exists and ``overwrite`` is false, it is a folder or a
            special file, its folder is missing, or the system refused the write.
    """
    _write({target: data}, overwrite=overwrite)


def write_files_atomic(files: dict[Path, bytes]) -> None:
    """Write several files (replacing any there), each in one step, all or none: every
    file is written to a temporary file beside it first, and only when all are on disk
    are they renamed into place.

    Raises:
        OutputError: a target is a folder or a special file, its folder is missing, or
            the system refused (no permission, disk full): nothing is left behind.
    """
    _write(files, overwrite=True)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived during a write (raised so the clean-up runs)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _signals_clean_up() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP (``timeout``, CI runners, a closed terminal)
    raise :class:`_Terminated`, so the temporary files are removed; the signal is then
    delivered again with its usual effect. Only the main thread can take signals, and
    a signal the process ignores stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: object) -> None:
        raise _Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    except _Terminated as stop:
        for signum, old in previous.items():
            signal.signal(signum, old)
        previous.clear()
        signal.raise_signal(stop.signum)
        raise SystemExit(128 + stop.signum) from None
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _existing_mode(target: Path, overwrite: bool) -> int | None:
    """The permission bits of the file ``target`` replaces (``None`` if it is new).

    Raises:
        OutputError: ``target`` is a folder or a special file (a FIFO, a device, a
            socket), or exists when it must not be overwritten.
    """
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{target} is a folder", hint="name a file to write")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"{target} is not a regular file (a FIFO, a device or a socket); appraise "
            "writes only regular files and never replaces a special one",
            hint="name an ordinary file; to see the output on screen, leave out -o "
            "or use -o - where the command offers it",
        )
    if not overwrite:
        raise OutputError(f"{target} already exists")
    return stat.S_IMODE(info.st_mode)


class _Staged:
    """A finished file waiting for its name: an anonymous file (Linux ``O_TMPFILE``,
    which has no name until it is linked, so even SIGKILL leaves nothing behind) or,
    where that is not available, a named temporary file beside the target."""

    __slots__ = ("fd", "target", "tmp")

    def __init__(self, target: Path, fd: int | None, tmp: str | None) -> None:
        self.target = target
        self.fd = fd
        self.tmp = tmp

    def discard(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        if self.tmp is not None:
            Path(self.tmp).unlink(missing_ok=True)
            self.tmp = None


_ANONYMOUS = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")
"""Whether to try anonymous files first (Linux with /proc); each folder may still
refuse them (a file system without ``O_TMPFILE``), and then a named file is used."""


def _anonymous_file(folder: Path) -> int | None:
    """An unnamed file open for writing in ``folder``, or ``None`` where the system or
    the file system does not offer one."""
    if not _ANONYMOUS:
        return None
    try:
        return os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None
        raise


def _stage(target: Path, data: bytes, mode: int) -> _Staged:
    """Write ``data`` to a file beside ``target`` that is flushed to disk and has its
    final mode, but not yet the target's name."""
    folder = target.parent
    fd = _anonymous_file(folder)
    if fd is not None:
        staged = _Staged(target, fd, None)
    else:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        staged = _Staged(target, None, tmp)
    try:
        with os.fdopen(fd, "wb", closefd=staged.fd is None) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
    except BaseException:
        staged.discard()
        raise
    return staged


def _name(staged: _Staged, data: bytes, *, overwrite: bool) -> None:
    """Give a staged file its target's name: over the old file with ``overwrite``,
    else only if no file has the name (of two runs racing, one wins)."""
    target = staged.target
    if staged.fd is not None:
        source = f"/proc/self/fd/{staged.fd}"
        if not overwrite:
            try:
                os.link(source, target)
            except FileExistsError:
                raise OutputError(f"{target} already exists") from None
            except OSError as exc:
                if exc.errno not in _NO_LINKS:
                    raise
                _fall_back(staged, data, overwrite=False)
            return
        tmp = _free_name(target)
        try:
            os.link(source, tmp)
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            _fall_back(staged, data, overwrite=True)
            return
        staged.tmp = tmp
        os.replace(tmp, target)
        staged.tmp = None
        return
    assert staged.tmp is not None
    if overwrite:
        os.replace(staged.tmp, target)
    else:
        _link_exclusively(staged.tmp, target)
    staged.tmp = None


_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOENT)


def _fall_back(staged: _Staged, data: bytes, *, overwrite: bool) -> None:
    """Linking the anonymous file failed (no /proc, a file system without hard links):
    write a named temporary file instead and name it."""
    mode = os.fstat(staged.fd).st_mode if staged.fd is not None else 0o600
    staged.discard()
    fd, tmp = tempfile.mkstemp(
        prefix=f".{staged.target.name}.", suffix=".tmp", dir=staged.target.parent
    )
    staged.tmp = tmp
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        os.fchmod(handle.fileno(), stat.S_IMODE(mode))
    _name(staged, data, overwrite=overwrite)


def _free_name(target: Path) -> str:
    """A name beside ``target`` that no file has, for the instant before the rename."""
    return str(target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp")


def _write(files: dict[Path, bytes], *, overwrite: bool) -> None:
    staged: list[_Staged] = []
    current: Path | None = None
    with _signals_clean_up():
        try:
            for target, data in files.items():
                current = target
                mode = _existing_mode(target, overwrite)
                if not target.parent.is_dir():
                    raise OutputError(
                        f"folder {target.parent} does not exist", hint="create it first"
                    )
                staged.append(_stage(target, data, mode if mode is not None else 0o666 & ~_umask()))
            for item in staged:
                current = item.target
                _name(item, files[item.target], overwrite=overwrite)
        except BaseException as exc:
            if isinstance(exc, OSError):
                where = current if current is not None else exc.filename
                raise OutputError(
                    f"cannot write {where}: {exc.strerror or exc}",
                    hint="check the folder exists, is writable and has space",
                ) from None
            raise
        finally:
            for item in staged:
                item.discard()


def _link_exclusively(tmp: str, target: Path) -> None:
    """Give the finished temporary file the name ``target`` only if no file has it
    (a hard link fails atomically when the name exists), then drop the temporary
    name. Where hard links are not supported, the name is claimed with an exclusive
    create and then replaced."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise OutputError(f"{target} already exists") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise OutputError(f"{target} already exists") from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_tree_atomic(target: Path, files: dict[str, str]) -> None:
    """Create the folder ``target`` holding ``files`` (relative path → text), in one step.

    The tree is built in a temporary sibling folder and renamed into place, so a failure
    leaves nothing behind. An existing empty folder (``.`` included) is kept, as a
    shell may be standing in it: the built entries are moved into it one by one, and
    taken out again if one cannot be.

    Raises:
        OutputError: ``target`` exists and is not an empty folder, or the system refused
            (no permission, disk full): nothing is left behind.
    """
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise OutputError(f"{target} already exists and is not an empty folder")
    into_existing = target.exists()
    target = target.resolve() if into_existing else target
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
    with _signals_clean_up():
        try:
            os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 must not leak into the tree
            for relative, text in files.items():
                path = staging / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="\n")
            if into_existing:
                moved: list[Path] = []
                try:
                    for entry in sorted(staging.iterdir()):
                        os.rename(entry, target / entry.name)
                        moved.append(target / entry.name)
                except BaseException:
                    for path in moved:
                        shutil.rmtree(path, ignore_errors=True)
                        path.unlink(missing_ok=True)
                    raise
                staging.rmdir()
            else:
                os.replace(staging, target)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise OutputError(
                    f"cannot create {target}: {exc.strerror or exc}",
                    hint="check the folder is writable and has space",
                ) from None
            raise
