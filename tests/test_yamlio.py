"""The safe YAML reader: strict scalars, duplicates, tags, limits, encodings, locations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from appraise.files.yamlio import (
    Document,
    Limits,
    Yaml11Text,
    classify_plain,
    decode_text,
    parse_text,
    read_yaml,
)

F = Path("f.yaml")


def parse(text: str, limits: Limits | None = None) -> tuple[Any, list[tuple[int, int, str]]]:
    doc, issues = parse_text(text, F, limits or Limits())
    return (doc.data if doc else None), [(i.line, i.column, i.code) for i in issues]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("-3", -3),
        ("+5", 5),
        ("6.5", 6.5),
        ("1.5e+3", 1500.0),
        ("-2.0E-1", -0.2),
        ("0", 0),
        ("0.25", 0.25),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("Social enterprise", "Social enterprise"),
        ("CFT", "CFT"),
        ("1.2.3", "1.2.3"),
    ],
)
def test_plain_scalars(text: str, expected: Any) -> None:
    value = classify_plain(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("yes", "true"),
        ("NO", "false"),
        ("on", "true"),
        ("Off", "false"),
        ("y", "true"),
        ("010", "number 8"),
        ("0x1F", "number 31"),
        ("1:30", "number 90"),
        ("1_000", "number 1000"),
        ("2007-08-01", "date"),
        ("2007-08-01 10:00:00", "date"),
        (".inf", "not a finite number"),
        ("-.inf", "not a finite number"),
        (".nan", "finite"),
        ("1.0e+400", "too large"),
        ("1e3", "YAML 1.1 reads it as text"),
        ("0E0", "YAML 1.2 as a number"),
        ("1.0e5", "text"),
        (".5", "number 0.5"),
    ],
)
def test_yaml11_surprises_stay_text(text: str, note: str) -> None:
    value = classify_plain(text)
    assert isinstance(value, Yaml11Text)
    assert value == text
    assert note in value.note


def test_quoted_scalars_are_always_text() -> None:
    data, issues = parse("a: '7'\nb: \"NO\"\nc: |\n  010\n")
    assert issues == []
    assert data == {"a": "7", "b": "NO", "c": "010\n"}
    assert not isinstance(data["b"], Yaml11Text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "2.1: a\n2.10: b\n",
        "'7': a\n7: b\n",
        "1: a\ntrue: b\n",
        "x: {k: 1, k: 2}\n",
    ],
)
def test_duplicate_keys_are_errors(text: str) -> None:
    data, issues = parse(text)
    assert data is None
    assert [code for _, _, code in issues] == ["duplicate-key"]


def test_duplicate_key_names_both_places() -> None:
    doc, issues = parse_text("a: 1\nb:\n  c: 1\n  c: 2\n", F)
    assert doc is None
    assert issues[0].line == 4
    assert issues[0].column == 3
    assert "first at line 3, column 3" in issues[0].message


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
        ("a: !env HOME\n", "!env"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x, y}\n", "!!set"),
        ("a: !!int '7'\n", "!!int"),
        ("a: !custom [1]\n", "!custom"),
    ],
)
def test_tags_are_refused(text: str, tag: str) -> None:
    doc, issues = parse_text(text, F)
    assert doc is None
    assert [i.code for i in issues] == ["yaml-tag"]
    assert tag in issues[0].message


def test_explicit_str_tag_is_text() -> None:
    assert parse("a: !!str 7\n") == ({"a": "7"}, [])


def test_aliases_are_shared_and_bounded() -> None:
    assert parse("a: &x [1, 2]\nb: *x\n") == ({"a": [1, 2], "b": [1, 2]}, [])
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    data, issues = parse(bomb)
    assert data is None
    assert [code for _, _, code in issues] == ["yaml-alias-bomb"]


def test_alias_limit_is_configurable() -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    assert parse(text, Limits(max_alias_values=4))[1][0][2] == "yaml-alias-bomb"
    assert parse(text, Limits(max_alias_values=8))[1] == []


def test_undefined_alias() -> None:
    assert parse("a: *nowhere\n")[1][0][2] in ("yaml-syntax", "yaml-alias")


def test_flow_nesting_is_refused_before_parsing() -> None:
    deep = "a: " + "[" * 200_000 + "]" * 200_000
    data, issues = parse(deep)
    assert data is None
    assert issues == [(1, 68, "too-deep")]


def test_block_nesting_is_bounded_while_building() -> None:
    deep = "".join("  " * i + "k:\n" for i in range(80)) + "  " * 80 + "v\n"
    data, issues = parse(deep)
    assert data is None
    assert issues[0][2] == "too-deep"
    assert parse(deep, Limits(max_depth=100))[1] == []


def test_merge_keys_are_refused() -> None:
    assert parse("a: &b {x: 1}\nc:\n  <<: *b\n")[1][0][2] == "yaml-merge"


def test_complex_keys_are_refused() -> None:
    assert parse("? [a, b]\n: 1\n")[1][0][2] == "bad-key"


def test_several_documents_are_refused() -> None:
    assert parse("a: 1\n---\nb: 2\n")[1] == [(2, 1, "many-documents")]


@pytest.mark.parametrize("text", ["", "# just a comment\n", "---\n", "~\n"])
def test_empty_file(text: str) -> None:
    assert parse(text) == (None, [(1, 1, "empty-file")])


def test_syntax_error_has_position_and_hint() -> None:
    doc, issues = parse_text("a:\n  b: 1\n c: 2\n", F)
    assert doc is None
    assert issues[0].code == "yaml-syntax"
    assert issues[0].line == 3


def test_tab_indentation_hint() -> None:
    _doc, issues = parse_text("a:\n\tb: 1\n", F)
    assert issues[0].hint == "indent with spaces, not tabs"


def test_bom_and_crlf_are_fine_and_keep_line_numbers() -> None:
    text, issues = decode_text(b"\xef\xbb\xbfa: 1\r\nb:\r\n  c: x\r\n", F)
    assert issues == []
    assert text == "a: 1\nb:\n  c: x\n"
    doc, _ = parse_text(text, F)
    assert doc is not None
    assert doc.locate(("b", "c")).line == 3


def test_invalid_utf8_is_reported_at_its_line_and_column() -> None:
    text, issues = decode_text(b"a: 1\nb: caf" + b"\xe9 latte\n", F)
    assert text is None
    assert [(i.line, i.column, i.code) for i in issues] == [(2, 7, "not-utf8")]


def test_utf8_multibyte_column_counts_characters() -> None:
    _text, issues = decode_text("b: ££".encode() + b"\xff\n", F)
    assert [(i.line, i.column) for i in issues] == [(1, 6)]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("a: b\x07c\n", (1, 5)),
        ("a: 1\nb: \x00\n", (2, 4)),
        ("a: x\u2028y\n", (1, 5)),
        ("a: \x85\n", (1, 4)),
        ("a: 1\rb: 2\n", (1, 5)),
    ],
)
def test_control_characters_are_errors_at_their_line(raw: str, where: tuple[int, int]) -> None:
    text, issues = decode_text(raw.encode("utf-8"), F)
    assert text is None
    assert (issues[0].line, issues[0].column) == where
    assert issues[0].code == "control-character"


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n")
    doc, issues = read_yaml(path, limits=Limits(max_bytes=50))
    assert doc is None
    assert issues[0].code == "file-too-large"


def test_unreadable_file(tmp_path: Path) -> None:
    doc, issues = read_yaml(tmp_path / "missing.yaml")
    assert doc is None
    assert issues[0].code == "file-unreadable"


def test_locate_keys_values_and_missing_paths() -> None:
    doc, _ = parse_text("x:\n  y:\n    - a\n    - {b: 1}\n", F)
    assert doc is not None
    b = doc.locate(("x", "y", 1, "b"))
    assert (b.key_line, b.key_column, b.line, b.column) == (4, 8, 4, 11)
    item = doc.locate(("x", "y", 0))
    assert (item.line, item.column) == (3, 7)
    missing = doc.locate(("x", "nope"))
    assert (missing.key_line, missing.key_column) == (1, 1)


json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(min_size=1, max_size=8), json_like, min_size=1, max_size=5))
def test_reads_what_pyyaml_writes(data: dict[str, Any]) -> None:
    """Anything PyYAML's safe dumper writes, appraise reads back to the same data."""
    text = yaml.safe_dump(data, allow_unicode=True)
    result, issues = parse_text(text, F)
    if any(i.code == "control-character" for i in issues):
        return  # the dumper writes some control characters raw; the reader refuses them
    assert issues == []
    assert result is not None
    assert result.data == yaml.safe_load(text)


@given(
    st.text(
        alphabet=st.sampled_from(list("ab:-[]{},&*!|>'\"#?%@`~\n\t 019.yYnN\\<=")), max_size=120
    )
)
def test_no_text_raises(text: str) -> None:
    """Whatever the text, the reader returns data or issues; it never raises."""
    doc, issues = parse_text(text, F)
    assert (doc is None) == bool(issues)


def test_aliases_are_recorded_with_their_anchor() -> None:
    text = "a: &x {score: 1}\nb:\n  c: *x\nd: &y 5\ne: [*y, *x]\n"
    doc, issues = parse_text(text, Path("f.yaml"))
    assert not issues
    assert doc is not None
    assert [(u.name, u.line, u.column, u.anchor_line, u.anchor_column) for u in doc.aliases] == [
        ("x", 3, 6, 1, 4),
        ("y", 5, 5, 4, 4),
        ("x", 5, 9, 1, 4),
    ]
    no_alias, _ = parse_text("a: &x 1\nb: 2\n", Path("f.yaml"))
    assert no_alias is not None
    assert no_alias.aliases == []


def test_a_large_document_is_held_compressed_and_still_locates() -> None:
    rows = "".join(
        f"  O{i}: {{C1: {{score: {i % 10}, rationale: row {i}}}}}\n" for i in range(20_000)
    )
    text = "scorer: {id: P1, name: A, role: B}\nscores:\n" + rows
    assert len(text) > Document.PACK_ABOVE
    doc, issues = parse_text(text, Path("big.yaml"))
    assert not issues
    assert doc is not None
    assert doc._text is None  # held compressed
    assert doc.text == text
    where = doc.locate(("scores", "O19999", "C1", "rationale"))
    assert (where.line, where.column) == (20_002, 38)
    small, _ = parse_text("a: 1\n", Path("s.yaml"))
    assert small is not None
    assert small._text == "a: 1\n"


def test_locating_a_few_paths_in_a_large_file_agrees_with_the_full_map() -> None:
    """A large file places a few issues by noting only the paths that lead to them;
    the answers are those of the full map, missing keys resolving to their parent."""
    rows = "".join(
        f"  O{i}:\n    C1: {{score: {i % 10}, rationale: row {i}}}\n    C2: [a, {{b: {i}}}]\n"
        for i in range(12_000)
    )
    text = "scorer: {id: P1, name: A, role: B}\nscores:\n" + rows
    doc, _ = parse_text(text, Path("big.yaml"))
    assert doc is not None
    assert doc._text is None
    wheres: list[tuple[object, ...]] = [
        ("scores", "O11999", "C1", "rationale"),
        ("scores", "O5", "C2", 1, "b"),
        ("scores", "O5", "C2", 0),
        ("scores", "O7", "nope"),
        ("scorer", "id"),
        ("nothing",),
        (),
    ]
    few = doc.locate_all(wheres)
    assert doc._locations is None  # no full map was made
    assert few == [doc.locate(where) for where in wheres]
