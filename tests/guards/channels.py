"""Every channel a stranger on the Wi-Fi can reach, described once for the channel suite.

`start_lan` starts the real servers in this process on 127.0.0.1, every channel on: the sync
server (kosync, the OPDS catalog and WebDAV's /dav/ on one port), the highlights receiver on
its own port (sharing the sync server's connection caps, as `serve` wires it), calibre's
device port and its UDP discovery responder. Each channel then says, in the same terms, how a
client of it opens a connection and sends a head and part of a body, what it sends when all
is well, an oversized body, a deeply nested structure, network text in every field, one bad
request of a flood, and what its usual error body looks like (`Channel`). The HTTP channels
are described here, calibre's two in `calibre_channels`; the hostile cases in `test_channels`
run against each channel alike.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.devices.records import DeviceRecords
from bookorbit_desktop.devices.server import DeviceServer
from bookorbit_desktop.devices.session import Timing
from bookorbit_desktop.guards.connections import MAX_BODY_BYTES
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.server.app import LanServer
from bookorbit_desktop.server.highlights.receiver import MAX_BODY_BYTES as EXPORT_BYTES
from bookorbit_desktop.server.highlights.receiver import HighlightsReceiver, ReceiverOptions
from bookorbit_desktop.server.webdav.folder import MAX_FILE_BYTES
from tests.guards import wire
from tests.guards.wire import Answer, basic, http_head, http_request, in_header, in_url

USER, PASSWORD = "reader", "correct horse"
KEY = key_for_password(PASSWORD)
DEVICE_PASSWORD = "device secret"
BODY_SECONDS = 1.0  # every body time limit, shortened for the tests (see test_channels)
DOCUMENT = "0123456789abcdef0123456789abcdef"
# How deep the nested structures go: far past any parser's recursion limit, within every cap.
DEPTH = 20_000


@dataclass
class Lan:
    """The running servers; `stop()` stops them all."""

    server: LanServer
    receiver: HighlightsReceiver
    devices: DeviceServer

    @property
    def port(self) -> int:
        return self.server.port

    async def stop(self) -> None:
        await self.devices.stop()
        await self.receiver.stop()
        await self.server.stop()


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_lan(paths: Paths) -> Lan:
    """Every channel on, on 127.0.0.1, with the account `USER`/`PASSWORD` (library open)."""
    set_account(USER, KEY)
    server = LanServer(ServerContext(paths, opds_enabled=True), "127.0.0.1", 0)
    await server.start()
    options = ReceiverOptions(workers=server.ctx.workers, limits=server.limits)
    receiver = HighlightsReceiver(options, "127.0.0.1", 0)
    await receiver.start()
    devices = DeviceServer(
        DEVICE_PASSWORD,
        DeviceRecords(),
        "127.0.0.1",
        0,
        discovery=True,
        discovery_ports=(_free_udp_port(),),
        timing=Timing(handshake=BODY_SECONDS, reply=BODY_SECONDS, keepalive=30.0, goodbye=0.3),
    )
    await devices.start()
    lan = Lan(server, receiver, devices)
    # The real device logged in once already, as KOReader does when the user sets it up.
    assert (await push(lan)).status == 200
    return lan


async def push(lan: Lan, percentage: float = 0.5) -> Answer:
    """A kosync push from the real device on 127.0.0.1."""
    body = json.dumps(
        {
            "document": DOCUMENT,
            "progress": "/body/DocFragment[10]/body/p[3]/text().0",
            "percentage": percentage,
            "device": "Kobo",
            "device_id": "C64C9F5BF0C1520EFC308725F518CB1F",
        }
    ).encode()
    headers = {"x-auth-user": USER, "x-auth-key": KEY, "Content-Type": "application/json"}
    return await wire.exchange(
        lan.port, http_request("PUT", "/kosync/syncs/progress", headers, body)
    )


@dataclass
class Refusal:
    """What a channel did with a hostile request: `kind` is the HTTP status ("413"), "closed"
    (the connection ended without an answer) or "silent" (no answer in time); `usual` says
    whether an error's body is the channel's usual error body."""

    kind: str
    usual: bool
    seconds: float
    detail: str = ""


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@dataclass(frozen=True)
class Channel:
    """One channel and how its clients talk; the cases it does not have map to the reason.

    `too_large` and `nested_kinds` are the answers the channel may give to an oversized body
    and to a deeply nested structure."""

    name: str
    too_large: frozenset[str] = frozenset({"413"})
    nested_kinds: frozenset[str] = frozenset({"400"})
    not_applicable: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

    def port(self, lan: Lan) -> int:
        raise NotImplementedError

    async def slow_sender(self, lan: Lan, source: str) -> Connection:
        """A client that sent a head and part of a body, then goes silent."""
        raise NotImplementedError

    async def answers(self, lan: Lan, source: str) -> bool:
        """True when a normal client of the channel is answered as usual."""
        raise NotImplementedError

    async def oversized(self, lan: Lan, source: str) -> Refusal:
        raise NotImplementedError

    async def nested(self, lan: Lan, source: str) -> Refusal:
        raise NotImplementedError

    async def forge(self, lan: Lan, source: str, text: str) -> None:
        """Send `text` in every field of the channel that the server might log."""
        raise NotImplementedError

    async def bad_request(self, lan: Lan, source: str) -> None:
        """One request of a flood of bad ones (its answer is not waited for long)."""
        raise NotImplementedError

    async def hold_idle(self, lan: Lan, first_attacker: int) -> list[asyncio.StreamWriter]:
        """More silent connections than the channel's caps allow, from many addresses."""
        raise NotImplementedError


JSON_ERROR = "json"  # {"code": ..., "message": ...} as application/json
TEXT_ERROR = "text"  # a short text/plain sentence


@dataclass(frozen=True)
class HttpChannel(Channel):
    """A channel spoken over HTTP: the requests its clients send."""

    on_receiver: bool = False  # the highlights port rather than the sync server's
    body_method: str = "PUT"
    body_path: str = "/"
    auth: dict[str, str] = field(default_factory=dict)
    ok_request: bytes = b""  # what a normal client sends, answered at once
    max_body: int = MAX_BODY_BYTES
    oversized_request: bytes = b""  # when the channel takes no body: an oversized head
    error_body: str = JSON_ERROR
    nested_body: bytes = b""
    nested_request: bytes = b""  # when the nested structure is not a body
    bad: bytes = b""
    forged: Callable[[str], list[bytes]] = lambda _text: []

    def port(self, lan: Lan) -> int:
        return lan.receiver.port if self.on_receiver else lan.port

    def body_head(self, length: int) -> bytes:
        headers = {**self.auth, "Content-Type": "application/json"}
        return http_head(self.body_method, self.body_path, headers, length=length)

    def is_usual_error(self, answer: Answer) -> bool:
        kind = answer.headers.get("content-type", "")
        if self.error_body == TEXT_ERROR:
            return kind.startswith("text/plain") and bool(answer.body.strip())
        try:
            body = answer.json()
        except ValueError:
            return False
        return kind == "application/json" and isinstance(body, dict) and "message" in body

    def refusal(self, answer: Answer) -> Refusal:
        if answer.status == 0:
            return Refusal("silent", False, answer.seconds)
        usual = self.is_usual_error(answer) if answer.status >= 400 else True
        detail = answer.body[:300].decode("utf-8", "replace")
        return Refusal(str(answer.status), usual, answer.seconds, detail)

    async def slow_sender(self, lan: Lan, source: str) -> Connection:
        reader, writer = await wire.connect(self.port(lan), source)
        writer.write(self.body_head(1000) + b'{"document": "')
        await writer.drain()
        return reader, writer

    async def answers(self, lan: Lan, source: str) -> bool:
        answer = await wire.exchange(self.port(lan), self.ok_request, source=source)
        return 200 <= answer.status < 300

    async def oversized(self, lan: Lan, source: str) -> Refusal:
        if self.oversized_request:
            return self.refusal(await wire.exchange(self.port(lan), self.oversized_request))
        started = time.perf_counter()
        reader, writer = await wire.connect(self.port(lan), source)
        try:
            # A sixteenth of the declared size at most, then nothing: an answer that waits
            # for the rest never comes.
            writer.write(self.body_head(self.max_body + 1))
            writer.write(b"[" * min(1024 * 1024, self.max_body // 16))
            answer = await wire.read_answer(reader, 3.0)
        finally:
            writer.close()
        answer.seconds = time.perf_counter() - started
        return self.refusal(answer)

    async def nested(self, lan: Lan, source: str) -> Refusal:
        raw = self.nested_request or http_request(
            self.body_method,
            self.body_path,
            {**self.auth, "Content-Type": "application/json"},
            self.nested_body,
        )
        return self.refusal(await wire.exchange(self.port(lan), raw, source=source))

    async def forge(self, lan: Lan, source: str, text: str) -> None:
        for raw in self.forged(text):
            await wire.exchange(self.port(lan), raw, source=source, timeout=3.0)

    async def bad_request(self, lan: Lan, source: str) -> None:
        await wire.exchange(self.port(lan), self.bad, source=source, timeout=1.0)

    async def hold_idle(self, lan: Lan, first_attacker: int) -> list[asyncio.StreamWriter]:
        limits = lan.server.limits
        assert limits is not None
        count = limits.total + 2 * limits.per_address
        return await wire.open_many(self.port(lan), count, limits.per_address, first_attacker)


KOREADER_HEADERS = {"x-auth-user": USER, "x-auth-key": KEY}
OPDS_AUTH = {"Authorization": basic(USER, PASSWORD)}
JSON_TYPE = {"Content-Type": "application/json"}


def _nested_json(key: str) -> bytes:
    return b'{"' + key.encode() + b'":' + b"[" * DEPTH + b"]" * DEPTH + b"}"


def _push(**fields: Any) -> bytes:
    body = {"document": DOCUMENT, "progress": "p", "percentage": 0.5, "device": "Kobo"}
    body.update(fields)
    return json.dumps(body).encode()


def _kosync_forged(text: str) -> list[bytes]:
    return [
        http_request(
            "GET", "/kosync/users/auth", {"x-auth-user": in_header(text), "x-auth-key": "0"}
        ),
        http_request(
            "PUT", "/kosync/syncs/progress", {**KOREADER_HEADERS, **JSON_TYPE}, _push(device=text)
        ),
        http_request(
            "PUT",
            "/kosync/syncs/progress",
            {**KOREADER_HEADERS, **JSON_TYPE},
            _push(document=text, device_id=text, progress=text),
        ),
        http_request("GET", "/kosync/syncs/progress/" + in_url(text), KOREADER_HEADERS),
        http_request(
            "POST",
            "/kosync/users/create",
            JSON_TYPE,
            json.dumps({"username": text, "password": text}).encode(),
        ),
    ]


def _opds_forged(text: str) -> list[bytes]:
    return [
        http_request("GET", "/opds", {"Authorization": basic(text, "guess")}),
        http_request("GET", "/opds/search?q=" + in_url(text), OPDS_AUTH),
        http_request("GET", "/opds/" + in_url(text), OPDS_AUTH),
        http_request("GET", "/opds", {**OPDS_AUTH, "User-Agent": in_header(text)}),
    ]


def _webdav_forged(text: str) -> list[bytes]:
    return [
        http_request("PROPFIND", "/dav/", {"Authorization": basic(text, "guess"), "Depth": "1"}),
        http_request("PUT", "/dav/" + in_url(text) + ".txt", OPDS_AUTH, b"notes"),
        http_request("MKCOL", "/dav/" + in_url(text), OPDS_AUTH),
        http_request("PROPFIND", "/dav/" + in_url(text), {**OPDS_AUTH, "Depth": "1"}),
        http_request("DELETE", "/dav/" + in_url(text) + ".txt", OPDS_AUTH),
    ]


def _export(title: str = "Dune", **fields: Any) -> bytes:
    body = {
        "title": title,
        "author": "Frank Herbert",
        "type": 1,
        "locationUnit": 1,
        "source": "KOReader",
        "entries": [
            {"text": "Fear is the mind-killer.", "note": "", "time": 1700000000, "page": 3}
        ],
        **fields,
    }
    return json.dumps(body).encode()


def _highlights_forged(text: str) -> list[bytes]:
    entry = {"text": text, "note": text, "chapter": text, "time": 1700000000, "page": text}
    return [
        http_request("POST", "/send", JSON_TYPE, _export(text, author=text, entries=[entry])),
        http_request("POST", "/send", JSON_TYPE, _export(text, entries=[{"text": text}])),
        http_request("POST", "/send?k=" + in_url(text), {"Content-Type": in_header(text)}, b"{}"),
        http_request("POST", "/" + in_url(text), JSON_TYPE, b"{}"),
    ]


KOSYNC = HttpChannel(
    "kosync",
    body_path="/kosync/syncs/progress",
    auth=KOREADER_HEADERS,
    ok_request=http_request("GET", "/kosync/healthcheck"),
    nested_body=_nested_json("document"),
    bad=http_request("GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": "0" * 32}),
    forged=_kosync_forged,
)
OPDS = HttpChannel(
    "opds",
    # The catalog takes no body: too large is a head past the parser's limits, and the
    # structured input is the search words.
    too_large=frozenset({"400", "413", "414", "431"}),
    nested_kinds=frozenset({"200", "400"}),
    body_method="GET",
    body_path="/opds",
    auth=OPDS_AUTH,
    ok_request=http_request("GET", "/opds", OPDS_AUTH),
    oversized_request=http_request("GET", "/opds/search?q=" + "a" * 100_000, OPDS_AUTH),
    error_body=TEXT_ERROR,
    nested_request=http_request("GET", "/opds/search?q=" + "%5B%28%22" * 2000, OPDS_AUTH),
    bad=http_request("GET", "/opds", {"Authorization": basic(USER, "guess")}),
    forged=_opds_forged,
)
WEBDAV = HttpChannel(
    "webdav",
    # PROPFIND's body only lists properties, and every one is sent anyway: it is not parsed.
    nested_kinds=frozenset({"207", "400", "413", "415"}),
    body_path="/dav/statistics.sqlite3",
    auth=OPDS_AUTH,
    ok_request=http_request("PROPFIND", "/dav/", {**OPDS_AUTH, "Depth": "1"}),
    max_body=MAX_FILE_BYTES,
    error_body=TEXT_ERROR,
    nested_request=http_request(
        "PROPFIND", "/dav/", {**OPDS_AUTH, "Depth": "1"}, b"<a>" * 8000 + b"</a>" * 8000
    ),
    bad=http_request("PROPFIND", "/dav/", {"Authorization": basic(USER, "guess")}),
    forged=_webdav_forged,
)
HIGHLIGHTS = HttpChannel(
    "highlights",
    on_receiver=True,
    body_method="POST",
    body_path="/send",
    ok_request=http_request("POST", "/send", JSON_TYPE, _export()),
    max_body=EXPORT_BYTES,
    nested_body=_nested_json("entries"),
    bad=http_request("POST", "/send", JSON_TYPE, b"{"),
    forged=_highlights_forged,
)
