"""The /dav/ folder against a real `bookorbit-desktop serve` process, as stock KOReader uses it.

KOReader reads PROPFIND answers with string patterns, so the checks here use patterns too:
prefixed elements, a self-closing collection, the folder's own href first and equal to the
request path, sizes and RFC 1123 dates for files. A sync is GET then PUT with If-Match.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import aiohttp
import pytest
from multidict import CIMultiDict

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.server.accounts import key_for_password, set_account
from tests.library.history.koreader_file import KoBook, write_statistics
from tests.server.serve_process import start_serve

pytestmark = pytest.mark.asyncio

USER, PASSWORD = "reader", "pässword"
AUTH = {"Authorization": aiohttp.encode_basic_auth(USER, PASSWORD, encoding="utf-8")}
HREF = re.compile(r"<d:href>(.-?)</d:href>".replace(".-?", ".*?"))


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    data_dir = tmp_path_factory.mktemp("dav") / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    set_account(USER, key_for_password(PASSWORD))
    close_database()
    process, port = start_serve(data_dir)
    try:
        yield f"http://127.0.0.1:{port}", data_dir
    finally:
        process.terminate()
        process.wait(timeout=10)


async def call(method: str, url: str, **options) -> tuple[int, CIMultiDict[str], bytes]:
    options["headers"] = {**(options.pop("auth", AUTH) or {}), **options.get("headers", {})}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url, allow_redirects=False, **options) as response,
    ):
        return response.status, response.headers.copy(), await response.read()


def responses(body: bytes) -> list[str]:
    return re.findall(r"<d:response>(.*?)</d:response>", body.decode(), re.S)


async def test_every_method_needs_the_account(served):
    base, _ = served
    status, headers, _ = await call("PROPFIND", f"{base}/dav/", auth=None)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Basic")
    for method in ("GET", "PUT", "MKCOL", "DELETE"):
        status, _, body = await call(method, f"{base}/dav/x", auth=None)
        assert status == 401, method
        assert b"KOReader's Cloud storage settings" in body
    # one wrong password only: the throttle is shared with kosync and the catalog
    wrong = {"Authorization": aiohttp.encode_basic_auth(USER, "nope")}
    status, _, body = await call("PROPFIND", f"{base}/dav/", auth=wrong)
    assert status == 401 and b"Wrong user name or password" in body


async def test_propfind_in_the_shape_koreader_reads(served):
    base, _ = served
    status, _, _ = await call("MKCOL", f"{base}/dav/koreader")
    assert status == 201
    assert (await call("MKCOL", f"{base}/dav/koreader"))[0] == 405
    status, headers, body = await call("PROPFIND", f"{base}/dav/", headers={"Depth": "1"})
    assert status == 207 and headers["Content-Type"].startswith("application/xml")
    first, *rest = responses(body)
    assert HREF.search(first).group(1) == "/dav/"
    assert "<d:resourcetype><d:collection/></d:resourcetype>" in first
    [folder] = [r for r in rest if "/dav/koreader/" in r]
    assert "<d:collection/>" in folder
    # the folder itself, asked without the trailing slash: its own href as asked
    status, _, body = await call("PROPFIND", f"{base}/dav/koreader", headers={"Depth": "0"})
    assert status == 207 and len(responses(body)) == 1
    assert HREF.search(body.decode()).group(1) == "/dav/koreader"
    assert (await call("PROPFIND", f"{base}/dav/", headers={"Depth": "infinity"}))[0] == 403
    assert (await call("PROPFIND", f"{base}/dav/missing/", headers={"Depth": "1"}))[0] == 404
    assert (await call("MKCOL", f"{base}/dav/no/such/parent"))[0] == 409


async def test_a_koreader_sync_get_then_put_with_if_match(served, tmp_path):
    base, data_dir = served
    url = f"{base}/dav/sync/statistics.sqlite3"
    assert (await call("MKCOL", f"{base}/dav/sync"))[0] == 201
    assert (await call("GET", url))[0] == 404  # the first sync
    first = write_statistics(
        tmp_path / "a.sqlite3",
        [KoBook("Dune", "Frank Herbert", "a" * 32, 100, [(1, 1.7e9, 60, 100)])],
    ).read_bytes()
    status, headers, _ = await call("PUT", url, data=first)
    assert status == 201
    etag = headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    status, headers, body = await call("GET", url)
    assert (status, headers["ETag"], body) == (200, etag, first)
    status, headers, body = await call("HEAD", url)
    assert (status, headers["ETag"], body, headers["Content-Length"]) == (
        200, etag, b"", str(len(first))
    )  # fmt: skip
    _, _, listing = await call("PROPFIND", f"{base}/dav/sync/", headers={"Depth": "1"})
    [entry] = [r for r in responses(listing) if "statistics.sqlite3" in r]
    assert "<d:resourcetype/>" in entry
    assert f"<d:getcontentlength>{len(first)}</d:getcontentlength>" in entry
    modified = re.search(r"<d:getlastmodified>(.*?)</d:getlastmodified>", entry).group(1)
    assert modified.endswith(" GMT") and parsedate_to_datetime(modified).year >= 2024
    assert HREF.search(entry).group(1) == "/dav/sync/statistics.sqlite3"

    second = first + b"\0" * 512  # any new bytes
    status, _, _ = await call("PUT", url, data=second, headers={"If-Match": '"stale"'})
    assert status == 412
    assert (await call("GET", url))[2] == first  # nothing changed
    status, headers, _ = await call("PUT", url, data=second, headers={"If-Match": etag})
    assert status == 204 and headers["ETag"] != etag
    assert (await call("GET", url))[2] == second
    # the upload went to the library's history import
    assert await wait_for_history(data_dir) == [("Dune", "a" * 32, 60)]


async def wait_for_history(data_dir: Path) -> list[tuple[str, str, int]]:
    deadline = time.monotonic() + 10
    db_file = resolve_paths(data_dir).db_file
    while time.monotonic() < deadline:
        with sqlite3.connect(db_file) as db:
            rows = db.execute(  # a book's fingerprint is stored with its totals, last
                "SELECT title, md5, read_seconds FROM history_book WHERE fingerprint IS NOT NULL"
            ).fetchall()
        if rows:
            return rows
        await asyncio.sleep(0.1)
    return []


async def test_two_puts_with_the_same_if_match_one_wins(served):
    base, _ = served
    url = f"{base}/dav/race.bin"
    status, headers, _ = await call("PUT", url, data=b"v1")
    assert status == 201
    etag = headers["ETag"]
    results = await asyncio.gather(
        call("PUT", url, data=b"device A" * 10_000, headers={"If-Match": etag}),
        call("PUT", url, data=b"device B" * 10_000, headers={"If-Match": etag}),
    )
    assert sorted(status for status, _, _ in results) == [204, 412]
    winner = next(headers for status, headers, _ in results if status == 204)
    status, headers, body = await call("GET", url)
    assert headers["ETag"] == winner["ETag"] and body in (
        b"device A" * 10_000,
        b"device B" * 10_000,
    )


async def test_delete_what_was_put(served):
    base, _ = served
    assert (await call("PUT", f"{base}/dav/gone.txt", data=b"x"))[0] == 201
    assert (await call("DELETE", f"{base}/dav/gone.txt"))[0] == 204
    assert (await call("GET", f"{base}/dav/gone.txt"))[0] == 404
    assert (await call("DELETE", f"{base}/dav/gone.txt"))[0] == 404
    assert (await call("DELETE", f"{base}/dav/"))[0] == 403


async def test_nothing_outside_the_folder(served, tmp_path):
    base, data_dir = served
    outside = tmp_path / "secret.txt"
    outside.write_text("private")
    (data_dir / "webdav" / "link").symlink_to(tmp_path)
    assert (await call("GET", f"{base}/dav/link/secret.txt"))[0] == 403
    assert (await call("PUT", f"{base}/dav/link/new.txt", data=b"x"))[0] == 403
    for raw in ("/dav/%2e%2e/library.sqlite3", "/dav/.partial/x", "/dav/a%5c..%5cb"):
        reader, writer = await asyncio.open_connection(*base[7:].split(":"))
        writer.write(f"GET {raw} HTTP/1.1\r\nHost: x\r\n{_basic()}\r\n\r\n".encode())
        await writer.drain()
        line = await reader.readline()
        writer.close()
        assert line.split()[1] in (b"403", b"404"), raw
    assert outside.read_text() == "private"


def _basic() -> str:
    return f"Authorization: {AUTH['Authorization']}"


async def test_a_file_over_the_limit_is_refused_before_its_body(served):
    base, data_dir = served
    reader, writer = await asyncio.open_connection(*base[7:].split(":"))
    writer.write(
        f"PUT /dav/huge.bin HTTP/1.1\r\nHost: x\r\n{_basic()}\r\n"
        f"Content-Length: {2**40}\r\n\r\n".encode()
    )
    await writer.drain()
    line = await reader.readline()
    writer.close()
    assert line.split()[1] == b"413"
    assert not (data_dir / "webdav" / "huge.bin").exists()
