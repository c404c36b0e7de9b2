"""The ``appraise`` command line: parse arguments, call the library, print, exit.

One module per command or group of commands, each registering itself on the one
:data:`~appraise.cli.app.app`; shared options are defined once in
:mod:`appraise.cli.options`, and :func:`~appraise.cli.app.command` maps every user
error to exit 1 in one place. Library modules are imported inside the commands, so
``appraise --help`` starts fast.
"""

from __future__ import annotations

import importlib

from appraise.cli.app import app, main

__all__ = ["app", "main"]

COMMANDS = (
    "validate",
    "score",
    "sensitivity",
    "weights",
    "diff",
    "export",
    "workshop",
    "files",
)
"""The command modules, imported for the commands they register, in ``--help`` order."""

for _name in COMMANDS:
    importlib.import_module(f"appraise.cli.{_name}")
