"""Open Library (openlibrary.org): a book by ISBN or Open Library edition id through the Books
API (`/api/books?bibkeys=ISBN:…&jscmd=details&format=json`, one request with the edition's
record and its author names), and by title and author through `/search.json`.

Open Library asks for no key but for politeness: about one request a second, and a
User-Agent naming the app and a contact (`web.user_agent`). Covers come from
covers.openlibrary.org by cover id (`-L` is the large size; its pixel size is not in the
record; `default=false` makes a missing one a 404 instead of a blank image). What is sent:
the ISBN, or the title and first author.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from typing import Any

import aiohttp

from bookorbit_desktop.library.metadata.languages import normalize_language
from bookorbit_desktop.metadata_sources.records import Candidate, Lookup
from bookorbit_desktop.metadata_sources.source import ISBN, isbn_then_search, same_title
from bookorbit_desktop.metadata_sources.web import Pacer, get_json, malformed, number, text

NAME = "openlibrary"
LABEL = "Open Library"
BASE_URL = "https://openlibrary.org"
COVERS_URL = "https://covers.openlibrary.org"
BASE_URL_ENV = "BOOKORBIT_OPENLIBRARY_URL"  # another address (a test double on loopback)
REQUEST_INTERVAL = 1.0  # seconds: Open Library's polite rate for API users
SEARCH_LIMIT = 5
_SEARCH_FIELDS = (
    "key,title,subtitle,author_name,first_publish_year,publisher,isbn,language,cover_i,"
    "number_of_pages_median"
)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%B %Y", "%b %Y", "%d %B %Y")


def release_date(value: Any) -> str | None:
    """Open Library's free-text date ("October 1, 1988", "1988") as ISO, or its year."""
    raw = text(value)
    if raw is None:
        return None
    for form in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(raw, form)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m" if "%d" not in form else "%Y-%m-%d")
    year = _YEAR.search(raw)
    return year.group(1) if year else None


def _description(value: Any) -> str | None:
    """A description is a string or `{"type": "/type/text", "value": "…"}`."""
    if isinstance(value, dict):
        value = value.get("value")
    return text(value)


def _language(values: Any) -> str | None:
    for entry in values or ():
        key = entry.get("key") if isinstance(entry, dict) else entry
        if isinstance(key, str):
            found = normalize_language(key.rsplit("/", 1)[-1])
            if found:
                return found
    return None


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, list) and values else None


class OpenLibrary:
    name = NAME
    label = LABEL

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str | None = None,
        covers_url: str | None = None,
        interval: float | None = None,  # seconds between requests (REQUEST_INTERVAL)
    ) -> None:
        self.session = session
        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")
        default_covers = f"{self.base_url}/covers" if self.base_url != BASE_URL else COVERS_URL
        self.covers_url = (covers_url or default_covers).rstrip("/")
        self.pacer = Pacer(REQUEST_INTERVAL if interval is None else interval)

    def cover_url(self, cover_id: Any) -> str | None:
        found = number(cover_id)
        # default=false: a missing cover is a 404, not a blank placeholder image.
        url = f"{self.covers_url}/b/id/{found}-L.jpg?default=false"
        return url if found and found > 0 else None

    async def by_identifier(self, kind: str, value: str) -> list[Candidate]:
        key = f"ISBN:{value}" if kind == ISBN else f"OLID:{value}"
        params = {"bibkeys": key, "jscmd": "details", "format": "json"}
        answer = await get_json(
            self.session, f"{self.base_url}/api/books", label=LABEL, params=params, pacer=self.pacer
        )
        if not isinstance(answer, dict):
            raise malformed(LABEL, "a record per key")
        entry = answer.get(key)
        if entry is None:
            return []
        details = entry.get("details") if isinstance(entry, dict) else None
        if not isinstance(details, dict):
            raise malformed(LABEL, "the edition's details")
        return [self._edition(details, "isbn" if kind == ISBN else "id")]

    def _edition(self, details: dict[str, Any], matched_by: str) -> Candidate:
        authors = tuple(
            name
            for entry in details.get("authors") or ()
            if isinstance(entry, dict) and (name := text(entry.get("name")))
        )
        series = text(_first(details.get("series")))
        key = text(details.get("key")) or ""
        return Candidate(
            source=NAME,
            source_id=key.rsplit("/", 1)[-1],
            title=text(details.get("title")),
            subtitle=text(details.get("subtitle")),
            authors=authors,
            series=series,
            description=_description(details.get("description")),
            publisher=text(_first(details.get("publishers"))),
            release_date=release_date(details.get("publish_date")),
            language=_language(details.get("languages")),
            isbn13=text(_first(details.get("isbn_13"))),
            pages=number(details.get("number_of_pages")),
            cover_url=self.cover_url(_first(details.get("covers"))),
            matched_by=matched_by,
        )

    async def search(self, title: str, author: str | None) -> list[Candidate]:
        params = {"title": title, "limit": str(SEARCH_LIMIT), "fields": _SEARCH_FIELDS}
        if author:
            params["author"] = author
        answer = await get_json(
            self.session,
            f"{self.base_url}/search.json",
            label=LABEL,
            params=params,
            pacer=self.pacer,
        )
        docs = answer.get("docs") if isinstance(answer, dict) else None
        if not isinstance(docs, list):
            raise malformed(LABEL, "a list of results")
        found = []
        for doc in docs:
            if not isinstance(doc, dict) or not same_title(title, text(doc.get("title"))):
                continue
            isbns = [i for i in doc.get("isbn") or () if isinstance(i, str) and len(i) == 13]
            year = number(doc.get("first_publish_year"))
            found.append(
                Candidate(
                    source=NAME,
                    source_id=(text(doc.get("key")) or "").rsplit("/", 1)[-1],
                    title=text(doc.get("title")),
                    subtitle=text(doc.get("subtitle")),
                    authors=tuple(a for a in doc.get("author_name") or () if text(a)),
                    publisher=text(_first(doc.get("publisher"))),
                    release_date=str(year) if year else None,
                    language=_language(doc.get("language")),
                    isbn13=isbns[0] if isbns else None,
                    pages=number(doc.get("number_of_pages_median")),
                    cover_url=self.cover_url(doc.get("cover_i")),
                    matched_by="search",
                )
            )
        return found

    async def lookup(self, book: Lookup) -> list[Candidate]:
        return await isbn_then_search(self, book)
