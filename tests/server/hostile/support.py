"""A real `serve` process on loopback and the raw clients the hostile-network tests use.

Attackers connect from other loopback addresses (127.0.x.y: Linux routes all of 127/8 to the
loopback interface), so per-address limits can be told apart from the real user on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.logging_setup import LOG_FILENAME
from bookorbit_desktop.server.accounts import key_for_password, set_account
from tests.server.serve_process import start_serve

USER, PASSWORD = "reader", "correct horse"
KEY = key_for_password(PASSWORD)
# Every test module here talks to a real serve from 127.0.x.y addresses, which only Linux routes.
LINUX_LOOPBACK = pytest.mark.skipif(
    sys.platform != "linux", reason="uses 127.0.x.y source addresses"
)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def prepare_library(data_dir: Path, *, account: bool = True) -> Path:
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    if account:
        set_account(USER, KEY)
    close_database()
    return data_dir


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    log_file: Path

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024


@contextmanager
def serving(data_dir: Path, **options: object) -> Iterator[Served]:
    process, port = start_serve(data_dir, **options)  # type: ignore[arg-type]
    served = Served(process, port, resolve_paths(data_dir).log_dir / LOG_FILENAME)
    try:
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def http_request(
    method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


async def exchange(
    port: int, raw: bytes, *, source: str = "127.0.0.1", timeout: float = 10.0
) -> tuple[int, bytes, float]:
    """Send `raw` from `source`; return (status, body, seconds). Status 0: no answer."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(source, 0)
            )
            try:
                writer.write(raw)
                await writer.drain()
                data = await reader.read()
            finally:
                writer.close()
    except (OSError, TimeoutError):
        return 0, b"", time.perf_counter() - started
    head, _, body = data.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return status, body, time.perf_counter() - started


def attacker(n: int) -> str:
    """The n-th attacking address (never 127.0.0.1)."""
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(values: list[float]) -> str:
    return (
        f"n={len(values)} p50={statistics.median(values) * 1000:.0f} ms "
        f"p99={percentile(values, 0.99) * 1000:.0f} ms max={max(values) * 1000:.0f} ms"
    )
