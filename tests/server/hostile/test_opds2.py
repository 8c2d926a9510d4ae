"""The OPDS 2.0 (JSON) catalog behind the same guards as every other KOReader channel, against
a real `serve` process: one login budget per address shared with kosync and the Atom catalog,
no Host header echoed into links, and damaged addresses answered in one line."""

from __future__ import annotations

import asyncio
import json

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.guards.throttle import LOGINS
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.server.hostile.support import (
    LINUX_LOOPBACK,
    PASSWORD,
    USER,
    attacker,
    basic,
    exchange,
    http_request,
    prepare_library,
    serving,
)

pytestmark = LINUX_LOOPBACK

CATALOG = {"Authorization": basic(USER, PASSWORD)}
# Where a guesser spends the address's budget, and where the real credentials are then tried.
CHANNELS = {
    "opds2": ("/opds/v2/books", lambda n: {"Authorization": basic(USER, f"guess{n}")}),
    "opds": ("/opds", lambda n: {"Authorization": basic(USER, f"guess{n}")}),
    "kosync": ("/kosync/users/auth", lambda n: {"x-auth-user": USER, "x-auth-key": f"{n:032x}"}),
}


@pytest.mark.parametrize("guessed_on", CHANNELS)
async def test_guesses_on_any_channel_block_the_json_catalog_for_that_address(tmp_path, guessed_on):
    path, wrong = CHANNELS[guessed_on]
    with serving(prepare_library(tmp_path / "data"), opds=True) as served:
        port, source = served.port, attacker(3)
        statuses = [
            (await exchange(port, http_request("GET", path, wrong(n)), source=source))[0]
            for n in range(LOGINS.failures + 2)
        ]
        right = http_request("GET", "/opds/v2", CATALOG)
        blocked = await exchange(port, right, source=source)
        atom = await exchange(port, http_request("GET", "/opds", CATALOG), source=source)
        # Another address logs in at once (from then on the login is remembered as verified).
        other = await exchange(port, right, source=attacker(4))
    typos = LOGINS.failures - 1  # then the failure that blocks, and two more refused
    assert statuses[:typos] == [401] * typos
    assert statuses[typos:] == [401 if guessed_on == "kosync" else 429] * 3
    assert blocked[0] == 429 and b"BookOrbit library" not in blocked[1]
    assert b"Too many wrong passwords" in blocked[1]
    assert atom[0] == 429  # the Atom catalog is blocked for that address too
    assert other[0] == 200 and json.loads(other[1])["metadata"]["title"] == "BookOrbit library"


async def test_json_links_never_carry_the_host_header(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    open_database(resolve_paths(data_dir).db_file)
    book_file = tmp_path / "b.epub"
    book_file.write_bytes(b"book")
    add_book("Evil Hosts", file=book_file)
    close_database()
    with serving(data_dir, opds=True) as served:
        answers = []
        for path in ("/opds/v2", "/opds/v2/books", "/opds/v2/search?query=evil"):
            raw = http_request("GET", path, CATALOG).replace(
                b"Host: 127.0.0.1", b"Host: evil.example:666"
            )
            answers.append(await exchange(served.port, raw))
    for status, body, _seconds in answers:
        assert status == 200
        assert b"evil.example" not in body
        document = json.loads(body)
        hrefs = [link["href"] for link in document["links"]]
        assert all(href.startswith("/opds") for href in hrefs), hrefs


async def test_damaged_addresses_get_one_line_answers_and_nothing_in_the_log_leaks(tmp_path):
    token = "A" * 5000  # longer than any page token the catalog makes
    with serving(prepare_library(tmp_path / "data"), opds=True) as served:
        answers = [
            await exchange(served.port, http_request("GET", path, CATALOG))
            for path in (
                f"/opds/v2/books?cursor={token}",
                "/opds/v2/authors?cursor=%00%ff",
                "/opds/v2/series?page=99999999999999999999",
                "/opds/v2/authors/99999999999999999999999",
                "/opds/v2/search?query=%ff%fe&cursor=bad",
            )
        ]
        await asyncio.sleep(0.2)
        log = served.log()
    assert [status for status, _body, _seconds in answers] == [400, 400, 400, 404, 400]
    for _status, body, _seconds in answers:
        assert body.count(b"\n") <= 1 and b"Traceback" not in body
    assert "Traceback" not in log and token not in log
