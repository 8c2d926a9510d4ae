"""What an undo or a redo writes back, as plain functions of plain values.

A book's journaled values are a dict of field -> JSON value (`book_values`). A step keeps, per
book, the fields it changed with their values before and after. Undo writes a field's old
value back only where the book still holds the value the step wrote; redo writes the new value
only where the book still holds the old one. A field changed since by anything else (the user
outside the journal, an import, a pull from Hardcover, a device) is left as it is and named in
the result: nothing is overwritten silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Values = Mapping[str, Any]

# How the reading state's fields are named to the user (the book's: `field_label`).
READING_LABELS = {
    "status": "reading status",
    "progress": "progress",
    "rating": "rating",
    "started": "start date",
    "finished": "finish date",
}
MARKS = "marks"  # the "edited by the user" marks of a book, a sorted list of field names


def diff(before: Values, after: Values) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose values differ: (their values before, their values after)."""
    names = [name for name in after if before.get(name) != after[name]]
    return {n: before.get(n) for n in names}, {n: after[n] for n in names}


@dataclass(frozen=True)
class Plan:
    writes: dict[str, Any]  # field -> the value to write
    conflicts: tuple[str, ...]  # fields something else changed since


def plan_back(source: Values, target: Values, current: Values) -> Plan:
    """Move a book from the `source` values of a step to its `target` values (undo: from after
    to before; redo: from before to after), field by field, given what it holds now: a field
    that holds `source` gets `target`; one already at `target` needs nothing; any other
    value is a conflict and stays."""
    writes: dict[str, Any] = {}
    conflicts = []
    for name, wanted in target.items():
        if name == MARKS:
            continue
        now = current.get(name)
        if now == wanted:
            continue
        if now == source.get(name):
            writes[name] = wanted
        else:
            conflicts.append(name)
    return Plan(writes, tuple(conflicts))


def marks_after(
    current: Iterable[str], source: Iterable[str], target: Iterable[str], left: Iterable[str]
) -> list[str]:
    """The book's "edited by the user" marks once a step moves from its `source` marks to its
    `target` marks: each mark the step changed goes as the target has it, except those of the
    fields `left` as they are (conflicts); every other mark stays as it is now."""
    flipped = (set(source) ^ set(target)) - set(left)
    return sorted((set(current) - flipped) | (set(target) & flipped))


def books_label(verb: str, titles: list[str]) -> str:
    """ "Edit “Emma”" for one book, "Edit 3 Books" for more."""
    if len(titles) == 1:
        return f"{verb} “{titles[0]}”"
    return f"{verb} {len(titles)} Books"


def reading_label(title: str, fields: Iterable[str]) -> str:
    """The name of a reading-state change by the fields it changed."""
    names = set(fields)
    if names == {"rating"}:
        return f"Rate “{title}”"
    if "status" in names:
        return f"Change Status of “{title}”"
    if names <= {"started", "finished"}:
        return f"Change Dates of “{title}”"
    return f"Change Reading of “{title}”"


def field_label(name: str) -> str:
    """A field's name for the user: a book's as the Edit dialog names it (its labels loaded
    only when a result is worded: a short command never needs them), then the reading
    state's, then a custom column's heading (`Column.heading`)."""
    from bookorbit_desktop.library.custom.kinds import column_of
    from bookorbit_desktop.library.editing.values import LABELS

    if (column_id := column_of(name)) is not None:
        from bookorbit_desktop.library.custom.store import column

        found = column(column_id)
        if found is None:
            return "a deleted column"
        # with its label where a book's own field has its name: "Status (#status)"
        return found.heading((*LABELS, *LABELS.values(), *READING_LABELS, *READING_LABELS.values()))
    return LABELS.get(name) or READING_LABELS.get(name, name)


def conflict_text(title: str, fields: Iterable[str]) -> str:
    """The sentence that says which fields were left because they changed since."""
    names = ", ".join(field_label(name) for name in fields)
    return f"“{title}”: {names} left as it is (changed since)"
