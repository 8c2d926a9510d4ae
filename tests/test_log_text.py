"""Text from the network is quoted and escaped before it reaches a log line: no character of it
can end the line, start a forged one, move the cursor, recolour a terminal or reorder what
follows, and a long field is cut short."""

from __future__ import annotations

import unicodedata

import pytest

from bookorbit_desktop.log_text import SHOWN_CHARACTERS, for_log


class Named:
    def __str__(self) -> str:
        return "a\nb"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Dune", "'Dune'"),
        ("", "''"),
        ("Kobo Libra 2", "'Kobo Libra 2'"),
        ("ünïcode 書", "'ünïcode 書'"),  # printable text stays as it is
        # a newline or a carriage return would start a forged line
        ("a\nINFO forged", "'a\\x0aINFO forged'"),
        ("a\rINFO forged", "'a\\x0dINFO forged'"),
        ("a\r\nb", "'a\\x0d\\x0ab'"),
        # terminal escape codes (colour, clear screen), NUL, DEL, C1 controls
        ("\x1b[31mred\x1b[0m", "'\\x1b[31mred\\x1b[0m'"),
        ("\x1b]0;title\x07", "'\\x1b]0;title\\x07'"),
        ("a\x00b", "'a\\x00b'"),
        ("a\x7fb", "'a\\x7fb'"),
        ("a\x9bb", "'a\\x9bb'"),
        ("tab\there", "'tab\\x09here'"),
        # bidirectional overrides and invisible format characters would reorder or hide text
        ("abc\u202edcba", "'abc\\u202edcba'"),
        ("a\u2066b\u2069", "'a\\u2066b\\u2069'"),
        ("zero\u200bwidth", "'zero\\u200bwidth'"),
        ("bom\ufeff", "'bom\\ufeff'"),
        # Unicode's line and paragraph separators end a line in many viewers
        ("a\u2028b", "'a\\u2028b'"),
        ("a\u2029b", "'a\\u2029b'"),
        ("a\x85b", "'a\\x85b'"),  # NEL
        # a lone surrogate (kept by the JSON decoder) is escaped, never an encoding error
        ("a\udcffb", "'a\\udcffb'"),
        # a backslash is doubled, so an escape in the log always means a character escaped
        ("a\\x0ab", "'a\\\\x0ab'"),
        ("C:\\books", "'C:\\\\books'"),
        # quotes inside stay readable: the outer quotes are the field's bounds
        ("it's", "'it's'"),
        # values that are not text are shown through str(), escaped the same way
        (42, "'42'"),
        (None, "'None'"),
        (b"a\nb", "'b'a\\\\nb''"),
        (Named(), "'a\\x0ab'"),
    ],
)
def test_network_text_is_quoted_and_escaped(value: object, shown: str) -> None:
    assert for_log(value) == shown


@pytest.mark.parametrize(
    ("length", "shown"),
    [
        (SHOWN_CHARACTERS, "'" + "x" * SHOWN_CHARACTERS + "'"),
        (
            SHOWN_CHARACTERS + 1,
            "'" + "x" * SHOWN_CHARACTERS + f"'... ({SHOWN_CHARACTERS + 1} characters)",
        ),
        (1_000_000, "'" + "x" * SHOWN_CHARACTERS + "'... (1000000 characters)"),
    ],
)
def test_long_text_is_cut_short_saying_how_long_it_was(length: int, shown: str) -> None:
    assert for_log("x" * length) == shown


def test_the_limit_counts_characters_before_escaping() -> None:
    assert for_log("\n" * 3, limit=2) == "'\\x0a\\x0a'... (3 characters)"
    assert for_log("abcdef", limit=3) == "'abc'... (6 characters)"


def test_no_control_or_format_character_survives() -> None:
    every_character = "".join(chr(code) for code in range(0x11000))
    shown = for_log(every_character, limit=len(every_character))
    assert {unicodedata.category(ch) for ch in shown}.isdisjoint({"Cc", "Cf", "Zl", "Zp", "Cs"})
    assert len(shown.splitlines()) == 1
