"""The terminal: Rich rendering of the same tables the paper formats render."""
