"""The library's side of metadata fetching, run off the event loop: a book's lookup (its ISBN,
title, authors and Hardcover link), its local values as the comparison reads them, saving a
book's answers in one transaction, and the guarded Hardcover search the matching rules allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.matching.local import hardcover_edition_id, local_book
from bookorbit_desktop.hardcover.matching.matcher import Matcher, search_query
from bookorbit_desktop.hardcover.matching.penalties import Evidence
from bookorbit_desktop.hardcover.matching.scoring import LINKED, decide
from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.library.store.fetched_metadata import save_answer
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.metadata_sources.records import Lookup, SourceResult


def lookup_of(book: Book) -> Lookup:
    match = get_match(book.id)
    linked = match is not None and match.state == "linked"
    edition = match.hc_edition_id if linked and match is not None else None
    return Lookup(
        book_id=book.id,
        title=book.title,
        authors=tuple(book.author_names()),
        isbn13=book.isbn13,
        isbn10=book.isbn10,
        language=book.language,
        hardcover_edition_id=edition or hardcover_edition_id(book.identifiers),
        hardcover_book_id=match.hc_book_id if linked and match is not None else None,
    )


def lookups(book_ids: Sequence[int]) -> list[Lookup]:
    """The lookups of the books that exist, in the order given."""
    found = {b.id: b for b in Book.select().where(Book.id.in_(list(book_ids)))}
    return [lookup_of(found[i]) for i in dict.fromkeys(book_ids) if i in found]


def local_values(book: Book) -> dict[str, Any]:
    """The book's values under the candidates' field names (`cover` is its stored path)."""
    return {
        "title": book.title,
        "subtitle": book.subtitle,
        "authors": tuple(book.author_names()),
        "series": book.series,
        "series_index": book.series_index,
        "description": book.description,
        "publisher": book.publisher,
        "release_date": book.published,
        "language": book.language,
        "isbn13": book.isbn13,
        "pages": book.pages,
        "cover": book.cover_path,
    }


def save_results(book_id: int, results: Sequence[SourceResult], now: float) -> bool:
    """Every source's answer for one book, in one transaction; False when the book is gone.
    IMMEDIATE: the transaction reads before it writes, and another writer in between would
    otherwise make its write fail at once instead of waiting its turn."""
    with database.atomic("IMMEDIATE"):
        for result in results:
            candidates = [c.to_json() for c in result.candidates]
            if not save_answer(
                book_id, result.source, result.status, result.message, candidates, now
            ):
                return False
    return True


async def guarded_search(client: HardcoverClient, book: Lookup) -> int | None:
    """The Hardcover book a title and author search finds for `book`, only when the matching
    rules would link it (a strong, unambiguous match); None otherwise, never a guess."""
    row = await off_loop(Book.get_or_none, Book.id == book.book_id)
    if row is None:
        return None
    local = await off_loop(local_book, row)
    result = await client.search_books(search_query(local), per_page=10)
    if not result.hits:
        return None
    matcher = Matcher(client)
    await matcher.hydrate([hit.id for hit in result.hits], (), [local.language or "en"])
    found = []
    for rank, hit in enumerate(result.hits[:5]):
        hc_book = matcher.book(hit.id)
        if hc_book is not None:
            found.append((hc_book, Evidence(search_rank=rank)))
    decision = decide(local, found)
    if decision.outcome != LINKED or decision.best is None:
        return None
    return decision.best.book.id
