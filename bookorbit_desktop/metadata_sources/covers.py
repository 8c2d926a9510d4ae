"""Download a candidate's cover to apply it: through `outside.get` (https to public addresses
only, every redirect checked; a configured source's own address may be plain http on loopback,
where the test doubles run), at most `MAX_BYTES`, within the 10 s timeout, and made the stored
cover by `library.metadata.covers.make_cover` (decoded whole and written anew, the same rule a
cover chosen from a file or found in a book passes). Anything else is a `CoverError` saying why.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import aiohttp

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.metadata.covers import UnusableCover, make_cover
from bookorbit_desktop.metadata_sources import outside
from bookorbit_desktop.metadata_sources.web import TIMEOUT_SECONDS, user_agent

MAX_BYTES = 10 * 1024 * 1024


class CoverError(InvalidValueError):
    title = "Cover not applied"


async def download_cover(session: aiohttp.ClientSession, url: str) -> bytes:
    """The prepared cover (JPEG bytes) from `url`; CoverError when there is none to use."""
    host = urlsplit(url).hostname or "the source"
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    headers = {"User-Agent": user_agent()}
    try:
        answer = await outside.get(
            session, url, timeout=timeout, headers=headers, max_bytes=MAX_BYTES
        )
    except outside.RefusedFetch as error:
        raise CoverError(f"The cover was not downloaded: {error}.") from None
    except TimeoutError:
        raise CoverError(f"{host} did not send the cover within {TIMEOUT_SECONDS:.0f} s.") from None
    except aiohttp.ClientError as error:
        raise CoverError(
            f"The cover could not be downloaded from {host} ({type(error).__name__}). Check the "
            "internet connection, then try again."
        ) from None
    if answer.status != 200:
        raise CoverError(f"{host} answered HTTP {answer.status} for the cover. Try again later.")
    if len(answer.body) > MAX_BYTES:
        raise CoverError(f"The cover from {host} is larger than {MAX_BYTES // 2**20} MB.")
    # Decoding and resizing is CPU work: a worker thread, never the event loop.
    try:
        return await asyncio.to_thread(make_cover, answer.body)
    except UnusableCover as error:
        raise CoverError(
            f"What {host} sent as the cover cannot be used: {error}. Choose another cover."
        ) from None
