"""Metadata from Hardcover, Open Library and Google Books: the facade the window and the
command line call, answered with plain data.

- `fetch(book_ids, progress=, answered=, cancel=)` asks every source about every book in the
  background (`fetch_run`: each source works through the books on its own, at its own
  pace, so a slow one never holds back the others) and stores each answer as it comes.
  `answered` receives each source's answer (a `FetchAnswer`) as soon as it is stored;
  `progress` a `FetchProgress` when a book's last source has answered. A cancel keeps what
  was fetched. Nothing is applied. With the window's Hardcover account (`account=`), a
  fetch spends the same rate budget as sync.
- A source the user has not set up (Hardcover without a token, or without any password
  storage) answers every book `NOT_CONNECTED` ("Settings ▸ Hardcover"): not a failure, so
  no book fails and nothing is retried for it; a token Hardcover refuses is a failure.
- `retry(book_ids=None)` fetches again what failed (refused, rate-limited, timed out,
  malformed, or left pending by an interrupted run), of those books or of the whole
  library, only from the sources that failed. `failed_answers()` reads the stored answers of
  the books something failed for, with the reasons.
- `candidates(book_id)` reads the stored answers: per source its status, message and
  candidates, and per field the local value, each source's value, which differ and which
  source the "best" rule (`metadata_sources.compare`) picks.
- `apply(book_id, fields, source)` / `apply_all(book_id, source, only_empty=)` save a
  candidate's values as the user's own edit through `library.editing` (marked, so imports
  keep them; OPDS and matching see the change). A cover is downloaded, checked and stored as
  an edited cover is. `apply_best(book_id, fields=None, only_empty=)` takes each field from
  the source the rule picks (never from a record of another edition, never a value poorer
  than the book's); `fill_plan(book_ids)` says what Fill Empty Fields would give those
  books, for its review, and `fill(plan, book_id, step=)` saves what it gives one book. The
  book's file is never written. `appliable_fields()` names the candidate fields that can be
  applied (all of them now; any other would be shown only).
- `has_google_key()` / `save_google_key(key)` / `remove_google_key()`: the optional Google
  Books API key, kept only in the system keyring (blocking keyring calls: run them off-loop).

Every result is a frozen dataclass of plain values; errors are `BookOrbitError`s with a title
and a message that says what to do (InvalidValueError, NotFoundError), never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import importlib
import time
from collections.abc import AsyncIterator, Callable, Sequence

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError, InvalidValueError, NotFoundError
from bookorbit_desktop.hardcover.api.client import RetryPolicy
from bookorbit_desktop.hardcover.api.errors import NoKeyringError, NotConnectedError
from bookorbit_desktop.library.store import fetched_metadata
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.metadata_sources.compare import take_all
from bookorbit_desktop.metadata_sources.keys import GoogleBooksKey
from bookorbit_desktop.metadata_sources.records import (
    NOT_CONNECTED,
    REFUSED,
    SOURCE_LABELS,
    Candidate,
    Lookup,
    SourceResult,
)
from bookorbit_desktop.metadata_sources.source import Source
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.metadata.apply import (
    APPLICABLE,
    NOT_KEPT,
    ApplyResult,
    FillPlan,
    appliable_fields,
    apply_picks,
    book_picks,
    fill_picks,
    plan_fill,
    withheld_fields,
)
from bookorbit_desktop.services.metadata.books import (
    BookCandidates,
    book_candidates,
    guarded_search,
    lookups,
    stored_answers,
)
from bookorbit_desktop.services.metadata.fetch_run import (
    FetchAnswer,
    FetchProgress,
    FetchReport,
    FetchRun,
)

SOURCES = tuple(SOURCE_LABELS)
LABELS = SOURCE_LABELS
# Hardcover, for a fetch: two tries of a request, a 429 waited out only when it asks for 30 s
# or less (longer: the book is "rate-limited", retry later); every try is bounded by the 10 s
# metadata timeout (`metadata_sources.hardcover.bounded`).
METADATA_RETRY = RetryPolicy(attempts=2, throttle_attempts=1, max_wait=30.0)
# Where a Hardcover not set up is connected: its answer's message (`NOT_CONNECTED`).
CONNECT_HARDCOVER = "Settings ▸ Hardcover"


# Books looked up in one worker job: about 0.6 ms of Python each. A worker thread running
# Python holds the interpreter lock, and the window's thread, which lets go of it around most
# calls into Qt, waits up to `sys.getswitchinterval()` (5 ms) to have it back each time: a
# 60 ms job made a 60 ms stall of the window with a few ms of its own work in it. Short jobs
# with a turn of the loop between them keep that wait short.
LOOKUPS_AT_ONCE = 8


def _load_steps() -> tuple[Callable[[], object], ...]:
    """What a fetch needs and the window does not, loaded with the first fetch in worker
    threads, never on the window's loop, one module a job (see `LOOKUPS_AT_ONCE`): aiohttp,
    the source modules (and the matching they use) and the language tables the answers'
    language codes are read with (about 0.1 s in all)."""

    def languages() -> None:
        from bookorbit_desktop.library.metadata.languages import normalize_language

        normalize_language("en")

    sources = ("googlebooks", "hardcover", "openlibrary")
    modules = ("aiohttp", *(f"bookorbit_desktop.metadata_sources.{n}" for n in sources))
    return (*(functools.partial(importlib.import_module, m) for m in modules), languages)


async def _load_sources() -> None:
    for step in _load_steps():  # each a no-op once loaded
        await asyncio.to_thread(step)


async def _lookups(book_ids: Sequence[int]) -> list[Lookup]:
    """`lookups` of the books, a few at a time in worker threads (see `LOOKUPS_AT_ONCE`)."""
    wanted = list(dict.fromkeys(book_ids))
    found: list[Lookup] = []
    for start in range(0, len(wanted), LOOKUPS_AT_ONCE):
        found += await off_loop(lookups, wanted[start : start + LOOKUPS_AT_ONCE])
    return found


def unknown_source(name: str) -> InvalidValueError:
    return InvalidValueError(
        f"There is no metadata source {name!r}. Use one of: {', '.join(SOURCES)}."
    )


class MetadataService:
    """Fetch, show and apply metadata candidates (see the module's docstring)."""

    def __init__(
        self,
        paths: Paths,
        *,
        account: HardcoverAccount | None = None,
        google_key: GoogleBooksKey | None = None,
        sources: Sequence[str] = SOURCES,
        intervals: dict[str, float] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        for name in sources:
            if name not in SOURCES:
                raise unknown_source(name)
        self.paths = paths
        self.sources = tuple(sources)
        self._account = account
        self._google_key = google_key or GoogleBooksKey()
        self._intervals = intervals or {}
        self._clock = clock

    def _hardcover_account(self) -> HardcoverAccount:
        """The account given (the window's: one rate budget with sync), else one of its own."""
        if self._account is None:
            self._account = HardcoverAccount()
        return self._account

    @contextlib.asynccontextmanager
    async def _open_sources(
        self, wanted: Sequence[str]
    ) -> AsyncIterator[tuple[list[Source], dict[str, SourceResult]]]:
        """The sources to ask, and a fixed answer for those that cannot be asked at all."""
        await _load_sources()
        from bookorbit_desktop.metadata_sources import googlebooks, hardcover, openlibrary, outside

        fixed: dict[str, SourceResult] = {}
        sources: list[Source] = []
        async with contextlib.AsyncExitStack() as stack:
            session = await stack.enter_async_context(outside.open_session())
            for name in wanted:
                interval = self._intervals.get(name)
                if name == openlibrary.NAME:
                    ol = openlibrary.OpenLibrary(session)
                    if interval is not None:
                        ol.pacer.interval = interval
                    sources.append(ol)
                elif name == googlebooks.NAME:
                    key = await asyncio.to_thread(self._google_key.load)
                    google = googlebooks.GoogleBooks(session, api_key=key)
                    if interval is not None:
                        google.pacer.interval = interval
                    sources.append(google)
                elif name == hardcover.NAME:
                    try:
                        client = await stack.enter_async_context(
                            self._hardcover_account().open_client()
                        )
                    except (NotConnectedError, NoKeyringError):
                        # Not set up: said once, no book fails for it, nothing to retry.
                        fixed[name] = SourceResult(name, NOT_CONNECTED, CONNECT_HARDCOVER)
                        continue
                    except BookOrbitError as error:  # a token Hardcover refused, a locked keyring
                        message = f"{error.title}: {error.message}"
                        fixed[name] = SourceResult(name, REFUSED, message)
                        continue
                    # Whoever made the client, a fetch keeps its own patience (the budget
                    # and the limiter's waits stay the account's, shared with sync).
                    client.retry = METADATA_RETRY
                    find = functools.partial(guarded_search, client)
                    sources.append(hardcover.HardcoverSource(client, find_book=find))
            yield sources, fixed

    async def fetch(
        self,
        book_ids: Sequence[int],
        *,
        sources: Sequence[str] | None = None,
        progress: Callable[[FetchProgress], None] | None = None,
        answered: Callable[[FetchAnswer], None] | None = None,
        cancel: asyncio.Event | None = None,
    ) -> FetchReport:
        """Ask the sources about the books and store their answers (see the module doc).
        NotFoundError when none of the books exists."""
        wanted = tuple(sources or self.sources)
        for name in wanted:
            if name not in SOURCES:
                raise unknown_source(name)
        books = await _lookups(book_ids)
        if not books:
            raise NotFoundError(
                "None of those books is in the library. List them with `bookorbit-desktop books`."
            )
        plan = {name: books for name in wanted}
        return await self._fetch(plan, progress, answered, cancel)

    async def _fetch(
        self,
        plan: dict[str, list[Lookup]],
        progress: Callable[[FetchProgress], None] | None,
        answered: Callable[[FetchAnswer], None] | None,
        cancel: asyncio.Event | None,
    ) -> FetchReport:
        queued = {name: [b.book_id for b in books] for name, books in plan.items()}
        await off_loop(fetched_metadata.mark_pending, queued, self._clock())
        run = FetchRun(plan, clock=self._clock, progress=progress, answered=answered, cancel=cancel)
        async with self._open_sources(list(plan)) as (asked, fixed):
            return await run.run(asked, fixed)

    async def retry(
        self,
        book_ids: Sequence[int] | None = None,
        *,
        progress: Callable[[FetchProgress], None] | None = None,
        answered: Callable[[FetchAnswer], None] | None = None,
        cancel: asyncio.Event | None = None,
    ) -> list[FetchReport]:
        """Fetch again what failed (of `book_ids`, or of the whole library), each book only
        from the sources that failed it, all sources at once: [] when nothing failed, else
        the one fetch's report."""
        failed = await off_loop(fetched_metadata.failed_books)
        if book_ids is not None:
            keep = set(book_ids)
            failed = {b: names for b, names in failed.items() if b in keep}
        books = {b.book_id: b for b in await _lookups(list(failed))}
        plan = {
            name: [books[b] for b, names in failed.items() if name in names and b in books]
            for name in SOURCES
        }
        plan = {name: asked for name, asked in plan.items() if asked}
        if not plan:
            return []
        return [await self._fetch(plan, progress, answered, cancel)]

    def failed(self) -> dict[int, list[str]]:
        """Book id -> the sources whose last fetch failed (a blocking read; call off-loop)."""
        return fetched_metadata.failed_books()

    async def failed_answers(self) -> list[FetchAnswer]:
        """Every stored answer of the books a source failed (or never answered), each with
        its status, reason and candidates, by book: what the window lists as failed
        fetches, whichever run (the window's or the command line's) left them."""
        failed = await off_loop(fetched_metadata.failed_books)
        if not failed:
            return []
        stored = await off_loop(stored_answers, list(failed))
        return [FetchAnswer(book_id, result) for book_id, result in stored]

    async def candidates(self, book_id: int) -> BookCandidates:
        """The stored answers for one book and their comparison with its values."""
        return await off_loop(book_candidates, book_id, self.paths.data_dir)

    async def apply(
        self,
        book_id: int,
        fields: Sequence[str],
        source: str,
        *,
        index: int = 0,
        step: int | None = None,
    ) -> ApplyResult:
        """Save `fields` of `source`'s candidate (its `index`-th, the best match by default)
        as the user's edit (part of `step` when given); InvalidValueError (nothing saved) when
        none of them can be."""
        if source not in SOURCES:
            raise unknown_source(source)
        shown = await self.candidates(book_id)
        answer = next((a for a in shown.sources if a.source == source), None)
        if answer is None or not answer.candidates:
            raise InvalidValueError(
                f"{LABELS[source]} has no candidate for book {book_id}. Fetch first with "
                f"`bookorbit-desktop metadata fetch {book_id}`."
            )
        if not 0 <= index < len(answer.candidates):
            raise InvalidValueError(
                f"{LABELS[source]} has {len(answer.candidates)} candidates for book {book_id};"
                f" choose one from 0 to {len(answer.candidates) - 1}."
            )
        candidate = answer.candidates[index]
        picks = [(f, candidate) for f in fields]
        return await apply_picks(self.paths, book_id, picks, source, step=step)

    async def apply_all(
        self,
        book_id: int,
        source: str,
        *,
        only_empty: bool = False,
        index: int = 0,
        step: int | None = None,
    ) -> ApplyResult:
        """ "Take all from `source`": every field its candidate has (with `only_empty`, only
        those the book has no value for); part of `step` when given."""
        shown = await self.candidates(book_id)
        answer = next((a for a in shown.sources if a.source == source), None)
        candidate = answer.candidates[index] if answer and len(answer.candidates) > index else None
        if candidate is None:
            return await self.apply(book_id, [], source, index=index)  # says why
        wanted = take_all(candidate, only_empty=shown.local if only_empty else None)
        if not any(n in APPLICABLE for n in wanted):  # nothing the library can take
            return ApplyResult(book_id, source, (), tuple((n, NOT_KEPT) for n in wanted))
        picks = [(n, candidate) for n in wanted]
        return await apply_picks(self.paths, book_id, picks, source, step=step)

    async def apply_best(
        self,
        book_id: int,
        fields: Sequence[str] | None = None,
        *,
        only_empty: bool = False,
        step: int | None = None,
    ) -> ApplyResult:
        """Each field (all by default; with `only_empty`, only the book's empty ones) from the
        source the best-value rule picks (`metadata_sources.compare`); part of `step` when
        given (Fill Empty Fields over many books). A field left alone because only a record
        of another edition has it is among the skipped, with the reason."""
        shown = await self.candidates(book_id)
        picks = book_picks(shown, fields, only_empty=only_empty)
        withheld = withheld_fields(shown, [n for n, _ in picks], fields, only_empty=only_empty)
        if not picks:
            return ApplyResult(book_id, "best", (), withheld)
        result = await apply_picks(self.paths, book_id, picks, "best", step=step)
        return dataclasses.replace(result, skipped=(*result.skipped, *withheld))

    async def best_picks(
        self, book_id: int, fields: Sequence[str] | None = None, *, only_empty: bool = False
    ) -> list[tuple[str, Candidate]]:
        """The (field, candidate) pairs `apply_best` would save (`metadata_apply.book_picks`:
        never from another edition, never a value poorer than the book's)."""
        return book_picks(await self.candidates(book_id), fields, only_empty=only_empty)

    async def fill_plan(self, book_ids: Sequence[int]) -> FillPlan:
        """What Fill Empty Fields would give these books (`metadata_apply.plan_fill`): per
        field, how many books get a value from which source, and the records left out as
        another edition."""
        return plan_fill([await self.candidates(b) for b in dict.fromkeys(book_ids)])

    async def fill(self, plan: FillPlan, book_id: int, *, step: int) -> ApplyResult:
        """Save what `plan` gives `book_id` (as the review showed it), part of `step`; what
        could not be saved (a cover not downloaded) is among the skipped, with why."""
        return await fill_picks(self.paths, book_id, plan.picks[book_id], step=step)

    def appliable_fields(self) -> tuple[str, ...]:
        """The candidate fields `apply` can save (`metadata_apply.appliable_fields`)."""
        return appliable_fields()

    def has_google_key(self) -> bool:
        """Whether a Google Books API key is saved (a blocking keyring call; off the loop)."""
        return self._google_key.load() is not None

    def save_google_key(self, key: str) -> None:
        """Keep the key in the system keyring; InvalidValueError for a malformed key."""
        self._google_key.save(key)

    def remove_google_key(self) -> bool:
        return self._google_key.delete()
