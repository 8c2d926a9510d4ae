"""What every web source shares: pacing requests to a documented rate, backing off when the
provider asks to, and one GET that gives parsed JSON or a `SourceError` with a status and a
message, never a traceback.

`Pacer` spaces requests `interval` seconds apart (a lock keeps concurrent books in line), so a
source never sends faster than its provider asks. The one rule for a provider that says "too
many" (HTTP 429) or "busy" (503), used by every web source in the window and on the command
line alike: nothing more is sent to that source until the wait is over; the wait is the
answer's Retry-After (seconds or an HTTP date) or the growing back-off (`backoff`: 2 s, 4 s,
8 s … at most `BACKOFF_CAP`), whichever is longer; the back-off starts again from 2 s after an
answer that is not a refusal. `REFUSALS_IN_A_ROW` (3) refusals in a row, whichever books they
were for, or one Retry-After beyond `MAX_WAIT` (10 minutes), stop the source for the rest of
the fetch: the book asked about and every later one fails "rate-limited" (429) or "refused"
(503) with a message that says so, without a request, and `metadata retry` asks again later.
So a source that refuses everything ends its part of a fetch after two waits (2 s and 4 s),
never after a back-off growing to minutes. Whoever watches the fetch learns of each wait
(`Pacer.on_wait`).

`get_json` sends through `outside.get` (public addresses only, every redirect checked),
applies the 10 s timeout to every request and maps the outcomes: 429 -> rate-limited,
401/403 and other refusals -> refused, 404 -> no result, bad JSON -> malformed, no answer in
time -> timed out, an address not fetched from -> refused.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.metadata
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bookorbit_desktop import __version__
from bookorbit_desktop.metadata_sources import outside
from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    NO_RESULT,
    RATE_LIMITED,
    REFUSED,
    TIMED_OUT,
    SourceError,
    wait_words,
)

TIMEOUT_SECONDS = 10.0
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # a metadata answer is a few kilobytes
THROTTLED = frozenset({429, 503})  # "too many requests" and "busy, come back later"
REFUSALS_IN_A_ROW = 3  # "slow down" answers in a row that stop the source for the fetch
RETRY_ADVICE = "Try again later with `metadata retry` (or Retry Failed)."
BACKOFF_FIRST = 2.0  # seconds: the first wait after a refusal without a Retry-After
BACKOFF_CAP = 120.0  # seconds: the back-off grows no further
MAX_WAIT = 600.0  # seconds: a longer Retry-After stops the source for the rest of the fetch
# The clocks and the sleep of every pacer not given its own (a test puts a virtual clock here).
CLOCK: Callable[[], float] = time.monotonic
SLEEP: Callable[[float], Awaitable[None]] = asyncio.sleep
WALL: Callable[[], float] = time.time  # Unix time, for a Retry-After given as a date
# Open Library asks API users to name the app and a contact in the User-Agent: the project's
# own address from the installed package's metadata (pyproject's [project.urls]: Homepage,
# Repository or Source), and the e-mail address the user gives in Settings ▸ Metadata.
DISTRIBUTION = "bookorbit-desktop"
_URL_LABELS = ("homepage", "repository", "source")


@functools.cache
def project_url() -> str | None:
    """The project's web address as its installed metadata gives it, or None."""
    try:
        meta = importlib.metadata.metadata(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().casefold(), url.strip())
    found = next((urls[k] for k in _URL_LABELS if urls.get(k)), None)
    home = next((u.strip() for u in meta.get_all("Home-page") or () if u.strip()), None)
    return found or home


def user_agent(email: str | None = None) -> str:
    """ "BookOrbitDesktop/<version> (BookOrbit Desktop ebook library; <web page>; <e-mail>)",
    with the parts there are."""
    contacts = [c for c in (project_url(), email) if c]
    about = "; ".join(["BookOrbit Desktop ebook library", *contacts]) if contacts else ""
    return f"BookOrbitDesktop/{__version__} ({about or 'BookOrbit Desktop'})"


def identified(email: str | None = None) -> bool:
    """Whether the User-Agent names a contact (the project's page or the user's e-mail)."""
    return bool(project_url() or email)


def retry_after(value: str | None, now: float) -> float | None:
    """A Retry-After header's wait in seconds from `now` (a Unix time): delay-seconds or an
    HTTP date; None when there is none or it cannot be read."""
    raw = (value or "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - now)


def backoff(refusals: int) -> float:
    """The wait after `refusals` refusals in a row (1, 2, 3 …): 2 s, 4 s, 8 s … capped."""
    return min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** max(0, refusals - 1))


class Pacer:
    """At most one request per `interval` seconds for one source (shared by all its books),
    and none while the source has asked to wait (see the module doc)."""

    def __init__(
        self,
        interval: float,
        *,
        label: str = "The source",
        advice: str = RETRY_ADVICE,  # what to do once the source is stopped
        clock: Callable[[], float] | None = None,  # CLOCK when None
        sleep: Callable[[float], Awaitable[None]] | None = None,  # SLEEP when None
        wall: Callable[[], float] | None = None,  # WALL when None
    ) -> None:
        self.interval = interval
        self.label = label
        self.advice = advice
        self._clock = clock or CLOCK
        self._sleep = sleep or SLEEP
        self.wall = wall or WALL
        self._next = 0.0
        self._resume = 0.0  # no request before this (a wait the provider asked for)
        self._refusals = 0  # refusals in a row
        self._lock = asyncio.Lock()
        self.stopped: SourceError | None = None  # set: the source is not asked again
        # Told of each wait: the refusal's status and the seconds until the next request.
        self.on_wait: Callable[[int, float], None] | None = None

    async def wait(self) -> None:
        async with self._lock:
            while True:
                if self.stopped is not None:
                    raise self.stopped
                delay = max(self._next, self._resume) - self._clock()
                if delay <= 0:
                    break
                await self._sleep(delay)  # a refusal meanwhile may move `_resume` on
            self._next = max(self._clock(), self._next) + self.interval

    def refused(self, status: int, asked_wait: float | None) -> None:
        """A 429 or 503: wait the longer of `asked_wait` (its Retry-After) and the back-off;
        the `REFUSALS_IN_A_ROW`-th refusal in a row, or a wait beyond `MAX_WAIT`, stops the
        source for this fetch."""
        self._refusals += 1
        if asked_wait is not None and asked_wait > MAX_WAIT:
            self._stop_refused(status, f"asked us to wait {wait_words(asked_wait)}")
            return
        if self._refusals >= REFUSALS_IN_A_ROW:
            self._stop_refused(status, f"asked us to slow down {self._refusals} times in a row")
            return
        wait = max(asked_wait or 0.0, backoff(self._refusals))
        self._resume = max(self._resume, self._clock() + wait)
        if self.on_wait is not None:
            self.on_wait(status, wait)

    def _stop_refused(self, status: int, what: str) -> None:
        self.stop(
            SourceError(
                RATE_LIMITED if status == 429 else REFUSED,
                f"{self.label} {what} (HTTP {status}), so it is not asked again in this "
                f"fetch. {self.advice}",
            )
        )

    def answered(self) -> None:
        """An answer that is not a refusal: the back-off starts again from its first step."""
        self._refusals = 0

    def stop(self, error: SourceError) -> None:
        """Ask this source nothing more in this fetch; every later request raises `error`."""
        if self.stopped is None:
            self.stopped = error


async def get_json(
    session: aiohttp.ClientSession,
    url: str,
    *,
    label: str,
    params: Mapping[str, str] | None = None,
    pacer: Pacer | None = None,
    missing_is_empty: bool = False,
    email: str | None = None,
) -> Any:
    """GET `url` and return its JSON; `label` names the source in messages. With
    `missing_is_empty`, a 404 returns None (the provider's way to say "no such book"). With a
    `pacer`, a 429 or 503 is waited out and asked again (see the module doc); `email` is the
    user's, for the User-Agent."""
    while True:  # a pacer stops the source after a few refusals in a row
        if pacer is not None:
            await pacer.wait()
        answer = await _get(session, url, label=label, params=params, email=email)
        if pacer is None:
            break
        if answer.status not in THROTTLED:
            pacer.answered()
            break
        pacer.refused(answer.status, retry_after(answer.retry_after, pacer.wall()))
        if pacer.stopped is not None:
            raise pacer.stopped
    return _parsed(answer, label, missing_is_empty)


async def _get(
    session: aiohttp.ClientSession,
    url: str,
    *,
    label: str,
    params: Mapping[str, str] | None,
    email: str | None,
) -> outside.Answer:
    host = urlsplit(url).hostname or url
    headers = {"User-Agent": user_agent(email), "Accept": "application/json"}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    try:
        return await outside.get(
            session,
            url,
            params=params,
            headers=headers,
            timeout=timeout,
            max_bytes=MAX_ANSWER_BYTES,
        )
    except outside.RefusedFetch as error:
        raise SourceError(REFUSED, f"{label} was not asked: {error}.") from None
    except TimeoutError:
        raise SourceError(
            TIMED_OUT, f"{label} did not answer within {TIMEOUT_SECONDS:.0f} s. Try again later."
        ) from None
    except aiohttp.ClientError as error:
        raise SourceError(
            REFUSED,
            f"{label} could not be reached ({type(error).__name__} at {host}). Check the "
            "internet connection, then retry.",
        ) from None


def _parsed(answer: outside.Answer, label: str, missing_is_empty: bool) -> Any:
    status, body = answer.status, answer.body
    if status == 429:
        raise SourceError(
            RATE_LIMITED, f"{label} asked to slow down (HTTP 429). Retry in a few minutes."
        )
    if status == 404 and missing_is_empty:
        return None
    if status == 404:
        raise SourceError(NO_RESULT, f"{label} has no such book.")
    if status in (401, 403):
        raise SourceError(
            REFUSED, f"{label} refused the request (HTTP {status}). Check the API key, if any."
        )
    if status != 200:
        raise SourceError(REFUSED, f"{label} answered HTTP {status}. Try again later.")
    if len(body) > MAX_ANSWER_BYTES:
        raise SourceError(MALFORMED, f"{label} sent an answer too large to be a book record.")
    try:
        return json.loads(body)
    except ValueError:
        raise SourceError(
            MALFORMED, f"{label} sent an answer that is not JSON. Try again later."
        ) from None


def malformed(label: str, what: str) -> SourceError:
    return SourceError(MALFORMED, f"{label} sent an answer without {what}. Try again later.")
