"""`bookorbit-desktop device ...` and `serve --calibre-port`, through the real entry point."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.devices.koreader_client import GET_BOOK_COUNT, KoreaderDevice
from tests.factories import add_book, make_epub
from tests.fakes.file_keyring import FILE_ENV
from tests.logging_support import restore_root_logger  # noqa: F401
from tests.server.serve_process import start_serve

PASSWORD = "wifi-pässword"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.file_keyring.FileKeyring")
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))
    # The test keyring backend lives in tests/: a `serve` process must find it too.
    repo = str(Path(__file__).resolve().parents[2])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [repo, os.getenv("PYTHONPATH")])))
    folder = tmp_path / "data"
    yield folder
    close_database()


def run(data_dir, *args: str, stdin: bytes | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    return main(["--data-dir", str(data_dir), *args])


def books(data_dir, tmp_path, *titles: str) -> list[int]:
    open_database(resolve_paths(data_dir).db_file)
    ids = [
        add_book(t, ("Ann Lee",), file=make_epub(tmp_path / f"{i}.epub", t)).id
        for i, t in enumerate(titles)
    ]
    close_database()
    return ids


def test_the_password_goes_to_the_keyring_only(data_dir, tmp_path, monkeypatch, capsys):
    stdin = PASSWORD.encode() + b"\n"
    assert (
        run(
            data_dir,
            "device",
            "set-password",
            "--password-stdin",
            stdin=stdin,
            monkeypatch=monkeypatch,
        )
        == 0
    )
    assert "keyring" in capsys.readouterr().out
    stored = json.loads((tmp_path / "keyring.json").read_text())
    assert list(stored.values()) == [PASSWORD]
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_an_empty_password_is_refused(data_dir, monkeypatch, capsys):
    assert (
        run(
            data_dir,
            "device",
            "set-password",
            "--password-stdin",
            stdin=b"\n",
            monkeypatch=monkeypatch,
        )
        == 2
    )
    assert "empty" in capsys.readouterr().err


def test_the_queue_survives_restarts_and_lists_as_json(data_dir, tmp_path, capsys):
    first, second = books(data_dir, tmp_path, "One", "Two")
    assert run(data_dir, "device", "queue", str(first), str(second), str(first)) == 0
    assert "Queued 2 books" in capsys.readouterr().out
    assert run(data_dir, "device", "queue", str(first)) == 0
    assert "(1 already queued)" in capsys.readouterr().out
    assert run(data_dir, "device", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"devices": [], "queue": [first, second]}
    assert run(data_dir, "device", "unqueue", str(first)) == 0
    assert "Took 1 book out" in capsys.readouterr().out
    assert run(data_dir, "device", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out)["queue"] == [second]
    assert run(data_dir, "device", "unqueue") == 0
    assert "Took 1 book out" in capsys.readouterr().out


def test_queueing_an_unknown_book_queues_nothing(data_dir, tmp_path, capsys):
    [book] = books(data_dir, tmp_path, "One")
    assert run(data_dir, "device", "queue", str(book), "999") == 2
    assert "999" in capsys.readouterr().err
    assert run(data_dir, "device", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out)["queue"] == []


def test_serve_without_a_password_says_what_to_do(data_dir, tmp_path):
    process, _port = start_serve(data_dir, extra_args=("--calibre-port", "0"))
    try:
        line = ""
        for _ in range(30):
            line = process.stdout.readline()
            if "KOReader wireless connection" in line:
                break
        assert "set-password" in line
    finally:
        process.terminate()
        process.wait(10)


async def test_serve_sends_the_queue_to_a_connecting_device(data_dir, tmp_path, monkeypatch):
    [book] = books(data_dir, tmp_path, "Über Alles")
    assert (
        run(
            data_dir,
            "device",
            "set-password",
            "--password-stdin",
            stdin=PASSWORD.encode(),
            monkeypatch=monkeypatch,
        )
        == 0
    )
    assert run(data_dir, "device", "queue", str(book)) == 0
    close_database()
    process, _ = start_serve(data_dir, extra_args=("--calibre-port", "0", "--no-calibre-discovery"))
    try:
        port = None
        for _ in range(40):
            line = await asyncio.to_thread(process.stdout.readline)
            if line.startswith("KOReader wireless (Calibre > Connect) on port"):
                port = int(line.split()[-1].rstrip("."))
                break
        assert port, "serve did not announce the wireless port"
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        device = KoreaderDevice(inbox, password=PASSWORD)
        await device.connect("127.0.0.1", port)
        await device.wait_for(GET_BOOK_COUNT)
        for _ in range(500):
            if device.received_books:
                break
            await asyncio.sleep(0.02)
        [lpath] = device.received_books
        assert (inbox / lpath).read_bytes() == (tmp_path / "0.epub").read_bytes()
        await device.disconnect()
    finally:
        process.terminate()
        process.wait(10)
    assert run(data_dir, "device", "list", "--json") == 0
