"""From validated files to results: the problem as arrays, scoring, sensitivity,
weights, and the comparison of two versions (diff, git revisions).

Results are plain data (frozen dataclasses of arrays and labels). Nothing here formats
a number or prints: :mod:`appraise.paper` and :mod:`appraise.terminal` present them.
"""

DEFAULT_SAMPLES = 100_000
"""Monte Carlo samples, the same for every command that shows Monte Carlo figures."""
DEFAULT_SEED = 1
"""Monte Carlo seed, likewise."""
MAX_SAMPLES = 100_000_000
"""The most Monte Carlo samples a command accepts (memory stays bounded; time does not)."""
SECTIONS = ("weights", "scores", "costs", "scenarios", "methods", "montecarlo", "tornado")
"""The analyses of ``appraise sensitivity``, in the order they are shown."""
