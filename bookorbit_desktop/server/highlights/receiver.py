"""The XMNote receiver: an aiohttp app with `POST /send` on its own port, and its runner.

KOReader stops a whole export at the first book that fails, and releases up to 2024.11 crash
on a reply that is empty, not JSON or over 2 KiB; so every book, known to the library or not,
gets the same small `200 {"code": 200, "message": "Received"}` once it is stored, and every
refusal is a small JSON body too. One body is read at a time (memory stays at one request),
up to `MAX_BODY_BYTES` (1,800 highlights make 1.3 MiB) and within `BODY_SECONDS`. The store
runs on the library's writer thread; `on_received` then hears what arrived, from where, for
the window and the log. Its connections count in the sync server's caps
(`connections.ConnectionLimits`) and close after `connections.IDLE_SECONDS` without a request,
so idle sockets on this port cannot take the descriptors the sync server needs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.guards.connections import IDLE_SECONDS, ConnectionLimits
from bookorbit_desktop.library.highlights.received import Received, record_export
from bookorbit_desktop.server.binding import BatchedSite, Listener, bind_problem, listening_ports
from bookorbit_desktop.server.highlights.guard import (
    RateLimit,
    ip_literal_host,
    json_content,
    private_source,
    secret_matches,
)
from bookorbit_desktop.server.highlights.payload import PayloadError, parse_export
from bookorbit_desktop.server.lenient_http import LenientAppRunner
from bookorbit_desktop.server.workers import DbWorkers, LibraryBusyError

log = logging.getLogger(__name__)

DEFAULT_PORT = 8080  # fixed in KOReader's exporter
MAX_BODY_BYTES = 16 * 1024 * 1024
BODY_SECONDS = 60.0  # a body still arriving after this is a stalled (or hostile) client
STORE_SECONDS = 30.0  # storing thousands of highlights may take a while on a slow disk
SHUTDOWN_GRACE_SECONDS = 2.0


class ReceiverStartError(BookOrbitError):
    title = "Cannot start the highlights receiver"


@dataclass
class ReceiverOptions:
    """What the receiver needs, injected so tests can swap any part."""

    workers: DbWorkers
    secret: str | None = None
    on_received: Callable[[Received, str], None] | None = None
    allow_source: Callable[[str], bool] = private_source
    clock: Callable[[], float] = time.time
    rate: RateLimit = field(default_factory=lambda: RateLimit(clock=time.monotonic))
    # The sync server's caps: one budget of connections (and descriptors) for the process, so
    # idle sockets on this port cannot leave the sync server none.
    limits: ConnectionLimits | None = None


OPTIONS = web.AppKey("highlights_options", ReceiverOptions)
BODY_LOCK = web.AppKey("highlights_body_lock", asyncio.Lock)


def reply(code: int, message: str) -> web.Response:
    body = json.dumps({"code": code, "message": message}).encode()
    return web.Response(status=code, body=body, content_type="application/json")


def describe(received: Received, origin: str) -> str:
    """ "12 highlights for Dune from 192.168.1.23", and what became of them."""
    count = received.highlights
    line = f"{count} highlight{'s' if count != 1 else ''} for {received.title} from {origin}"
    done = received.recorded
    line += f" ({done.added} new, {done.updated} updated)"
    if received.book_id is None:
        line += ": no single library book matches; it waits for you to pick the book"
    if received.proposed:
        line += "; KOReader proposes a reading status for you to confirm"
    return line


def _refusal(request: web.Request, options: ReceiverOptions) -> web.Response | None:
    source = request.remote or ""
    if not options.allow_source(source):
        return reply(403, "Only devices on your own network may send highlights.")
    if not options.rate.allow(source):  # before the secret: guessing it costs requests too
        return reply(429, "Too many requests; try again in a minute.")
    if "Origin" in request.headers:
        return reply(403, "Web pages may not send highlights.")
    if not ip_literal_host(request.host):
        return reply(403, "Send to this computer's IP address.")
    if not secret_matches(options.secret, request.query.get("k")):
        return reply(403, "The pairing secret is missing or wrong.")
    if not json_content(request.content_type):
        return reply(415, "Send application/json.")
    return None


async def send(request: web.Request) -> web.Response:
    options = request.app[OPTIONS]
    refused = _refusal(request, options)
    if refused is not None:
        log.info("Highlights from %s refused: %s", request.remote, refused.text)
        return refused
    async with request.app[BODY_LOCK]:
        try:
            async with asyncio.timeout(BODY_SECONDS):  # one body at a time: none may stall
                body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return reply(413, f"Larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB.")
        except TimeoutError:
            return reply(408, "The body took too long to arrive.")
        try:
            export = parse_export(body)
        except PayloadError as error:
            log.info("Highlights from %s refused: %s", request.remote, error)
            return reply(400, f"Not an XMNote export: {error}.")
        origin = request.remote or "?"
        try:
            received = await options.workers.write(
                record_export, export, origin, options.clock(), wait=STORE_SECONDS
            )
        except LibraryBusyError:
            return reply(503, "The library is busy; export again in a moment.")
    log.info("%s", describe(received, origin))
    if options.on_received is not None:
        options.on_received(received, origin)
    return reply(200, "Received")


async def _not_here(request: web.Request) -> web.Response:
    return reply(404, "Only POST /send is served here.")


def build_app(options: ReceiverOptions) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[OPTIONS] = options
    app[BODY_LOCK] = asyncio.Lock()
    app.router.add_post("/send", send)
    app.router.add_route("*", "/{tail:.*}", _not_here)
    return app


def _bind_error(error: OSError, host: str, port: int) -> ReceiverStartError:
    return ReceiverStartError(
        bind_problem(
            error,
            host,
            port,
            taken_advice="calibre's content server also listens on 8080 by default: stop it or "
            "move it, or choose another port for highlights and type IP:PORT/send# (for example "
            "192.168.1.20:8081/send#) into KOReader's XMNote IP.",
        )
    )


class HighlightsReceiver(Listener):
    """The receiver bound to one host and port on the running loop."""

    def __init__(self, options: ReceiverOptions, host: str, port: int = DEFAULT_PORT) -> None:
        self.options = options
        self.host = host
        self.port = port
        self._runner: LenientAppRunner | None = None

    async def start(self) -> None:
        """Bind and serve; raises ReceiverStartError with a clear message."""
        if self._runner is not None:
            return
        runner = LenientAppRunner(
            build_app(self.options),
            limits=self.options.limits,
            access_log=None,
            shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
            keepalive_timeout=IDLE_SECONDS,
        )
        await runner.setup()
        try:
            site = BatchedSite(runner, self.host, self.port)
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise _bind_error(error, self.host, self.port) from error
        self._runner = runner
        self.port = listening_ports(runner.addresses)[0]
        log.info("Highlights receiver listening on %s port %d", self.host, self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("Highlights receiver stopped")
