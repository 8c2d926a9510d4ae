"""`bookorbit-desktop serve` as a real process on a data folder, for tests and benchmarks that
need to signal or kill the server (SIGTERM, SIGKILL) or pin it to one CPU core."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def start_serve(
    data_dir: Path,
    *,
    opds: bool = False,
    cpu: int | None = None,
    open_files: int | None = None,
    host: str | None = "127.0.0.1",
    extra_args: tuple[str, ...] = (),
) -> tuple[subprocess.Popen[str], int]:
    """Start the server on 127.0.0.1 and a free port; return the process and its port once
    it prints that it is listening (the first line of its banner). `open_files` sets both
    descriptor limits of the process (the usual 1,024 of a desktop session, say); `host=None`
    leaves the address to the server's own rule."""
    script = Path(sys.executable).with_name("bookorbit-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
    process = subprocess.Popen(
        [
            *command,
            "--data-dir",
            str(data_dir),
            "serve",
            *(["--host", host] if host is not None else []),
            "--port",
            "0",
            *([] if opds else ["--no-opds"]),
            *extra_args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=None if open_files is None else lambda: _limit_files(open_files),
    )
    if cpu is not None:
        os.sched_setaffinity(process.pid, {cpu})
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    if not first.startswith("Listening on 127.0.0.1 port "):
        process.kill()
        raise RuntimeError(f"the server did not start: {first!r} {process.stderr.read()!r}")
    return process, int(first.split()[4].rstrip("."))


def server_answers(port: int, timeout: float = 1.0) -> bool:
    """True when a BookOrbit server on 127.0.0.1:`port` answers its health check with 200."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(
                b"GET /kosync/healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            return sock.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def _limit_files(limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
