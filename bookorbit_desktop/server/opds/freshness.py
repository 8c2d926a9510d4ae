"""Caching validators of the shelf feeds: an ETag and a Last-Modified date for every page, and
304 Not Modified to a client that already has it.

KOReader asks for a feed's headers first and keeps the feed under its address and
`Last-Modified`: a date must change whenever the page does, or it shows a stale copy. The ETag
is a digest of the page as sent (body and type), so it changes with anything on the page; the
date is the time this server first sent the page as it is now (`stamp`), remembered per address
and type for the most recent `REMEMBERED` pages (a page not remembered is dated now, which is
never too early). Conditional requests follow RFC 9110 §13.2.2: If-None-Match decides when
present, else If-Modified-Since.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web

REMEMBERED = 1024  # pages whose date is kept


def stamp(previous: tuple[str, float] | None, etag: str, now: float) -> float:
    """The Last-Modified time of a page with `etag`, given what the same address was last sent
    as (etag, time): unchanged while the page is; else `now` in whole seconds, and always after
    the previous date (HTTP dates count seconds: two changes in one second get two dates)."""
    second = float(math.floor(now))
    if previous is None:
        return second
    last_etag, last_time = previous
    if last_etag == etag:
        return last_time
    return max(second, last_time + 1)


def not_modified(
    if_none_match: tuple[str, ...] | None,
    if_modified_since: datetime | None,
    etag: str,
    modified: float,
) -> bool:
    """True when a client holding `if_none_match` tags (or a copy dated `if_modified_since`)
    already has the page tagged `etag`, dated `modified`."""
    if if_none_match is not None:
        return "*" in if_none_match or etag in if_none_match
    if if_modified_since is not None:
        return modified <= if_modified_since.timestamp()
    return False


class Validators:
    """The pages' dates as sent, for `stamp`; `clock` gives the time."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._sent: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()

    def answer(self, request: web.Request, response: web.Response) -> web.Response:
        """`response` with its ETag and Last-Modified, or 304 when the client has it."""
        body = response.body if isinstance(response.body, bytes) else b""
        kind = response.headers.get("Content-Type", "")
        digest = hashlib.sha256(kind.encode() + b"\0" + body).hexdigest()[:32]
        address = (request.path_qs, kind)
        modified = stamp(self._sent.get(address), digest, self._clock())
        self._sent[address] = (digest, modified)
        self._sent.move_to_end(address)
        while len(self._sent) > REMEMBERED:
            self._sent.popitem(last=False)
        tags = request.if_none_match  # compared weakly, as If-None-Match is
        held = None if tags is None else tuple(tag.value for tag in tags)
        if not_modified(held, request.if_modified_since, digest, modified):
            response = web.Response(status=304, headers=_kept(response))
        response.etag = digest
        response.last_modified = datetime.fromtimestamp(modified, UTC)
        return response


def _kept(response: web.Response) -> dict[str, str]:
    """The headers a 304 repeats (RFC 9110 §15.4.5)."""
    return {k: v for k, v in response.headers.items() if k in ("Cache-Control", "Vary")}
