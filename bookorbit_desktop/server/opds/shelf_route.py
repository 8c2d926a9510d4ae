"""The HTTP side of a shelf feed (`/opds/hardcover/<shelf>` and its JSON twin): the shelf's
joins are recorded (`store.record_catalog_listing`, one write) before the page is read, so a
book that joined since the last request is listed first; the page goes out with its caching
validators (`freshness`), or as 304 to a client that has it.
"""

from __future__ import annotations

from aiohttp import web

from bookorbit_desktop.library.store.shelves import record_catalog_listing
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.opds.auth import Handler
from bookorbit_desktop.server.opds.freshness import Validators


def shelf_feed(ctx: ServerContext, feed: Handler, validators: Validators) -> Handler:
    """`feed` (the page's handler) behind the recording of the shelf's joins, answered with
    validators."""

    async def respond(request: web.Request) -> web.StreamResponse:
        await ctx.workers.write(record_catalog_listing, request.match_info["shelf"], ctx.clock())
        response = await feed(request)
        if isinstance(response, web.Response) and response.status == 200:
            return validators.answer(request, response)
        return response

    return respond
