"""The custom columns for the window (`library.custom`): the columns, adding, renaming and
deleting one, and books' values read as text and saved from text, each change one step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.custom import columns as steps
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.kinds import NAMES, Column, parse, shown
from bookorbit_desktop.library.custom.values import set_values

KIND_NAMES = tuple(NAMES)
__all__ = ["KIND_NAMES", "Column", "add", "columns", "delete", "rename", "save", "texts"]


def columns() -> list[Column]:
    return store.columns()


def add(name: str, kind: str, choices: Sequence[str] = ()) -> Column:
    return steps.add_column(name, kind, choices)


def rename(column_id: int, name: str) -> Column:
    return steps.rename_column(column_id, name)


def delete(column_id: int) -> Column:
    return steps.delete_column(column_id)


def texts(book_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """Each book's values as text (`kinds.shown`), by column id."""
    by_id = {column.id: column for column in store.columns()}
    values = store.book_values(book_ids)
    return {
        book_id: {
            column_id: shown(value) for column_id, value in held.items() if column_id in by_id
        }
        for book_id, held in values.items()
    }


def save(book_ids: Sequence[int], typed: Mapping[int, str], paths: Paths) -> list[int]:
    """Give the books the values typed (column id -> text, "" clears), checked first
    (InvalidValueError names the column); one step."""
    by_id = {column.id: column for column in store.columns()}
    values = {column_id: parse(by_id[column_id], text) for column_id, text in typed.items()}
    return set_values(book_ids, values, paths)
