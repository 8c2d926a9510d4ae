"""Matching library books to Hardcover: identifiers first, then a guarded search.

Thin orchestration over the pure parts and the store. Per book: (1) the stored match, unless
it failed; (2) a Hardcover id or slug in the file; (3) ISBN-13; (4) ISBN-10; (5) a search for
title and first author. The identifiers of *all* books are resolved together, many per request,
so they cost a few requests per thousand books; only the search costs one request per book.
Books whose candidates differ only in how the author is written wait for one batched request
for alternate names (`authors.py`). Each book is committed alone: a cancel keeps finished ones.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    HardcoverError,
    NetworkError,
    NotConnectedError,
    RateLimitedError,
    ScopeError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.matching.authors import AuthorNames
from bookorbit_desktop.hardcover.matching.catalog import (
    EditionInfo,
    HardcoverBook,
    edition_from_record,
)
from bookorbit_desktop.hardcover.matching.editions import choose_edition
from bookorbit_desktop.hardcover.matching.fetched import FetchedBooks
from bookorbit_desktop.hardcover.matching.normalize import split_authors
from bookorbit_desktop.hardcover.matching.scoring import (
    LINKED,
    Decision,
    Evidence,
    LocalBook,
    decide,
)
from bookorbit_desktop.hardcover.matching.store import (
    ERROR,
    get_match,
    mark_checked,
    needs_matching,
    save_decision,
    save_error,
    survey,
)
from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.library.store.off_loop import off_loop

SEARCH_CHUNK = 10  # books searched before their hits are fetched together
SEARCH_PER_PAGE = 10
CANDIDATES_PER_SEARCH = 5  # search hits weighed per book
YIELD_EVERY = 50  # books looked at between two turns of the event loop
_LATIN = re.compile(r"[A-Za-z]")
_BRACKETS = re.compile(r"[(\[{【][^)\]}】]*[)\]}】]")
# Errors about the connection or the account stop the whole run; others fail one book.
_RUN_LEVEL_ERRORS = (
    AuthError,
    ScopeError,
    RateLimitedError,
    NetworkError,
    UnavailableError,
    NotConnectedError,
)
_QUERY_TIMEOUT = 408  # Hardcover gave up on this one query (a search may run 2 s)


def _stops_the_run(error: HardcoverError) -> bool:
    """A search that keeps running over Hardcover's time limit fails only its own book:
    stopping there would keep every later book from ever being matched."""
    if isinstance(error, UnavailableError) and error.status == _QUERY_TIMEOUT:
        return False
    return isinstance(error, _RUN_LEVEL_ERRORS)


@dataclass(frozen=True)
class MatchProgress:
    """One book done: what happened to it, for progress displays and the CLI."""

    done: int
    total: int
    book_id: int
    title: str
    outcome: str  # linked | needs_review | no_match | error, or the stored state if cached
    reason: str
    cached: bool = False


@dataclass
class MatchReport:
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    cached: int = 0
    requests: int = 0  # HTTP requests sent during the run
    isbn_requests: int = 0  # of which resolving ISBNs
    results: list[MatchProgress] = field(default_factory=list)


@dataclass
class _Reporter:
    """Records each finished book in the report and passes it on to the progress callback."""

    report: MatchReport
    callback: Callable[[MatchProgress], None] | None

    def __call__(
        self, book_id: int, title: str, outcome: str, reason: str, *, cached: bool = False
    ) -> None:
        report = self.report
        done = len(report.results) + 1
        item = MatchProgress(done, report.total, book_id, title, outcome, reason, cached)
        report.results.append(item)
        report.counts[outcome] = report.counts.get(outcome, 0) + 1
        if self.callback is not None:
            self.callback(item)


@dataclass
class _Work:
    book_id: int
    local: LocalBook
    fingerprint: str
    found: list[tuple[HardcoverBook, Evidence]] = field(default_factory=list)
    isbn_books: set[int] = field(default_factory=set)
    # Evidence so far after each identifier step (Hardcover id/slug, ISBN-13, ISBN-10).
    steps: list[tuple[list[tuple[HardcoverBook, Evidence]], frozenset[int]]] = field(
        default_factory=list
    )
    linked: bool = False


def search_query(local: LocalBook) -> str:
    """Title (without bracketed remarks) and the first author as "First Last", unless that is
    in another script than a Latin title (Hardcover's search knows the romanised name)."""
    title = " ".join(_BRACKETS.sub(" ", local.title).split())
    names = [n for a in local.authors[:1] for n in split_authors(a)][:1]
    if names and _LATIN.search(title) and not _LATIN.search(names[0]):
        names = []
    author = ""
    if names:
        family, comma, given = names[0].partition(",")
        author = f"{given.strip()} {family.strip()}".strip() if comma else names[0]
    return f"{title} {author}".strip()


class Matcher(FetchedBooks):
    """Matches books with one client; keeps the Hardcover books it fetched for the run."""

    def __init__(self, client: HardcoverClient, *, clock: Callable[[], float] = time.time):
        super().__init__(client)
        self._clock = clock
        self._names = AuthorNames()

    # ----------------------------------------------------------------- the run
    async def run(
        self,
        book_ids: Iterable[int] | None = None,
        *,
        progress: Callable[[MatchProgress], None] | None = None,
        include_unread: bool = False,
    ) -> MatchReport:
        """Match every book not unread (or `include_unread`), or those of `book_ids`."""
        self.isbn_requests = 0
        started = self.client.requests_sent
        report = MatchReport()
        # Thousands of rows for a big library: read in a worker thread, not on the loop.
        books = await off_loop(survey, book_ids, include_unread=include_unread)
        report.total = len(books)
        work: list[_Work] = []
        emit = _Reporter(report, progress)
        for index, (book, local, digest, record) in enumerate(books):
            if index % YIELD_EVERY == 0:  # cached books send nothing: let the window turn
                await asyncio.sleep(0)
            if record is not None and not needs_matching(record, digest):
                report.cached += 1
                emit(book.id, book.title, record.state, record.reason or "", cached=True)
                continue
            work.append(_Work(book.id, local, digest))
        mark_checked(r.book_id for r in report.results if r.cached)
        languages = {w.local.language for w in work if w.local.language}
        try:
            await self._identifiers(work, languages, emit)
            await self._searches([w for w in work if not w.linked], languages, emit)
        finally:
            report.requests = self.client.requests_sent - started
            report.isbn_requests = self.isbn_requests
        return report

    async def _identifiers(self, work: list[_Work], languages: set[str], emit: _Reporter) -> None:
        by_isbn = await self._resolve_isbns(work)
        isbn_book_ids = {e.book_id for editions in by_isbn.values() for e in editions}
        wanted = [w.local.hardcover_edition_id for w in work if w.local.hardcover_edition_id]
        found = await self.client.editions_by_ids(wanted) if wanted else []
        pinned = {r.id: edition_from_record(r) for r in found}
        await self.hydrate(
            [
                *(w.local.hardcover_id for w in work if w.local.hardcover_id),
                *isbn_book_ids,
                *(e.book_id for e in pinned.values()),
            ],
            [w.local.hardcover_slug for w in work if w.local.hardcover_slug],
            languages,
        )
        for item in work:
            self._plan_identifiers(item, by_isbn, pinned)
            for candidates, isbn_books in item.steps:
                decision = decide(item.local, candidates, isbn_books=isbn_books)
                if decision.outcome == LINKED:
                    self._commit(item, decision, emit)
                    item.linked = True
                    break

    def _plan_identifiers(
        self, item: _Work, by_isbn: dict[str, list[EditionInfo]], pinned: dict[int, EditionInfo]
    ) -> None:
        local = item.local
        edition = pinned.get(local.hardcover_edition_id or 0)
        saved: tuple[tuple[str, int | str | None, EditionInfo | None], ...] = (
            ("hardcover_edition", edition.book_id if edition else None, edition),
            ("hardcover_id", local.hardcover_id, None),
            ("hardcover_slug", local.hardcover_slug, None),
        )
        for kind, key, named in saved:
            book = self.book(key) if key is not None else None
            if book is not None:
                item.found.append((book, Evidence(kind, named)))
        if item.found:
            item.steps.append((list(item.found), frozenset()))
        for kind, value in (("isbn13", local.isbn13), ("isbn10", local.isbn10)):
            parsed = parse_isbn(value) if value else None
            editions = by_isbn.get(parsed.isbn13, []) if parsed else []
            added = False
            for edition in editions:
                book = self.book(edition.book_id)
                if book is not None:
                    item.found.append((book, Evidence(kind, edition)))
                    item.isbn_books.add(book.id)
                    added = True
            if added:
                item.steps.append((list(item.found), frozenset(item.isbn_books)))

    async def _searches(self, work: list[_Work], languages: set[str], emit: _Reporter) -> None:
        # Books whose best candidates differ only in the author's name form wait for the
        # authors' alternate names, fetched for all of them together at the end.
        waiting: list[tuple[_Work, list[tuple[HardcoverBook, Evidence]]]] = []
        for start in range(0, len(work), SEARCH_CHUNK):
            chunk = work[start : start + SEARCH_CHUNK]
            hits: dict[int, list[int]] = {}
            failed: dict[int, str] = {}
            for item in chunk:
                query = search_query(item.local)
                try:
                    result = await self.client.search_books(query, per_page=SEARCH_PER_PAGE)
                except HardcoverError as error:
                    if _stops_the_run(error):
                        raise
                    failed[item.book_id] = f"{error.title}: {error.message}"
                    continue
                hits[item.book_id] = [h.id for h in result.hits[:CANDIDATES_PER_SEARCH]]
            await self.hydrate([i for ids in hits.values() for i in ids], (), languages)
            for item in chunk:
                if item.book_id in failed:
                    save_error(item.book_id, failed[item.book_id], now=self._clock())
                    emit(item.book_id, item.local.title, ERROR, failed[item.book_id])
                    continue
                found = list(item.found)
                for rank, hit in enumerate(hits.get(item.book_id, [])):
                    book = self.book(hit)
                    if book is not None:
                        found.append((book, Evidence(search_rank=rank)))
                decision = decide(item.local, found, isbn_books=frozenset(item.isbn_books))
                if decision.outcome != LINKED and self._names.to_ask(decision):
                    waiting.append((item, found))
                else:
                    self._commit(item, decision, emit)
        if waiting:
            await self._second_look(waiting, emit)

    async def _second_look(
        self, waiting: list[tuple[_Work, list[tuple[HardcoverBook, Evidence]]]], emit: _Reporter
    ) -> None:
        """One batched request for the alternate names of the waiting books' authors, then
        each waiting book is decided again with them."""
        wanted: set[int] = set()
        for item, found in waiting:
            decision = decide(item.local, found, isbn_books=frozenset(item.isbn_books))
            wanted |= self._names.to_ask(decision)
        try:
            await self._names.fetch(self.client, wanted)
        finally:
            for item, found in waiting:
                found = [(self._names.apply(book), evidence) for book, evidence in found]
                decision = decide(item.local, found, isbn_books=frozenset(item.isbn_books))
                self._commit(item, decision, emit)

    # ----------------------------------------------------------------- saving
    def _commit(self, item: _Work, decision: Decision, emit: _Reporter) -> None:
        edition_id = pages = None
        reason = decision.reason
        if decision.outcome == LINKED and decision.best is not None:
            best = decision.best
            editions = list(best.book.editions)
            isbn_ids = set()
            for book, evidence in item.found:
                if book.id == best.book.id and evidence.edition is not None:
                    editions.append(evidence.edition)
                    isbn_ids.add(evidence.edition.id)
            choice = choose_edition(
                editions, language=item.local.language, isbn_edition_ids=isbn_ids
            )
            why = choice.reason
            if best.evidence.identifier == "hardcover_edition" and best.evidence.edition:
                choice = replace(choice, edition=best.evidence.edition)
                why = "pinned by the file's Hardcover edition id"
            if choice.edition is not None:
                edition_id, pages = choice.edition.id, choice.edition.pages
                # The stored candidate describes the edition linked (format, pages).
                best = replace(best, evidence=replace(best.evidence, edition=choice.edition))
            reason = f"{reason}; edition: {why}"
            ranked = tuple(best if s is decision.best else s for s in decision.ranked)
            decision = Decision(decision.outcome, reason, best, ranked)
        saved = save_decision(
            item.book_id,
            decision,
            fingerprint=item.fingerprint,
            edition_id=edition_id,
            edition_pages=pages,
            now=self._clock(),
        )
        if saved is None:  # picked, excluded or synced meanwhile: left as it is
            current = get_match(item.book_id)
            state = current.state if current is not None else decision.outcome
            reason = "left as it is: it was picked, excluded or synced meanwhile"
        else:
            state = saved.state
        emit(item.book_id, item.local.title, state, reason)
