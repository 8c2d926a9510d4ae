"""Content negotiation at the /opds addresses: the rule (the table of `negotiation`'s docstring,
read from there so the documented table is the one tested) and the real server on 127.0.0.1
answering each feed in the rendering the client prefers, with `Vary: Accept`."""

from __future__ import annotations

import json
import re

import pytest

from bookorbit_desktop.library.store.models import Author
from bookorbit_desktop.server.opds import negotiation
from bookorbit_desktop.server.opds.negotiation import Rendering, preferred
from tests.server.opds.json_support import KOREADER_ACCEPT, OPDS2, schema_errors
from tests.server.opds.support import (
    Catalog,
    assert_feed_structure,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    jing_validate,
)
from tests.server.opds.test_feeds import _library

_ROW = re.compile(r"^\| (\(none\)|`[^|]*`)(?: \([^|]*\))? \| (Atom|JSON) \|$", re.MULTILINE)


def documented_rows() -> list[tuple[str | None, Rendering]]:
    assert negotiation.__doc__ is not None
    rows = [
        (None if accept == "(none)" else accept.strip("`"), Rendering[answer.upper()])
        for accept, answer in _ROW.findall(negotiation.__doc__)
    ]
    assert len(rows) >= 10  # the table was found
    return rows


@pytest.mark.parametrize(("accept", "expected"), documented_rows())
def test_the_documented_table(accept, expected):
    assert preferred(accept) is expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", Rendering.ATOM),
        (" , ;q=1, nonsense", Rendering.ATOM),
        ("APPLICATION/OPDS+JSON", Rendering.JSON),  # media types are case-insensitive
        ("application/opds+json;q=abc, application/atom+xml;q=0.1", Rendering.ATOM),
        ("application/opds+json;q=2", Rendering.ATOM),  # out of range: left out
        ("application/opds+json;q=0.8, application/atom+xml;q=0.8", Rendering.JSON),
        ("application/atom+xml;q=0.8, application/opds+json;q=0.8", Rendering.ATOM),
        ("application/*;q=0.5, application/opds+json", Rendering.JSON),
        # the range naming the type decides, not a wider one listed first
        ("*/*, application/opds+json;q=0.4", Rendering.ATOM),
        ("application/atom+xml;q=0.3, application/atom+xml;profile=opds-catalog", Rendering.ATOM),
        ("application/opds+json, application/atom+xml;profile=opds-catalog;q=1", Rendering.JSON),
    ],
)
def test_more_rows(accept, expected):
    assert preferred(accept) is expected


# Each /opds feed address and its JSON twin under /opds/v2 (filled in with the library's ids).
PAIRS = [
    ("/opds", "/opds/v2"),
    ("/opds/", "/opds/v2/"),
    ("/opds/recent", "/opds/v2/recent"),
    ("/opds/books", "/opds/v2/books"),
    ("/opds/authors", "/opds/v2/authors"),
    ("/opds/authors/{author}", "/opds/v2/authors/{author}"),
    ("/opds/series", "/opds/v2/series"),
    ("/opds/series/books?name=Dune", "/opds/v2/series/books?name=Dune"),
    ("/opds/reading", "/opds/v2/reading"),
    ("/opds/want", "/opds/v2/want"),
    ("/opds/read", "/opds/v2/read"),
    ("/opds/hardcover", "/opds/v2/hardcover"),
    ("/opds/search?q=dune", "/opds/v2/search?query=dune"),
]


def without_times(document: dict) -> dict:
    document["metadata"].pop("modified", None)
    return document


async def test_every_feed_answers_json_to_koreader_and_atom_otherwise(catalog: Catalog, tmp_path):
    _library(catalog.ctx.paths)
    author = Author.get(Author.name == "Frank Herbert").id
    atom_bodies = []
    for here, twin in PAIRS:
        here, twin = here.format(author=author), twin.format(author=author)
        # KOReader v2026.07 and later: JSON at the Atom address, the same feed as its twin.
        for method in ("get", "head"):
            response = await getattr(catalog.session, method)(
                catalog.url(here), headers={"Accept": KOREADER_ACCEPT}
            )
            assert response.status == 200, here
            assert response.headers["Content-Type"].startswith(OPDS2), here
            assert response.headers["Vary"] == "Accept", here
        body = await (await catalog.get(here, headers={"Accept": KOREADER_ACCEPT})).read()
        document = json.loads(body)
        assert not schema_errors(document), here
        twin_response = await catalog.get(twin, headers={"Accept": KOREADER_ACCEPT})
        assert without_times(document) == without_times(json.loads(await twin_response.read()))
        # No Accept (KOReader before v2026.07), */* and Atom first: Atom, also saying Vary.
        for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/atom+xml, */*"}):
            response = await catalog.session.get(
                catalog.url(here), headers=headers, skip_auto_headers=["Accept"]
            )
            assert response.status == 200, here
            assert response.headers["Content-Type"].startswith("application/atom+xml;"), here
            assert response.headers["Vary"] == "Accept", here
            assert response.headers["Cache-Control"] == "no-cache"
            atom_body = await response.read()
        atom_bodies.append(atom_body)
    jing_validate(atom_bodies, tmp_path / "atom")


async def test_koreader_starting_at_the_atom_root_walks_the_json_catalog(catalog: Catalog):
    from lxml import etree

    books = _library(catalog.ctx.paths)
    root = json.loads(
        await (await catalog.get("/opds", headers={"Accept": KOREADER_ACCEPT})).read()
    )
    hrefs = [item["href"] for item in root["navigation"]]
    assert all(href.startswith("/opds/v2/") for href in hrefs)  # onward in JSON, whatever it asks
    search = [item for item in root["links"] if item.get("rel") == "search"]
    assert search and search[0]["href"].startswith("/opds/v2/search")
    found = json.loads(
        await (await catalog.get("/opds/search?q=messiah", headers={"Accept": OPDS2})).read()
    )
    assert [p["metadata"]["identifier"] for p in found["publications"]] == [
        f"urn:bookorbit:book:{books['messiah'].id}"
    ]
    # The Atom root still leads on in Atom.
    response = await catalog.get("/opds", headers={"Accept": "application/atom+xml"})
    atom = etree.fromstring(await response.read())
    assert_feed_structure(atom, acquisition=False)
