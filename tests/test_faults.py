"""Faults during a write: a real SIGTERM to a real child process, a restricted file
regenerated, a FIFO or device as the output, two runs racing for one new file, a full
disk, and ``appraise init`` under different umasks."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from appraise.atomic import write_bytes_atomic, write_files_atomic
from appraise.errors import OutputError
from conftest import REPO, Run

DRIVER = """
import os, sys, time
from pathlib import Path
import appraise.atomic as atomic
atomic._ANONYMOUS = sys.argv[2] == "anonymous"
real_fsync = os.fsync
def slow_fsync(fd):
    print("ready", flush=True)
    time.sleep(30)
    real_fsync(fd)
os.fsync = slow_fsync
atomic.write_files_atomic({Path(sys.argv[1]): b"new" * 100_000})
"""


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _writing(target: Path, how: str) -> subprocess.Popen[str]:
    """A real child process stopped in the middle of writing ``target``."""
    child = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(target), how], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


def _open_unnamed_files(pid: int, folder: Path) -> list[str]:
    """The files ``pid`` holds open in ``folder`` that have no name there."""
    fds = Path(f"/proc/{pid}/fd")
    links = [os.readlink(fd) for fd in fds.iterdir()]
    return [link for link in links if link.startswith(str(folder)) and "(deleted)" in link]


WAYS = ["anonymous", "named"] if hasattr(os, "O_TMPFILE") else ["named"]


@pytest.mark.parametrize("how", WAYS)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_a_write_leaves_no_temporary_file(
    tmp_path: Path, signum: int, how: str
) -> None:
    target = tmp_path / "paper.xlsx"
    target.write_bytes(b"old")
    child = _writing(target, how)
    if how == "named":
        assert _leftovers(tmp_path)  # the temporary file is there mid-write
    child.send_signal(signum)
    assert child.wait(timeout=20) == -signum  # the signal still ends the process
    assert child.stdout is not None
    child.stdout.close()
    assert _leftovers(tmp_path) == []
    assert target.read_bytes() == b"old"


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="Linux's O_TMPFILE")
@pytest.mark.parametrize("exists", [True, False])
def test_sigkill_during_a_write_leaves_nothing(tmp_path: Path, exists: bool) -> None:
    """SIGKILL cannot be caught, so nothing can clean up after it: the file being
    written has no name until it is complete, and a killed writer leaves no trace."""
    target = tmp_path / "paper.xlsx"
    if exists:
        target.write_bytes(b"old")
    child = _writing(target, "anonymous")
    assert _open_unnamed_files(child.pid, tmp_path)  # mid-write, on disk, with no name
    assert sorted(p.name for p in tmp_path.iterdir()) == (["paper.xlsx"] if exists else [])
    child.kill()
    assert child.wait(timeout=20) == -signal.SIGKILL
    assert child.stdout is not None
    child.stdout.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["paper.xlsx"] if exists else [])
    if exists:
        assert target.read_bytes() == b"old"


@pytest.mark.parametrize("how", WAYS)
@pytest.mark.parametrize("overwrite", [True, False])
def test_both_ways_of_writing_give_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, overwrite: bool
) -> None:
    from appraise import atomic

    monkeypatch.setattr(atomic, "_ANONYMOUS", how == "anonymous")
    target = tmp_path / "out.csv"
    if overwrite:
        target.write_bytes(b"old")
        target.chmod(0o640)
    write_bytes_atomic(target, b"a,b\n", overwrite=overwrite)
    assert target.read_bytes() == b"a,b\n"
    if overwrite:
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    with pytest.raises(OutputError, match="already exists"):
        write_bytes_atomic(target, b"x")


def test_a_folder_without_hard_links_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where linking the finished file fails (a file system without hard links), a
    named temporary file is written and renamed instead."""
    from appraise import atomic

    real_link = os.link

    def no_links(src: str, dst: str, **kwargs: object) -> None:
        if str(src).startswith("/proc/"):
            raise OSError(errno.EPERM, "Operation not permitted")
        real_link(src, dst)

    monkeypatch.setattr(atomic.os, "link", no_links)
    for overwrite in (False, True):
        write_bytes_atomic(tmp_path / "x.md", f"{overwrite}".encode(), overwrite=overwrite)
        assert (tmp_path / "x.md").read_bytes() == f"{overwrite}".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


def test_a_restricted_file_stays_restricted(tmp_path: Path) -> None:
    target = tmp_path / "board.docx"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_bytes_atomic(target, b"new", overwrite=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"new"


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_bytes_atomic(tmp_path / "new.csv", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_a_fifo_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        write_files_atomic({fifo: b"x"})
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert _leftovers(tmp_path) == []


def test_a_device_is_refused_from_the_cli(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    fifo = tmp_path / "ranking.csv"
    os.mkfifo(fifo)
    result = run_cli("export", str(REPO), "--table", "ranking", "-o", str(fifo))
    assert result.exit_code == 1
    assert "is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_two_runs_racing_for_one_new_file(tmp_path: Path) -> None:
    target = tmp_path / "scores.yaml"
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def attempt(n: int) -> None:
        start.wait()
        try:
            write_bytes_atomic(target, f"run {n}\n".encode())
            outcomes.append("wrote")
        except OutputError as exc:
            outcomes.append("exists" if "already exists" in str(exc) else str(exc))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["exists"] * 7 + ["wrote"]
    assert _leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "paper.html"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_bytes_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(("mask", "folder", "file"), [(0o022, 0o755, 0o644), (0o077, 0o700, 0o600)])
def test_init_follows_the_umask(tmp_path: Path, mask: int, folder: int, file: int) -> None:
    target = tmp_path / "new"
    code = f"import os; os.umask({mask}); from appraise.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "init", str(target)], capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == folder
    assert stat.S_IMODE((target / "criteria").stat().st_mode) == folder
    made = next((target / "criteria").glob("*.yaml"))
    assert stat.S_IMODE(made.stat().st_mode) == file


@pytest.mark.parametrize("epoch", ["abc", "99999999999999999999", "-5", "１２"])
def test_a_bad_source_date_epoch_is_one_error(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = tmp_path / "ranking.xlsx"
    result = run_cli("export", str(REPO), "--table", "ranking", "-o", str(out))
    assert result.exit_code == 1, result
    assert "SOURCE_DATE_EPOCH=" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_diff_in_a_missing_folder_is_a_usage_error(run_cli: Callable[..., Run]) -> None:
    result = run_cli("diff", "HEAD~1", "HEAD", "-C", "/nonexistent/appraisal")
    assert result.exit_code == 2
    assert "/nonexistent/appraisal" in result.stderr
    assert "Traceback" not in result.stderr


def _copy_example(root: Path) -> Path:
    import shutil

    root.mkdir()
    for name in ("criteria", "options", "scores"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "appraisal.yaml", root / "appraisal.yaml")
    return root


def test_link_loops_in_scores_are_errors_not_a_traceback(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = _copy_example(tmp_path / "appraisal")
    (root / "scores" / "loop").symlink_to("loop")
    (root / "scores" / "a.yaml").symlink_to("b.yaml")
    (root / "scores" / "b.yaml").symlink_to("a.yaml")
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    for name, to in (("loop", "loop"), ("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")):
        assert (
            f"scores/{name}: error: a link to {to} that leads nowhere (or loops)" in result.stderr
        )


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters any folder")
def test_a_folder_that_cannot_be_entered(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _copy_example(tmp_path / "appraisal")
    sub = root / "scores" / "sub"
    sub.mkdir()
    (sub / "x.yaml").write_text("scorer: {id: X}\n")
    sub.chmod(0o644)
    try:
        result = run_cli("validate", str(root))
    finally:
        sub.chmod(0o755)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "cannot be read" in result.stderr


def test_sheet_refuses_a_yaml_output_inside_the_appraisal(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = _copy_example(tmp_path / "appraisal")
    out = root / "options" / "p9.yaml"
    result = run_cli("sheet", "--id", "P9", "--name", "X", "--role", "Y", str(root), "-o", str(out))
    assert result.exit_code == 1
    assert "inside the appraisal folder" in result.stderr
    assert not out.exists()
    assert run_cli("validate", str(root)).exit_code == 0


def test_sheet_refuses_invisible_characters_in_a_name(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = _copy_example(tmp_path / "appraisal")
    result = run_cli("sheet", "--id", "P9", "--name", "a\u2028b", "--role", "Y", str(root))
    assert result.exit_code == 2
    assert "U+2028 LINE SEPARATOR" in result.stderr
    assert not (root / "scores" / "P9.yaml").exists()


def test_a_sheet_for_names_with_control_characters_reads_back(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = _copy_example(tmp_path / "appraisal")
    options = root / "options" / "shortlist.yaml"
    options.write_text(
        options.read_text(encoding="utf-8").replace(
            'name: "Social enterprise"', 'name: "Social\\e]0;x\\a enterprise"', 1
        ),
        encoding="utf-8",
    )
    assert run_cli("validate", str(root)).exit_code == 0
    shown = run_cli("sheet", "--id", "P9", "--name", "X", "--role", "Y", str(root), "-o", "-")
    assert shown.exit_code == 0
    assert "\x1b" not in shown.stdout
    assert "\x07" not in shown.stdout
    assert run_cli("sheet", "--id", "P9", "--name", "X", "--role", "Y", str(root)).exit_code == 0
    result = run_cli("validate", str(root))
    assert "control-character" not in result.stderr
    assert "control character" not in result.stderr


def test_a_fifo_in_a_files_place_cannot_hang_the_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "p1.yaml"
    os.mkfifo(fifo)
    code = (
        "import sys; from pathlib import Path; from appraise.files.yamlio import read_yaml; "
        "doc, issues = read_yaml(Path(sys.argv[1])); print(issues[0].message)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert "not a regular file" in done.stdout
