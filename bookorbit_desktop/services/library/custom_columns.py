"""The custom columns for the window (`library.custom`): the columns, and adding, renaming and
deleting one, each change one step of the change journal. Books' values are saved with the
Edit dialog's other fields (`services.library.edits`, `bulk_edits`)."""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.custom import columns as steps
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.kinds import Column, readable, shown

__all__ = ["YES_NO", "Column", "add", "columns", "delete", "readable", "rename", "shown"]

# A yes/no column's two values, as they are shown and read back.
YES_NO = (shown(True), shown(False))


def columns() -> list[Column]:
    return store.columns()


def add(name: str, kind: str, choices: Sequence[str] = ()) -> Column:
    return steps.add_column(name, kind, choices)


def rename(column_id: int, name: str) -> Column:
    return steps.rename_column(column_id, name)


def delete(column_id: int) -> Column:
    return steps.delete_column(column_id)
