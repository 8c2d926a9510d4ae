"""Download a candidate's cover to apply it: https only (plain http on this computer's
loopback, where the test doubles run), at most `MAX_BYTES`, within the 10 s timeout, and
verified to be an image by decoding it (`library.metadata.covers.prepare_cover`, the same
preparation a cover chosen from a file gets). Anything else is a `CoverError` saying why.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import aiohttp

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.metadata.covers import prepare_cover
from bookorbit_desktop.metadata_sources.web import TIMEOUT_SECONDS, user_agent

MAX_BYTES = 10 * 1024 * 1024
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class CoverError(InvalidValueError):
    title = "Cover not applied"


def may_fetch(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname in LOOPBACK


async def download_cover(session: aiohttp.ClientSession, url: str) -> bytes:
    """The prepared cover (JPEG bytes) from `url`; CoverError when there is none to use."""
    host = urlsplit(url).hostname or "the source"
    if not may_fetch(url):
        raise CoverError(f"The cover address {url!r} is not a secure (https) address.")
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    headers = {"User-Agent": user_agent()}
    try:
        async with session.get(url, timeout=timeout, headers=headers) as answer:
            if answer.status != 200:
                raise CoverError(
                    f"{host} answered HTTP {answer.status} for the cover. Try again later."
                )
            data = await answer.content.read(MAX_BYTES + 1)
    except TimeoutError:
        raise CoverError(f"{host} did not send the cover within {TIMEOUT_SECONDS:.0f} s.") from None
    except aiohttp.ClientError as error:
        raise CoverError(
            f"The cover could not be downloaded from {host} ({type(error).__name__}). Check the "
            "internet connection, then try again."
        ) from None
    if len(data) > MAX_BYTES:
        raise CoverError(f"The cover from {host} is larger than {MAX_BYTES // 2**20} MB.")
    # Decoding and resizing is CPU work: a worker thread, never the event loop.
    prepared = await asyncio.to_thread(prepare_cover, data) if data else None
    if prepared is None:
        raise CoverError(f"What {host} sent as the cover is not an image. Choose another cover.")
    return prepared
