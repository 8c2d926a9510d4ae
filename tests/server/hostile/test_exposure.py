"""A fresh install answers on loopback only until a sync account protects it."""

from __future__ import annotations

import pytest

from bookorbit_desktop.server.exposure import LOOPBACK, listen_host
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
