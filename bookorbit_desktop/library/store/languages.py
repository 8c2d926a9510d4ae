"""A book's languages, in order (`book_language`, `language_schema`): read for many books
at once, and written by the one path that keeps `book.language` the first of them.

The codes are normalised tags (`metadata.languages.normalize_languages` gives them); a book
without a language has none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sort_keys_schema import _folded

SHOWN_APART = ", "  # between the languages of a book, as the table and the book panel show them


def languages_of(book_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each of `book_ids`' languages in order (an empty list for a book without one)."""
    ids = list(dict.fromkeys(book_ids))
    found: dict[int, list[str]] = {book_id: [] for book_id in ids}
    rows = database.execute_sql(
        "SELECT book_id, code FROM book_language"
        " WHERE book_id IN (SELECT value FROM json_each(?)) ORDER BY book_id, position",
        (json.dumps(ids),),
    )
    for book_id, code in rows:
        found[book_id].append(code)
    return found


def set_languages_of(books: Mapping[int, Sequence[str]]) -> None:
    """Each book's languages become its codes, in that order (each once), and `book.language`
    the first of them (None for none): a statement per kind of write however many books. The
    caller holds the transaction."""
    cursor = database.cursor()
    cursor.executemany("DELETE FROM book_language WHERE book_id = ?", [(b,) for b in books])
    cursor.executemany(
        "INSERT INTO book_language (book_id, position, code, key)"
        f" VALUES (?1, ?2, ?3, {_folded('?3')})",
        [
            (book_id, position, code)
            for book_id, codes in books.items()
            for position, code in enumerate(dict.fromkeys(codes))
        ],
    )
    cursor.executemany(
        "UPDATE book SET language = ?1 WHERE id = ?2 AND language IS NOT ?1",
        [(codes[0] if codes else None, book_id) for book_id, codes in books.items()],
    )
