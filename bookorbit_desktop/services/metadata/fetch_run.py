"""One metadata fetch: every source works through its own list of books, so a slow source
(Hardcover waiting out a 429, a source timing out) never holds back the others.

Each source has `BOOKS_AT_ONCE` books in flight and its own pace (the sources pace their
requests themselves). Every answer is stored as it comes, one source's answer for one book a
transaction, and reported at once (`answered`, a `FetchAnswer`); a book is done (`progress`,
a `FetchProgress`) when the last of its sources has answered. A cancel stops every source
from starting another book: what was answered is kept, the rest stays pending for `retry`.
A source that cannot be asked at all answers every book at once with its fixed answer: a
failure with its reason (a token Hardcover refused), or `NOT_CONNECTED` for one the user has
not set up, which fails no book (`FetchReport.not_connected` names it once). Nothing is
applied here.

Before asking, each web source learns the user's e-mail address for its User-Agent
(`identify`, from Settings ▸ Metadata). When a source asks to wait (a 429 or 503, `web.Pacer`),
each of its books under way is reported at once (`answered`) with a `PENDING` answer that
says so, "waiting for Open Library (rate limit) — 40 s" (`waiting_message`); it is not stored,
and the book's real answer follows.
"""

from __future__ import annotations

import asyncio
import functools
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.metadata_sources.gather import ask
from bookorbit_desktop.metadata_sources.records import (
    NOT_CONNECTED,
    PENDING,
    Lookup,
    SourceResult,
    wait_words,
)
from bookorbit_desktop.metadata_sources.source import Source
from bookorbit_desktop.services.metadata.books import save_answers
from bookorbit_desktop.services.settings import load_contact_email

BOOKS_AT_ONCE = 8  # books in flight per source; each source still paces its own requests
REPORTS_AT_ONCE = 50  # answers reported in one turn of the loop (a fixed answer for many books)
# Fixed answers stored in one worker job (a transaction). The worker holds the interpreter lock
# while it builds the queries (about 0.5 ms an answer), and the window's thread waits for that
# lock each time it calls into Qt: a job for thousands of books stalled the window throughout.
SAVED_AT_ONCE = 8
Plan = Mapping[str, Sequence[Lookup]]  # source name -> the books it is asked about


def waiting_message(label: str, status: int, seconds: float) -> str:
    """ "waiting for Open Library (rate limit) — 40 s" ("busy" for a 503)."""
    why = "rate limit" if status == 429 else "busy"
    return f"waiting for {label} ({why}) — {wait_words(seconds)}"


@dataclass(frozen=True)
class FetchAnswer:
    """One source's answer for one book, stored, as it came."""

    book_id: int
    result: SourceResult


@dataclass(frozen=True)
class FetchProgress:
    """A book every source asked about it has answered: the `done`-th of `total`."""

    done: int
    total: int
    book_id: int
    results: tuple[SourceResult, ...]  # in the order of the plan's sources


@dataclass(frozen=True)
class FetchReport:
    books: int  # books asked about
    found: int  # books with at least one candidate
    failures: tuple[tuple[int, SourceResult], ...]  # (book id, the failed source's answer)
    cancelled: bool
    not_connected: tuple[str, ...] = ()  # the sources the user has not set up (not asked)


class FetchRun:
    """The bookkeeping of one fetch (see the module doc); `run` does it."""

    def __init__(
        self,
        plan: Plan,
        *,
        clock: Callable[[], float],
        progress: Callable[[FetchProgress], None] | None = None,
        answered: Callable[[FetchAnswer], None] | None = None,
        cancel: asyncio.Event | None = None,
    ) -> None:
        self.plan = plan
        self.order = tuple(plan)
        self.waiting: dict[int, set[str]] = {}
        for name, books in plan.items():
            for book in books:
                self.waiting.setdefault(book.book_id, set()).add(name)
        self.total = len(self.waiting)
        self.results: dict[int, dict[str, SourceResult]] = {b: {} for b in self.waiting}
        self.done = 0
        self.found: set[int] = set()
        self.failures: list[tuple[int, SourceResult]] = []
        self._clock = clock
        self._progress = progress
        self._answered = answered
        self._cancel = cancel
        self._saving = asyncio.Lock()  # one writer at a time; the sources keep asking
        self.under_way: dict[str, set[int]] = {name: set() for name in plan}

    def cancelled(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    async def run(
        self, sources: Sequence[Source], fixed: Mapping[str, SourceResult]
    ) -> FetchReport:
        """Ask `sources` (each about its books in the plan); `fixed` answers the plan's other
        sources for all their books at once."""
        answers = [(b.book_id, fixed[n]) for n in self.order if n in fixed for b in self.plan[n]]
        if answers and not self.cancelled():
            for start in range(0, len(answers), SAVED_AT_ONCE):
                await self._store(answers[start : start + SAVED_AT_ONCE])
        workers = []
        email = await off_loop(load_contact_email) if sources else None
        for source in sources:
            books = self.plan.get(source.name, ())
            identify = getattr(source, "identify", None)
            if identify is not None:  # a web source: the User-Agent names the user's e-mail
                identify(email)
            pacer = getattr(source, "pacer", None)
            if pacer is not None:  # a web source that may be asked to wait
                pacer.on_wait = functools.partial(self._waiting, source)
            expect = getattr(source, "expect", None)
            if expect is not None:  # a source that asks about many books at once (Hardcover)
                expect(books)
            queue = deque(books)
            for _ in range(BOOKS_AT_ONCE):
                workers.append(asyncio.create_task(self._work(source, queue)))
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
        unset = tuple(n for n in self.order if n in fixed and fixed[n].status == NOT_CONNECTED)
        return FetchReport(
            self.total, len(self.found), tuple(self.failures), self.done < self.total, unset
        )

    async def _work(self, source: Source, queue: deque[Lookup]) -> None:
        while queue and not self.cancelled():
            book = queue.popleft()
            under_way = self.under_way.setdefault(source.name, set())
            under_way.add(book.book_id)
            try:
                result = await ask(source, book)
            finally:
                under_way.discard(book.book_id)
            await self._store([(book.book_id, result)])

    def _waiting(self, source: Source, status: int, seconds: float) -> None:
        """`source` asked to wait: each of its books under way says so (not stored)."""
        if self._answered is None:
            return
        note = SourceResult(source.name, PENDING, waiting_message(source.label, status, seconds))
        for book_id in sorted(self.under_way.get(source.name, ())):
            self._answered(FetchAnswer(book_id, note))

    async def _store(self, answers: list[tuple[int, SourceResult]]) -> None:
        async with self._saving:
            await off_loop(save_answers, answers, self._clock())
        for start in range(0, len(answers), REPORTS_AT_ONCE):
            if start:
                await asyncio.sleep(0)  # the window redraws between slices of many answers
            for book_id, result in answers[start : start + REPORTS_AT_ONCE]:
                self._record(book_id, result)

    def _record(self, book_id: int, result: SourceResult) -> None:
        results = self.results[book_id]
        results[result.source] = result
        if result.candidates:
            self.found.add(book_id)
        if result.failed:
            self.failures.append((book_id, result))
        if self._answered is not None:
            self._answered(FetchAnswer(book_id, result))
        waiting = self.waiting[book_id]
        waiting.discard(result.source)
        if waiting:
            return
        self.done += 1
        if self._progress is not None:
            ordered = tuple(results[n] for n in self.order if n in results)
            self._progress(FetchProgress(self.done, self.total, book_id, ordered))
