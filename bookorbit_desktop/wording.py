"""Lists in words, as every message of the app writes them. Pure."""

from __future__ import annotations

from collections.abc import Sequence


def in_words(names: Sequence[str]) -> str:
    """`names` as one phrase: "series, status and rating" ("" for none)."""
    *rest, last = names or ("",)
    return f"{', '.join(rest)} and {last}" if rest else last


def all_of(count: int, noun: str = "books") -> str:
    """All of `count` things, as said: "both books" for two, "all 5 books" for more."""
    return f"both {noun}" if count == 2 else f"all {count} {noun}"
