"""Where standard output goes wrong: a full disk, a closed stream, a reader that stopped,
an ASCII-only terminal. Each ends in one clear line and exit 1, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPRAISE = [sys.executable, "-m", "appraise"]


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("PYTHONIOENCODING", None)
    env.update(kwargs.pop("env", {}))  # type: ignore[call-overload]
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [*APPRAISE, *args],
        cwd=ROOT,
        capture_output="stdout" not in kwargs,
        env=env,
        timeout=120,
        check=False,
        **kwargs,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["score"], ["--help"], ["score", "--format", "json"]])
def test_a_full_disk_is_one_error(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*APPRAISE, *args],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert "appraise: error: cannot write to standard output: No space left on device" in err


def _with_stdout_closed(command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*APPRAISE, command],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
        preexec_fn=lambda: os.close(1),
    )


def test_a_closed_standard_output_is_one_error() -> None:
    done = _with_stdout_closed("score")
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "Traceback" not in err
    assert "cannot write to standard output: it is closed" in err


def test_a_closed_standard_output_does_not_stop_a_command_that_prints_nothing() -> None:
    done = _with_stdout_closed("validate")
    assert done.returncode == 0, done.stderr.decode()
    assert "valid" in done.stderr.decode()


def test_a_reader_that_stopped_ends_the_command_quietly() -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [*APPRAISE, "score", "--format", "json"],
            cwd=ROOT,
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert done.returncode == 1
    assert done.stderr.decode() == ""


def test_an_ascii_only_terminal_gets_escapes_not_a_traceback() -> None:
    done = _run(["score"], env={"PYTHONIOENCODING": "ascii"})
    out = done.stdout.decode("ascii")
    assert done.returncode == 0, done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()
    assert "CFT" in out
