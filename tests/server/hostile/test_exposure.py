"""A fresh install answers on loopback only until a sync account protects it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.server.accounts import remove_account
from bookorbit_desktop.server.exposure import LOOPBACK, RECHECK_SECONDS, listen_host
from tests.server.hostile.support import prepare_library
from tests.server.serve_process import start_serve


@pytest.mark.parametrize(
    ("wanted", "account", "registration", "expected"),
    [
        ("0.0.0.0", False, False, LOOPBACK),
        ("192.168.1.20", False, False, LOOPBACK),
        ("::", False, False, LOOPBACK),
        ("0.0.0.0", True, False, "0.0.0.0"),
        ("0.0.0.0", False, True, "0.0.0.0"),
        ("192.168.1.20", True, True, "192.168.1.20"),
        ("127.0.0.1", False, False, "127.0.0.1"),
        ("127.0.0.5", False, False, "127.0.0.5"),
        ("::1", False, False, "::1"),
        ("localhost", False, False, "localhost"),
    ],
)
def test_listen_host(wanted, account, registration, expected):
    assert listen_host(wanted, has_account=account, registration_allowed=registration) == expected


def test_serve_without_an_account_listens_on_loopback_and_says_why(tmp_path):
    data_dir = prepare_library(tmp_path / "data", account=False)
    process, port = start_serve(data_dir, host=None)  # the default: all interfaces
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert port > 0
    text = "".join(lines)
    assert "No sync account exists yet" in text and "kosync set-user" in text
    assert "allow-registration on" in text


def answers_on(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=1.0) as sock:
            sock.sendall(
                b"GET /kosync/healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            return sock.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def test_removing_the_account_while_serving_on_the_lan_goes_back_to_loopback(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    script = Path(sys.executable).with_name("bookorbit-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
    process = subprocess.Popen(
        [*command, "--data-dir", str(data_dir), "serve", "--host", "0.0.0.0", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Listening on 0.0.0.0 port "), first
        port = int(first.split()[4].rstrip("."))
        assert answers_on("127.0.0.2", port)  # any address: the LAN, here
        paths = resolve_paths(data_dir)
        open_database(paths.db_file)
        remove_account()  # from another process, as the window's Settings would
        close_database()
        deadline = time.monotonic() + 4 * RECHECK_SECONDS + 5
        while answers_on("127.0.0.2", port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not answers_on("127.0.0.2", port)  # the LAN is closed ...
        assert answers_on("127.0.0.1", port)  # ... this computer still served
        said = ""
        while "account was removed" not in said and time.monotonic() < deadline:
            said = process.stdout.readline()
        assert "listening on 127.0.0.1 only until one exists" in said
    finally:
        process.terminate()
        process.wait(timeout=20)
