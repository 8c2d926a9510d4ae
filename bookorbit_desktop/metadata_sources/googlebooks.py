"""Google Books (googleapis.com/books/v1): a book by ISBN (`volumes?q=isbn:…`) or by Google's
volume id (`volumes/{id}`), and by title and author (`q=intitle:… inauthor:…`).

An API key is optional (kept in the OS keyring, `keys.GoogleBooksKey`) and sent as the `key`
parameter. Google's Books API documentation asks every request for public data to carry an
API key (or an OAuth token) identifying a Cloud project, and counts the quota in queries per
day per project (its Cloud console shows the figure and takes requests to raise it); it
publishes no fixed default. Without a key, requests count against a quota shared by every
key-less caller, which is often used up. Google answers HTTP 429 both to a burst and once a
quota is spent: a 429 (or 503) is waited out and asked again as for every web source
(`web.Pacer`: its Retry-After, else a growing back-off), and three refusals in a row stop
Google Books for the rest of that fetch (every later book is "rate-limited" without a
request, with what to do when the day's quota is spent; `metadata retry` asks again later)
instead of spending a request a book on refusals. Requests are paced at one a second. What
is sent: the ISBN, or the title and first author, and the key when there is one. Cover URLs
are Google's thumbnails (`zoom=1`, about 128 px wide; larger sizes only in a volume fetched
by id), made https.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bookorbit_desktop.hardcover.api.records import to_int, to_text
from bookorbit_desktop.library.metadata.languages import normalize_language
from bookorbit_desktop.metadata_sources.outside import GOOGLEBOOKS_URL_ENV
from bookorbit_desktop.metadata_sources.records import Candidate, Lookup
from bookorbit_desktop.metadata_sources.source import ISBN, isbn_then_search, same_title
from bookorbit_desktop.metadata_sources.web import Pacer, get_json, malformed

NAME = "google"
LABEL = "Google Books"
BASE_URL = "https://www.googleapis.com/books/v1"
BASE_URL_ENV = GOOGLEBOOKS_URL_ENV  # another address (a test double on loopback)
REQUEST_INTERVAL = 1.0  # seconds
SEARCH_LIMIT = 5
QUOTA_ADVICE = (
    "Its quota is counted per day and may be used up: retry later with `metadata retry`, or "
    "save your own API key with `metadata google-key`."
)
_IMAGE_SIZES = ("extraLarge", "large", "medium", "small", "thumbnail", "smallThumbnail")


def _isbn13(identifiers: Any) -> str | None:
    for entry in identifiers or ():
        if isinstance(entry, dict) and entry.get("type") == "ISBN_13":
            return to_text(entry.get("identifier"))
    return None


def _cover(links: Any) -> str | None:
    if not isinstance(links, dict):
        return None
    for size in _IMAGE_SIZES:
        url = to_text(links.get(size))
        if url:
            # Google lists its own covers as http; they are served over https too.
            google = (urlsplit(url).hostname or "").endswith((".google.com", ".googleapis.com"))
            return (
                "https://" + url[len("http://") :] if google and url.startswith("http://") else url
            )
    return None


def volume_candidate(volume: Any, matched_by: str) -> Candidate:
    """One `books#volume` as a candidate."""
    info = volume.get("volumeInfo") if isinstance(volume, dict) else None
    if not isinstance(info, dict) or not to_text(volume.get("id")):
        raise malformed(LABEL, "a volume's id and volumeInfo")
    return Candidate(
        source=NAME,
        source_id=str(volume["id"]),
        title=to_text(info.get("title")),
        subtitle=to_text(info.get("subtitle")),
        authors=tuple(a.strip() for a in info.get("authors") or () if to_text(a)),
        description=to_text(info.get("description")),
        publisher=to_text(info.get("publisher")),
        release_date=to_text(info.get("publishedDate")),
        language=normalize_language(to_text(info.get("language"))),
        isbn13=_isbn13(info.get("industryIdentifiers")),
        pages=to_int(info.get("pageCount")),
        cover_url=_cover(info.get("imageLinks")),
        matched_by=matched_by,
    )


class GoogleBooks:
    name = NAME
    label = LABEL

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        interval: float | None = None,  # seconds between requests (REQUEST_INTERVAL)
    ) -> None:
        self.session = session
        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")
        self._key = api_key
        self.pacer = Pacer(
            REQUEST_INTERVAL if interval is None else interval, label=LABEL, advice=QUOTA_ADVICE
        )
        self.email: str | None = None  # the user's, for the User-Agent

    def identify(self, email: str | None) -> None:
        """The user's e-mail for the User-Agent (from the settings, before a fetch)."""
        self.email = email

    def __repr__(self) -> str:  # never show the key
        return f"GoogleBooks(base_url={self.base_url!r})"

    def _params(self, **params: str) -> dict[str, str]:
        return {**params, "key": self._key} if self._key else params

    async def _get(self, url: str, params: dict[str, str], *, missing_is_empty: bool) -> Any:
        """One paced GET (see the module doc)."""
        return await get_json(
            self.session,
            url,
            label=LABEL,
            params=params,
            pacer=self.pacer,
            missing_is_empty=missing_is_empty,
            email=self.email,
        )

    async def _volumes(self, query: str, matched_by: str) -> list[Candidate]:
        params = self._params(q=query, maxResults=str(SEARCH_LIMIT), printType="books")
        answer = await self._get(f"{self.base_url}/volumes", params, missing_is_empty=False)
        if not isinstance(answer, dict) or "totalItems" not in answer:
            raise malformed(LABEL, "totalItems")
        items = answer.get("items") or []
        if not isinstance(items, list):
            raise malformed(LABEL, "a list of volumes")
        return [volume_candidate(item, matched_by) for item in items]

    async def by_identifier(self, kind: str, value: str) -> list[Candidate]:
        if kind == ISBN:
            return await self._volumes(f"isbn:{value}", "isbn")
        url = f"{self.base_url}/volumes/{value}"
        answer = await self._get(url, self._params(), missing_is_empty=True)
        return [] if answer is None else [volume_candidate(answer, "id")]

    async def search(self, title: str, author: str | None) -> list[Candidate]:
        query = f'intitle:"{title}"' + (f' inauthor:"{author}"' if author else "")
        found = await self._volumes(query, "search")
        return [c for c in found if same_title(title, c.title)]

    async def lookup(self, book: Lookup) -> list[Candidate]:
        return await isbn_then_search(self, book)
