"""Lists in words, as every message of the app writes them. Pure."""

from __future__ import annotations

from collections.abc import Sequence


def in_words(names: Sequence[str]) -> str:
    """`names` as one phrase: "series, status and rating" ("" for none)."""
    *rest, last = names or ("",)
    return f"{', '.join(rest)} and {last}" if rest else last
