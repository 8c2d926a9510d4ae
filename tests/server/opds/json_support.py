"""Shared pieces of the OPDS 2.0 tests: the JSON Schemas, a client that reads the JSON catalog
the way KOReader does, and paging over `next` links.

The schemas (tests/data/opds2, see its README for their provenance) refer to each other by
`$id`; all of them are loaded into one `referencing.Registry`, nothing is fetched. Their BCP 47
patterns use JavaScript's named groups, rewritten to Python's on loading, and every `format`
they use is checked (`uri`, `uri-reference`, `uri-template`, `date`, `date-time`).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.server.opds.support import Catalog

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "opds2"
FEED_SCHEMA = "https://drafts.opds.io/schema/feed.schema.json"
PUBLICATION_SCHEMA = "https://drafts.opds.io/schema/publication.schema.json"
OPDS2 = "application/opds+json"
# What KOReader (v2026.07 and later) sends with every catalog request.
KOREADER_ACCEPT = "application/opds+json, application/atom+xml;profile=opds-catalog, */*"
_JS_NAMED_GROUP = re.compile(r"\(\?<([A-Za-z])")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_NOT_IN_URI = re.compile(r"[\s\"<>\\^`{|}]")


@cache
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.rglob("*.schema.json")):
        text = _JS_NAMED_GROUP.sub(r"(?P<\1", path.read_text(encoding="utf-8"))
        schema = json.loads(text)
        resources.append((schema["$id"], Resource.from_contents(schema, DRAFT7)))
    return Registry().with_resources(resources)


def _checker() -> FormatChecker:
    checker = FormatChecker(["date", "email"])

    @checker.checks("uri")
    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        scheme = urlsplit(value).scheme
        return bool(scheme) and bool(_SCHEME.fullmatch(scheme)) and not _NOT_IN_URI.search(value)

    @checker.checks("uri-reference")
    def is_uri_reference(value: object) -> bool:
        return not isinstance(value, str) or not _NOT_IN_URI.search(value)

    @checker.checks("uri-template")
    def is_uri_template(value: object) -> bool:
        if not isinstance(value, str):
            return True
        outside = re.sub(r"\{[+#./;?&]?[A-Za-z0-9_,.*:]+\}", "", value)
        return not _NOT_IN_URI.search(outside)

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
            return False
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    @checker.checks("date", raises=ValueError)
    def is_date(value: object) -> bool:
        return not isinstance(value, str) or bool(date.fromisoformat(value))

    return checker


def validator(schema_id: str) -> Draft7Validator:
    schema = registry().contents(schema_id)
    return Draft7Validator(schema, registry=registry(), format_checker=_checker())


def schema_errors(document: Any, schema_id: str = FEED_SCHEMA) -> list[str]:
    """Every way `document` breaks the schema (empty when it is valid)."""
    found = validator(schema_id).iter_errors(document)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in found]


def assert_valid_feed(document: Any) -> None:
    errors = schema_errors(document)
    assert not errors, "\n".join(errors[:20])


async def json_feed(catalog: Catalog, href: str) -> dict[str, Any]:
    """A JSON feed as KOReader asks for it (its Accept header) and tells it apart from Atom
    (a body starting with `{`), checked against the feed schema."""
    response = await catalog.get(href, headers={"Accept": KOREADER_ACCEPT})
    body = await response.read()
    assert response.status == 200, (href, response.status, body[:300])
    assert response.headers["Content-Type"].startswith(OPDS2), response.headers["Content-Type"]
    assert body.lstrip().startswith(b"{")
    document = json.loads(body.decode("utf-8"))
    assert_valid_feed(document)
    return document


def link(document: dict[str, Any], rel: str) -> dict[str, Any] | None:
    found = [item for item in document["links"] if item.get("rel") == rel]
    assert len(found) <= 1, f"{len(found)} {rel!r} links"
    return found[0] if found else None


def link_href(document: dict[str, Any], rel: str) -> str | None:
    found = link(document, rel)
    return None if found is None else found["href"]


def publication_ids(document: dict[str, Any]) -> list[str]:
    return [item["metadata"]["identifier"] for item in document.get("publications", [])]


def navigation_titles(document: dict[str, Any]) -> list[str]:
    return [item["title"] for item in document.get("navigation", [])]


async def walk_json_pages(catalog: Catalog, href: str) -> list[dict[str, Any]]:
    """Every page of a JSON feed, following `next` links."""
    pages, seen = [], set()
    next_href: str | None = href
    while next_href is not None:
        assert next_href not in seen, f"pagination loops back to {next_href}"
        seen.add(next_href)
        document = await json_feed(catalog, next_href)
        pages.append(document)
        next_href = link_href(document, "next")
    return pages


def expand_search(template: str, words: str) -> str:
    """KOReader's filling of a templated search link: its one variable, `query`."""
    from urllib.parse import quote

    assert template.endswith("{?query}"), template
    return template.removesuffix("{?query}") + "?query=" + quote(words, safe="")
