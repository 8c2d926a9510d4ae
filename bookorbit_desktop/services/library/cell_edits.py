"""The library table's cells edited in place: the text a cell's editor opens with, and its
save through the very edit the Edit dialog runs (`edits.BookEditService`; the rating through
the dialog's bulk edit, `bulk_edits.BulkEditService`), so a cell takes what the dialog takes,
checked by the same rules, each save one step of the change journal, run off the window's
thread (`save_async`). A cell saved with the text it opened with changes nothing.

A custom column's cell opens with its value as the Edit dialog types it (`kinds.shown`) and is
saved by the dialog's edit too, so its kind's one rule checks it (`kinds.parse`).

The series cell reads "Discworld #12" as the table shows it: the name, and the number after
" #" (left as it is when none is typed). A double-click edits a cell only when the user says so
(`library.double_click_edits`, off: a double-click opens the book); F2 always does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.custom import store as custom_store
from bookorbit_desktop.library.custom.kinds import Column, column_of, shown
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.library.tags.store import book_tags
from bookorbit_desktop.services.library.bulk_edits import BulkEditService
from bookorbit_desktop.services.library.edits import BookEditService, book_texts
from bookorbit_desktop.services.library.tags import joined

EDITABLE = frozenset({"title", "authors", "series", "tags", "rating", "publisher", "pages"})
DOUBLE_CLICK = "library.double_click_edits"
_NUMBERED = re.compile(r"(.*?)\s+#\s*([0-9]+(?:[.,][0-9]+)?)")


def double_click_edits() -> bool:
    return bool(get_setting(DOUBLE_CLICK))


def set_double_click_edits(on: bool) -> None:
    set_setting(DOUBLE_CLICK, bool(on))


def series_fields(text: str) -> dict[str, str]:
    """The series and, when one follows " #", its number, from a series cell's text."""
    numbered = _NUMBERED.fullmatch(text.strip())
    if numbered is None or not numbered[1].strip():
        return {"series": text}
    return {"series": numbered[1], "series_index": numbered[2]}


class CellEditService:
    def __init__(self, paths: Paths) -> None:
        self.edits = BookEditService(paths)
        self.bulk = BulkEditService(paths)

    def custom_column(self, key: str) -> Column | None:
        """The custom column whose field is `key` (None: a built-in field, or a column
        deleted meanwhile)."""
        column_id = column_of(key)
        return None if column_id is None else custom_store.column(column_id)

    def known_values(self, column: Column) -> Sequence[str]:
        """The values the books hold in a tag-like column, each once; a series column's
        series, by name (each once, case and accents aside)."""
        if column.kind == "series":
            return custom_store.series_names(column.id)
        held = custom_store.column_values(column.id).values()
        return list(dict.fromkeys(value for values in held for value in values))

    def text(self, book_id: int, key: str) -> str:
        """What the cell's editor opens with: the value as the Edit dialog shows it."""
        column_id = column_of(key)
        if column_id is not None:
            return shown(custom_store.book_values([book_id])[book_id].get(column_id))
        if key == "rating":
            state = ReadingState.get_or_none(ReadingState.book == book_id)
            return "" if state is None or state.rating is None else f"{state.rating:g}"
        if key == "tags":
            return joined(book_tags([book_id])[book_id])
        texts = book_texts(book_id)
        if key == "series" and texts["series"] and texts["series_index"]:
            return f"{texts['series']} #{texts['series_index']}"
        return texts.get(key, "")

    def save(self, book_id: int, key: str, text: str) -> bool:
        """Save the cell's new text; False when it is what the cell opened with (nothing is
        saved). InvalidValueError (nothing saved) when the value is wrong."""
        if key not in EDITABLE and column_of(key) is None:
            raise InvalidValueError(f"The {key} cannot be edited in the table.")
        if column_of(key) is not None and self.custom_column(key) is None:
            raise NotFoundError("The column was deleted while its cell was edited: nothing saved.")
        if text == self.text(book_id, key):
            return False
        if key == "rating":
            outcome = self.bulk.apply([book_id], {"rating": text})
            if outcome.refused:
                raise InvalidValueError(outcome.refused[0].reason)
            return bool(outcome.changed)
        self.edits.save([book_id], series_fields(text) if key == "series" else {key: text}, None)
        return True

    async def save_async(self, book_id: int, key: str, text: str) -> bool:
        """`save` off the window's thread (a save that waits on the disk never holds it up)."""
        return await off_loop(self.save, book_id, key, text)
