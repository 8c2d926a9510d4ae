"""Covers of Hardcover books, for the Pick dialog: fetched once, kept in the cache folder.

Only `https` addresses are fetched (and plain `http` on this computer's loopback, where the test
double of Hardcover runs); an answer that is not an image, is larger than `MAX_BYTES` or does
not come within `TIMEOUT_SECONDS` gives no cover, never an error: the dialog keeps its
placeholder. A cover is stored under a hash of its address, written whole or not at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def may_fetch(url: str) -> bool:
    """True for an https address, or http on loopback."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname in LOOPBACK


class RemoteCovers:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest() + ".img")

    async def fetch(self, url: str) -> bytes | None:
        """The image at `url` (from the cache when fetched before); None when there is none."""
        if not may_fetch(url):
            return None
        path = self._path(url)
        try:
            return path.read_bytes()
        except OSError:
            pass
        import aiohttp  # loaded when a cover is first wanted, not at start-up

        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(url) as response,
            ):
                if response.status != 200 or not response.content_type.startswith("image/"):
                    return None
                data = await response.content.read(MAX_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as error:
            log.info("No cover from %s: %s", urlsplit(url).hostname, error)
            return None
        if not data or len(data) > MAX_BYTES:
            return None
        self._store(path, data)
        return data

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
