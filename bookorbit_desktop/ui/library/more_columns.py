"""The library table's optional columns beyond the first eight: Date Added, Publisher,
Language, Size and Last Read (when a device last reported reading the book), and after Tags
Hardcover Rating (the average rating of the linked Hardcover book) and Pages (the book's own
printed pages, which `pages:` searches), each with its
text, its sort key for a model sorted in Python (`model.sort_key`; the library table is
sorted by SQLite, `services.library.table_window.SORT_KEYS`), its widest text and its entry in View
▸ Columns. They are hidden until the user shows them (`OPTIONAL`), also in a window whose saved
column state predates them (`hide_unsaved`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QByteArray, QDataStream
from PySide6.QtWidgets import QTableView

from bookorbit_desktop.services.library.rows import TableBook
from bookorbit_desktop.services.library.table_window import fold
from bookorbit_desktop.sizes import file_size

MORE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("added", "Date Added"),
    ("publisher", "Publisher"),
    ("language", "Language"),
    ("size", "Size"),
    ("last_read", "Last Read"),
)
LAST_COLUMNS: tuple[tuple[str, str], ...] = (  # after Tags
    ("hc_rating", "Hardcover Rating"),
    ("pages", "Pages"),
)
OPTIONAL = tuple(key for key, _title in (*MORE_COLUMNS, *LAST_COLUMNS))
MENU_TEXTS = {
    "added": "&Date Added",
    "publisher": "P&ublisher",
    "language": "&Language",
    "size": "Si&ze",
    "last_read": "Las&t Read",
    "hc_rating": "Hard&cover Rating",
    "pages": "Pa&ges",
}
WIDEST = {
    "added": "2026-11-26",
    "publisher": "Penguin Random Hou",  # longer ones are cut with …
    "language": "Language",
    "size": "999.9 MB",
    "last_read": "2026-11-26",
    "hc_rating": "4.8",
    "pages": "9,999",
}


def _day(timestamp: float | None) -> str:
    """A time as its local day ("2026-11-26"); nothing for none."""
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d") if timestamp else ""


TEXTS: dict[str, Callable[[TableBook], str]] = {
    "added": lambda book: _day(book.added_at),
    "publisher": lambda book: book.publisher or "",
    "language": lambda book: book.language or "",
    "size": lambda book: file_size(book.size) if book.size else "",
    "last_read": lambda book: _day(book.last_read),
    "hc_rating": lambda book: "" if book.hc_rating is None else f"{book.hc_rating:.1f}",
    "pages": lambda book: "" if book.book_pages is None else f"{book.book_pages:,}",
}


def _text_key(text: str | None) -> tuple[bool, str]:
    return (not text, fold(text or ""))


SORT_KEYS: dict[str, Callable[[TableBook], Any]] = {
    "added": lambda book: book.added_at,
    "publisher": lambda book: _text_key(book.publisher),
    "language": lambda book: _text_key(book.language),
    "size": lambda book: book.size,
    "last_read": lambda book: book.last_read or 0.0,
    "hc_rating": lambda book: (book.hc_rating is None, book.hc_rating or 0.0),
    "pages": lambda book: (book.book_pages is None, book.book_pages or 0),
}


def saved_sections(state: QByteArray) -> int | None:
    """How many columns a header's saved state (`QHeaderView.saveState`, format 0) holds;
    None for a state in another format."""
    stream = QDataStream(state)
    stream.setVersion(QDataStream.Version.Qt_5_0)
    if stream.readInt32() != 0xFF or stream.readInt32() != 0:
        return None
    for _orientation_order_and_section in range(3):
        stream.readInt32()
    stream.readBool()  # the sort indicator shown
    for _visual_then_logical in range(2):
        for _index in range(stream.readUInt32()):
            stream.readInt32()
    stream.skipRawData((stream.readUInt32() + 7) // 8)  # the hidden sections' bits
    for _hidden_size in range(stream.readUInt32()):
        stream.readInt32()
        stream.readInt32()
    stream.readInt32()  # the header's length
    count = stream.readInt32()
    return count if stream.status() == QDataStream.Status.Ok else None


def hide_unsaved(table: QTableView, state: QByteArray, optional: Iterable[int]) -> None:
    """Hide the `optional` columns that `state` did not know of (a restored state shows
    them)."""
    count = saved_sections(state)
    if count is None:
        return
    for column in optional:
        if column >= count:
            table.setColumnHidden(column, True)
