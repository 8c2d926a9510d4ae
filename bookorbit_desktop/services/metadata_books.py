"""The library's side of metadata fetching, run off the event loop: a book's lookup (its ISBN,
title, authors and Hardcover link), its local values as the comparison reads them, queueing a
fetch, saving answers and reading them back, and the guarded Hardcover search the matching
rules allow.
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
from bookorbit_desktop.library.store.fetched_metadata import (
    MetadataCandidate,
    save_answer,
    states,
)
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.metadata_sources.records import Candidate, Lookup, SourceResult


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


def save_answers(answers: Sequence[tuple[int, SourceResult]], now: float) -> None:
    """Each (book id, source's answer), all in one transaction (a book removed meanwhile is
    skipped). IMMEDIATE: the transaction reads before it writes, and another writer in between
    would otherwise make its write fail at once instead of waiting its turn."""
    with database.atomic("IMMEDIATE"):
        for book_id, result in answers:
            candidates = [c.to_json() for c in result.candidates]
            save_answer(book_id, result.source, result.status, result.message, candidates, now)


def stored_answers(book_ids: Sequence[int]) -> list[tuple[int, SourceResult]]:
    """Each source's last stored answer for the books, with its candidates (by book, then
    source); a fetch never finished is a `PENDING` answer."""
    found: dict[tuple[int, str], list[Candidate]] = {}
    rows = (
        MetadataCandidate.select()
        .where(MetadataCandidate.book.in_(list(book_ids)))
        .order_by(MetadataCandidate.position)
    )
    for row in rows:
        found.setdefault((row.book_id, row.source), []).append(Candidate.from_json(row.data))
    answers = []
    for state in states(book_ids):
        candidates = tuple(found.get((state.book_id, state.source), ()))
        result = SourceResult(state.source, state.status, state.message, candidates)
        answers.append((state.book_id, result))
    return answers


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
