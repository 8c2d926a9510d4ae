"""Property-based: random and adversarial requests to every LAN route of the real server on
127.0.0.1 (kosync, the Atom and JSON catalogs with their cursors and search, WebDAV statistics)
and of the highlights receiver.

Whatever arrives, the answer is a 2xx or a 4xx (never a 5xx, never a dropped connection),
nothing reaches the library without the account's credentials (or, for highlights, without
being a valid export), the log gets at most one line per request and never a traceback.

Each test runs `EXAMPLES` examples, a few seconds' worth; set BOOKORBIT_PROPERTY_EXAMPLES for a
longer run (for example `BOOKORBIT_PROPERTY_EXAMPLES=2000`).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.guards.throttle import LoginThrottle
from bookorbit_desktop.library.store.keyset import Cursor
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.server.app import LanServer
from bookorbit_desktop.server.highlights.guard import request_rate
from bookorbit_desktop.server.highlights.receiver import HighlightsReceiver, ReceiverOptions
from bookorbit_desktop.server.opds.catalog import SECTIONS
from bookorbit_desktop.server.opds.model import CatalogUrls
from bookorbit_desktop.server.opds.paging import encode
from bookorbit_desktop.server.workers import DbWorkers
from tests.factories import add_book
from tests.guards.wire import Answer, attacker, basic, exchange, http_request

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.skipif(sys.platform != "linux", reason="uses 127.0.x.y source addresses"),
]

EXAMPLES = int(os.environ.get("BOOKORBIT_PROPERTY_EXAMPLES", "25"))
PROPERTIES = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

USER, PASSWORD = "reader", "secret"
KEY = key_for_password(PASSWORD)

printable = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
any_text = st.text(max_size=40)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | any_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
deep = st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)


def _token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


big_integers = st.integers(min_value=-(2**70), max_value=2**70)
key_parts = big_integers | st.floats() | any_text
keys = st.tuples(any_text, big_integers) | st.tuples(key_parts, key_parts, big_integers)
cursors = (
    keys.map(lambda key: encode(Cursor(key)))
    | keys.map(lambda key: encode(Cursor(key, backward=True)))
    | st.lists(key_parts, min_size=1, max_size=4).map(lambda key: encode(Cursor(tuple(key))))
    | st.builds(lambda value: _token(json.dumps(["a", value])), json_values)
    | deep.map(lambda nested: _token(f'["a",{nested}]'))
    | printable
    | st.sampled_from(["", "%%%", "A" * 5000])
)
query_values = cursors | any_text | st.integers().map(str) | st.sampled_from(["0", "-1", "1e9"])
queries = st.dictionaries(
    st.sampled_from(["cursor", "page", "q", "query", "name"]) | printable, query_values, max_size=4
)
credentials = st.sampled_from(["right", "wrong", "none", "garbled"])
mostly_right = st.sampled_from(["right"] * 5 + ["wrong", "none", "garbled"])  # reach the routes
bodies = (
    st.binary(max_size=300)
    | json_values.map(lambda value: json.dumps(value).encode())
    | deep.map(str.encode)
)


def authorization(kind: str, scheme: str) -> dict[str, str]:
    """The credentials of one request: the account's, a wrong pair, none, or garbage."""
    if kind == "none":
        return {}
    if scheme == "kosync":
        key = {"right": KEY, "wrong": "0" * 32, "garbled": "\x7f" + "g" * 40}[kind]
        return {"x-auth-user": USER, "x-auth-key": key}
    value = {"right": basic(USER, PASSWORD), "wrong": basic(USER, "guess"), "garbled": "Basic !"}
    return {"Authorization": value[kind]}


def fingerprint() -> dict[str, int]:
    """How many rows each table of the library holds."""
    tables = [
        row[0]
        for row in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {
        name: database.execute_sql(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        for name in tables
    }


def files(folder: Path) -> list[str]:
    return (
        sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))
        if folder.exists()
        else []
    )


def assert_answered(answer: Answer, request: bytes) -> None:
    assert 200 <= answer.status < 500, (answer.status, request[:300], answer.body[:300])


def assert_quiet_log(caplog: pytest.LogCaptureFixture, requests: int) -> None:
    records = [record for record in caplog.records if record.levelno >= logging.INFO]
    assert len(records) <= requests, [record.getMessage() for record in records]
    assert not [record for record in records if record.exc_info or record.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


class Lan:
    def __init__(self, server: LanServer, data_dir: Path) -> None:
        self.server = server
        self.port = server.port
        self.data_dir = data_dir
        self.requests = 0

    def fresh(self) -> str:
        """A new throttle (one example's guesses do not block the next) and a source address
        of its own (per-address budgets start afresh)."""
        self.server.ctx.throttle = LoginThrottle()
        self.requests += 1
        return attacker(self.requests % 2000)


@pytest.fixture
async def lan(library) -> AsyncIterator[Lan]:
    set_account(USER, KEY)
    add_book("Dune", ["Frank Herbert"], series="Dune")
    add_book("Emma", ["Jane Austen"])
    server = LanServer(ServerContext(library), "127.0.0.1", 0)
    await server.start()
    yield Lan(server, library.data_dir)
    await server.stop()


# Every list: each section of the root, then the lists reached from them.
OPDS_LISTS = [CatalogUrls().feed(item.name)[len("/opds") :] for item in SECTIONS] + [
    "/authors/1",
    "/series/books?name=Dune",
    "/search?q=dune&query=dune",
    "/hardcover/want-to-read",
]
OPDS_ROUTES = [
    *OPDS_LISTS,
    "",
    "/opensearch.xml",
    "/download/1.epub",
    "/covers/1",
    "/thumbnails/1.jpg",
]


async def catalog_request(lan: Lan, caplog: pytest.LogCaptureFixture, path: str, headers) -> None:
    source = lan.fresh()
    before = fingerprint()
    caplog.clear()
    caplog.set_level(logging.INFO)
    request = http_request("GET", path, headers)
    assert_answered(await exchange(lan.port, request, source=source, timeout=10), request)
    assert fingerprint() == before  # a catalog only reads
    assert_quiet_log(caplog, 1)


@PROPERTIES
@given(
    rendering=st.sampled_from(["/opds", "/opds/v2"]),
    route=st.sampled_from(OPDS_LISTS),
    cursor=cursors,
)
async def test_catalog_lists_with_forged_cursors(lan, caplog, rendering, route, cursor):
    separator = "&" if "?" in route else "?"
    path = f"{rendering}{route}{separator}cursor={quote(cursor, safe='')}"
    await catalog_request(lan, caplog, path, authorization("right", "basic"))


@PROPERTIES
@given(
    rendering=st.sampled_from(["/opds", "/opds/v2"]),
    route=st.sampled_from(OPDS_ROUTES) | printable.map(lambda tail: "/" + quote(tail)),
    query=queries,
    login=mostly_right,
    accept=printable,
)
async def test_catalog_routes(lan, caplog, rendering, route, query, login, accept):
    path = rendering + route
    if query:
        path += ("&" if "?" in path else "?") + urlencode(query, quote_via=quote)
    await catalog_request(lan, caplog, path, {**authorization(login, "basic"), "Accept": accept})


KOSYNC_ROUTES = [
    ("GET", "/kosync/users/auth"),
    ("GET", "/kosync/healthcheck"),
    ("GET", "/kosync/syncs/progress/{document}"),
    ("PUT", "/kosync/syncs/progress"),
    ("POST", "/kosync/users/create"),
    ("GET", "/users/auth"),
    ("PUT", "/syncs/progress"),
]


@PROPERTIES
@given(
    route=st.sampled_from(KOSYNC_ROUTES),
    method=st.none() | st.sampled_from(["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]),
    document=any_text,
    login=credentials,
    body=bodies,
    extra=st.dictionaries(
        st.sampled_from(["Accept", "Content-Type", "X-Forwarded-For"]), printable
    ),
)
async def test_kosync_routes(lan, caplog, route, method, document, login, body, extra):
    source = lan.fresh()
    before = fingerprint()
    caplog.clear()
    caplog.set_level(logging.INFO)
    verb, path = route
    path = path.format(document=quote(document, safe=""))
    headers = {**authorization(login, "kosync"), **extra}
    request = http_request(method or verb, path, headers, body)
    assert_answered(await exchange(lan.port, request, source=source, timeout=10), request)
    if login != "right":
        assert fingerprint() == before  # nothing unchecked is stored
    assert_quiet_log(caplog, 1)


@PROPERTIES
@given(
    # HEAD is GET without a body, which the raw client here cannot read (it waits for one).
    method=st.sampled_from(["OPTIONS", "PROPFIND", "GET", "PUT", "MKCOL", "DELETE", "LOCK"]),
    segments=st.lists(
        any_text | st.sampled_from(["..", ".", "%2e%2e", ".partial", "a%00b"]), max_size=3
    ),
    login=credentials,
    body=bodies,
    depth=st.none() | st.sampled_from(["0", "1", "infinity"]) | printable,
)
async def test_webdav_routes(lan, caplog, method, segments, login, body, depth):
    source = lan.fresh()
    folder = lan.data_dir / "webdav"
    before = (fingerprint(), files(folder))
    caplog.clear()
    caplog.set_level(logging.INFO)
    path = "/dav/" + "/".join(
        segment if "%" in segment else quote(segment, safe="") for segment in segments
    )
    headers = authorization(login, "basic")
    if depth is not None:
        headers["Depth"] = depth
    request = http_request(method, path, headers, body)
    assert_answered(await exchange(lan.port, request, source=source, timeout=10), request)
    if login != "right":
        assert (fingerprint(), files(folder)) == before
    assert_quiet_log(caplog, 1)


@pytest.fixture
async def receiver(library) -> AsyncIterator[HighlightsReceiver]:
    workers = DbWorkers(checkpoints=False)
    workers.start()
    running = HighlightsReceiver(
        ReceiverOptions(workers=workers, rate=request_rate()), "127.0.0.1", 0
    )
    await running.start()
    yield running
    await running.stop()
    await workers.stop()


entry_dicts = st.fixed_dictionaries(
    {},
    optional={
        "text": json_values,
        "note": json_values,
        "time": json_values,
        "chapter": json_values,
        "page": json_values,
    },
)
exports = st.fixed_dictionaries(
    {},
    optional={
        "title": json_values,
        "author": json_values,
        "type": json_values,
        "locationUnit": json_values,
        "source": json_values,
        "entries": st.lists(entry_dicts, max_size=4) | json_values,
    },
).map(lambda value: json.dumps(value).encode())
sent_counter = iter(range(10**9))


@PROPERTIES
@given(
    body=exports | bodies,
    path=st.sampled_from(["/send", "/send?k=x", "/", "/other"])
    | printable.map(lambda t: "/" + quote(t)),
    method=st.sampled_from(["POST", "GET", "PUT"]),
    content_type=st.sampled_from(["application/json", "text/plain", ""]) | printable,
)
async def test_highlights_receiver(receiver, caplog, body, path, method, content_type):
    source = attacker(next(sent_counter) % 2000)
    before = fingerprint()
    caplog.clear()
    caplog.set_level(logging.INFO)
    headers = {"Content-Type": content_type} if content_type else {}
    request = http_request(method, path, headers, body)
    answer = await exchange(receiver.port, request, source=source, timeout=20)
    assert_answered(answer, request)
    if answer.status != 200:
        assert fingerprint() == before  # a refused post stores nothing
    assert_quiet_log(caplog, 1)
