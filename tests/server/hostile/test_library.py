"""A locked library, a swapped file, a hostile Host header and malformed requests, against a
real `serve` process."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.server.hostile.support import (
    KEY,
    LINUX_LOOPBACK,
    PASSWORD,
    USER,
    basic,
    exchange,
    http_request,
    prepare_library,
    serving,
)

pytestmark = LINUX_LOOPBACK

SYNC = {"x-auth-user": USER, "x-auth-key": KEY}
CATALOG = {"Authorization": basic(USER, PASSWORD)}


def push(document: str, percentage: float) -> bytes:
    body = json.dumps(
        {"document": document, "percentage": percentage, "progress": "/p[1]", "device": "K"}
    ).encode()
    headers = {**SYNC, "Content-Type": "application/json"}
    return http_request("PUT", "/kosync/syncs/progress", headers, body)


async def test_another_program_holding_the_write_lock_stalls_nothing(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    with serving(data_dir) as served:
        port = served.port
        assert (await exchange(port, push("held", 0.1)))[0] == 200
        locked, release = threading.Event(), threading.Event()

        def hold_lock() -> None:
            blocker = sqlite3.connect(resolve_paths(data_dir).db_file, isolation_level=None)
            blocker.execute("BEGIN IMMEDIATE")
            blocker.execute("INSERT INTO setting (key, value) VALUES ('x.lock', '1')")
            locked.set()
            release.wait(10)
            blocker.execute("ROLLBACK")
            blocker.close()

        holder = threading.Thread(target=hold_lock)
        holder.start()
        locked.wait(5)
        try:
            health = await exchange(port, http_request("GET", "/kosync/healthcheck"))
            refused = await exchange(port, push("held", 0.2))
            pull = await exchange(port, http_request("GET", "/kosync/syncs/progress/held", SYNC))
            health_during = await exchange(port, http_request("GET", "/kosync/healthcheck"))
        finally:
            release.set()
            holder.join(10)
        retried = await exchange(port, push("held", 0.2))
    assert health[0] == 200 and health[2] < 0.5
    assert refused[0] == 502 and json.loads(refused[1]) == {
        "code": 2000,
        "message": "Unknown server error.",
    }
    assert refused[2] < 2.0  # answered within KOReader's budget: the device queues the push
    assert pull[0] == 200 and json.loads(pull[1])["percentage"] == 0.1
    assert health_during[0] == 200 and health_during[2] < 0.5
    assert retried[0] == 200


async def test_a_file_swapped_after_import_is_never_served(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    books = tmp_path / "books"
    books.mkdir()
    kept, swapped, rewritten = (books / name for name in ("kept.epub", "swap.epub", "rew.epub"))
    kept.write_bytes(b"K" * 5000)
    swapped.write_bytes(b"S" * 5000)
    rewritten.write_bytes(b"R" * 5000)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"top secret " * 100)
    open_database(resolve_paths(data_dir).db_file)
    ids = [
        add_book(name, file=path).files[0].id
        for name, path in (("Kept", kept), ("Swapped", swapped), ("Rewritten", rewritten))
    ]
    close_database()
    swapped.unlink()
    os.symlink(secret, swapped)  # a symlink to another file
    rewritten.write_bytes(b"X" * 5000)  # same size, other bytes
    with serving(data_dir, opds=True) as served:
        answers = [
            await exchange(served.port, http_request("GET", f"/opds/download/{n}.epub", CATALOG))
            for n in ids
        ]
    assert answers[0][0] == 200 and answers[0][1] == b"K" * 5000
    for status, body, _seconds in answers[1:]:
        assert status == 404 and b"changed since it was imported" in body
        assert b"secret" not in body


async def test_opensearch_links_use_the_address_reached_not_the_host_header(tmp_path):
    with serving(prepare_library(tmp_path / "data"), opds=True) as served:
        raw = http_request("GET", "/opds/opensearch.xml", CATALOG).replace(
            b"Host: 127.0.0.1", b"Host: evil.example:666"
        )
        status, body, _seconds = await exchange(served.port, raw)
    assert status == 200
    assert b"evil.example" not in body
    assert f"http://127.0.0.1:{served.port}/opds/search".encode() in body


async def test_secrets_and_long_names_stay_out_of_the_log_and_errors_are_one_line(tmp_path):
    secret_key = "0123456789abcdef0123456789abcdef"
    long_name = "n" * 8000  # (16 KiB heads are refused before any handler runs)
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        raw = (
            b"GET /kosync/users/auth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"x-auth-user: alice\r\nx-auth-key\x00: " + secret_key.encode() + b"\r\n\r\n"
        )
        statuses = [(await exchange(port, raw))[0] for _ in range(30)]
        named = http_request(
            "GET", "/kosync/users/auth", {"x-auth-user": long_name, "x-auth-key": "f" * 32}
        )
        await exchange(port, named)
        await asyncio.sleep(0.2)
        log = served.log()
    assert set(statuses) == {400}
    assert secret_key not in log and "Traceback" not in log
    malformed = [line for line in log.splitlines() if "malformed request" in line]
    assert 1 <= len(malformed) <= 10  # one line each, rate-limited
    assert long_name not in log and "(8000 characters)" in log
    assert max(len(line) for line in log.splitlines()) < 400
