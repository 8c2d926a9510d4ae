"""Forged page tokens on every list of both renderings: a 400 with one plain sentence, never
a 500, and nothing logged as an error (a token comes from outside and is read strictly)."""

from __future__ import annotations

import base64
import logging

import pytest

from bookorbit_desktop.library.store.keyset import FIRST
from bookorbit_desktop.server.opds.catalog import SECTIONS
from bookorbit_desktop.server.opds.model import CatalogUrls
from bookorbit_desktop.server.opds.routes import JSON_FEEDS
from tests.factories import add_book
from tests.server.opds.support import (
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    write_book_file,
)

ATOM, JSON = CatalogUrls(), CatalogUrls(feeds=JSON_FEEDS, search_param="query")


def _token(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


# What the row saw (a key above 2^63, a 1,500-deep array) and their neighbours.
FORGED = {
    "key above 2^63": _token(f'["a",["Dune",{2**63}]]'),
    "key below -2^63": _token(f'["b",["Dune",{-(2**63) - 1}]]'),
    "1,500-deep array": _token('["a",' + "[" * 1500 + "]" * 1500 + "]"),
    "deep object": _token('["a",' + '{"a":' * 1500 + "1" + "}" * 1500 + "]"),
    "lone surrogate": _token('["a",["\\ud800",1]]'),
    "infinite number": _token('["a",[1e999,1]]'),
    "NaN": _token('["a",[NaN,1]]'),
    "nested part": _token('["a",[["Dune"],1]]'),
    "boolean part": _token('["a",[true,1]]'),
    "object": _token('{"a":1}'),
    "text for a number": _token('["a",[""]]'),
    "not base64": "%%%",
    "too long": "A" * 5000,
}


def _lists(urls: CatalogUrls) -> list[str]:
    return [urls.feed(item.name) for item in SECTIONS] + [
        urls.feed("authors/1"),
        urls.feed("series/books", name="Saga"),
        urls.search(FIRST, "dune"),
        urls.feed("hardcover/want-to-read"),
        urls.feed("hardcover"),  # the shelves, a list held in memory and keyed by a number
        urls.feed("shelves/series", name="Saga"),
    ]


@pytest.fixture
def books(catalog: Catalog) -> Catalog:
    folder = catalog.ctx.paths.data_dir / "books"
    for number in range(3):
        file = write_book_file(folder, f"b{number}.epub", f"book {number}".encode())
        add_book(f"Dune {number}", ["Frank Herbert"], file=file, series="Saga")
    return catalog


@pytest.mark.parametrize("urls", [ATOM, JSON], ids=["atom", "json"])
async def test_forged_cursors_get_a_400_on_every_list(books: Catalog, urls, caplog):
    caplog.set_level(logging.INFO)
    for address in _lists(urls):
        separator = "&" if "?" in address else "?"
        for name, token in FORGED.items():
            response = await books.get(f"{address}{separator}cursor={token}")
            text = await response.text()
            assert response.status == 400, (address, name, response.status, text[:300])
            assert text.count("\n") == 1 and "page address" in text, (address, name, text)
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert "Traceback" not in caplog.text
