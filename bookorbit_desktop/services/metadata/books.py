"""The library's side of metadata fetching, run off the event loop: a book's lookup (its ISBN,
title, authors and Hardcover link), its local values as the comparison reads them, queueing a
fetch, saving answers and reading them back (`book_candidates`: a book's stored answers and
their comparison with its values), and the guarded Hardcover search the matching rules allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.matching.local import hardcover_edition_id, local_book
from bookorbit_desktop.hardcover.matching.matcher import Matcher, search_query
from bookorbit_desktop.hardcover.matching.penalties import Evidence
from bookorbit_desktop.hardcover.matching.scoring import LINKED, decide
from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.library.metadata.images import open_image
from bookorbit_desktop.library.store.fetched_metadata import (
    MetadataCandidate,
    candidates_of,
    save_answer,
    states,
)
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.metadata_sources.compare import FieldRow, Size, compare, other_editions
from bookorbit_desktop.metadata_sources.records import (
    SOURCE_LABELS,
    Candidate,
    Lookup,
    SourceResult,
)


@dataclass(frozen=True)
class SourceAnswer:
    source: str
    label: str
    status: str
    message: str
    fetched_at: float | None
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class BookCandidates:
    book_id: int
    title: str
    local: dict[str, Any]
    sources: tuple[SourceAnswer, ...]
    fields: tuple[FieldRow, ...]
    other_editions: dict[str, str]  # source -> why its record is another edition
    cover_size: Size | None = None  # the book's own cover's pixels, when it has one


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


def cover_size(path: Path) -> Size | None:
    """A stored cover's width and height (read from its header), None when it cannot be read."""
    try:
        with open_image(path) as image:
            return image.size
    except Exception:  # another format, too many pixels or a damaged header: no size
        return None


def book_candidates(book_id: int, data_dir: Path) -> BookCandidates:
    """The stored answers for one book and their comparison with its values; NotFoundError
    when there is no such book."""
    # One read transaction: a source's answer saved between reading the states and reading the
    # candidates would show its values under an "asking…" line (or a count with no values).
    with database.atomic():
        book = Book.get_or_none(Book.id == book_id)
        if book is None:
            raise NotFoundError(f"There is no book with id {book_id}.")
        local = local_values(book)
        found_states = {s.source: s for s in states([book_id])}
        stored = candidates_of(book_id)
    size = cover_size(data_dir / book.cover_path) if book.cover_path else None
    found: dict[str, list[Candidate]] = {}
    for source, data in stored:
        found.setdefault(source, []).append(Candidate.from_json(data))
    answers = []
    for name in SOURCE_LABELS:
        state = found_states.get(name)
        if state is None and name not in found:
            continue
        answers.append(
            SourceAnswer(
                name,
                SOURCE_LABELS[name],
                state.status if state else "ok",
                state.message if state else "",
                state.fetched_at if state else None,
                tuple(found.get(name, ())),
            )
        )
    everything = [c for cs in found.values() for c in cs]
    rows = tuple(compare(local, everything, cover_size=size))
    editions = other_editions(local, everything)
    return BookCandidates(book_id, book.title, local, tuple(answers), rows, editions, size)


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
    with database.atomic():  # the candidates and the states of one moment
        for row in rows:
            found.setdefault((row.book_id, row.source), []).append(Candidate.from_json(row.data))
        found_states = states(book_ids)
    answers = []
    for state in found_states:
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
