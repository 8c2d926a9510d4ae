"""/dav/ against what a stranger with the password, or a broken client, sends: a trickled or
abandoned body, names no file system takes, symbolic links placed in the folder, deeply nested
or malformed PROPFIND bodies, network text meant for the log. Every answer is a 4xx, never a
5xx; no partial upload is left behind; refusals are logged within the shared budget, escaped.

A real server on 127.0.0.1 in this process, with the body time limit shortened to a second.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator

import pytest

from bookorbit_desktop.guards import bodies
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.server.app import LanServer
from tests.guards import wire
from tests.guards.wire import basic, http_head, http_request

pytestmark = pytest.mark.asyncio

AUTH = {"Authorization": basic("reader", "secret")}
BODY_SECONDS = 1.0
KOREADER_PROPFIND = (
    b'<?xml version="1.0"?><a:propfind xmlns:a="DAV:"><a:prop><a:resourcetype/></a:prop>'
    b"</a:propfind>"
)


@pytest.fixture
async def dav(library, monkeypatch) -> AsyncIterator[tuple[int, object]]:
    monkeypatch.setattr(bodies, "BODY_SECONDS", BODY_SECONDS)
    set_account("reader", key_for_password("secret"))
    stale = library.data_dir / "webdav" / ".partial"
    stale.mkdir(parents=True)
    (stale / "left-by-a-crash").write_bytes(b"half an upload")
    server = LanServer(ServerContext(library), "127.0.0.1", 0)
    await server.start()
    yield server.port, library.data_dir / "webdav"
    await server.stop()


async def answer(port: int, request: bytes, seconds: float = 5.0) -> wire.Answer:
    return await wire.exchange(port, request, timeout=seconds)


def partials(folder) -> list[str]:
    return os.listdir(folder / ".partial") if (folder / ".partial").exists() else []


async def test_partials_left_by_a_crash_are_removed_at_start(dav):
    _port, folder = dav
    assert partials(folder) == []


async def test_a_trickled_upload_is_cut_and_leaves_nothing(dav):
    port, folder = dav
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(http_head("PUT", "/dav/statistics.sqlite3", AUTH, length=10_000))
    started = time.perf_counter()
    first_line = asyncio.ensure_future(reader.readline())
    while not first_line.done() and time.perf_counter() - started < BODY_SECONDS + 3:
        writer.write(b"x")  # a byte every 0.1 s: 10,000 of them would take 17 minutes
        await asyncio.sleep(0.1)
    status = (await asyncio.wait_for(first_line, 2)).split(b" ")[1]
    writer.close()
    assert status == b"408"
    assert time.perf_counter() - started < BODY_SECONDS + 2
    await asyncio.sleep(0.1)
    assert partials(folder) == [] and not (folder / "statistics.sqlite3").exists()


async def test_an_abandoned_upload_leaves_no_partial_file(dav):
    port, folder = dav
    _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(http_head("PUT", "/dav/notes.txt", AUTH, length=1_000_000) + b"x" * 500_000)
    await writer.drain()
    await asyncio.sleep(0.2)
    writer.transport.abort()
    deadline = time.perf_counter() + 2
    while partials(folder) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    assert partials(folder) == [] and not (folder / "notes.txt").exists()


@pytest.mark.parametrize(
    ("path", "statuses"),
    [
        ("/dav/" + "a" * 300 + ".txt", {414}),  # once 507: the file system refused the name
        ("/dav/" + "é" * 200, {414}),  # 400 bytes in UTF-8
        ("/dav/" + "/".join("d" * 20), {414}),
        ("/dav/a%00b", {400, 403}),
        ("/dav/%2e%2e/library.sqlite3", {403, 404}),
        ("/dav/.partial/x", {403}),
        ("/dav/a%5c..%5cb", {403}),
    ],
)
async def test_bad_names_are_a_4xx(dav, path, statuses):
    port, _folder = dav
    for method in ("PUT", "MKCOL", "PROPFIND", "GET", "DELETE"):
        found = await answer(
            port, http_request(method, path, AUTH, b"x" if method == "PUT" else b"")
        )
        assert found.status in statuses, (method, found.status)


async def test_no_symbolic_link_is_followed_and_a_loop_is_a_4xx(dav, tmp_path):
    port, folder = dav
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("private")
    (folder / "link").symlink_to(outside)
    (folder / "file-link").symlink_to(outside / "secret.txt")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "real.txt").write_text("mine")
    listing = await answer(port, http_request("PROPFIND", "/dav/", {**AUTH, "Depth": "1"}))
    assert listing.status == 207
    assert b"real.txt" in listing.body
    assert b"link" not in listing.body and b"loop" not in listing.body
    for path in (
        "/dav/link/",
        "/dav/link/secret.txt",
        "/dav/file-link",
        "/dav/loop",
        "/dav/loop/x",
    ):
        for method in ("PROPFIND", "GET", "PUT", "MKCOL", "DELETE"):
            headers = {**AUTH, "Depth": "1"}
            found = await answer(
                port, http_request(method, path, headers, b"x" * (method == "PUT"))
            )
            assert 400 <= found.status < 500, (method, path, found.status)
    assert (outside / "secret.txt").read_text() == "private"
    assert sorted(os.listdir(outside)) == ["secret.txt"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (KOREADER_PROPFIND, 207),
        (b"", 207),
        (b"<a>" * 100_000 + b"</a>" * 100_000, 413),
        (b'<d:propfind xmlns:d="DAV:">' + b"<a>" * 2_000 + b"</a>" * 2_000 + b"</d:propfind>", 400),
        (b"<d:propfind xmlns:d='DAV:'><d:prop>", 400),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>", 400),
        (b"<propfind/>", 400),
    ],
)
async def test_a_propfind_body_is_checked_and_a_bad_one_is_a_4xx(dav, body, status):
    port, _folder = dav
    found = await answer(port, http_request("PROPFIND", "/dav/", {**AUTH, "Depth": "1"}, body))
    assert found.status == status


async def test_refusals_are_logged_escaped_and_within_the_budget(dav, caplog):
    port, _folder = dav
    caplog.set_level(logging.INFO)
    forged = wire.in_url("x\rWARNING forged\x1b[31m")  # a line feed never reaches /dav/
    assert (await answer(port, http_request("PUT", f"/dav/{forged}.txt", AUTH, b"x"))).status == 201
    for _ in range(30):
        found = await answer(port, http_request("MKCOL", "/dav/" + "a" * 300 + forged, AUTH))
        assert found.status == 414
    lines = [record.getMessage() for record in caplog.records]
    assert not any("\r" in line or "\x1b" in line for line in lines)
    assert any("'x\\x0dWARNING forged\\x1b[31m.txt'" in line for line in lines)
    assert len([line for line in lines if "answered MKCOL" in line]) <= 2


async def test_a_refused_upload_is_one_escaped_log_line(dav, caplog, tmp_path):
    import sqlite3

    port, _folder = dav
    caplog.set_level(logging.INFO)
    evil = tmp_path / "evil.sqlite3"
    db = sqlite3.connect(evil)
    db.execute("CREATE TABLE t (x)")
    db.execute("PRAGMA writable_schema = ON")  # a name that SQLite's error message repeats
    db.execute(
        "INSERT INTO sqlite_master VALUES ('table', ?, 'x', 0, 'CREATE TABLE garbage garbage')",
        ("evil\x1b[31m\rFORGED",),
    )
    db.commit()
    db.close()
    put = http_request("PUT", "/dav/statistics.sqlite3", AUTH, evil.read_bytes())
    assert (await answer(port, put)).status == 201
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        refused = [
            r.getMessage() for r in caplog.records if "Refused the reading" in r.getMessage()
        ]
        if refused:
            break
        await asyncio.sleep(0.05)
    [line] = refused
    assert "\x1b" not in line and "\r" not in line and "evil\\x1b[31m\\x0dFORGED" in line
