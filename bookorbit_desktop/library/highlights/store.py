"""Recording highlights in the library, listing and searching them, and linking the exports
that wait for the user to the book they belong to.

`record` applies `rules.plan` to one book's (or one waiting export's) stored highlights in one
transaction: nothing an export leaves out is ever deleted; only `delete` (the user) does, and
a deleted highlight stays deleted when a device sends it again. A text or note an update
replaces is kept in `versions`. The receiver takes the same steps apart (`stored`, then
`rules.plan` off the writer, then `write` in short parts) so that a large export never holds
the library's writer for long. Every statement takes at most `CHUNK_ROWS` rows, far below
SQLite's limit on the values of one statement, however many highlights an export carries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from peewee import JOIN, fn

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.highlights import versions
from bookorbit_desktop.library.highlights.rules import Entry, Plan, Stored, plan
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.typed import tuples

SOURCE_XMNOTE = "xmnote"
SOURCE_SIDECAR = "sidecar"
CHUNK_ROWS = 500  # rows per statement: 13 values each stays far below SQLite's limit

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK_ROWS) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Target:
    """Where highlights go: a library book, or a waiting export named by title and authors."""

    book_id: int | None
    title: str = ""
    authors: str = ""


@dataclass(frozen=True)
class Recorded:
    added: int
    updated: int
    unchanged: int
    kept_deleted: int


@dataclass(frozen=True)
class HighlightRow:
    id: int
    book_id: int | None
    book_title: str
    entry: Entry
    source: str
    origin: str | None
    received_at: float
    changed_at: float  # when this library last recorded a change to it


@dataclass(frozen=True)
class Waiting:
    """An export whose book the user has not picked yet."""

    title: str
    authors: str
    highlights: int
    last_received: float


def _where(target: Target) -> object:
    if target.book_id is not None:
        return Highlight.book == target.book_id
    return (
        Highlight.book.is_null()
        & (Highlight.pending_title == target.title)
        & (Highlight.pending_authors == target.authors)
    )


def _entry(row: Highlight) -> Entry:
    return Entry(row.created, row.text, row.note, row.chapter, row.page, row.updated)


def _fields(entry: Entry) -> dict[str, object]:
    return {
        "created": entry.created,
        "updated": entry.updated,
        "text": entry.text,
        "note": entry.note,
        "chapter": entry.chapter,
        "page": entry.page,
    }


_UPDATE = (
    "UPDATE highlight SET created = ?, updated = ?, text = ?, note = ?, chapter = ?, page = ?,"
    " source = ?, origin = ?, changed_at = ? WHERE id = ?"
)


def stored(target: Target) -> list[Stored]:
    """The target's highlights as `rules.plan` takes them (deleted ones included)."""
    return [
        Stored(row.id, _entry(row), row.deleted_at is not None)
        for row in Highlight.select().where(_where(target))
    ]


def write(
    target: Target,
    added: Sequence[Entry],
    updated: Sequence[tuple[int, Entry]],
    *,
    source: str,
    origin: str | None,
    now: float,
) -> None:
    """Store a plan, or a part of one: new highlights, and (id, entry) updates whose replaced
    texts and notes go to `versions` first."""
    where = {"source": source, "origin": origin, "changed_at": now}
    pending = {"pending_title": target.title, "pending_authors": target.authors}
    with database.atomic():
        for part in chunks(added):
            Highlight.insert_many(
                [
                    {
                        **_fields(entry),
                        **where,
                        "book": target.book_id,
                        **(pending if target.book_id is None else {}),
                        "received_at": now,
                    }
                    for entry in part
                ]
            ).execute()
        for changes in chunks(updated):
            versions.keep_replaced(changes, replaced_by=origin, now=now)
            # One prepared statement for every row: a query object per row cost most of a
            # re-sent export's time on the writer.
            database.cursor().executemany(
                _UPDATE,
                [
                    (*_fields(entry).values(), source, origin, now, row_id)
                    for row_id, entry in changes
                ],
            )


def counts(result: Plan) -> Recorded:
    return Recorded(len(result.added), len(result.updated), result.unchanged, result.kept_deleted)


def record(
    target: Target, entries: Sequence[Entry], *, source: str, origin: str | None, now: float
) -> Recorded:
    """Merge one export's entries for one book into the library (see `rules`)."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        result: Plan = plan(stored(target), entries)
        write(target, result.added, result.updated, source=source, origin=origin, now=now)
    return counts(result)


def _rows(query: object) -> list[HighlightRow]:
    return [
        HighlightRow(
            row.id,
            row.book_id,
            row.book.title if row.book_id is not None else (row.pending_title or ""),
            _entry(row),
            row.source,
            row.origin,
            row.received_at,
            row.changed_at,
        )
        for row in query  # type: ignore[attr-defined]
    ]


def _live() -> object:
    return Highlight.select(Highlight, Book).join(Book, JOIN.LEFT_OUTER).switch(Highlight)


def for_book(book_id: int) -> list[HighlightRow]:
    """The book's highlights (not the deleted ones), in the order they were made."""
    query = (
        _live()  # type: ignore[attr-defined]
        .where((Highlight.book == book_id) & Highlight.deleted_at.is_null())
        .order_by(Highlight.created, Highlight.id)
    )
    return _rows(query)


def all_linked() -> list[HighlightRow]:
    """Every highlight of every library book, book by book."""
    query = (
        _live()  # type: ignore[attr-defined]
        .where(Highlight.book.is_null(False) & Highlight.deleted_at.is_null())
        .order_by(Book.sort_title, Highlight.book, Highlight.created, Highlight.id)
    )
    return _rows(query)


def search(words: str, limit: int = 200) -> list[HighlightRow]:
    """Highlights of library books whose text, note, chapter or book title hold every word
    (case aside for ASCII letters, as SQLite's lower() folds them)."""
    query = _live().where(  # type: ignore[attr-defined]
        Highlight.book.is_null(False) & Highlight.deleted_at.is_null()
    )
    for word in words.split():
        needle = word.lower()
        query = query.where(
            (fn.instr(fn.lower(Highlight.text), needle) > 0)
            | (fn.instr(fn.lower(Highlight.note), needle) > 0)
            | (fn.instr(fn.lower(fn.coalesce(Highlight.chapter, "")), needle) > 0)
            | (fn.instr(fn.lower(Book.title), needle) > 0)
        )
    return _rows(query.order_by(Book.sort_title, Highlight.created).limit(limit))


def delete(highlight_id: int, *, now: float) -> None:
    """The user deletes one highlight; a device sending it again does not bring it back."""
    changed = (
        Highlight.update(deleted_at=now)
        .where((Highlight.id == highlight_id) & Highlight.deleted_at.is_null())
        .execute()
    )
    if not changed and not Highlight.select().where(Highlight.id == highlight_id).exists():
        raise NotFoundError(f"There is no highlight {highlight_id}.")


def waiting() -> list[Waiting]:
    """Exports that arrived for no library book (unknown or ambiguous), newest first."""
    query = (
        Highlight.select(
            Highlight.pending_title,
            Highlight.pending_authors,
            fn.COUNT(Highlight.id),
            fn.MAX(Highlight.received_at),
        )
        .where(Highlight.book.is_null() & Highlight.deleted_at.is_null())
        .group_by(Highlight.pending_title, Highlight.pending_authors)
        .order_by(fn.MAX(Highlight.received_at).desc())
    )
    return [Waiting(t or "", a or "", n, at) for t, a, n, at in tuples(query)]


def link_waiting(title: str, authors: str, book_id: int, *, now: float) -> Recorded:
    """The user says a waiting export is `book_id`: its highlights merge into the book's."""
    if not Book.select().where(Book.id == book_id).exists():
        raise NotFoundError(f"There is no book with id {book_id}.")
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        rows = list(Highlight.select().where(_where(Target(None, title, authors))))
        if not rows:
            raise NotFoundError(f"No highlights wait for “{title}”.")
        live = [row for row in rows if row.deleted_at is None]
        result = record(
            Target(book_id),
            [_entry(row) for row in live],
            source=live[0].source if live else SOURCE_XMNOTE,
            origin=live[0].origin if live else None,
            now=now,
        )
        for part in chunks([row.id for row in rows]):
            Highlight.delete().where(Highlight.id.in_(list(part))).execute()
    return result
