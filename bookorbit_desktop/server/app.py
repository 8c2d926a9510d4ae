"""The aiohttp application and the runner that puts it on the network.

`build_app` mounts kosync and the WebDAV statistics folder (always) and the OPDS catalog (when
enabled) on one app with a small request-body limit (WebDAV streams its uploads to disk under
its own limit) and one safety net: outside /opds and /dav every error leaves as the JSON the
kosync protocol expects, and an unexpected exception becomes the reference server's
502 {"code": 2000} instead of a crash or an HTML page.

`LanServer` binds it with `start()` / `stop()` on the running loop, so the headless `serve`
command and the GUI's qasync loop run the very same server. It owns the database threads
(`workers.py`) and the connection limits (`connections.py`): at most a few connections per
address and a total below the descriptor limit, idle connections closed after
`connections.IDLE_SECONDS`, small header limits, and a handler whose client went away is
cancelled at once (so nothing an abandoned request holds stays in memory).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler

from bookorbit_desktop.background import stop_tasks
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.guards.connections import (
    IDLE_SECONDS,
    MAX_BODY_BYTES,
    ConnectionLimits,
    raise_descriptor_limit,
    tame_allocator,
    total_cap,
)
from bookorbit_desktop.log_text import for_log
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.binding import (
    BatchedSite,
    Listener,
    bind_problem,
    listening_ports,
    port_taken,
)
from bookorbit_desktop.server.exposure import (
    RECHECK_SECONDS,
    is_loopback,
    listen_host,
    may_open,
    notice,
)
from bookorbit_desktop.server.kosync.protocol import (
    NOT_FOUND,
    TOO_LARGE,
    UNAUTHORIZED,
    UNKNOWN_SERVER_ERROR,
    ErrorKind,
    error_body,
)
from bookorbit_desktop.server.kosync.routes import error_response, json_response, setup_kosync
from bookorbit_desktop.server.lenient_http import LenientAppRunner
from bookorbit_desktop.server.tls import (
    Certificate,
    ensure_certificate,
    server_context,
    tls_folder,
)
from bookorbit_desktop.server.tls_gate import GatedTlsSite
from bookorbit_desktop.server.webdav.routes import setup_webdav

log = logging.getLogger(__name__)

# The request line may be long (search terms, long URLs); a header line gets aiohttp's default,
# and a request may have few headers (KOReader sends about eight): a request head stays small.
MAX_LINE_BYTES = 16 * 1024
MAX_FIELD_BYTES = 8190
MAX_HEADERS = 32
SHUTDOWN_GRACE_SECONDS = 2.0
# A body left unread after the answer (a refused sender's, or one declared too large) is not
# read on: the connection closes with the answer.
LINGER_SECONDS = 0.0
TRIM_SECONDS = 0.5
TRIM_AFTER_CONNECTIONS = 50
OPDS_PREFIX = "/opds"
PLAIN_PREFIXES = (OPDS_PREFIX, "/dav")


class ServerStartError(BookOrbitError):
    title = "Cannot start the sync server"


class PortInUseError(ServerStartError):
    title = "Port already in use"


def _is_opds(request: web.Request) -> bool:
    """Requests whose errors are plain text, not kosync's JSON: the catalog and WebDAV."""
    path = request.rel_url.path_safe
    return any(path == prefix or path.startswith(prefix + "/") for prefix in PLAIN_PREFIXES)


def _kind_for(error: web.HTTPException) -> ErrorKind:
    if error.status == 401:
        return UNAUTHORIZED
    if error.status == 413:
        return TOO_LARGE
    if error.status >= 500:
        return UNKNOWN_SERVER_ERROR
    return ErrorKind(error.status, NOT_FOUND.code, NOT_FOUND.message)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Outside /opds: every error is a JSON body with a reference code, never a crash."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if _is_opds(request) or error.status < 400:
            raise
        kind = _kind_for(error)
        response = json_response(error_body(kind), kind.status)
        if isinstance(error, web.HTTPMethodNotAllowed):
            response.headers["Allow"] = ",".join(sorted(error.allowed_methods))
        return response
    except Exception:
        log.exception(
            "Unexpected error answering %s %s", for_log(request.method), for_log(request.path)
        )
        if _is_opds(request):
            return web.Response(status=500, text="The server failed to answer this request.")
        return error_response(UNKNOWN_SERVER_ERROR)


def build_app(ctx: ServerContext) -> web.Application:
    app = web.Application(middlewares=[json_errors], client_max_size=MAX_BODY_BYTES)
    setup_kosync(app, ctx)
    setup_webdav(app, ctx)
    if ctx.opds_enabled:
        from bookorbit_desktop.server.opds.routes import setup_opds

        setup_opds(app, ctx)
    return app


def _describe_bind_error(error: OSError, host: str, port: int) -> ServerStartError:
    message = bind_problem(
        error,
        host,
        port,
        taken_advice="Another copy of BookOrbit or another sync server probably uses it. Stop "
        "that program, or choose another port (for example `bookorbit-desktop serve --port "
        "8766`, or in Settings) and type the new port into KOReader.",
    )
    if port_taken(error):
        return PortInUseError(message)
    return ServerStartError(f"{message} Check the address and port in Settings (or --host/--port).")


class LanServer(Listener):
    """The app bound to one host and port; `start()` and `stop()` run on the current loop.

    With `guard_exposure`, a server asked to listen on the LAN listens on loopback until a sync
    account exists or registration is allowed (`exposure.py`); `notice` then says why, and the
    server moves to `wanted_host` by itself (calling `on_opened(host)`) once it may, and back
    to loopback (calling `on_closed(host)`) if the account is removed again.
    """

    def __init__(
        self,
        ctx: ServerContext,
        host: str = "0.0.0.0",
        port: int = 8765,
        *,
        guard_exposure: bool = False,
        on_opened: Callable[[str], None] | None = None,
        https_port: int | None = None,
        on_closed: Callable[[str], None] | None = None,
    ) -> None:
        self.ctx = ctx
        # HTTPS on this port as well (0: any free one) with the self-signed certificate.
        self.https_port = https_port
        self.certificate: Certificate | None = None
        self.host = host
        self.wanted_host = host
        self.port = port
        self.guard_exposure = guard_exposure
        self.notice: str | None = None
        self._on_opened = on_opened
        self._on_closed = on_closed  # (loopback) after the account went and the LAN closed
        self._runner: web.BaseRunner | None = None
        self._site: web.TCPSite | None = None
        self._https_site: web.TCPSite | None = None
        self._limits: ConnectionLimits | None = None  # for the HTTPS gate, from start()
        self._watch: asyncio.Task[None] | None = None
        self._trimmer: asyncio.Task[None] | None = None
        self.limits: ConnectionLimits | None = None

    async def start(self) -> None:
        """Bind and serve; raises PortInUseError / ServerStartError with a clear message."""
        if self._runner is not None:
            return
        trim = tame_allocator()
        limits = ConnectionLimits(
            total_cap(raise_descriptor_limit()),
            is_idle=lambda conn: conn.is_waiting(),
            close=lambda conn: conn.close_now(),
        )
        # The OPDS search of older KOReader releases sends raw UTF-8 in the request line, which
        # aiohttp's strict parser refuses; this runner repairs just those requests.
        runner = LenientAppRunner(
            build_app(self.ctx),
            limits=limits,
            access_log=None,  # every kosync request is logged by its handler, without secrets
            shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
            max_line_size=MAX_LINE_BYTES,
            max_field_size=MAX_FIELD_BYTES,
            max_headers=MAX_HEADERS,
            keepalive_timeout=IDLE_SECONDS,
            lingering_time=LINGER_SECONDS,
            handler_cancellation=True,
        )
        self.ctx.workers.start()
        self._limits = limits
        try:
            if self.guard_exposure:
                allowed = await self.ctx.workers.read(may_open)
                self.host = listen_host(
                    self.wanted_host, has_account=allowed, registration_allowed=allowed
                )
                self.notice = None if self.host == self.wanted_host else notice()
            if self.https_port is not None:
                folder = tls_folder(self.ctx.paths.data_dir)
                self.certificate = await asyncio.to_thread(ensure_certificate, folder)
            await runner.setup()
            binding = self.port
            site = BatchedSite(runner, self.host, self.port)
            await site.start()
            self.port = listening_ports(runner.addresses)[
                0
            ]  # the real port when 0 asked for any free one
            binding = self.https_port or 0
            https_site = await self._start_https(runner, self.host)
        except OSError as error:
            await runner.cleanup()
            await self.ctx.workers.stop()
            raise _describe_bind_error(error, self.host, binding) from error
        except BaseException:
            await runner.cleanup()
            await self.ctx.workers.stop()
            raise
        self.limits = limits
        self._runner = runner
        self._site, self._https_site = site, https_site
        if https_site is not None:
            self.https_port = next(
                port for port in listening_ports(runner.addresses) if port != self.port
            )
        log.info("Sync server listening on %s port %d", self.host, self.port)
        if self.certificate is not None:
            log.info(
                "HTTPS on port %s, certificate SHA-256 %s",
                self.https_port,
                self.certificate.fingerprint,
            )
        if self.notice is not None:
            log.info("%s", self.notice)
        if self.guard_exposure and not is_loopback(self.wanted_host):
            self._watch = asyncio.create_task(self._follow_exposure())
        if trim is not None:
            self._trimmer = asyncio.create_task(self._trim_after_bursts(limits, trim))

    async def _start_https(self, runner: web.BaseRunner, host: str) -> GatedTlsSite | None:
        if self.certificate is None or self.https_port is None or self._limits is None:
            return None
        site = GatedTlsSite(
            runner,
            host,
            self.https_port,
            context=server_context(self.certificate),
            limits=self._limits,
        )
        await site.start()
        return site

    async def _reopen_https(self, runner: web.BaseRunner) -> None:
        """Move HTTPS to the address HTTP just moved to (same port)."""
        old, self._https_site = self._https_site, None
        if old is None:
            return
        await old.stop()
        try:
            self._https_site = await self._start_https(runner, self.host)
        except OSError as error:
            log.warning("Could not open HTTPS to the network: %s", error)

    async def _trim_after_bursts(self, limits: ConnectionLimits, trim: Callable[[], None]) -> None:
        """Give freed memory back to the system after many connections came and went."""
        seen = limits.closed_total
        while True:
            await asyncio.sleep(TRIM_SECONDS)
            if limits.closed_total - seen >= TRIM_AFTER_CONNECTIONS:
                trim()
            seen = limits.closed_total

    async def _follow_exposure(self) -> None:
        """Listen on the wanted address while an account (or open registration) protects the
        server, on loopback otherwise: open once one exists, close again when it is removed."""
        while self._runner is not None:
            await asyncio.sleep(RECHECK_SECONDS)
            try:
                allowed = await self.ctx.workers.read(may_open)
            except Exception as error:  # a busy library: look again next time
                log.info("Could not check for a sync account yet: %s", error)
                continue
            target = listen_host(
                self.wanted_host, has_account=allowed, registration_allowed=allowed
            )
            if target != self.host:
                await self._move_to(target)

    async def _move_to(self, host: str) -> None:
        runner, old = self._runner, self._site
        if runner is None or old is None:
            return
        await old.stop()
        site = BatchedSite(runner, host, self.port)
        try:
            await site.start()
        except OSError as error:
            log.warning("Could not move the server to %s: %s", host, error)
            await old.start()
            return
        self._site, self.host = site, host
        await self._reopen_https(runner)
        if host == self.wanted_host:
            self.notice = None
            log.info("A sync account exists: listening on %s port %d", self.host, self.port)
            if self._on_opened is not None:
                self._on_opened(self.host)
        else:
            self.notice = notice()
            log.warning("No sync account any more: listening on %s only", self.host)
            if self._on_closed is not None:
                self._on_closed(self.host)

    async def stop(self) -> None:
        self.ctx.guessing.close()
        await stop_tasks(self._watch, self._trimmer)
        self._watch = self._trimmer = None
        runner, self._runner = self._runner, None
        self._site = self._https_site = None
        if runner is not None:
            await runner.cleanup()
            await self.ctx.workers.stop()
            log.info("Sync server stopped")
