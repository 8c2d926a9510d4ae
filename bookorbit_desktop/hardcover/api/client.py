"""Hardcover's GraphQL API over one aiohttp session: pacing, retries and typed errors.

`execute(name, variables)` sends `operations/<name>.graphql`. Before sending it waits for the
rate budget (one token per top-level field, see `ratelimit`); on 429 it honours Retry-After;
500/502/503/504/408, timeouts and dropped connections are retried with capped exponential
backoff and jitter. Mutations are retried only when Hardcover cannot have applied them (503,
refused connection, 429): repeating an `insert_user_book` that may have run would add a
second library entry. Errors come out as `hardcover.errors` classes; the token appears only
in the Authorization header and never in logs or messages.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bookorbit_desktop import __version__
from bookorbit_desktop.hardcover.api import records
from bookorbit_desktop.hardcover.api.documents import Operation, load_operation
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    HardcoverError,
    NetworkError,
    RateLimitedError,
    ScopeError,
    SearchFailedError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.api.ratelimit import Budget, RateLimiter
from bookorbit_desktop.hardcover.api.responses import interpret, parse_retry_after
from bookorbit_desktop.logging_setup import mask_secret

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.hardcover.app/v1/graphql"
ENDPOINT_ENV = "BOOKORBIT_HARDCOVER_URL"
USER_AGENT = f"BookOrbitDesktop/{__version__}"
# Hardcover lets a query run 30 s; allow for that plus the trip.
DEFAULT_TIMEOUT = {"total": 45, "connect": 15}  # seconds (aiohttp loads with the first client)
# Seconds bounding each HTTP try of the requests sent in this context, instead of the client's
# own timeout: set by a caller that must not wait long (a metadata fetch), whoever made the client.
request_timeout: ContextVar[float | None] = ContextVar("hardcover_request_timeout", default=None)
PAGE_SIZE = 100  # rows per page in our operations; Hardcover caps lists at 100
# ISBNs per EditionsByIsbn request (one rate token each). A little under the 100-row page so
# the usual one-edition-per-ISBN answer fits one page and needs no follow-up request.
ISBN_CHUNK = 90
EDITIONS_BOOK_CHUNK = 20  # books per EditionsByBooks request (popular books have 500+ editions)
_RETRY_STATUSES = frozenset({408, 500, 502, 503, 504})
# Hardcover calls a 503 "temporarily unavailable, safe to retry", yet a 503 can also follow a
# write that was stored. Setting values again is harmless; inserting again is a duplicate, so
# an insert is never sent twice: its caller reads back what Hardcover has first.
_NOT_APPLIED_STATUSES = frozenset({503})


def endpoint_from_env() -> str:
    return os.environ.get(ENDPOINT_ENV, "").strip() or DEFAULT_ENDPOINT


@dataclass
class _Attempts:
    """What the failed attempts of one request may have done on Hardcover."""

    maybe_applied: bool = False
    open: bool = False  # one may still be carried out after we stopped waiting

    def note(self, status: int | None) -> None:
        """An attempt failed: never sent (None), no answer (0), or answered `status`."""
        if status is not None:
            self.maybe_applied = True
            self.open = self.open or status in (0, 408, 504)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all for 5xx/408/timeouts
    base_delay: float = 1.0
    max_delay: float = 30.0
    throttle_attempts: int = 3  # 429s honoured in a row before giving up
    max_wait: float = 120.0  # longer waits (daily cap) raise RateLimitedError instead
    default_retry_after: float = 5.0

    def backoff(self, attempt: int, jitter: float) -> float:
        """Delay before retry `attempt` (0-based): half fixed, half random ("equal jitter")."""
        capped = min(self.max_delay, self.base_delay * (2**attempt))
        return capped / 2 + capped / 2 * jitter


class HardcoverClient:
    """A connection to Hardcover for one token. Use as `async with`, or call `close()`."""

    def __init__(
        self,
        token: str,
        *,
        session: aiohttp.ClientSession | None = None,
        endpoint: str | None = None,
        limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        retry: RetryPolicy | None = None,
        timeout: aiohttp.ClientTimeout | None = None,
        on_auth_error: Callable[[AuthError], None] | None = None,
    ) -> None:
        if not token or any(ch.isspace() for ch in token):
            raise ValueError("the token must be normalised before use")
        self._token = token
        mask_secret(token)  # whatever Hardcover echoes of it, no message or log shows it
        self._session = session
        self._owns_session = session is None
        self.endpoint = endpoint or endpoint_from_env()
        self.limiter = limiter or RateLimiter(clock=clock)
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self.retry = retry or RetryPolicy()
        self._timeout = timeout
        self._on_auth_error = on_auth_error
        self._budget_lock = asyncio.Lock()
        self.requests_sent = 0
        self.refused_scopes: set[str] = set()  # every scope Hardcover refused this client

    def __repr__(self) -> str:  # never show the token
        return f"HardcoverClient(endpoint={self.endpoint!r})"

    async def __aenter__(self) -> HardcoverClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    def budget(self) -> Budget:
        return self.limiter.budget()

    # ----------------------------------------------------------------- transport
    async def execute(
        self,
        operation_name: str,
        variables: dict[str, Any] | None = None,
        *,
        raise_mutation_errors: bool = True,
    ) -> dict[str, Any]:
        """Send one stored operation; return its `data`.

        With `raise_mutation_errors=False` a mutation's own `error` fields are left in the
        returned data for the caller to read alias by alias. A query is repeated after a
        passing failure; a mutation only when Hardcover cannot have applied it, or after a
        503 when it only sets values (an insert answered 503 is `UnavailableError`).
        """
        operation = load_operation(operation_name)
        attempts = _Attempts()
        try:
            status, text = await self._send(operation, variables or {}, attempts)
            return interpret(status, text, operation, check_mutations=raise_mutation_errors)
        except HardcoverError as error:
            error.maybe_applied, error.may_still_land = attempts.maybe_applied, attempts.open
            if isinstance(error, ScopeError) and error.scope:
                self.refused_scopes.add(error.scope)
            if isinstance(error, AuthError) and self._on_auth_error is not None:
                self._on_auth_error(error)
            raise

    async def _send(
        self, operation: Operation, variables: dict[str, Any], attempts: _Attempts
    ) -> tuple[int, str]:
        import aiohttp  # loads with the first request, not with the window

        payload = {"query": operation.text, "variables": variables, "operationName": operation.name}
        repeatable = operation.kind == "query"
        failures = throttles = 0
        while True:
            await self._acquire(operation.cost)
            try:
                status, headers, text = await self._post(payload)
            except (aiohttp.ClientError, TimeoutError) as error:
                # A refused connection never reached Hardcover; anything later might have.
                not_sent = isinstance(error, aiohttp.ClientConnectorError)
                attempts.note(None if not_sent else 0)
                detail = _describe(error)
                if (repeatable or not_sent) and failures + 1 < self.retry.attempts:
                    log.info("Hardcover %s failed (%s); retrying", operation.name, detail)
                    await self._sleep(self.retry.backoff(failures, self._jitter()))
                    failures += 1
                    continue
                raise NetworkError(detail) from None
            self.limiter.observe(headers)
            log.debug("Hardcover %s -> HTTP %s", operation.name, status)
            if status == 429:
                wait = parse_retry_after(
                    headers.get("Retry-After"), self._clock(), self.retry.default_retry_after
                )
                daily = self.limiter.daily_exhausted(operation.cost)
                self.limiter.throttled(wait, daily=daily)
                if daily or wait > self.retry.max_wait or throttles >= self.retry.throttle_attempts:
                    raise RateLimitedError(wait, daily=daily)
                log.info("Hardcover asked to slow down; waiting %.0f s", wait)
                throttles += 1
                continue  # _acquire sleeps until the limiter's block ends
            if status in _RETRY_STATUSES:
                attempts.note(status)
                retry_ok = repeatable or (status in _NOT_APPLIED_STATUSES and not operation.creates)
                if retry_ok and failures + 1 < self.retry.attempts:
                    log.info("Hardcover %s answered %s; retrying", operation.name, status)
                    await self._sleep(self.retry.backoff(failures, self._jitter()))
                    failures += 1
                    continue
                raise UnavailableError(status)
            return status, text

    async def _acquire(self, cost: int) -> None:
        """Wait until the budget allows `cost` fields, then spend them."""
        async with self._budget_lock:
            while True:
                wait = self.limiter.wait_time(cost)
                if wait <= 0:
                    break
                if wait > self.retry.max_wait:
                    raise RateLimitedError(wait, daily=self.limiter.daily_exhausted(cost))
                await self._sleep(wait)
            self.limiter.spend(cost)
            self.requests_sent += 1

    async def _post(self, payload: dict[str, Any]) -> tuple[int, dict[str, str], str]:
        import aiohttp

        if self._timeout is None:
            self._timeout = aiohttp.ClientTimeout(**DEFAULT_TIMEOUT)
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
            self._owns_session = True
        headers = {
            "Authorization": f"Bearer {self._token}",
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
        }
        seconds = request_timeout.get()
        bound = self._timeout if seconds is None else aiohttp.ClientTimeout(total=seconds)
        async with self._session.post(
            self.endpoint, json=payload, headers=headers, timeout=bound
        ) as response:
            text = await response.text(errors="replace")
            return response.status, dict(response.headers), text

    # ----------------------------------------------------------------- typed helpers
    async def me(self) -> records.HardcoverUser:
        data = await self.execute("Me")
        users = data.get("me") or []
        if not users:
            raise AuthError("the token belongs to no account")
        return records.user_from(users[0])

    async def search_books(
        self, query: str, *, per_page: int = 10, page: int = 1
    ) -> records.SearchResult:
        """Hardcover's book search (one request each; it cannot be batched)."""
        data = await self.execute(
            "SearchBooks", {"query": query, "perPage": per_page, "page": page}
        )
        search = data.get("search") or {}
        if search.get("error"):  # not "no hits": a book must not be stored as unmatched
            raise SearchFailedError(str(search["error"]))
        return records.search_result_from(query, search)

    async def editions_by_isbn(
        self, isbn13s: Iterable[str] = (), isbn10s: Iterable[str] = ()
    ) -> list[records.Edition]:
        """Every edition carrying one of the ISBNs: ISBN_CHUNK per request, paginated."""
        wanted = [("13", v) for v in _unique(isbn13s)] + [("10", v) for v in _unique(isbn10s)]
        editions: dict[int, records.Edition] = {}
        for start in range(0, len(wanted), ISBN_CHUNK):
            chunk = wanted[start : start + ISBN_CHUNK]
            variables = {
                "isbn13": [v for kind, v in chunk if kind == "13"],
                "isbn10": [v for kind, v in chunk if kind == "10"],
            }
            for row in await self._paged("EditionsByIsbn", variables, "editions"):
                editions.setdefault(int(row["id"]), records.edition_from(row))
        return list(editions.values())

    async def editions_by_ids(self, edition_ids: Iterable[int]) -> list[records.Edition]:
        """The editions with these ids (absent ones are left out), a hundred per request."""
        unique = _unique(int(i) for i in edition_ids)
        result: list[records.Edition] = []
        for start in range(0, len(unique), PAGE_SIZE):
            data = await self.execute("EditionsByIds", {"ids": unique[start : start + PAGE_SIZE]})
            result.extend(records.edition_from(row) for row in data.get("editions") or [])
        return result

    async def editions_for_books(self, book_ids: Iterable[int]) -> list[records.Edition]:
        """All editions of the books, most-used first within each book."""
        result: list[records.Edition] = []
        unique = _unique(int(i) for i in book_ids)
        for start in range(0, len(unique), EDITIONS_BOOK_CHUNK):
            chunk = unique[start : start + EDITIONS_BOOK_CHUNK]
            rows = await self._paged("EditionsByBooks", {"bookIds": chunk}, "editions")
            result.extend(records.edition_from(row) for row in rows)
        return result

    async def edition_by_id(self, edition_id: int) -> records.Edition | None:
        row = (await self.execute("EditionById", {"id": edition_id})).get("editions_by_pk")
        return records.edition_from(row) if row else None

    async def user_book_for(self, user_id: int, book_id: int) -> dict[str, Any] | None:
        """The user's own library entry for a Hardcover book, or None."""
        variables = {"userId": user_id, "bookId": book_id}
        rows = (await self.execute("UserBookByBook", variables)).get("user_books") or []
        return rows[0] if rows else None

    async def insert_user_book(self, values: dict[str, Any]) -> dict[str, Any]:
        """Add a book to the user's library; returns `{id, user_book{…reads}}`."""
        data = await self.execute("InsertUserBook", {"object": values})
        return data["insert_user_book"]

    async def delete_user_book(self, user_book_id: int) -> bool:
        """Remove a library entry; False when Hardcover did not delete it."""
        data = await self.execute("DeleteUserBook", {"id": user_book_id})
        result = data.get("delete_user_book") or {}
        return result.get("id") == user_book_id

    async def _paged(
        self, name: str, variables: dict[str, Any], field: str
    ) -> list[dict[str, Any]]:
        """Fetch every page of a list field; stops at the first short page."""
        rows: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = (await self.execute(name, {**variables, "offset": offset})).get(field) or []
            rows.extend(page)
            if len(page) < PAGE_SIZE:
                return rows
            offset += len(page)


def _unique(values: Iterable[Any]) -> list[Any]:
    seen: dict[Any, None] = {}
    for value in values:
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            seen.setdefault(value, None)
    return list(seen)


def _describe(error: BaseException) -> str:
    import aiohttp

    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect to {error.host}"
    return type(error).__name__


__all__: Sequence[str] = (
    "DEFAULT_ENDPOINT",
    "ENDPOINT_ENV",
    "USER_AGENT",
    "HardcoverClient",
    "RetryPolicy",
    "endpoint_from_env",
)
