"""The library table's rows: one compact record per book, read straight from SQLite.

A 50,000-book library is read at every start. Each book is one `TableBook` (a tuple, made
from the cursor's row with no dict in between), texts that repeat (authors, series, formats,
statuses) are kept once, and the labels the table shows are made only for the rows on
screen. `TableBook.as_book` gives the same book as the `BookRow` dict the other views take.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.library.custom import store as custom_store
from bookorbit_desktop.library.custom.kinds import readable_line
from bookorbit_desktop.library.store import listing, pushed_keys
from bookorbit_desktop.library.store.languages import SHOWN_APART
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list
from bookorbit_desktop.library.tags.names import ordered
from bookorbit_desktop.services.library.records import BookRow


class TableBook(NamedTuple):
    """A book as the library table shows it; the fields of `BookRow`."""

    id: int
    title: str
    sort_title: str | None
    authors: tuple[str, ...]
    series: str | None
    series_index: float | None
    status: str
    progress: float
    rating: float | None
    formats: tuple[str, ...]  # sorted
    hardcover: str  # the Hardcover column's state (`hardcover_state`)
    pages: int | None  # pages of the linked Hardcover edition, when known
    # The optional columns (View ▸ Columns): when the book was added (Unix seconds), its
    # publisher and languages ("en, fr"), its files' size in bytes, and when a device last reported
    # reading it (None: never); the last two as the library stores them to sort by
    # (`store.column_keys_schema`).
    added_at: float = 0.0
    publisher: str | None = None
    language: str | None = None
    size: int = 0
    last_read: float | None = None
    tags: tuple[str, ...] = ()  # in the order they are shown (`library.tags.names.ordered`)
    hc_rating: float | None = None  # the linked Hardcover book's readers' average rating
    book_pages: int | None = None  # its own printed pages, as edited or imported
    custom: tuple[tuple[int, str], ...] = ()  # its custom columns' values as shown, by column

    def as_book(self) -> BookRow:
        """The same book as a `BookRow` dict."""
        return {
            "id": self.id,
            "title": self.title,
            "sort_title": self.sort_title,
            "authors": list(self.authors),
            "series": self.series,
            "series_index": self.series_index,
            "status": self.status,
            "progress": self.progress,
            "rating": self.rating,
            "formats": list(self.formats),
            "hardcover": self.hardcover,
            "pages": self.pages,
            "added_at": self.added_at,
            "publisher": self.publisher,
            "language": self.language,
            "size": self.size,
            "last_read": self.last_read,
            "tags": list(self.tags),
            "hc_rating": self.hc_rating,
            "book_pages": self.book_pages,
        }


def table_book(book: BookRow | TableBook) -> TableBook:
    """`book` as a record; fields a dict leaves out read as an unread, unmatched book has them."""
    if isinstance(book, TableBook):
        return book
    status = str(book.get("status") or "unread")
    return TableBook(
        id=book["id"],
        title=book["title"],
        sort_title=book.get("sort_title"),
        authors=tuple(book.get("authors", ())),
        series=book.get("series"),
        series_index=book.get("series_index"),
        status=status,
        progress=float(book.get("progress") or 0.0),
        rating=book.get("rating"),
        formats=tuple(book.get("formats", ())),
        hardcover=str(book.get("hardcover") or "unmatched"),
        pages=book.get("pages"),
        added_at=float(book.get("added_at") or 0.0),
        publisher=book.get("publisher"),
        language=book.get("language"),
        size=int(book.get("size") or 0),
        last_read=book.get("last_read"),
        tags=tuple(book.get("tags", ())),
        hc_rating=book.get("hc_rating"),
        book_pages=book.get("book_pages"),
    )


def hardcover_state(state: str, status: str) -> str:
    """The Hardcover column's state: an unread book is never matched, so say why."""
    return "unread" if state == "unmatched" and status == "unread" else state


def library_order(book: TableBook) -> tuple[bool, str, int]:
    """Where a book stands in the library's order (`read_table`): by sort title (NULL first,
    then code points, as SQLite compares), then id."""
    return (book.sort_title is not None, book.sort_title or "", book.id)


def read_table(
    book_ids: Sequence[int] | None = None,
    match_states: Callable[[Sequence[int] | None], Mapping[int, str]] | None = None,
) -> list[TableBook]:
    """Just the columns the table shows, in a few plain queries (the full book records that
    `queries.list_books` builds for export take ten times longer for a large library, and the
    ORM's per-row conversions doubled the time of these), made without the cycle collector
    scanning the growing heap again and again (`gc_pause`). `match_states(ids)`: the Hardcover
    match state of these books (None: of every book)."""
    with paused_collection():
        wanted = None if book_ids is None else sorted(set(book_ids))
        names = listing.names(wanted)
        kinds = _formats(wanted)
        states = match_states(wanted) if match_states is not None else {}
        tags = _tags(wanted)
        pushed = pushed_keys.last_read_now(wanted)
        several = _several_languages(wanted)
        cursor = _book_columns(wanted)
        books = _with_custom(_records(cursor, names, kinds, states, tags, pushed, several))
        # Sorted here, not by SQLite: walking the title index visits the table's pages out of
        # order (three times slower for a large library), and SQLite's sort into a temporary
        # tree left the app 25 MB larger after reading 50,000 books.
        books.sort(key=library_order)
        return books


def _records(
    cursor: Any,
    names: Mapping[int, list[str]],
    kinds: Mapping[int, tuple[str, ...]],
    states: Mapping[int, str],
    tags: Mapping[int, tuple[str, ...]],
    pushed: Mapping[int, int],
    several: Mapping[int, str],
) -> list[TableBook]:
    # `pushed`: the last read as the pushes give it now, of the books whose stored one may be
    # behind (`store.pushed_keys`); `several`: the languages of the books with more than one.
    # SQLite hands out a new text for every row: the few different series, statuses, author
    # lists and states are kept once each (megabytes with a large library).
    shared: dict[Any, Any] = {}
    one = shared.setdefault
    no_names: list[str] = []
    books: list[TableBook] = []
    append = books.append
    for book_id, title, sort_title, series, series_index, *reading in cursor:
        status, progress, rating, pages, added_at, publisher, language, *facts = reading
        size, read, rated, printed = facts
        status = one(status, status) or "unread"
        authors = tuple(names.get(book_id, no_names))
        state = hardcover_state(states.get(book_id, "unmatched"), status)
        append(
            TableBook(
                book_id,
                title,
                sort_title,
                one(authors, authors),
                one(series, series),
                series_index,
                status,
                float(progress or 0.0),
                rating,
                kinds.get(book_id, ()),
                one(state, state),
                pages,
                added_at,
                one(publisher, publisher),
                several.get(book_id) or one(language, language),
                size or 0,
                pushed.get(book_id, read) or None,
                tags.get(book_id, ()),
                rated,
                printed,
            )
        )
    return books


def _book_columns(wanted: Sequence[int] | None) -> Any:
    """A cursor over the table's book columns (of the `wanted` books; None: every book)."""
    where, params = _book_filter("b.id", wanted)
    return database.execute_sql(
        "SELECT b.id, b.title, b.sort_title, b.series, b.series_index, "
        "r.status, r.progress, r.rating, m.edition_pages, b.added_at, b.publisher, b.language, "
        "k.size, k.last_read, m.hc_rating, b.pages FROM book b "
        "LEFT OUTER JOIN book_sort_key k ON k.book_id = b.id "
        "LEFT OUTER JOIN reading_state r ON r.book_id = b.id "
        "LEFT OUTER JOIN hardcover_match m ON m.book_id = b.id AND m.state = 'linked' "
        f"{where}",
        params,
    )


def _formats(wanted: Sequence[int] | None) -> dict[int, tuple[str, ...]]:
    """book id -> the formats of its files, sorted (each different set kept once)."""
    where, params = _book_filter("f.book_id", wanted)
    kinds: dict[int, set[str]] = defaultdict(set)
    for book_id, kind in database.execute_sql(
        f"SELECT DISTINCT f.book_id, f.format FROM book_file f {where}", params
    ):
        kinds[book_id].add(kind)
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    return {
        book_id: shared.setdefault(found := tuple(sorted(kind)), found)
        for book_id, kind in kinds.items()
    }


def _tags(wanted: Sequence[int] | None) -> dict[int, tuple[str, ...]]:
    """book id -> its tags in the order they are shown (each different set kept once)."""
    where, params = _book_filter("bt.book_id", wanted)
    found: dict[int, list[str]] = defaultdict(list)
    for book_id, name in database.execute_sql(
        f"SELECT bt.book_id, t.name FROM book_tag bt JOIN tag t ON t.id = bt.tag_id {where}",
        params,
    ):
        found[book_id].append(name)
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    return {
        book_id: shared.setdefault(tags := tuple(ordered(names)), tags)
        for book_id, names in found.items()
    }


def _several_languages(wanted: Sequence[int] | None) -> dict[int, str]:
    """book id -> its languages as shown ("en, fr"), of the books with more than one (the
    others' is their `book.language`), found by the index of second languages."""
    among = "" if wanted is None else f" AND {in_list('book_id', wanted)}"
    found: dict[int, list[str]] = defaultdict(list)
    for book_id, code in database.execute_sql(
        "SELECT book_id, code FROM book_language WHERE book_id IN"
        f" (SELECT book_id FROM book_language WHERE position = 1){among}"
        " ORDER BY book_id, position",
        tuple(wanted or ()),
    ):
        found[book_id].append(code)
    return {book_id: SHOWN_APART.join(codes) for book_id, codes in found.items()}


def _book_filter(column: str, wanted: Sequence[int] | None) -> tuple[str, tuple[int, ...]]:
    """A WHERE clause keeping only the `wanted` book ids (none: every book)."""
    if wanted is None:
        return "", ()
    return f"WHERE {in_list(column, wanted)}", tuple(wanted)


def _with_custom(books: list[TableBook]) -> list[TableBook]:
    """The books with their custom columns' values as text to read (`kinds.readable`), each on
    one line."""
    columns = {column.id: column for column in custom_store.columns()}
    if not columns or not books:
        return books
    values = custom_store.book_values([book.id for book in books])
    return [
        book._replace(
            custom=tuple(
                (column_id, readable_line(columns[column_id], value))
                for column_id, value in sorted(values[book.id].items())
            )
        )
        if values[book.id]
        else book
        for book in books
    ]
