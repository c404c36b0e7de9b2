"""Hostile input through the whole command: never a traceback, always exit 0 or 1."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from appraise.cli import app
from conftest import CASES

SMALL = CASES / "valid" / "small"
TARGETS = [
    "appraisal.yaml",
    "criteria/tree.yaml",
    "criteria/extras.yaml",
    "options/options.yaml",
    "scores/ann.yaml",
    "scores/moderated.yaml",
]
YAMLISH = [
    *list("abc019 :-[]{},&*!|>'\"#?%@`~\n\t.\\<=yYnN"),
    "\x00",
    "\x07",
    "\u2028",
    "\ufeff",
    "é",
    "£",
    "\r\n",
    "!!python/object ",
    "*a",
    "&a ",
    "---\n",
    "<<: ",
    "yes",
    "NO",
    "010",
    "1:30",
    ".nan",
    "1e400",
    "2007-08-01",
]


def _run(folder: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(folder)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(TARGETS),
    text=st.lists(st.sampled_from(YAMLISH), max_size=80).map("".join),
)
def test_any_file_content(target: str, text: str) -> None:
    """Replace one file with arbitrary YAML-ish text."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "a"
        shutil.copytree(SMALL, folder)
        (folder / target).write_bytes(text.encode("utf-8", "surrogatepass"))
        _run(folder)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(TARGETS), data=st.data())
def test_mutated_real_files(target: str, data: st.DataObject) -> None:
    """Delete, insert or overwrite bytes in a real, valid file."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "a"
        shutil.copytree(SMALL, folder)
        raw = bytearray((folder / target).read_bytes())
        for _ in range(data.draw(st.integers(1, 4))):
            pos = data.draw(st.integers(0, len(raw)))
            action = data.draw(st.sampled_from(["delete", "insert", "replace"]))
            chunk = data.draw(st.binary(min_size=1, max_size=6))
            if action == "delete":
                del raw[pos : pos + len(chunk)]
            elif action == "insert":
                raw[pos:pos] = chunk
            else:
                raw[pos : pos + len(chunk)] = chunk
        (folder / target).write_bytes(bytes(raw))
        _run(folder)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(
        st.lists(st.sampled_from(YAMLISH), max_size=6).map("".join),
        st.sampled_from(
            [
                "'7'",
                "yes",
                "~",
                "[]",
                "{}",
                "-1",
                "1e3",
                "0x10",
                ".inf",
                "!!int 3",
                "&x 3",
                "*x",
                "12",
                "6.5",
                "null",
                "true",
                "'  '",
                "[5]",
            ]
        ),
    )
)
def test_any_score_value(value: str) -> None:
    """Any scalar or structure where a score is expected."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "a"
        shutil.copytree(SMALL, folder)
        path = folder / "scores" / "ann.yaml"
        text = path.read_text()
        path.write_text(
            text.replace("QUAL: {score: 5,", f"QUAL: {{score: {value},"), encoding="utf-8"
        )
        _run(folder)
