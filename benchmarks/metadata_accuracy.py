"""How right the metadata is: for a library of real titles (`metadata_titles.py`), per source
and field, how many books get a value and how many of those are right, and what Fill Empty
Fields on every book writes. Run by `python benchmarks/metadata_bench.py --accuracy`.

Open Library and Google Books answer from a loopback server that serves each title's records
in the services' own shapes (`/api/books`, `/works/…`, `/search.json`, `/books/v1/volumes`),
Hardcover from the project's fake of its GraphQL API. The library is fetched with the app's
own `MetadataService` (the window's and the command line's), so every rule the app applies
(which record is another edition, what is a publisher's collection, which value is best) is
the one measured.

Scored per source (the values the app would take from that source's best candidate; a record
the app holds to be another edition's gives nothing unasked) and for Fill Empty Fields (what the app
actually stores, read back). A value is right when it matches the title's truth after
folding (NFC, case, accents kept; a series's "The" and "series"/"trilogy" words ignored; a
date by its year; a description by the words the title's truth names, never a stub that only
names the book). Targets: every field that a source gives at least three times is right
for at least 90 % of the books; no edition field (publisher, date, pages, ISBN, cover) is
ever taken from another edition; at most 1.2 requests per book to Open Library.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from metadata_titles import TITLES, Title

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.credentials import SuppliedToken
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.metadata_sources import googlebooks, openlibrary
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.metadata.books import local_values
from bookorbit_desktop.services.metadata.service import MetadataService
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover
from tests.fakes.metadata_sources import FakeBookSources

SCORED = ("title", "authors", "series", "series_index", "description", "publisher",
          "release_date", "language", "isbn13", "pages")  # fmt: skip
EDITION_FIELDS = ("publisher", "release_date", "pages", "isbn13", "cover")
TRUTH_KEY = {"release_date": "year"}  # the truth keeps a date's year
DEBUG = bool(os.environ.get("BOOKORBIT_BENCH_DEBUG"))
SOURCES = ("hardcover", "openlibrary", "google")
MIN_GIVEN = 3  # a field a source gives fewer times than this is shown, not held to 90 %
TARGET_RIGHT = 0.90
TARGET_OL_REQUESTS = 1.2
# A description that only names the book ("The Martian by Andy Weir."): not a description.
STUB_WORDS = 8


class RecordedSources(FakeBookSources):
    """Open Library and Google Books answering with the titles' records (see the module doc);
    the server, its routes, the request counting and the cover images are the project's
    fake's."""

    def __init__(self, titles: tuple[Title, ...]) -> None:
        super().__init__()
        self.editions = {t.file["isbn13"]: t for t in titles if t.ol_edition is not None}
        self.works = {
            t.ol_work["key"].rsplit("/", 1)[1]: t.ol_work for t in titles if t.ol_work is not None
        }
        self.volumes = {t.file["isbn13"]: t for t in titles if t.google is not None}

    async def _ol_books(self, request: web.Request) -> web.Response:
        refused = await self._gate("openlibrary")
        if refused is not None:
            return refused
        answer: dict[str, Any] = {}
        for key in request.query.get("bibkeys", "").split(","):
            scheme, _, value = key.partition(":")
            title = self.editions.get(value) if scheme == "ISBN" else None
            if title is not None and title.ol_edition is not None:
                details = {**title.ol_edition, "isbn_13": [value],
                           "key": f"/books/OL{value[-7:]}M"}  # fmt: skip
                answer[key] = {"bib_key": key, "preview": "noview", "details": details}
        return web.json_response(answer)

    async def _ol_work(self, request: web.Request) -> web.Response:
        refused = await self._gate("openlibrary")
        if refused is not None:
            return refused
        work = self.works.get(request.match_info["name"].removesuffix(".json"))
        if work is None:
            return web.json_response({"error": "notfound", "key": request.path}, status=404)
        return web.json_response(work)

    async def _ol_search(self, request: web.Request) -> web.Response:
        refused = await self._gate("openlibrary")
        if refused is not None:
            return refused
        return web.json_response({"numFound": 0, "start": 0, "numFoundExact": True, "docs": []})

    async def _gb_volumes(self, request: web.Request) -> web.Response:
        refused = await self._gate("google")
        if refused is not None:
            return refused
        query = request.query.get("q", "")
        title = self.volumes.get(query.removeprefix("isbn:")) if query.startswith("isbn:") else None
        if title is None or title.google is None:
            return web.json_response({"kind": "books#volumes", "totalItems": 0})
        info = {k: v for k, v in title.google.items() if k != "cover"}
        info["industryIdentifiers"] = [{"type": "ISBN_13", "identifier": title.file["isbn13"]}]
        if title.google.get("cover"):
            thumb = f"{self.base}/covers/b/id/{title.file['isbn13'][-6:]}-M.jpg"
            info["imageLinks"] = {"smallThumbnail": thumb, "thumbnail": thumb}
        volume = {"kind": "books#volume", "id": f"g{title.file['isbn13'][-8:]}",
                  "volumeInfo": info}  # fmt: skip
        return web.json_response({"kind": "books#volumes", "totalItems": 1, "items": [volume]})


def hardcover_catalog(titles: tuple[Title, ...]) -> Catalog:
    """Hardcover's fake holding each title's book, series and edition."""
    catalog = Catalog()
    done: set[str] = set()
    for title in titles:
        record = title.hardcover
        if record is None or record["edition"]["isbn_13"] in done:
            continue
        book = dict(record["book"])
        authors = book.pop("authors")
        book_id = catalog.add_book(book.pop("title"), authors=authors, users_count=500, **book)
        edition = {k: v for k, v in record["edition"].items() if k != "publisher"}
        catalog.add_edition(book_id, users_count=100, **edition)
        done.add(record["edition"]["isbn_13"])
    return catalog


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _series_name(text: str) -> str:
    words = [w for w in re.split(r"[\s:,]+", _fold(text)) if w]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(w for w in words if w not in ("series", "trilogy", "saga", "chronicles"))


def _author(name: str) -> str:
    return re.sub(r"[.\s]+", "", _fold(name))


def right(name: str, truth: Any, value: Any) -> bool:
    """Whether `value` (as a candidate carries it) is `truth` (as the titles keep it)."""
    if truth is None:
        return value in (None, "", (), [])
    if value in (None, "", (), []):
        return False
    if name == "authors":
        return sorted(_author(a) for a in truth) == sorted(_author(a) for a in value)
    if name == "series":
        return _series_name(truth) == _series_name(str(value))
    if name == "series_index":
        return float(value) == float(truth)
    if name == "description":
        text = _fold(str(value))
        stub = len(text.split()) <= STUB_WORDS and " by " in text
        return any(_fold(word) in text for word in truth) and not stub
    if name == "release_date":
        return str(value)[:4] == str(truth)
    if name == "pages":
        return int(value) == int(truth)
    if name == "publisher":  # an imprint's longer or shorter name is the same publisher
        found, wanted = _fold(str(value)), _fold(truth)
        return wanted in found or found in wanted or found.split()[0] == wanted.split()[0]
    return _fold(str(truth)) == _fold(str(value))


@dataclass
class Tally:
    given: Counter[tuple[str, str]] = field(default_factory=Counter)
    right: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, source: str, name: str, ok: bool, key: str) -> None:
        self.given[source, name] += 1
        if ok:
            self.right[source, name] += 1
        else:
            self.wrong[source, name].append(key)


def score_candidates(title: Title, shown: Any, tally: Tally) -> None:
    """What each source's best candidate offers the book, minus what the app withholds."""
    for answer in shown.sources:
        if not answer.candidates or answer.source in shown.other_editions:
            continue  # nothing is taken from another edition's record without the user
        candidate = answer.candidates[0]
        for name in SCORED:
            truth_key = TRUTH_KEY.get(name, name)
            if truth_key not in title.truth:
                continue
            value = getattr(candidate, name, None)
            if value in (None, "", (), []):
                continue  # the source gives nothing: not scored
            ok = right(name, title.truth[truth_key], value)
            if DEBUG and not ok:
                print(f"  {title.key} {answer.source} {name}: {value!r}")
            tally.add(answer.source, name, ok, title.key)


async def run(folder: Path) -> dict[str, Any]:
    """Fetch the titles, score each source, fill empty fields, score what was stored."""
    paths = resolve_paths(folder)
    paths.ensure()
    open_database(paths.db_file)
    catalog = hardcover_catalog(TITLES)
    token = catalog.add_token(catalog.add_user("reader"))
    try:
        async with (
            FakeHardcover(catalog, clock=SystemClock()) as hardcover,
            RecordedSources(TITLES) as recorded,
        ):
            os.environ[openlibrary.BASE_URL_ENV] = recorded.openlibrary_url
            os.environ[googlebooks.BASE_URL_ENV] = recorded.google_url
            ids = {
                t.key: add_book(t.file["title"], t.file["authors"], language=t.file["language"],
                                isbn13=t.file["isbn13"]).id
                for t in TITLES
            }  # fmt: skip
            factory = functools.partial(HardcoverClient, endpoint=hardcover.url)
            account = HardcoverAccount(
                supplied=SuppliedToken(token, "bench"), client_factory=factory
            )
            intervals = dict.fromkeys(SOURCES, 0.0)
            service = MetadataService(paths, account=account, intervals=intervals)
            await service.fetch(list(ids.values()))
            ol_requests = recorded.requests["openlibrary"]
            offered = Tally()
            for title in TITLES:
                score_candidates(title, await service.candidates(ids[title.key]), offered)
            step_fill = await fill_empty(service, list(ids.values()))
            stored = Tally()
            other_edition = score_stored(ids, stored)
    finally:
        close_database()
    return {
        "books": len(TITLES),
        "offered": offered,
        "stored": stored,
        "filled": step_fill,
        "other_edition_fields": other_edition,
        "openlibrary_requests_per_book": ol_requests / len(TITLES),
    }


async def fill_empty(service: MetadataService, ids: list[int]) -> int:
    """Fill Empty Fields on All Books, as the window and `metadata apply --best --only-empty`
    do it: the count of fields written."""
    written = 0
    for book_id in ids:
        result = await service.apply_best(book_id, only_empty=True)
        written += len(result.applied)
    return written


def score_stored(ids: dict[str, int], tally: Tally) -> list[str]:
    """Score what Fill Empty stored against the truth; the edition fields stored on a book
    whose records are another edition's (their truth says the file's ISBN is not theirs)."""
    taken: list[str] = []
    for title in TITLES:
        values = local_values(Book.get_by_id(ids[title.key]))
        for name in SCORED:
            truth_key = TRUTH_KEY.get(name, name)
            if truth_key not in title.truth or name == "isbn13":
                continue
            if values.get(name) in (None, "", (), []):
                continue
            tally.add("stored", name, right(name, title.truth[truth_key], values[name]), title.key)
        if title.truth.get("isbn13", "") is None:  # the file's ISBN is another edition's
            taken += [
                f"{title.key}: {name}"
                for name in EDITION_FIELDS
                if name != "isbn13" and values.get(name) not in (None, "", (), [])
            ]
    return taken


def report(figures: dict[str, Any]) -> tuple[list[str], bool]:
    """The printed table and whether every target is met."""
    per_book = figures["openlibrary_requests_per_book"]
    lines = [f"{figures['books']} titles; Open Library requests per book: {per_book:.2f} "
             f"(target ≤ {TARGET_OL_REQUESTS})"]  # fmt: skip
    met = figures["openlibrary_requests_per_book"] <= TARGET_OL_REQUESTS
    lines.append(f"{'source':<12}{'field':<14}{'given':>6}{'right':>7}{'share':>8}  wrong")
    for tally, sources in ((figures["offered"], SOURCES), (figures["stored"], ("stored",))):
        for source in sources:
            for name in SCORED:
                given = tally.given[source, name]
                if not given:
                    continue
                share = tally.right[source, name] / given
                held = given >= MIN_GIVEN
                ok = share >= TARGET_RIGHT or not held
                met &= ok
                wrong = ", ".join(tally.wrong[source, name][:4])
                mark = "" if ok else "  ✗"
                lines.append(f"{source:<12}{name:<14}{given:>6}{tally.right[source, name]:>7}"
                             f"{share:>8.0%}  {wrong}{mark}")  # fmt: skip
    taken = figures["other_edition_fields"]
    lines.append(f"fields written by Fill Empty: {figures['filled']}; edition fields taken "
                 f"from another edition: {len(taken)} {taken if taken else ''}")  # fmt: skip
    met &= not taken
    return lines, met


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bookorbit-metadata-accuracy-") as folder:
        figures = asyncio.run(run(Path(folder)))
    lines, met = report(figures)
    print("\n".join(lines))
    print("all targets met" if met else "some target missed")
    return 0 if met else 1
