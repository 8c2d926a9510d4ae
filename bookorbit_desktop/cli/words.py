"""Counted words in the command line's output: "1 book", "2 books", "1,204 copies"."""

from __future__ import annotations


def counted(count: int, word: str, plural: str | None = None) -> str:
    """`count` and `word`, in the plural (`word` + "s" unless given) for any count but 1."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"
