"""Which of a book's values count as no value at all: nothing, or only a placeholder a book file
writes when it does not know ("Unknown" as the title or as every author). "Fill Empty Fields"
fills those, and a placeholder title says nothing about which edition a record is. Pure.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

# What a book file says when it does not know: such a title or author is no value at all.
PLACEHOLDER_TITLES = frozenset({"unknown", "unknown title", "untitled"})
PLACEHOLDER_AUTHORS = frozenset({"unknown", "unknown author", "unknown authors"})


def plain(text: str) -> str:
    """`text` as the comparisons read it: composed (NFC), case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def is_empty(name: str, value: Any) -> bool:
    """Whether the book has no value for field `name`: nothing at all, or only a placeholder
    ("Unknown" as the title, or as every author)."""
    if value in (None, "", (), []):
        return True
    if name == "title" and isinstance(value, str):
        return plain(value) in PLACEHOLDER_TITLES
    if name == "authors":
        return all(plain(a) in PLACEHOLDER_AUTHORS or not a.strip() for a in value)
    return False


def empty_fields(local: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    """Those of `names` the book has no value for (`is_empty`), in the order given."""
    return [n for n in names if is_empty(n, local.get(n))]
