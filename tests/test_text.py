"""The one sanitiser for text shown on a terminal or in a message (appraise.text)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from appraise.text import UNSAFE, describe_char, shown, unsafe_chars

UNSAFE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs")


def test_every_control_format_and_separator_character_is_unsafe() -> None:
    missing = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in UNSAFE_CATEGORIES and not UNSAFE.match(chr(code))
    ]
    assert missing == []


def test_printable_text_is_unchanged() -> None:
    assert shown("Community Foundation Trust (CFT) — £54.8k, 7½ \\ ok") == (
        "Community Foundation Trust (CFT) — £54.8k, 7½ \\ ok"
    )


def test_escapes_are_visible_and_inert() -> None:
    assert shown("a\x1b]0;owned\x07b") == "a\\x1b]0;owned\\x07b"
    assert shown("x\u200by\u202ez") == "x\\u200by\\u202ez"
    assert shown("tag\U000e0041") == "tag\\U000e0041"
    assert shown("one\ntwo\tthree\r") == "one\\x0atwo\\x09three\\x0d"
    assert shown("one\ntwo\tthree\r", multiline=True) == "one\ntwo\tthree\\x0d"


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    out = shown(text)
    assert UNSAFE.search(out) is None
    assert all(unicodedata.category(c) not in UNSAFE_CATEGORIES for c in out)


def test_characters_are_named() -> None:
    assert describe_char("\u0430") == "U+0430 CYRILLIC SMALL LETTER A ('а')"
    assert describe_char("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert describe_char("\x1b") == "U+001B control character"
    assert unsafe_chars("a\u200bb\u200b\x07") == ["\u200b", "\x07"]
