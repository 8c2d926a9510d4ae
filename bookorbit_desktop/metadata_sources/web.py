"""What every web source shares: pacing requests to a documented rate, and one GET that gives
parsed JSON or a `SourceError` with a status and a message, never a traceback.

`Pacer` spaces requests `interval` seconds apart (a lock keeps concurrent books in line), so a
source never sends faster than its provider asks. `get_json` sends through `outside.get` (public
addresses only, every redirect checked), applies the 10 s timeout to every request and maps
the outcomes: 429 -> rate-limited, 401/403 and other refusals -> refused, 404 -> no result,
bad JSON -> malformed, no answer in time -> timed out, an address not fetched from -> refused.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.metadata
import json
import os
import time
from collections.abc import Awaitable, Callable, Mapping
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
)

TIMEOUT_SECONDS = 10.0
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # a metadata answer is a few kilobytes
# Open Library asks API users to name the app and a contact in the User-Agent. The contact is
# the project's own address from the installed package's metadata (pyproject's
# [project.urls]: Homepage, Repository or Source), or the address in BOOKORBIT_CONTACT (an
# e-mail or web page) when the user gives one, which comes first.
CONTACT_ENV = "BOOKORBIT_CONTACT"
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


def user_agent() -> str:
    contact = os.environ.get(CONTACT_ENV, "").strip() or project_url()
    about = f"BookOrbit Desktop ebook library; {contact}" if contact else "BookOrbit Desktop"
    return f"BookOrbitDesktop/{__version__} ({about})"


class Pacer:
    """At most one request per `interval` seconds for one source (shared by all its books)."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            delay = self._next - self._clock()
            if delay > 0:
                await self._sleep(delay)
            self._next = max(self._clock(), self._next) + self.interval


async def get_json(
    session: aiohttp.ClientSession,
    url: str,
    *,
    label: str,
    params: Mapping[str, str] | None = None,
    pacer: Pacer | None = None,
    missing_is_empty: bool = False,
) -> Any:
    """GET `url` and return its JSON; `label` names the source in messages. With
    `missing_is_empty`, a 404 returns None (the provider's way to say "no such book")."""
    if pacer is not None:
        await pacer.wait()
    host = urlsplit(url).hostname or url
    headers = {"User-Agent": user_agent(), "Accept": "application/json"}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    try:
        answer = await outside.get(
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


def text(value: Any) -> str | None:
    """A trimmed string, or None."""
    return value.strip() or None if isinstance(value, str) else None


def number(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
