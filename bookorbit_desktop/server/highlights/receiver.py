"""The XMNote receiver: an aiohttp app with `POST /send` on its own port, and its runner.

KOReader stops a whole export at the first book that fails, and releases up to 2024.11 crash
on a reply that is empty, not JSON or over 2 KiB; so every book, known to the library or not,
gets the same small `200 {"code": 200, "message": "Received"}` once it is stored, and every
refusal is a small JSON body too. What one post may carry is documented here:

| limit | refused with |
|---|---|
| a body over `MAX_BODY_BYTES` (16 MiB), declared or not | 413 at once, unread |
| a body without a declared length | 411 |
| more than `payload.MAX_ENTRIES` (20,000) highlights | 413 |
| a body not complete `guards.bodies.BODY_SECONDS` after the head | 408 |
| JSON that is not an XMNote export, or nested too deeply | 400 |
| a second post from an address whose first is still under way | 429 |
| bodies under way from every address together over `IN_FLIGHT_BYTES` (64 MiB) | 503 |
| still waiting for the exports before it `MERGE_WAIT_SECONDS` (15 s) after its body | 503 |
| a book not in the library, past what may wait for one (`waiting_cap`) | 429, nothing stored |
| any book, adding more than its address, or all, may add a day (`growth`) | 429, nothing stored |
| the library busy, or a fault of ours (then 500, its cause in the log) | 503, 500 |

Every 503 says when to retry (`Retry-After`). Each body is read on its own connection within
the shared body time limit (`guards.bodies.read_body`), so a sender that trickles its body
holds only its own connection. Exports are then merged one at a time (`merging.store_export`:
off the writer, written in short parts, so kosync pushes keep being answered). A pairing
secret, when set, is checked under the shared login throttle (`guards.throttle`, per address,
the same wrong secret sent again counted once), so guessing it is bounded. Every line a post
causes, stored, refused or failed, is logged within a budget per address a minute (`lines`),
network text through `log_text.for_log`. `on_received` then hears what arrived, from
where, for the window or the console. Its connections count in the sync server's caps
(`connections.ConnectionLimits`) and close after `connections.IDLE_SECONDS` without a request,
so idle sockets on this port cannot take the descriptors the sync server needs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.guards import bodies
from bookorbit_desktop.guards.addresses import local_network
from bookorbit_desktop.guards.connections import IDLE_SECONDS, ConnectionLimits
from bookorbit_desktop.guards.log_budget import BudgetedLog
from bookorbit_desktop.guards.rate import AddressRate
from bookorbit_desktop.guards.throttle import Admission, LoginThrottle
from bookorbit_desktop.library.highlights.received import Received
from bookorbit_desktop.library.highlights.waiting_cap import WaitingFull
from bookorbit_desktop.log_text import for_log
from bookorbit_desktop.server.app import LINGER_SECONDS
from bookorbit_desktop.server.binding import BatchedSite, Listener, bind_problem, listening_ports
from bookorbit_desktop.server.highlights import lines
from bookorbit_desktop.server.highlights.growth import GrowthRefused, growth_budget
from bookorbit_desktop.server.highlights.guard import (
    ip_literal_host,
    json_content,
    request_rate,
    secret_matches,
)
from bookorbit_desktop.server.highlights.merging import store_export
from bookorbit_desktop.server.highlights.payload import PayloadError, TooLargeError, parse_export
from bookorbit_desktop.server.lenient_http import LenientAppRunner
from bookorbit_desktop.server.workers import DbWorkers, LibraryBusyError

log = logging.getLogger(__name__)

DEFAULT_PORT = 8080  # fixed in KOReader's exporter
MAX_BODY_BYTES = 16 * 1024 * 1024  # 20,000 highlights with long notes fit
# Posts read, parsed or merged at once hold their bodies in memory: KOReader posts one book
# after another, so an address has one under way, and all of them together stay this small.
IN_FLIGHT_BYTES = 64 * 1024 * 1024
SHUTDOWN_GRACE_SECONDS = 2.0
# A post waits this long for the exports before it to be merged, then hears "busy, retry":
# KOReader gives up on a post after about 20 s of silence, and a retry costs little.
MERGE_WAIT_SECONDS = 15.0
RETRY_AFTER_SECONDS = 5


class ReceiverStartError(BookOrbitError):
    title = "Cannot start the highlights receiver"


@dataclass
class ReceiverOptions:
    """What the receiver needs, injected so tests can swap any part."""

    workers: DbWorkers
    secret: str | None = None
    on_received: Callable[[Received, str], None] | None = None
    allow_source: Callable[[str], bool] = local_network
    clock: Callable[[], float] = time.time
    rate: AddressRate = field(default_factory=request_rate)
    # What exports may add to the library, per address and in all (`growth`).
    growth: AddressRate = field(default_factory=growth_budget)
    # The sync server's caps: one budget of connections (and descriptors) for the process, so
    # idle sockets on this port cannot leave the sync server none.
    limits: ConnectionLimits | None = None
    # Wrong pairing secrets count as failed logins do: a guesser is bounded per address.
    secret_throttle: LoginThrottle = field(default_factory=LoginThrottle)
    refusals: BudgetedLog = field(default_factory=lines.refusal_lines)
    received: BudgetedLog = field(default_factory=lines.received_lines)
    failures: BudgetedLog = field(default_factory=lines.failure_lines)


OPTIONS = web.AppKey("highlights_options", ReceiverOptions)
MERGES = web.AppKey("highlights_merges", asyncio.Lock)  # one export merged at a time


@dataclass
class InFlight:
    """The posts under way: their addresses and declared bytes."""

    addresses: set[str] = field(default_factory=set)
    bytes: int = 0

    def admit(self, address: str, length: int) -> tuple[int, str] | None:
        if address in self.addresses:
            return 429, "Send one book at a time."
        if self.bytes + length > IN_FLIGHT_BYTES:
            return 503, "Busy receiving other exports; export again in a moment."
        self.addresses.add(address)
        self.bytes += length
        return None

    def done(self, address: str, length: int) -> None:
        self.addresses.discard(address)
        self.bytes -= length


IN_FLIGHT = web.AppKey("highlights_in_flight", InFlight)


def reply(code: int, message: str, *, retry_after: int | None = None) -> web.Response:
    body = json.dumps({"code": code, "message": message}).encode()
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return web.Response(status=code, body=body, content_type="application/json", headers=headers)


def describe(received: Received, origin: str) -> str:
    """ "12 highlights for 'Dune' from 192.168.1.23", and what became of them."""
    count = received.highlights
    title = for_log(received.title)
    line = f"{count} highlight{'s' if count != 1 else ''} for {title} from {origin}"
    done = received.recorded
    line += f" ({done.added} new, {done.updated} updated)"
    if received.book_id is None:
        line += ": no single library book matches; it waits for you to pick the book"
    if received.proposed:
        line += "; KOReader proposes a reading status for you to confirm"
    return line


def _secret_refusal(
    source: str, options: ReceiverOptions, given: str | None
) -> tuple[int, str] | None:
    if not options.secret:
        return None
    throttle = options.secret_throttle
    wrong = (403, "The pairing secret is missing or wrong.")
    if throttle.repeats.seen(options.secret.encode(), "", given or ""):  # the same, again
        return wrong
    if throttle.admit(source) is not Admission.CHECK:
        wait = max(1, math.ceil(throttle.wait(source)))
        return 429, f"Too many wrong pairing secrets; wait {wait} seconds, then export again."
    right = secret_matches(options.secret, given)
    throttle.checked(source, right)
    if not right:
        throttle.repeats.failed(options.secret.encode(), "", given or "")
    return None if right else wrong


def _refusal(request: web.Request, options: ReceiverOptions) -> tuple[int, str] | None:
    """(status, message) when the request is refused before its body is read."""
    source = request.remote or ""
    if not options.allow_source(source):
        return 403, "Only devices on your own network may send highlights."
    if not options.rate.allow(source):  # before the secret: guessing it costs requests too
        return 429, "Too many requests; try again in a minute."
    if "Origin" in request.headers:
        return 403, "Web pages may not send highlights."
    if not ip_literal_host(request.host):
        return 403, "Send to this computer's IP address."
    secret = _secret_refusal(source, options, request.query.get("k"))
    if secret is not None:
        return secret
    if not json_content(request.content_type):
        return 415, "Send application/json."
    if request.content_length is None:
        return 411, "Send the body with its Content-Length."
    if request.content_length > MAX_BODY_BYTES:
        return 413, f"Larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB."
    return None


def _refused(request: web.Request, status: int, message: str) -> web.Response:
    """The refusal, logged within the budget; a body left unread is never waited for."""
    options = request.app[OPTIONS]
    source = request.remote or "?"
    options.refusals.line(source, f"Highlights from {source} refused: {for_log(message)}")
    response = reply(status, message)
    if not request.content.is_eof():
        response.force_close()
    return response


async def send(request: web.Request) -> web.Response:
    options = request.app[OPTIONS]
    refused = _refusal(request, options)
    if refused is None:
        length = request.content_length or 0
        refused = request.app[IN_FLIGHT].admit(request.remote or "?", length)
    if refused is not None:
        return _refused(request, *refused)
    try:
        return await _receive(request, options)
    except Exception as error:  # a fault of ours: KOReader still gets JSON, the log the cause
        source = request.remote or "?"
        options.failures.line(source, f"A highlights post from {source} failed", error)
        return reply(500, "The export could not be stored; see the log on the computer.")
    finally:
        request.app[IN_FLIGHT].done(request.remote or "?", length)


async def _receive(request: web.Request, options: ReceiverOptions) -> web.Response:
    try:
        body = await bodies.read_body(request.content)
    except TimeoutError:
        return _refused(request, 408, "The body took too long to arrive.")
    try:
        export = await asyncio.to_thread(parse_export, body)
    except TooLargeError as error:
        return _refused(request, 413, f"Too many highlights: {error}.")
    except PayloadError as error:
        return _refused(request, 400, f"Not an XMNote export: {error}.")
    del body  # the parsed export is all a post waiting for its merge keeps
    origin = request.remote or "?"
    merges = request.app[MERGES]
    try:
        async with asyncio.timeout(MERGE_WAIT_SECONDS):
            await merges.acquire()
    except TimeoutError:
        busy = "Busy storing other exports; export again in a moment."
        options.refusals.line(origin, f"Highlights from {origin} refused: {busy}")
        return reply(503, busy, retry_after=RETRY_AFTER_SECONDS)
    try:
        received = await store_export(
            options.workers, export, origin, options.clock(), options.growth
        )
    except LibraryBusyError:
        return reply(
            503, "The library is busy; export again in a moment.", retry_after=RETRY_AFTER_SECONDS
        )
    except WaitingFull as full:
        return _refused(request, 429, str(full))
    except GrowthRefused as spent:
        response = _refused(request, 429, str(spent))
        if spent.retry_after is not None:
            response.headers["Retry-After"] = str(spent.retry_after)
        return response
    finally:
        merges.release()
    options.received.line(origin, describe(received, origin))
    if options.on_received is not None:
        options.on_received(received, origin)
    return reply(200, "Received")


async def _not_here(request: web.Request) -> web.Response:
    return reply(404, "Only POST /send is served here.")


def build_app(options: ReceiverOptions) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[OPTIONS] = options
    app[MERGES] = asyncio.Lock()
    app[IN_FLIGHT] = InFlight()
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
            lingering_time=LINGER_SECONDS,  # a refused body is not read on
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
