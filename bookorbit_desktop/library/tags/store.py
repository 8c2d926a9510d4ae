"""Which books carry which tags, read and written in plain SQL.

A tag lives while a book carries it: the writes here drop a tag no book carries any more, so
that the lists (the library browser, the catalog) never show an empty one. A book waiting in the
Inbox counts in no list. `set_book_tags` writes a book's tags exactly as named, the spelling
included (a tag renamed in case only is renamed for every book); the journaled changes
(`changes`) decide the spelling before they call it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list, outside_inbox
from bookorbit_desktop.library.tags.names import key, ordered


@dataclass(frozen=True)
class TagCount:
    name: str
    books: int


def book_tags(book_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each book's tags in the order they are shown (a book without any: an empty list)."""
    found: dict[int, list[str]] = {book_id: [] for book_id in book_ids}
    if not found:
        return found
    ids = list(found)
    cursor = database.execute_sql(
        "SELECT bt.book_id, t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id"
        f" WHERE {in_list('bt.book_id', ids)}",
        ids,
    )
    for book_id, name in cursor.fetchall():
        found[book_id].append(name)
    return {book_id: ordered(names) for book_id, names in found.items()}


def tag_counts() -> list[TagCount]:
    """Every tag with how many books of the library (outside the Inbox) carry it."""
    # The links alone (their index by tag), then the few names.
    cursor = database.execute_sql(
        f"SELECT bt.tag_id, count(*) FROM book_tag bt WHERE {outside_inbox('bt.book_id')}"
        " GROUP BY bt.tag_id"
    )
    by_id = dict(cursor.fetchall())
    names = database.execute_sql(
        f"SELECT id, name FROM tag WHERE {in_list('id', by_id)}", list(by_id)
    )
    counts = {name: by_id[tag_id] for tag_id, name in names.fetchall()}
    return [TagCount(name, counts[name]) for name in ordered(counts)]


def find_tag(name: str) -> str | None:
    """The tag's name as the library spells it, None when there is no such tag."""
    row = database.execute_sql("SELECT name FROM tag WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def books_with(names: Iterable[str]) -> list[int]:
    """The books that carry any of the tags `names` (case does not matter)."""
    wanted = list(names)
    cursor = database.execute_sql(
        "SELECT DISTINCT bt.book_id FROM book_tag bt JOIN tag t ON t.id = bt.tag_id"
        f" WHERE {in_list('t.name', wanted)} ORDER BY bt.book_id",
        wanted,
    )
    return [book_id for (book_id,) in cursor.fetchall()]


def _tag_id(name: str) -> int:
    """The id of the tag `name`, made when new; its spelling becomes `name`."""
    row = database.execute_sql("SELECT id, name FROM tag WHERE name = ?", (name,)).fetchone()
    if row is None:
        return int(database.execute_sql("INSERT INTO tag (name) VALUES (?)", (name,)).lastrowid)
    if row[1] != name:
        database.execute_sql("UPDATE tag SET name = ? WHERE id = ?", (name, row[0]))
    return int(row[0])


def set_book_tags(book_id: int, names: Iterable[str], now: float) -> None:
    """The book's tags become `names` (spelled so); a tag no book carries any more goes. The
    book's `updated_at` moves, so the change log tells the window and the catalog."""
    set_tags_of({book_id: names}, now)


def set_tags_of(books: Mapping[int, Iterable[str]], now: float) -> None:
    """`set_book_tags` for each book, a statement per kind of write however many books: a tag
    named by several takes the spelling of the last one to name it."""
    wanted = {book_id: {key(name): name for name in names} for book_id, names in books.items()}
    spelled: dict[str, str] = {}
    for names in wanted.values():
        spelled.update(names)
    with database.atomic("IMMEDIATE"):  # it reads the tags, then writes
        ids = {tag_key: _tag_id(name) for tag_key, name in spelled.items()}
        cursor = database.cursor()
        cursor.executemany(
            "UPDATE book SET updated_at = ? WHERE id = ?", [(now, book_id) for book_id in books]
        )
        carried = {book_id: [ids[k] for k in names] for book_id, names in wanted.items()}
        cursor.executemany(
            "DELETE FROM book_tag WHERE book_id = ?"
            " AND tag_id NOT IN (SELECT value FROM json_each(?))",
            [(book_id, json.dumps(tag_ids)) for book_id, tag_ids in carried.items()],
        )
        cursor.executemany(
            "INSERT OR IGNORE INTO book_tag (book_id, tag_id) VALUES (?, ?)",
            [(book_id, tag_id) for book_id, tag_ids in carried.items() for tag_id in tag_ids],
        )
        drop_unused()


def drop_unused() -> None:
    """Remove the tags no book carries."""
    database.execute_sql(
        "DELETE FROM tag WHERE NOT EXISTS (SELECT 1 FROM book_tag bt WHERE bt.tag_id = tag.id)"
    )
