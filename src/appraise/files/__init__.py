"""The appraisal's files: reading YAML, the models, discovery and loading, the checks
across files, recorded elicitation, validation, the JSON Schema and blank score sheets.

This layer reads and checks; it never imports NumPy or Rich, so ``appraise validate``
starts fast. It sits above :mod:`appraise.engine` (whose elicitation maths is pure
Python) and below :mod:`appraise.analysis`.
"""
