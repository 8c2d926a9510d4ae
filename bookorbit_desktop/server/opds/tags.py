"""The user's tags as the catalog lists them ("By tag"): the tags of listed books by name, each
with how many listed books carry it, and a tag's books by title, both paged by key like the
authors. A tag's address names it by id; a tag no listed book carries is not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import available, in_list
from bookorbit_desktop.server.opds.paging import Listing, Page
from bookorbit_desktop.server.opds.queries import BookEntry, titled_books

# The navigation feed's order: by name regardless of case, then by id. The name as the tag
# table's unique index holds it (`COLLATE NOCASE`, which folds the letters A-Z as `lower()`
# does), so a page is read from the index instead of every tag being checked and sorted.
TAGS = Order((("t.name COLLATE NOCASE", False), ("t.id", False)))
# The links of listed books, read from the links and the files' index without the books' rows.
_LINK_LISTED = available("bt.book_id")
# A tag is listed when a listed book carries it (the first one found answers).
_LISTED = f"EXISTS (SELECT 1 FROM book_tag bt WHERE bt.tag_id = t.id AND {_LINK_LISTED})"


@dataclass(frozen=True)
class TagEntry:
    id: int
    name: str
    books: int  # the listed books that carry it


def tags(cursor: Cursor, size: int) -> Page[TagEntry]:
    """Tags of at least one listed book, by name; the books of the page's tags counted in one
    query."""
    rows, previous, following = Listing("tag t", _LISTED, (), TAGS).page(
        "t.id, t.name", cursor, size
    )
    ids = [row[0] for row in rows]
    counts = dict(
        database.execute_sql(
            "SELECT bt.tag_id, count(*) FROM book_tag bt"
            f" WHERE {in_list('bt.tag_id', ids)} AND {_LINK_LISTED} GROUP BY bt.tag_id",
            ids,
        ).fetchall()
    )
    items = [TagEntry(tag_id, name, counts.get(tag_id, 0)) for tag_id, name, *_ in rows]
    return Page(items, size, cursor, previous, following)


def tag_name(tag_id: int) -> str | None:
    """The tag's name, or None when no listed book carries it."""
    row = database.execute_sql(
        f"SELECT t.name FROM tag t WHERE t.id = ? AND {_LISTED}", (tag_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def books_with_tag(tag_id: int, cursor: Cursor, size: int) -> Page[BookEntry]:
    """The listed books that carry the tag, by title."""
    where = "k.book_id IN (SELECT bt.book_id FROM book_tag bt WHERE bt.tag_id = ?)"
    return titled_books(where, (tag_id,), cursor, size)
