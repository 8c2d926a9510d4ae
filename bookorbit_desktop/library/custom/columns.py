"""Adding, renaming and deleting a custom column, each one step of the change journal (the
`column` kind).

The step holds one entry (book 0: it is no book's) with the column before and after, as JSON
(`{}` where there was none); a deleted column's entry keeps every book's value too, so that
undo brings it back whole, under its id (the edits' steps name its values by it). Undo and redo
move the column from one side to the other only while it is as the step left it: a column
renamed since, or one that holds values when its adding would be undone, is left and named.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.kinds import Column, check_choices, datatype
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register
from bookorbit_desktop.library.journal.record import start_step
from bookorbit_desktop.library.store.models import database

COLUMN = "column"
_NO_BOOK = 0


def _record(label: str, before: dict[str, Any], after: dict[str, Any], now: float) -> None:
    step = start_step(COLUMN, label, now)
    steps.add_entries(step, [steps.Entry(_NO_BOOK, before, after)])


def _free_label(label: str, besides: int | None = None) -> None:
    if store.label_taken(label, besides):
        raise InvalidValueError(
            f"There is a column searched as #{label} already. Choose another name."
        )


def add_column(
    name: str,
    kind: str,
    choices: Sequence[str] = (),
    *,
    clock: Callable[[], float] = time.time,
) -> Column:
    """Add a column named `name` of the kind the user names (`kinds.NAMES`), a fixed list with
    its `choices`; InvalidValueError for a wrong name, kind or list."""
    name = " ".join(name.split())
    datatype_, multiple = datatype(kind)
    values = check_choices(datatype_, list(choices))
    label = store.label_for(name)
    with database.atomic("IMMEDIATE"):
        _free_label(label)
        column_id = store.insert(
            None, label=label, name=name, kind=datatype_, multiple=multiple, choices=values
        )
        column = store.column(column_id)
        assert column is not None
        _record(f"Add Column “{name}”", {}, store.as_dict(column), clock())
    return column


def rename_column(column_id: int, name: str, *, clock: Callable[[], float] = time.time) -> Column:
    """Give the column another name (and so another label to search it by)."""
    name = " ".join(name.split())
    label = store.label_for(name)
    with database.atomic("IMMEDIATE"):
        column = _existing(column_id)
        if (column.name, column.label) == (name, label):
            return column
        _free_label(label, besides=column_id)
        store.rename(column_id, label, name)
        renamed = store.column(column_id)
        assert renamed is not None
        _record(
            f"Rename Column “{column.name}” to “{name}”",
            store.as_dict(column),
            store.as_dict(renamed),
            clock(),
        )
    return renamed


def delete_column(column_id: int, *, clock: Callable[[], float] = time.time) -> Column:
    """Delete the column and every book's value in it (undo brings them back)."""
    with database.atomic("IMMEDIATE"):
        column = _existing(column_id)
        before = {**store.as_dict(column), "values": _values(column_id)}
        store.delete(column_id)
        _record(f"Delete Column “{column.name}”", before, {}, clock())
    return column


def _existing(column_id: int) -> Column:
    column = store.column(column_id)
    if column is None:
        raise InvalidValueError(f"There is no custom column {column_id}.")
    return column


def _values(column_id: int) -> dict[str, Any]:
    return {str(book): value for book, value in store.column_values(column_id).items()}


def _same(column: Column | None, kept: dict[str, Any]) -> bool:
    """Whether the column is as the step's side `kept` has it (none when it is empty)."""
    if not kept:
        return column is None
    shown = {key: value for key, value in kept.items() if key != "values"}
    return column is not None and store.as_dict(column) == shown


def _move(step: steps.Step, paths: Paths, now: float, *, back: bool) -> Outcome:
    outcome = Outcome()
    entry = step.entries[0]
    source, target = (entry.after, entry.before) if back else (entry.before, entry.after)
    column_id = int((source or target)["id"])
    current = store.column(column_id)
    if not _same(current, source):
        outcome.skipped.append(f"the column “{(source or target)['name']}” changed since")
        return outcome
    if not target:  # it goes
        assert current is not None
        if back and store.count_values(column_id):
            outcome.skipped.append(f"the column “{current.name}” holds values set since")
            return outcome
        if not back:  # a deletion again: its values as they are now are kept for the undo
            kept = {**entry.before, "values": _values(column_id)}
            database.execute_sql(
                "UPDATE change_entry SET before = ? WHERE step_id = ?",
                (json.dumps(kept, ensure_ascii=False, sort_keys=True), step.id),
            )
        store.delete(column_id)
    elif current is None:  # it comes (back)
        if store.label_taken(target["label"]):
            outcome.skipped.append(f"another column is searched as #{target['label']} now")
            return outcome
        store.insert(store.from_dict(target))
        for book_id, value in target.get("values", {}).items():
            store.write(int(book_id), column_id, value)
        outcome.books = len(target.get("values", {}))
    else:
        if store.label_taken(target["label"], besides=column_id):
            outcome.skipped.append(f"another column is searched as #{target['label']} now")
            return outcome
        store.rename(column_id, target["label"], target["name"])
    return outcome


def undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=True)


def redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=False)


def describe(entry: steps.Entry) -> str:
    before, after = entry.before.get("name"), entry.after.get("name")
    if before is None:
        return f"added the column “{after}”"
    if after is None:
        return f"deleted the column “{before}” and its {len(entry.before.get('values', {}))} values"
    return f"renamed the column “{before}” to “{after}”"


register(COLUMN, StepKind(undo, redo, describe))
