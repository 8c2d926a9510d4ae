"""The KOReader progress-sync (kosync) endpoints.

Served under `/kosync` (the URL the user types is `http://<ip>:<port>/kosync`) and, for users
who type only `http://<ip>:<port>`, at the root as well. Handlers are thin: parse with
`kosync.protocol`, store with `library.reading.batched_pushes` on the writer thread (group
commit; the 200 goes out only after the push is committed), answer pulls from
`kosync.positions`' cache, answer with `Content-Type: application/json`
exactly (KOReader 2025.04 decodes nothing else) and never an empty body. A push the library
cannot take within `workers.WRITE_DEADLINE_SECONDS` (another program holds its lock) gets the
reference server's retryable 502 {"code": 2000}, so KOReader keeps it and tries again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from aiohttp import web

from bookorbit_desktop.background import stop_tasks
from bookorbit_desktop.guards.connections import BODY_SECONDS, MAX_BODY_BYTES
from bookorbit_desktop.guards.throttle import Admission, LoginThrottle, registration_throttle
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.device_positions import resets_since
from bookorbit_desktop.library.reading.rows import Position
from bookorbit_desktop.library.reading.rules import FLAGS, Change
from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.log_text import for_log
from bookorbit_desktop.server import ServerContext, accounts
from bookorbit_desktop.server.kosync.positions import PositionCache, answer_of
from bookorbit_desktop.server.kosync.protocol import (
    REGISTRATION_DISABLED,
    TOO_LARGE,
    UNAUTHORIZED,
    UNKNOWN_SERVER_ERROR,
    ErrorKind,
    ProtocolError,
    encode,
    error_body,
    parse_body,
    parse_push,
    parse_registration,
    valid_document,
)
from bookorbit_desktop.server.login import (
    Verdict,
    blocked_message,
    check_login,
    verified_at_once,
)
from bookorbit_desktop.server.routing import LenientResource
from bookorbit_desktop.server.workers import LibraryBusyError

log = logging.getLogger(__name__)

KOSYNC_PREFIX = "/kosync"
CONTEXT = web.AppKey("kosync_context", ServerContext)
POSITIONS = web.AppKey("kosync_positions", PositionCache)
REGISTRATIONS = web.AppKey("kosync_registrations", LoginThrottle)
RESETS = web.AppKey("kosync_resets", asyncio.Task[None])
# How often the server looks for progress resets made by the window or the command line.
RESET_POLL_SECONDS = 2.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# What a push may do without a line in the log at the usual level.
QUIET_CHANGES = FLAGS | {Change.PROGRESS}


def json_response(payload: dict[str, object], status: int = 200) -> web.Response:
    return encoded_response(encode(payload), status)


def encoded_response(body: bytes, status: int = 200) -> web.Response:
    # Built by hand: web.json_response would add "; charset=utf-8".
    return web.Response(status=status, body=body, content_type="application/json")


def error_response(kind: ErrorKind) -> web.Response:
    return json_response(error_body(kind), kind.status)


def _endpoint(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except ProtocolError as error:
            return _unread_body_closes(request, error_response(error.kind))
        except LibraryBusyError as error:
            log.warning(
                "Answered %s %s with 'try again': %s",
                for_log(request.method),
                for_log(request.path),
                error,
            )
            return _unread_body_closes(request, error_response(UNKNOWN_SERVER_ERROR))

    wrapped.__name__ = handler.__name__
    wrapped.__doc__ = handler.__doc__
    return wrapped


def _unread_body_closes(request: web.Request, response: web.Response) -> web.Response:
    """A request answered before its body was read ends its connection with the answer: the
    body (from someone not logged in, or too large) is never waited for."""
    if not request.content.is_eof():
        response.force_close()  # the runner reads no more of it (`app.LINGER_SECONDS`)
    return response


def _refuse_declared_too_large(request: web.Request) -> None:
    """Refuse at once a body declared larger than the server takes, before reading any of it."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise ProtocolError(TOO_LARGE)


async def _body(request: web.Request) -> dict[str, object]:
    """The JSON body; read only once the sender is allowed to send one."""
    _refuse_declared_too_large(request)
    try:
        if request.content.is_eof():  # all of it arrived with the headers (the usual case)
            raw = await request.read()
        else:  # a body that trickles in is dropped: it would hold the connection for ever
            async with asyncio.timeout(BODY_SECONDS):
                raw = await request.read()
    except web.HTTPRequestEntityTooLarge as error:
        raise ProtocolError(TOO_LARGE) from error
    except TimeoutError as error:
        log.warning("Dropped a request from %s: its body arrived too slowly", request.remote)
        raise web.HTTPRequestTimeout() from error
    return parse_body(raw)


def _verified(request: web.Request) -> bool:
    """True when the x-auth headers are a login verified a moment ago (no waiting); False
    means `_authenticate` must decide."""
    headers = request.headers
    return verified_at_once(
        request.app[CONTEXT],
        request.remote or "unknown",
        headers.get("x-auth-user", ""),
        headers.get("x-auth-key", ""),
        what="KOReader",
    )


async def _authenticate(request: web.Request) -> None:
    """Return when the x-auth headers match the account; else 401 (or a retryable 502 when
    guesses from everywhere exhaust the server's budget of password checks). Handlers try
    `_verified` first: a login verified a moment ago needs no coroutine at all."""
    ctx = request.app[CONTEXT]
    username = request.headers.get("x-auth-user", "")
    key = request.headers.get("x-auth-key", "")
    address = request.remote or "unknown"
    verdict = await check_login(ctx, address, username, key, what="KOReader")
    if verdict is Verdict.BUSY:
        raise ProtocolError(UNKNOWN_SERVER_ERROR)
    if verdict is Verdict.BLOCKED:  # 401/2001 as the protocol wants; KOReader shows the words
        raise ProtocolError(replace(UNAUTHORIZED, message=blocked_message(ctx, address)))
    if verdict is not Verdict.OK:
        raise ProtocolError(UNAUTHORIZED)


@_endpoint
async def healthcheck(request: web.Request) -> web.StreamResponse:
    return json_response({"state": "OK"})


@_endpoint
async def create_user(request: web.Request) -> web.StreamResponse:
    """Registration from a device: only while no account exists and the user allowed it.
    The hash of a new key runs only when its address and everyone together are within the
    registration throttle, which is apart from the login throttle (a registration never uses
    up the login budget, nor a login the registration budget)."""
    _refuse_declared_too_large(request)
    ctx = request.app[CONTEXT]
    if not await ctx.workers.read(get_setting, "kosync.allow_registration"):
        raise ProtocolError(REGISTRATION_DISABLED)
    username, key = parse_registration(await _body(request))
    existing = await ctx.workers.read(accounts.load_account)
    if existing is None:
        address = request.remote or "unknown"
        registrations = request.app[REGISTRATIONS]
        if registrations.admit(address) is not Admission.CHECK:
            ctx.refusals.line(address, f"Refused a registration from {address}: too many attempts")
            raise ProtocolError(UNKNOWN_SERVER_ERROR)  # retryable: nothing was wrong with it
        created = None
        try:
            account = await ctx.workers.cpu(accounts.new_account, username, key)
            created = await ctx.workers.write(accounts.store_first_account, account)
        finally:
            registrations.checked(address, created is not None)
        if created is not None:
            ctx.account.forget()
            log.info("Created the sync account %s from a device at %s", for_log(username), address)
            return json_response({"username": username}, 201)
    # Once the account exists every name gets the same answer: whether a name is the
    # account's must not be learned by trying to register it.
    raise ProtocolError(REGISTRATION_DISABLED)


@_endpoint
async def auth_user(request: web.Request) -> web.StreamResponse:
    if not _verified(request):
        await _authenticate(request)
    return json_response({"authorized": "OK"})


@_endpoint
async def put_progress(request: web.Request) -> web.StreamResponse:
    _refuse_declared_too_large(request)
    if not _verified(request):
        await _authenticate(request)
    push = parse_push(await _body(request))
    ctx = request.app[CONTEXT]
    timestamp = int(ctx.clock())
    position = Position(
        push.document, push.percentage, push.progress, push.device, push.device_id, timestamp
    )
    positions = request.app[POSITIONS]
    result = await ctx.workers.write_batched(
        record_pushes, (push, timestamp), then=lambda _result: positions.stored(position)
    )
    if log.isEnabledFor(logging.DEBUG):  # one line per push only when asked for (-v)
        log.debug(
            "Progress from %s for document %s: %.1f%% (%s%s)",
            for_log(push.device),
            for_log(push.document),
            push.percentage * 100,
            f"book {result.book_id}" if result.book_id is not None else "not in the library",
            "".join(f", {change}" for change in result.changes),
        )
    if any(change not in QUIET_CHANGES for change in result.changes):
        # Started, finished, reread...: worth a line (within a budget per address a minute).
        # A page turned is not, nor a page turned in a book already finished or abandoned (it
        # stays so): -v shows those.
        ctx.reading_lines.line(
            request.remote or "unknown", f"Book {result.book_id}: {', '.join(result.changes)}"
        )
    if result.book_id is not None and (
        result.reading_changed or Change.JUMPED_BACK in result.changes  # the window tells it
    ):
        _notify(ctx, result.book_id)
    return json_response({"document": push.document, "timestamp": timestamp})


@_endpoint
async def get_progress(request: web.Request) -> web.StreamResponse:
    if not _verified(request):
        await _authenticate(request)
    document = valid_document(request.match_info["document"])
    answer = request.app[POSITIONS].lookup(document)
    if answer is None:
        position = await request.app[CONTEXT].workers.read(progress.latest_position, document)
        answer = answer_of(position)
    return encoded_response(answer)


def _notify(ctx: ServerContext, book_id: int) -> None:
    hook = ctx.on_reading_changed
    if hook is None:
        return

    def call() -> None:
        try:
            hook(book_id)
        except Exception:
            log.exception("The reading-changed hook failed for book %d", book_id)

    # After this handler returns: the answer to KOReader never waits for the hook.
    asyncio.get_running_loop().call_soon(call)


async def _follow_resets(app: web.Application, seen: int) -> None:
    """Forget the remembered pull answer of each document the library resets (from the
    window or the command line, which may be another process), within `RESET_POLL_SECONDS`."""
    workers = app[CONTEXT].workers
    while True:
        await asyncio.sleep(RESET_POLL_SECONDS)
        try:
            seen, documents = await workers.read(resets_since, seen)
        except Exception:  # a busy or closing library: try again on the next turn
            log.debug("Could not check the library for progress resets", exc_info=True)
            continue
        if documents:
            app[POSITIONS].forget(documents)


async def _stop_following(app: web.Application) -> None:
    await stop_tasks(app.get(RESETS))


async def _adopt_on_startup(app: web.Application) -> None:
    workers = app[CONTEXT].workers
    positions = app[POSITIONS]
    seen, _ = await workers.read(resets_since, 2**62, wait=60.0)
    app[RESETS] = asyncio.get_running_loop().create_task(_follow_resets(app, seen))
    newest = await workers.read(progress.newest_positions, positions.capacity + 1, wait=60.0)
    positions.load(newest, complete=len(newest) <= positions.capacity)
    try:
        adopted = await workers.write(progress.adopt_documents, wait=60.0)
    except LibraryBusyError as error:
        # Another program holds the library's write lock (an import, a restore's refusal
        # followed by this restart): the server starts all the same. A push links its own
        # document, and an import adopts the waiting ones once it has written its books.
        log.warning("Documents pushed before their book was added are linked later: %s", error)
        return
    for linked in adopted:
        if linked.reading_changed:
            _notify(app[CONTEXT], linked.book_id)


def setup_kosync(app: web.Application, ctx: ServerContext) -> None:
    """Mount the kosync endpoints on `app`, under /kosync and at the root."""
    app[CONTEXT] = ctx
    app[POSITIONS] = PositionCache()
    app[REGISTRATIONS] = registration_throttle()
    resource = LenientResource(KOSYNC_PREFIX, name="kosync")
    resource.add_route("GET", "/healthcheck", healthcheck)
    resource.add_route("POST", "/users/create", create_user)
    resource.add_route("GET", "/users/auth", auth_user)
    resource.add_route("PUT", "/syncs/progress", put_progress)
    resource.add_route("GET", "/syncs/progress/{document}", get_progress)
    app.router.register_resource(resource)
    app.on_startup.append(_adopt_on_startup)
    app.on_cleanup.append(_stop_following)
