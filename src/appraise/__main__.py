"""``python -m appraise``: the same as the ``appraise`` command."""

from appraise.cli import main

main()
