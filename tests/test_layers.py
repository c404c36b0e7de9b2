"""The package is layered: each layer imports only the layers below it.

    errors, atomic  →  engine  →  files  →  analysis  →  paper  →  terminal  →  api  →  cli

(``appraise/__init__.py``, the front door, and ``__main__`` sit on top.) Imports inside
functions count; imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import appraise

SRC = Path(appraise.__file__).parent

LAYERS = {
    "appraise.errors": 0,
    "appraise.atomic": 0,
    "appraise.text": 0,
    "appraise.engine": 1,
    "appraise.files": 2,
    "appraise.analysis": 3,
    "appraise.paper": 4,
    "appraise.terminal": 5,
    "appraise.api": 6,
    "appraise.cli": 7,
    "appraise.__main__": 8,
    "appraise": 8,
}
"""Each top-level module or folder's layer (higher may import lower, never the reverse)."""


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _layer(module: str) -> int:
    parts = module.split(".")
    for k in range(len(parts), 0, -1):
        if ".".join(parts[:k]) in LAYERS:
            return LAYERS[".".join(parts[:k])]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "appraise":
                for alias in node.names:
                    yield node.lineno, f"appraise.{alias.name}"
            else:
                yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_no_import_points_up_the_layers() -> None:
    modules = _modules()
    wrong = []
    for name, path in sorted(modules.items()):
        own = _layer(name)
        for line, target in _imports(path):
            if not target.startswith("appraise"):
                continue
            if target == "appraise.__version__":
                continue  # a constant of the package, not its front door
            if _layer(target) > own:
                wrong.append(f"{path.relative_to(SRC.parent)}:{line}: {name} imports {target}")
    assert wrong == []


def test_every_module_is_in_a_layer() -> None:
    for name in _modules():
        _layer(name)


def test_at_most_eight_modules_at_the_top() -> None:
    top = [p.name for p in SRC.glob("*.py")]
    assert len(top) <= 8, top


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("appraise.files.validation", "numpy"),
        ("appraise.files.validation", "rich"),
        ("appraise.cli", "numpy"),
        ("appraise", "numpy"),
    ],
)
def test_light_layers_import_no_heavy_library(module: str, absent: str) -> None:
    """``validate`` and ``--help`` start without NumPy; the files layer never needs Rich."""
    code = f"import sys, {module}; print({absent!r} in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_the_files_layer_never_imports_numpy_or_rich() -> None:
    for path in (SRC / "files").rglob("*.py"):
        for line, target in _imports(path):
            top = target.split(".")[0]
            assert top not in {"numpy", "rich"}, f"{path.name}:{line} imports {target}"
