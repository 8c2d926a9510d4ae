"""A fake Hardcover GraphQL API on 127.0.0.1 for tests and benchmarks.

Every request is parsed and validated against Hardcover's official schema (a copy lives in
tests/data/hardcover with its licence) and executed by graphql-core against a `Catalog`.
Around that it models what hardcover-api.md §7 lists: auth errors (401 current/legacy/in-band),
scopes (403 insufficient_scope or in-band), per-request caps (403 top_level_limit_exceeded),
blocked pattern operators, rate limits with RateLimit headers and 429 + Retry-After, slow
searches (408), injected 5xx / hangs / dropped connections, and a virtual clock.

    catalog = Catalog(); user = catalog.add_user("reader"); token = catalog.add_token(user)
    async with FakeHardcover(catalog, clock=VirtualClock()) as server:
        ... client(endpoint=server.url, token=token) ...
        assert server.top_level_fields == 1
        assert server.status_count(429) == 0

`ThreadedFakeHardcover` runs the same server on its own thread and loop, for code under test
that calls `asyncio.run` itself (the CLI).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import random
import re
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    build_schema,
    execute,
    parse,
    validate,
)

from tests.fakes.clock import SystemClock, VirtualClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_limits import RateBook, missing_scope, top_level_fields
from tests.fakes.hardcover_query import PATTERN_OPERATORS, QueryRefused, Selector
from tests.fakes.hardcover_resolvers import (
    Behaviour,
    ExecutionContext,
    computed_column,
    resolve_field,
)

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "hardcover" / "schema.graphql"
PATH = "/v1/graphql"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour (what a cover service answers, much smaller)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


COVER_PNG = _png(20, 30, (40, 90, 160))
_PATTERN = re.compile(r"\b(" + "|".join(sorted(PATTERN_OPERATORS)) + r")\b")


@functools.cache
def hardcover_schema() -> GraphQLSchema:
    """Hardcover's official schema (built once per process; it takes about a second)."""
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=512)
def checked(query: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """The parsed query and what validating it against the schema found, once per query text
    and process (a client sends the same few texts with new variables; parsing and validating
    one took most of the fake's time per request). Raises GraphQLError for a text that does
    not parse (an error is not kept: that text is parsed again next time)."""
    document = parse(query)
    return document, tuple(validate(hardcover_schema(), document))


@dataclass
class ServerConfig:
    """Switches for the behaviours tests want to vary (defaults: Hardcover today)."""

    auth_errors: str = "current"  # "current" | "legacy" | "in_band"
    scope_errors: str = "http"  # "http" (403) | "in_band" (200, field not found)
    specific_limit_errors: bool = False  # top_level_query_limit_exceeded etc.
    legacy_throttle_body: bool = False  # {"error":"Throttled"}
    rate_limits: bool = True
    row_cap: int | None = 100
    shuffle_unordered: bool = True
    allow_pattern_operators: bool = False
    max_query_fields: int = 5
    max_mutation_fields: int = 5
    max_searches: int = 1
    search_latency: float = 0.0  # seconds per search on the clock
    search_timeout: float = 2.0
    hang_seconds: float = 30.0  # real seconds a "hang" fault holds the response
    response_delay: float = 0.0  # real seconds every request takes (a slow network)


@dataclass
class RequestRecord:
    """What the server saw and answered, for assertions and benchmarks."""

    status: int
    at: float
    headers: dict[str, str]
    operation_name: str | None = None
    operation_type: str | None = None
    fields: list[str] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    user_id: int | None = None
    charged: int = 0  # top-level fields spent from the rate budget


class _Reply(Exception):
    """Stop processing and answer with this status and JSON body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class FakeHardcover:
    """The fake API. `url` is the endpoint to give the client once started."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        clock: VirtualClock | SystemClock | None = None,
        config: ServerConfig | None = None,
        behaviour: Behaviour | None = None,
        seed: int = 0,
    ) -> None:
        self.catalog = catalog or Catalog()
        self.clock = clock or VirtualClock()
        self.catalog.today = self.clock.today
        self.catalog.clock_time = self.clock
        self.config = config or ServerConfig()
        self.behaviour = behaviour or Behaviour()
        self.rates = RateBook(self.clock)
        self.requests: list[RequestRecord] = []
        self._faults: list[dict[str, Any]] = []
        self._lost_answers: dict[str, list[int | str]] = {}
        # Called with each operation's name once it was carried out, before the answer goes
        # back: a test changes the library there to land a change in the middle of a push.
        self.after_operation: Callable[[str | None], None] | None = None
        # Called with each injected fault's kind as it is served, before it takes effect: a
        # test stops a push at the very request that hangs, instead of waiting for it.
        self.on_fault: Callable[[int | str], None] | None = None
        self._rng = random.Random(seed)
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self.url = ""

    # ----------------------------------------------------------------- lifecycle
    async def start(self) -> str:
        hardcover_schema()
        app = web.Application()
        app.router.add_post(PATH, self._handle)
        app.router.add_get("/covers/{name}", self._cover)
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}{PATH}"
        return self.url

    def cover_url(self, name: str) -> str:
        """The address of a cover this fake serves (`name` ending in .png), or a 404."""
        return self.url.removesuffix(PATH) + f"/covers/{name}"

    async def _cover(self, request: web.Request) -> web.Response:
        """A small PNG for any name ending in .png that does not start with "missing"."""
        name = request.match_info["name"]
        if not name.endswith(".png") or name.startswith("missing"):
            raise web.HTTPNotFound()
        return web.Response(body=COVER_PNG, content_type="image/png")

    async def close(self) -> None:
        if self._closing is not None:
            self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeHardcover:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ----------------------------------------------------------------- test controls
    def fail_next(
        self,
        kind: int | str,
        *,
        times: int = 1,
        retry_after: int | None = None,
        body: Any = None,
        operation: str | None = None,
    ) -> None:
        """Answer the next `times` requests with a fault instead of processing them.

        `kind`: an HTTP status (429, 500, 503, 408, 401, ...) answered with Hardcover's body
        for it, "html500" (an HTML error page), "hang" (no answer for `hang_seconds`), "drop"
        (close the connection before anything happens) or "drop_after" (carry the request out,
        then close the connection instead of answering). With `operation`, the fault waits for
        a request of that operation name; others pass untouched. `body` replaces the default
        JSON body.
        """
        for _ in range(times):
            self._faults.append(
                {"kind": kind, "retry_after": retry_after, "body": body, "operation": operation}
            )

    def lose_answer_after_write(
        self, operation_name: str, times: int = 1, *, answer: int | str = 503
    ) -> None:
        """Carry out the next `times` requests named `operation_name` (any mutation or query),
        then lose their answers: the write is stored, but the client sees `answer` instead,
        a 5xx status (503, 500, 502, 504) with Hardcover's body for it, or "drop" (the
        connection closes). What a client sees when Hardcover stored a change and the answer
        went missing, so it must look before sending it again.
        """
        self._lost_answers.setdefault(operation_name, []).extend([answer] * times)

    @property
    def top_level_fields(self) -> int:
        """Top-level fields charged to rate budgets so far (what Hardcover counts)."""
        return sum(record.charged for record in self.requests)

    def status_count(self, status: int) -> int:
        return sum(1 for record in self.requests if record.status == status)

    @property
    def statuses(self) -> Counter[int]:
        return Counter(record.status for record in self.requests)

    def reset_counters(self) -> None:
        self.requests.clear()

    # ----------------------------------------------------------------- request handling
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        record = RequestRecord(status=0, at=self.clock(), headers=dict(request.headers))
        self.requests.append(record)
        rate_headers: dict[str, str] = {}
        if self.config.response_delay:
            await asyncio.sleep(self.config.response_delay)
        fault = await self._next_fault(request)
        if fault is not None and self.on_fault is not None:
            self.on_fault(fault["kind"])
        drop_after = fault is not None and fault["kind"] == "drop_after"
        try:
            if fault is not None and not drop_after:
                await self._fault(request, fault)
            payload = await self._payload(request, record)
            user_id, scopes, plan = self._authenticate(request)
            record.user_id = user_id
            bucket = self.rates.bucket(user_id, plan)
            rate_headers = bucket.headers(self.clock())
            body = self._run(payload, record, user_id, scopes, bucket)
            status = 200
            if self.after_operation is not None:
                self.after_operation(record.operation_name)
            rate_headers = bucket.headers(self.clock())
            lost = self._lost_answers.get(record.operation_name or "")
            if lost:
                drop_after = drop_after or lost[0] == "drop"
                answer = lost.pop(0)
                if answer != "drop":
                    await self._fault(request, {"kind": answer, "body": None})
            if "search" in record.fields and self.config.search_latency:
                if self.config.search_latency > self.config.search_timeout:
                    raise _Reply(408, {"error": "Request timeout"})
                self.clock.advance(self.config.search_latency)
        except _Reply as reply:
            status, body = reply.status, reply.body
            rate_headers = {**rate_headers, **reply.headers}
        except ConnectionResetError:
            record.status = -1  # the connection was dropped; nothing reaches the client
            return web.Response(status=500)
        record.status = status
        if drop_after and request.transport is not None:
            # The request was carried out, but its answer never reaches the client.
            request.transport.close()
            record.status = -1
            return web.Response(status=500)
        if isinstance(body, str):
            return web.Response(
                status=status, text=body, content_type="text/html", headers=rate_headers
            )
        return web.json_response(body, status=status, headers=rate_headers)

    async def _next_fault(self, request: web.Request) -> dict[str, Any] | None:
        if not self._faults:
            return None
        wanted = self._faults[0].get("operation")
        if wanted is not None:
            try:
                name = json.loads(await request.read()).get("operationName")
            except (ValueError, AttributeError):
                name = None
            if name != wanted:
                return None
        return self._faults.pop(0)

    async def _fault(self, request: web.Request, fault: dict[str, Any]) -> None:
        kind = fault["kind"]
        bodies: dict[Any, Any] = {
            408: {"error": "Request timeout"},
            429: {"error": "Too Many Requests", "message": "Slow down."},
            500: {"error": "An unknown error occurred"},
            502: "<html><body><h1>502 Bad Gateway</h1></body></html>",
            503: {"error": "Service temporarily unavailable"},
            401: {"error": "invalid_token", "error_description": "Invalid token"},
        }
        if kind == "hang":
            assert self._closing is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.config.hang_seconds)
            raise _Reply(504, {"error": "Gateway timeout"})
        if kind == "drop":
            assert request.transport is not None
            request.transport.close()
            raise ConnectionResetError("dropped by the fake")
        if kind == "html500":
            raise _Reply(500, "<!DOCTYPE html><html><body>Internal Server Error</body></html>")
        headers = {}
        if kind == 429:
            headers["Retry-After"] = str(fault["retry_after"] or 1)
        raise _Reply(int(kind), fault["body"] or bodies.get(kind, {"error": "fault"}), headers)

    async def _payload(self, request: web.Request, record: RequestRecord) -> dict[str, Any]:
        try:
            payload = json.loads(await request.read())
        except ValueError:
            raise _Reply(400, {"error": "Malformed request body"}) from None
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            raise _Reply(400, {"error": "Malformed request body"})
        variables = payload.get("variables") or {}
        if not isinstance(variables, dict):
            raise _Reply(400, {"error": "Malformed request body"})
        record.query, record.variables = payload["query"], variables
        record.operation_name = payload.get("operationName")
        return payload

    def _authenticate(self, request: web.Request) -> tuple[int, frozenset[str], str]:
        header = request.headers.get("Authorization")
        if header is None:
            raise _Reply(
                401, {"error": "invalid_token", "error_description": "Missing Authorization header"}
            )
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token or " " in token:
            raise _Reply(
                401,
                {"error": "invalid_token", "error_description": "Malformed Authorization header"},
            )
        info = self.catalog.tokens.get(token)
        problem = None
        if info is None:
            problem = "Invalid token"
        elif info["revoked"]:
            problem = "The access token has been revoked"
        elif info["expired"]:
            problem = "The access token expired"
        if problem is not None:
            mode = self.config.auth_errors
            if mode == "legacy":
                raise _Reply(401, {"error": "Unable to verify token"})
            if mode == "in_band":
                raise _Reply(
                    200,
                    {
                        "errors": [
                            {
                                "message": "Could not verify JWT: JWTExpired",
                                "extensions": {"code": "invalid-jwt", "path": "$"},
                            }
                        ]
                    },
                )
            raise _Reply(401, {"error": "invalid_token", "error_description": problem})
        assert info is not None
        user = self.catalog.tables["users"][info["user_id"]]
        return user["id"], info["scopes"], user.get("membership") or "Free"

    def _run(
        self,
        payload: dict[str, Any],
        record: RequestRecord,
        user_id: int,
        scopes: frozenset[str],
        bucket: Any,
    ) -> dict[str, Any]:
        schema = hardcover_schema()
        try:
            document, problems = checked(payload["query"])
        except GraphQLError as error:
            raise _Reply(
                400, {"error": "invalid_query", "error_description": error.message}
            ) from None
        if problems:
            raise _Reply(200, {"errors": [_hasura_error(p) for p in problems]})
        chosen = top_level_fields(document, record.operation_name)
        if chosen is None:
            raise _Reply(
                200,
                {
                    "errors": [
                        {
                            "message": "exactly one operation must be chosen",
                            "extensions": {"code": "validation-failed", "path": "$"},
                        }
                    ]
                },
            )
        record.operation_type, record.fields = chosen
        self._check_caps(record.operation_type, record.fields)
        if not self.config.allow_pattern_operators:
            text = payload["query"] + json.dumps(record.variables)
            blocked = _PATTERN.search(text)
            if blocked:
                raise _Reply(
                    403,
                    {
                        "error": "blocked_operation",
                        "error_description": f"{blocked.group(1)} is not allowed",
                    },
                )
        denied_field, scope = missing_scope(record.operation_type, record.fields, scopes)
        if denied_field:
            if self.config.scope_errors == "in_band":
                root = f"{record.operation_type}_root"
                raise _Reply(
                    200,
                    {
                        "errors": [
                            {
                                "message": f"field '{denied_field}' not found in type: '{root}'",
                                "extensions": {
                                    "path": "$.selectionSet",
                                    "code": "validation-failed",
                                },
                            }
                        ]
                    },
                )
            raise _Reply(
                403,
                {
                    "error": "insufficient_scope",
                    "scope": scope,
                    "error_description": f"This token needs the {scope} scope.",
                },
            )
        cost = len(record.fields)
        if self.config.rate_limits:
            wait = bucket.retry_after(cost, self.clock())
            if wait is not None:
                body = (
                    {"error": "Throttled"}
                    if self.config.legacy_throttle_body
                    else {
                        "error": "Too Many Requests",
                        "message": f"Rate limit exceeded. Try again in {wait} seconds.",
                    }
                )
                raise _Reply(429, body, {"Retry-After": str(wait)})
        bucket.spend(cost)
        record.charged = cost
        return self._execute(schema, document, record, user_id)

    def _check_caps(self, operation: str, fields: list[str]) -> None:
        config = self.config
        reason = None
        if fields.count("search") > config.max_searches:
            reason = "search_query_limit_exceeded"
        elif operation == "query" and len(fields) > config.max_query_fields:
            reason = "top_level_query_limit_exceeded"
        elif operation == "mutation" and len(fields) > config.max_mutation_fields:
            reason = "top_level_mutation_limit_exceeded"
        if reason:
            code = reason if config.specific_limit_errors else "top_level_limit_exceeded"
            raise _Reply(403, {"errors": [code]})

    def _execute(
        self, schema: GraphQLSchema, document: Any, record: RequestRecord, user_id: int
    ) -> dict[str, Any]:
        selector = Selector(
            self.catalog,
            row_cap=self.config.row_cap,
            shuffle_unordered=self.config.shuffle_unordered,
            rng=self._rng,
            allow_pattern_operators=self.config.allow_pattern_operators,
            computed=computed_column(self.catalog),
        )
        context = ExecutionContext(self.catalog, selector, user_id, self.behaviour)
        try:
            result = execute(
                schema,
                document,
                context_value=context,
                variable_values=record.variables,
                operation_name=record.operation_name,
                field_resolver=resolve_field,
            )
        except QueryRefused as refused:
            raise _Reply(
                403, {"error": "blocked_operation", "error_description": str(refused)}
            ) from None
        if asyncio.iscoroutine(result) or hasattr(result, "__await__"):
            raise RuntimeError("the fake's resolvers must be synchronous")
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [_hasura_error(e) for e in result.errors]
        if result.data is not None:
            body["data"] = result.data
        return body


def _hasura_error(error: GraphQLError) -> dict[str, Any]:
    path = "$" + "".join(f".{p}" if isinstance(p, str) else f"[{p}]" for p in error.path or [])
    code = "validation-failed" if not error.path else "unexpected"
    return {"message": error.message, "extensions": {"path": path, "code": code}}


class ThreadedFakeHardcover:
    """Runs a `FakeHardcover` on its own event loop thread (for code that owns its loop)."""

    def __init__(self, server: FakeHardcover) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> FakeHardcover:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(30)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.close(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
