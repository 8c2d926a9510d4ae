"""Covers of candidate books, for the previews of the Pick and Fetch Metadata dialogs: fetched
once, kept in the cache folder.

A preview is fetched as a cover to apply is (`metadata_sources.outside`: https to public
addresses only, every redirect checked; a configured source's own address may be plain http
on loopback, where the test doubles run) and made a cover by the same rule
(`library.metadata.covers.make_cover`: decoded whole, written anew), so the dialog shows and
the cache keeps only a checked image. An address refused, an answer that is not an image, is
larger than `MAX_BYTES` or does not come within `TIMEOUT_SECONDS` gives no cover, never an
error: the dialog keeps its placeholder. A cover is stored under a hash of its address (as
`.jpg`: files of the earlier unchecked `.img` cache are never read), written whole or not at
all.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from bookorbit_desktop.library.metadata.covers import UnusableCover, make_cover

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10.0


class RemoteCovers:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest() + ".jpg")

    async def fetch(self, url: str) -> bytes | None:
        """The cover at `url` as a JPEG (from the cache when fetched before); None when there
        is none."""
        path = self._path(url)
        try:
            return path.read_bytes()
        except OSError:
            pass
        # loaded when a cover is first wanted, not at start-up
        import aiohttp

        from bookorbit_desktop.metadata_sources import outside

        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        try:
            async with outside.open_session() as session:
                answer = await outside.get(session, url, timeout=timeout, max_bytes=MAX_BYTES)
        except outside.RefusedFetch:
            return None  # `outside` logged it
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as error:
            log.info("No cover from %s: %s", urlsplit(url).hostname, error)
            return None
        if answer.status != 200 or not answer.body or len(answer.body) > MAX_BYTES:
            return None
        try:
            cover = await asyncio.to_thread(make_cover, answer.body)
        except UnusableCover as error:
            log.info("No cover from %s: %s", urlsplit(url).hostname, error)
            return None
        self._store(path, cover)
        return cover

    def _store(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:  # a cache that cannot be written: the cover still shows
            log.info("Could not keep a cover in %s: %s", path.parent, error)
