"""Raw clients for the channel suite: bytes on a socket from a chosen loopback address, so a
test sends exactly what a stranger on the Wi-Fi could (a head and half a body, a frame that
never ends, a datagram) and sees exactly what comes back, or that nothing does.

Attackers use other loopback addresses (127.0.x.y, which Linux routes to the loopback
interface), so per-address rules tell them apart from the real device on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

# Every kind of character that could end a log line, start a forged one or drive a terminal.
RAW_CONTROLS = ("\n", "\r", "\x1b", "\x00", "\x85", "\u2028", "\u2029", "\u202e")
FORGED = "x\nWARNING forged line\r\x1b[31mred\x1b]0;title\x07\x00\x85\u2028\u2029\u202ey"


def attacker(n: int) -> str:
    """The n-th attacking address (never 127.0.0.1)."""
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def http_head(
    method: str, path: str, headers: dict[str, str] | None = None, *, length: int | None = None
) -> bytes:
    """A request head; `length` announces a body (sent or not: the caller decides)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape")


def http_request(
    method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    """A whole request that asks the server to close the connection after its answer."""
    sent = {"Connection": "close", **(headers or {})}
    return http_head(method, path, sent, length=len(body) if body else None) + body


@dataclass
class Answer:
    """An HTTP answer; status 0 when none came (closed, reset or timed out)."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)


async def connect(
    port: int, source: str = "127.0.0.1"
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))


async def read_answer(reader: asyncio.StreamReader, timeout: float) -> Answer:
    """The next HTTP answer on `reader` (its body by Content-Length, else until the end)."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ", 2)
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines[1:] if line)
            }
            length = headers.get("content-length")
            body = await (reader.readexactly(int(length)) if length else reader.read())
    except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return Answer(seconds=time.perf_counter() - started)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return Answer(status, headers, body, time.perf_counter() - started)


async def exchange(
    port: int, raw: bytes, *, source: str = "127.0.0.1", timeout: float = 5.0
) -> Answer:
    """Send one whole request from `source` and read its answer."""
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(connect(port, source), timeout)
    except (OSError, TimeoutError):
        return Answer(seconds=time.perf_counter() - started)
    try:
        writer.write(raw)
        with contextlib.suppress(OSError):
            await writer.drain()
        answer = await read_answer(reader, timeout)
    finally:
        writer.close()
    answer.seconds = time.perf_counter() - started
    return answer


async def ended_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """True when the server ends the connection (closes or resets it) within `seconds`; what it
    sends before that (an answer) is read and dropped."""
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(65536):
                pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


async def open_many(
    port: int, count: int, per_address: int, first: int
) -> list[asyncio.StreamWriter]:
    """`count` connections that send nothing, `per_address` from each address."""

    async def one(n: int) -> asyncio.StreamWriter | None:
        try:
            _reader, writer = await connect(port, attacker(first + n // per_address))
        except OSError:
            return None
        return writer

    writers = []
    for batch in range(0, count, 64):
        opened = await asyncio.gather(*(one(n) for n in range(batch, min(count, batch + 64))))
        writers += [writer for writer in opened if writer is not None]
    return writers


def in_header(text: str) -> str:
    """`text` as an HTTP parser lets a header carry it: no ASCII control character (a line
    break ends the header, the others are refused), the rest sent as UTF-8."""
    return "".join(ch for ch in text if ch >= " " and ch != "\x7f")


def in_url(text: str) -> str:
    return quote(text, safe="")


# calibre's wireless protocol, as a device speaks it: `<length>[opcode, {arguments}]`.
OK, GET_DEVICE_INFORMATION, GET_INITIALIZATION_INFO = 0, 3, 9


def frame(op: int, args: dict[str, Any]) -> bytes:
    body = json.dumps([op, args], ensure_ascii=False).encode()
    return str(len(body)).encode() + body


async def read_frame(reader: asyncio.StreamReader, timeout: float) -> tuple[int, dict[str, Any]]:
    async with asyncio.timeout(timeout):
        length = int((await reader.readuntil(b"["))[:-1])
        body = b"[" + await reader.readexactly(length - 1)
    op, args = json.loads(body)
    return op, args


def password_hash(password: str, challenge: str) -> str:
    return hashlib.sha1((password + challenge).encode()).hexdigest()


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.received.put_nowait(data)


async def datagram_replies(
    port: int, payloads: list[bytes], *, source: str = "127.0.0.1", wait: float = 0.5
) -> list[bytes]:
    """Send `payloads` to UDP `port` from `source`; the replies that came within `wait`."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        _Datagrams, local_addr=(source, 0), remote_addr=("127.0.0.1", port)
    )
    try:
        for payload in payloads:
            transport.sendto(payload)
        await asyncio.sleep(wait)
    finally:
        transport.close()
    replies = []
    while not protocol.received.empty():
        replies.append(protocol.received.get_nowait())
    return replies
