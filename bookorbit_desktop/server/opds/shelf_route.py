"""The HTTP side of a feed of joins (`joined`: a Hardcover shelf at `/opds/hardcover/<shelf>`,
one of the user's own at `/opds/shelves/<kind>?name=`, and their JSON twins): the list's joins
are recorded (`record`, one write) before the page is read, so a book that joined since the
last request is listed first; the page goes out with its caching validators (`freshness`), or
as 304 to a client that has it.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bookorbit_desktop.library.store.shelves import record_catalog_listing
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.opds.auth import Handler
from bookorbit_desktop.server.opds.freshness import Validators

Recorder = Callable[[web.Request, float], None]  # (request, now), run as a write


def record_shelf(request: web.Request, now: float) -> None:
    """Note the joins of the Hardcover shelf the request names."""
    record_catalog_listing(request.match_info["shelf"], now)


def shelf_feed(
    ctx: ServerContext, feed: Handler, validators: Validators, record: Recorder
) -> Handler:
    """`feed` (the page's handler) behind `record`, answered with validators."""

    async def respond(request: web.Request) -> web.StreamResponse:
        await ctx.workers.write(record, request, ctx.clock())
        response = await feed(request)
        if isinstance(response, web.Response) and response.status == 200:
            return validators.answer(request, response)
        return response

    return respond
