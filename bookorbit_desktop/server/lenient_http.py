"""Accepting request lines with raw UTF-8 bytes, as KOReader's OPDS search sends them.

KOReader up to v2025.08 pastes the search text into the OpenSearch template without
percent-encoding it (only spaces become `+`), so a search for "Café" arrives as the raw bytes
`GET /opds/search?q=Caf\xc3\xa9 HTTP/1.1`. aiohttp's fast C parser rejects such a request line with
400 before any handler runs.

Every connection starts on aiohttp's normal C parser. Only when it rejects the *first* request
of a connection, and that request's line contains raw non-ASCII bytes or bare spaces in its
target, are the bytes received so far replayed through aiohttp's pure-Python parser with the
target percent-encoded (each raw byte becomes `%XX`, so the handler decodes it as UTF-8 like any
encoded URL). KOReader closes the connection after every request, so this covers it; every
other request keeps the C parser's speed and strictness.

`LenientAppRunner` is a drop-in replacement for `aiohttp.web.AppRunner` that installs this,
the connection limits of `connections.py`, and a quiet error log: one line per malformed
request (never the request's bytes, which may carry a key), at most
`MALFORMED_LINES_PER_MINUTE` a minute from all addresses together.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web, web_protocol
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.http_parser import HttpRequestParserPy, RawRequestMessage
from aiohttp.web_protocol import RequestHandler, RequestPayloadError

from bookorbit_desktop.guards.connections import READ_CHUNK_BYTES, ConnectionLimits, peer_address
from bookorbit_desktop.guards.log_budget import LineBudget

log = logging.getLogger(__name__)

# The request line and headers of a first request must arrive within this many bytes for a
# replay to be possible (a KOReader search is far smaller).
_REPLAY_LIMIT = 32 * 1024
# Bytes a connection may send towards a request head that is not complete yet (bodies are not
# counted: the app refuses those above 64 KiB). This bounds what a connection makes the parser
# buffer, whatever its header count and sizes.
MAX_BYTES_PER_REQUEST = 24 * 1024


def normalise_request_line(line: bytes) -> bytes:
    """`line` with raw bytes >= 0x80 and bare spaces in its target percent-encoded.

    A request line is `METHOD SP target SP HTTP/x.y`; the target is everything between the first
    and the last space, so a target with raw spaces is still recognised. Lines of any other shape,
    and targets that need no change, are returned as they are.
    """
    first = line.find(b" ")
    last = line.rfind(b" ")
    if first <= 0 or last <= first + 1:
        return line
    method, target, version = line[:first], line[first + 1 : last], line[last + 1 :]
    if not version.startswith(b"HTTP/"):
        return line
    if target.isascii() and b" " not in target:
        return line
    encoded = b"".join(
        b"%%%02X" % byte if byte >= 0x80 or byte == 0x20 else bytes((byte,)) for byte in target
    )
    return b"%s %s %s" % (method, encoded, version)


def needs_repair(data: bytes) -> bool:
    """True when the request line at the start of `data` has a target to percent-encode.

    The line may still be incomplete (the C parser fails at the first bad byte, which can come
    before the end of the line has arrived); then raw non-ASCII bytes or a second space are
    reason enough to let the repairing parser wait for the rest.
    """
    line, newline, _rest = data.lstrip(b"\r\n").partition(b"\n")
    if not newline:
        return not line.isascii() or line.count(b" ") >= 2
    line = line.rstrip(b"\r")
    return normalise_request_line(line) != line


def _clean_first_line(data: bytearray) -> bool:
    """True once the request line has arrived and needs no repair."""
    line, newline, _rest = bytes(data[:_REPLAY_LIMIT]).lstrip(b"\r\n").partition(b"\n")
    return bool(newline) and not needs_repair(line + b"\n")


class _RepairingParser(HttpRequestParserPy):
    """aiohttp's pure-Python request parser, percent-encoding the request target first."""

    def parse_message(self, lines: list[bytes]) -> RawRequestMessage:
        if lines:
            lines = [normalise_request_line(lines[0]), *lines[1:]]
        return super().parse_message(lines)


class _FallbackParser:
    """The C parser, replaced by `_RepairingParser` when it rejects a repairable first request."""

    def __init__(
        self, fast: Any, make_repairing: Callable[[], Any], on_overflow: Callable[[], None]
    ) -> None:
        self._active = fast
        self._on_overflow = on_overflow
        self._make_repairing = make_repairing
        # Bytes of the connection so far, kept until its first request has been parsed.
        self._replay: bytearray | None = bytearray()
        self._since_head = 0  # bytes received since the last request head was parsed
        self._body: Any = None  # the payload of the last parsed request

    def feed_data(self, data: bytes) -> Any:
        counting = self._body is None or self._body.is_eof()  # not inside a request body
        result = self._feed(data)
        if result[0]:
            self._since_head = 0
            self._body = result[0][-1][1]
            return result
        if counting:
            self._since_head += len(data)
            if self._since_head > MAX_BYTES_PER_REQUEST:
                # Not an HTTP client worth an answer: drop the connection and everything it
                # sent at once (an error answer would keep the bytes alive until written).
                self._replay = None
                self._on_overflow()
                return [], False, b""
        return result

    def _feed(self, data: bytes) -> Any:
        if self._replay is None:
            return self._active.feed_data(data)
        self._replay += data
        try:
            result = self._active.feed_data(data)
        except HttpProcessingError:
            received = bytes(self._replay)
            self._replay = None
            if not needs_repair(received):
                raise
            self._active = self._make_repairing()
            return self._active.feed_data(received)
        if result[0] or len(self._replay) > _REPLAY_LIMIT or _clean_first_line(self._replay):
            self._replay = None  # nothing left that a repair could need
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._active, name)


# Malformed requests get at most this many lines a minute, from all addresses together.
MALFORMED_LINES_PER_MINUTE = 10
_EVERYONE = ""  # the budget's one key


def malformed_request_budget() -> LineBudget:
    return LineBudget(burst=MALFORMED_LINES_PER_MINUTE)


_ERROR_LOG = malformed_request_budget()  # for a handler whose server is already gone


def log_refused_request(
    address: str | None,
    error: BaseException | None,
    budget: LineBudget = _ERROR_LOG,
    what: str = "",
) -> None:
    """One line for a request the server could not parse or answer, rate-limited."""
    allowed, skipped = budget.note(_EVERYONE, time.monotonic())
    if not allowed:
        return
    kind = what or (type(error).__name__ if error is not None else "error")
    more = f" ({skipped} more since the last one not logged)" if skipped else ""
    log.warning("Refused a malformed request from %s: %s%s", address or "unknown", kind, more)


class LenientRequestHandler(RequestHandler):
    """aiohttp's request handler with the fallback parser and the connection limits."""

    __slots__ = ()

    def __init__(
        self, manager: web.Server, *, loop: asyncio.AbstractEventLoop, **kwargs: Any
    ) -> None:
        super().__init__(manager, loop=loop, **kwargs)
        options: dict[str, Any] = {
            "max_line_size": self.max_line_size,
            "max_field_size": self.max_field_size,
            "max_headers": self.max_headers,
            "payload_exception": RequestPayloadError,
            "auto_decompress": kwargs.get("auto_decompress", True),
        }
        queue_size = getattr(web_protocol, "MAX_MSG_QUEUE_SIZE", None)
        if queue_size is not None:
            options["max_msg_queue_size"] = queue_size

        def make_repairing() -> _RepairingParser:
            return _RepairingParser(self, loop, self._read_bufsize, **options)

        self._parser = _FallbackParser(  # type: ignore[assignment]
            self._parser, make_repairing, self._overflowed
        )

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if isinstance(getattr(transport, "max_size", None), int):  # asyncio's socket transports
            transport.max_size = READ_CHUNK_BYTES  # type: ignore[attr-defined]
        limits: ConnectionLimits | None = getattr(self._manager, "limits", None)
        if limits is not None and not limits.opened(self, peer_address(transport) or "unknown"):
            self.force_close()
            if isinstance(transport, asyncio.Transport):
                transport.abort()
            else:
                transport.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        limits: ConnectionLimits | None = getattr(self._manager, "limits", None)
        if limits is not None:
            limits.closed(self)
        super().connection_lost(exc)

    def is_waiting(self) -> bool:
        """True while no request is being answered (idle, or its head still arriving)."""
        return not self._request_in_progress

    def _overflowed(self) -> None:
        log_refused_request(
            peer_address(self.transport),
            None,
            getattr(self._manager, "error_log", _ERROR_LOG),
            "request too large, connection closed",
        )
        self.close_now()

    def close_now(self) -> None:
        self.force_close()
        if self.transport is not None:
            self.transport.abort()

    def log_exception(self, *args: Any, **kw: Any) -> None:
        # aiohttp logs a full traceback whose text may quote the request's header bytes.
        error = kw.get("exc_info")
        remote = args[1] if len(args) > 1 else None
        log_refused_request(
            str(remote) if remote else None,
            error if isinstance(error, BaseException) else None,
            getattr(self._manager, "error_log", _ERROR_LOG),
        )


class _LenientServer(web.Server):
    def __init__(self, *args: Any, limits: ConnectionLimits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.error_log = malformed_request_budget()

    def __call__(self) -> RequestHandler:
        return LenientRequestHandler(self, loop=self._loop, **self._kwargs)


class LenientAppRunner(web.AppRunner):
    """`web.AppRunner` whose connections accept raw UTF-8 request targets and obey `limits`."""

    def __init__(
        self, app: web.Application, *, limits: ConnectionLimits | None = None, **kwargs: Any
    ) -> None:
        super().__init__(app, **kwargs)
        self._limits = limits

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        return _LenientServer(
            server.request_handler,
            request_factory=server.request_factory,
            handler_cancellation=server.handler_cancellation,
            loop=asyncio.get_running_loop(),
            limits=self._limits,
            **server._kwargs,
        )
