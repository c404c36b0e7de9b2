"""appraise: multi-criteria option appraisal from YAML files.

The library behind the ``appraise`` command. Read and check an appraisal folder with
:func:`validate`; the loaded :class:`~appraise.files.loading.Appraisal` is what the engine and
the outputs work from.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
