"""How a book's authors are written for people: one line, and one wording when there are none.

The command line prints it and the window's book panel shows the same words, so a book
without authors reads alike everywhere. No imports: `books` stays a quick command.
"""

from __future__ import annotations

from collections.abc import Iterable

UNKNOWN_AUTHOR = "Unknown author"


def author_line(names: Iterable[str]) -> str:
    """ "Ann Author, Bob Writer"; blank names are skipped; no names at all: "Unknown author"."""
    return ", ".join(name.strip() for name in names if name and name.strip()) or UNKNOWN_AUTHOR
