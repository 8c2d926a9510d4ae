"""Catalog access: HTTP Basic with the sync account on every address, slowed-down guessing."""

from __future__ import annotations

import logging
import time

import aiohttp
import pytest

from bookorbit_desktop.guards.throttle import LOGINS
from bookorbit_desktop.server.accounts import remove_account
from tests.factories import add_book
from tests.server.opds.support import (
    PASSWORD,
    USER,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    write_book_file,
)

BURST = LOGINS.failures


@pytest.fixture
def addresses(catalog: Catalog) -> list[str]:
    folder = catalog.ctx.paths.data_dir / "books"
    book = add_book("Secret", file=write_book_file(folder, "s.epub", b"secret bytes"))
    (catalog.ctx.paths.covers_dir / "c.jpg").write_bytes(b"\xff\xd8 not really")
    book.cover_path = "covers/c.jpg"
    book.save()
    file_id = book.files.get().id
    return [
        "/opds",
        "/opds/recent",
        "/opds/search?q=secret",
        "/opds/opensearch.xml",
        f"/opds/download/{file_id}.epub",
        f"/opds/covers/{book.id}",
        f"/opds/thumbnails/{book.id}.jpg",
    ]


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": aiohttp.encode_basic_auth(user, password)}


async def _status(
    catalog: Catalog, href: str, headers: dict[str, str]
) -> tuple[int, aiohttp.ClientResponse]:
    async with aiohttp.ClientSession() as anonymous:
        response = await anonymous.get(catalog.url(href), headers=headers)
        await response.read()
        return response.status, response


async def test_every_address_needs_the_account(catalog: Catalog, addresses: list[str]):
    for href in addresses:
        status, response = await _status(catalog, href, {})
        assert status == 401, href
        assert (
            response.headers["WWW-Authenticate"]
            == 'Basic realm="BookOrbit Desktop", charset="UTF-8"'
        )
        assert "user name and password" in await response.text()
        ok = await catalog.get(href)  # the fixture's session sends the right credentials
        assert ok.status in (200, 404), href  # the fake cover cannot become a thumbnail
        assert ok.status == 200 or href.startswith("/opds/thumbnails")


@pytest.mark.parametrize(
    "headers",
    [
        _basic(USER, "wrong"),
        _basic("someone", PASSWORD),
        _basic(USER.upper(), PASSWORD),
        {"Authorization": 'Digest username="reader"'},
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Basic " + "cmVhZGVy"},  # "reader" without a colon
    ],
)
async def test_wrong_or_malformed_credentials_are_refused(catalog: Catalog, headers):
    status, response = await _status(catalog, "/opds", headers)
    assert status == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


async def test_without_an_account_the_catalog_says_how_to_set_one_up(catalog: Catalog):
    remove_account()
    status, response = await _status(catalog, "/opds", _basic(USER, PASSWORD))
    assert status == 401
    assert "No sync account is set up yet" in await response.text()


async def test_guesses_beyond_the_budget_are_refused_before_any_check(
    catalog: Catalog, caplog, monkeypatch
):
    caplog.set_level(logging.DEBUG)
    timings = []
    for n in range(BURST + 2):  # each a new guess (a repeated one is never counted again)
        started = time.monotonic()
        status, _response = await _status(catalog, "/opds", _basic(USER, f"guess{n}"))
        timings.append(time.monotonic() - started)
        assert status == (401 if n < BURST - 1 else 429)  # the last failure blocks
    assert max(timings) < 1.0  # refused quickly: at most a few answers a second
    assert catalog.ctx.throttle.refused == 2  # a burst of failed checks, then no check at all
    # Even the right password is not checked while the address is blocked ...
    status, response = await _status(catalog, "/opds", _basic(USER, PASSWORD))
    assert status == 429 and response.headers["Retry-After"] == f"{LOGINS.block:.0f}"
    assert "Too many wrong passwords" in await response.text()
    later = time.monotonic() + LOGINS.block  # ... until the block is over
    monkeypatch.setattr(catalog.ctx.throttle, "_clock", lambda: later)
    status, _response = await _status(catalog, "/opds", _basic(USER, PASSWORD))
    assert status == 200
    # The right password forgives the failures before it: a person's typos start afresh.
    refused = catalog.ctx.throttle.refused
    for n in range(BURST - 1):
        await _status(catalog, "/opds", _basic(USER, f"typo{n}"))
    assert catalog.ctx.throttle.refused == refused
    assert "guess" not in caplog.text and PASSWORD not in caplog.text


async def test_the_catalog_shares_the_login_throttle_with_kosync(catalog: Catalog):
    for _ in range(BURST):  # checks under way from kosync hold the whole burst
        assert catalog.ctx.throttle.admit("127.0.0.1").value == "check"
    status, _response = await _status(catalog, "/opds", _basic(USER, "wrong"))
    assert status == 401 and catalog.ctx.throttle.refused == 1
