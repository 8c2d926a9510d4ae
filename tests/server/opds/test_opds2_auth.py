"""The JSON catalog needs the sync account like the Atom one, and guesses made on either count
against one budget per address (the shared login guard)."""

from __future__ import annotations

import aiohttp
import pytest

from bookorbit_desktop.guards.throttle import LOGINS
from bookorbit_desktop.library.store.models import Author
from tests.factories import add_book
from tests.server.opds.support import (
    PASSWORD,
    USER,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    write_book_file,
)

BURST = LOGINS.failures
ADDRESSES = [
    "/opds/v2",
    "/opds/v2/",
    "/opds/v2/recent",
    "/opds/v2/books",
    "/opds/v2/reading",
    "/opds/v2/want",
    "/opds/v2/read",
    "/opds/v2/authors",
    "/opds/v2/series",
    "/opds/v2/series/books?name=Saga",
    "/opds/v2/search?query=secret",
]


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": aiohttp.encode_basic_auth(user, password)}


async def _answer(catalog: Catalog, href: str, headers: dict[str, str]) -> tuple[int, str, dict]:
    async with aiohttp.ClientSession() as anonymous:
        response = await anonymous.get(catalog.url(href), headers=headers)
        return response.status, await response.text(), dict(response.headers)


@pytest.fixture
def secret(catalog: Catalog) -> str:
    folder = catalog.ctx.paths.data_dir / "books"
    add_book(
        "Secret", ["Hidden Writer"], file=write_book_file(folder, "s.epub", b"x"), series="Saga"
    )
    return f"/opds/v2/authors/{Author.get(Author.name == 'Hidden Writer').id}"


@pytest.mark.parametrize("href", ADDRESSES)
async def test_every_json_address_needs_the_account(catalog: Catalog, secret: str, href: str):
    for address in (href, secret):
        status, text, headers = await _answer(catalog, address, {})
        assert status == 401, address
        assert headers["WWW-Authenticate"] == 'Basic realm="BookOrbit Desktop", charset="UTF-8"'
        assert "Secret" not in text and "user name and password" in text
        status, text, _headers = await _answer(catalog, address, _basic(USER, "wrong"))
        assert status == 401 and "Secret" not in text
        ok = await catalog.get(address)
        assert ok.status == 200, address


async def test_guesses_on_both_renderings_spend_one_budget(catalog: Catalog):
    for n in range(BURST):
        href = "/opds/v2" if n % 2 else "/opds"
        status, _text, _headers = await _answer(catalog, href, _basic(USER, f"guess{n}"))
        assert status == (401 if n < BURST - 1 else 429)  # the last failure blocks
    assert catalog.ctx.throttle.refused == 0
    status, text, _headers = await _answer(catalog, "/opds/v2/books", _basic(USER, "one more"))
    assert status == 429 and catalog.ctx.throttle.refused == 1
    assert "Try again in 2 minutes" in text
    # Blocked: even the right password is not checked, on either rendering.
    for href in ("/opds/v2", "/opds"):
        status, _text, headers = await _answer(catalog, href, _basic(USER, PASSWORD))
        assert status == 429 and int(headers["Retry-After"]) > 100
