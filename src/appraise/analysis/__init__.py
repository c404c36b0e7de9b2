"""From validated files to results: the problem as arrays, scoring, sensitivity,
weights, and the comparison of two versions (diff, git revisions).

Results are plain data (frozen dataclasses of arrays and labels). Nothing here formats
a number or prints: :mod:`appraise.paper` and :mod:`appraise.terminal` present them.
"""
