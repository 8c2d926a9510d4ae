"""Counted words in the command line's output: one rule for singular and plural."""

from __future__ import annotations

import pytest

from bookorbit_desktop.cli.words import counted


@pytest.mark.parametrize(
    ("count", "word", "plural", "text"),
    [
        (1, "book", None, "1 book"),
        (0, "book", None, "0 books"),
        (2, "highlight", None, "2 highlights"),
        (1, "copy", "copies", "1 copy"),
        (3, "copy", "copies", "3 copies"),
        (1204, "entry", "entries", "1,204 entries"),
    ],
)
def test_counted(count, word, plural, text):
    assert counted(count, word, plural) == text
