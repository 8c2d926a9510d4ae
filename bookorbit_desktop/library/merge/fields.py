"""Which copy's value each field of a merged book takes: a pure rule, decided field by field.

In order: a value the user edited (`store.user_edits`) beats an imported one; a value beats an
empty one; then, where "better" has a meaning, the better one: the longer description, the
cover with more pixels, the longer list of authors. Anything else keeps the kept book's value.
The side-by-side view starts from these choices and lets the user override each.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.library.editing.values import FIELDS as FIELDS  # the Edit dialog's

KEEP = "keep"
OTHER = "other"


@dataclass(frozen=True)
class Copy:
    """One copy as the rule sees it: its values (`journal.book_values.read_values`), the fields
    the user edited, and its cover's size in pixels (0: none, or unreadable)."""

    values: Mapping[str, Any]
    edited: Collection[str] = ()
    cover_pixels: int = 0


def is_empty(name: str, value: Any) -> bool:
    """Whether a field holds nothing (a title is never empty; an ISBN or a cover is a pair)."""
    if name in ("isbn", "cover", "title") and isinstance(value, list):
        return not any(value) if name == "isbn" else not value[0]
    return value is None or value == "" or value == [] or value == {}


def _measure(name: str, copy: Copy) -> float | None:
    """How "much" of a field a copy has, where more is better; None where it has no meaning."""
    value = copy.values.get(name)
    if name == "description":
        return float(len(value or ""))
    if name == "cover":
        return float(copy.cover_pixels)
    if name == "authors":
        return float(len(value or []))
    return None


# The value a field is shown and chosen by, where it is not the field's own: the language is
# every language together (the first alone is `language`).
_VALUE_OF = {"language": "languages"}


def value_of(name: str, values: Mapping[str, Any]) -> Any:
    """A copy's value of field `name` as it is shown and chosen."""
    return values.get(_VALUE_OF.get(name, name))


def choose(name: str, keep: Copy, other: Copy) -> str:
    """`KEEP` or `OTHER`: whose value of field `name` the merged book takes."""
    value = _VALUE_OF.get(name, name)
    if keep.values.get(value) == other.values.get(value):
        return KEEP
    mine, theirs = name in keep.edited, name in other.edited
    if mine != theirs:
        return KEEP if mine else OTHER
    empty_keep, empty_other = (
        is_empty(name, keep.values.get(value)),
        is_empty(name, other.values.get(value)),
    )
    if empty_keep != empty_other:
        return OTHER if empty_keep else KEEP
    more_keep, more_other = _measure(name, keep), _measure(name, other)
    if more_keep is not None and more_other is not None and more_other > more_keep:
        return OTHER
    return KEEP


def choices(keep: Copy, other: Copy) -> dict[str, str]:
    """Every field's choice, in `FIELDS` order."""
    return {name: choose(name, keep, other) for name in FIELDS}


def merged_marks(keep: Copy, other: Copy, chosen: Mapping[str, str]) -> list[str]:
    """The merged book's "edited by the user" marks: each field's mark as the copy whose value
    it took has it."""
    marks = {name for name in keep.edited if chosen.get(name, KEEP) == KEEP or name not in FIELDS}
    marks |= {name for name in other.edited if chosen.get(name) == OTHER}
    return sorted(marks)
