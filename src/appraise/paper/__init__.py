"""The presentation layer: every table and figure an output shows, built once as typed
cells, and the formats that render them (CSV, Markdown, HTML, Excel, Word, LaTeX,
JSON), with charts, the board report and provenance.
"""
