"""Folding text for search: case and accents removed, the same way for every script.

`register_fold` makes `fold` callable from SQL as `bookorbit_fold(text)`; the `book_search`
triggers call it on every write, so every connection that writes books, authors or credits
registers it (`db.open_database` does; another tool registers `fold_value` under that name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

SQL_FOLD = "bookorbit_fold"


class _FoldTable(dict[int, int | str | None]):
    """`str.translate` table for folding: combining marks dropped, a few letters spelled out.

    Filled lazily, one code point at a time, so it costs nothing for scripts never seen.
    """

    def __missing__(self, codepoint: int) -> int | None:
        value = None if unicodedata.combining(chr(codepoint)) else codepoint
        self[codepoint] = value
        return value


# Letters NFKD does not decompose into a base letter plus marks.
_FOLD = _FoldTable(
    {
        ord(letter): plain
        for letter, plain in {
            "ø": "o",
            "đ": "d",
            "ð": "d",
            "ł": "l",
            "ħ": "h",
            "ı": "i",
            "ŧ": "t",
            "æ": "ae",
            "œ": "oe",
        }.items()
    }
)


# Cached: authors and series repeat, and an import folds them book after book.
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """`text` for matching: case folded, accents removed ("Élan" and "elan" compare equal).
    A NUL character is dropped: invisible, it is nothing to match, and SQLite's GLOB, which
    checks the folded texts for short terms (`query`), would read no further."""
    if "\0" in text:
        text = text.replace("\0", "")
    if text.isascii():
        return text.lower()
    # Unicode's compatibility caseless match: NFKD(casefold(NFKD(text))), then marks dropped.
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFKD", decomposed.casefold()).translate(_FOLD)


def fold_column(text: str) -> str:
    """`bookorbit_fold(text)` for a plain column: an ASCII text (as many bytes as characters)
    is folded by SQLite's own `lower`, the same result without a call into Python."""
    return (
        f"(CASE WHEN length(CAST({text} AS BLOB)) = length({text}) THEN lower({text})"
        f" ELSE {SQL_FOLD}({text}) END)"
    )


def fold_value(value: object) -> str:
    """`fold` as SQL calls it: NULL (no series) and other non-texts fold to ""."""
    return fold(value) if isinstance(value, str) else ""


@contextmanager
def interrupts_put_off() -> Iterator[None]:
    """Ctrl-C waits until the block ends. The index's triggers run `fold_value` inside SQLite,
    and a KeyboardInterrupt raised in there reaches the caller as sqlite3's "user-defined
    function raised exception": a write that failed as if the library were at fault. Inside
    the block SIGINT is only noted, and delivered again once the write is whole. (Python runs
    signal handlers in the main thread only; elsewhere this does nothing.)"""
    import signal
    import threading

    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield
        return
    noted: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _frame: noted.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if noted:
            signal.raise_signal(signal.SIGINT)


def register_fold(db: SqliteDatabase) -> None:
    """Make `bookorbit_fold` available on every connection `db` opens (and its open one)."""
    db.register_function(fold_value, SQL_FOLD, 1, deterministic=True)
