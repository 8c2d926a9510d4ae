"""Matching a library to Hardcover: requests per book, 429s and time, against the fake server.

    python benchmarks/match_bench.py [--count 1000] [--noise 1000] [--seed 7]

Builds a library of COUNT books that are not unread (plus some unread ones, never matched)
and a fake Hardcover catalogue holding them among NOISE unrelated books, then runs one
matching pass with the real client (rate limiter included) on the fake's virtual clock.
The mix: books with an ISBN-13, with only an ISBN-10, with only title and author, and
traps (an ISBN of another volume, audiobook-only records, a book Hardcover lacks, the same
title by another author, a German translation, an ISBN of a merged record).

Prints outcomes, wrong links (must be 0), top-level requests per book, ISBN-resolution
requests per book (target <= 0.05), 429 responses (target 0), and the time the pass took on
the fake's accelerated clock next to the real time. Exits 1 if any book was linked wrongly.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.ratelimit import RateLimiter
from bookorbit_desktop.hardcover.matching.matcher import Matcher
from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit, isbn13_to_10
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import AUDIO, EBOOK, PHYSICAL, Catalog
from tests.fakes.hardcover_server import FakeHardcover

WORDS = (
    "orbit", "light", "river", "stone", "quiet", "harbour", "winter", "letter", "garden",
    "morning", "signal", "distance", "paper", "lantern", "meadow", "copper", "silver", "engine",
    "forest", "island", "shadow", "mirror", "thunder", "velvet", "compass", "falcon", "glacier",
    "orchard", "prairie", "canyon", "ember", "willow", "cipher", "beacon", "atlas", "saffron",
    "tundra", "marble", "hollow"
)  # fmt: skip
GIVEN = (
    "Ada", "Bruno", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    "Kaito", "Lena", "Mateo", "Nadia"
)  # fmt: skip
FAMILY = (
    "Alvarez", "Brennan", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ivanova", "Jansen"
)  # fmt: skip
STATUSES = ("reading", "read", "want_to_read", "on_hold", "abandoned")
# Share of the library per kind of book (the rest are plain title-and-author books).
MIX = {
    "isbn13": 0.40,
    "isbn10": 0.12,
    "wrong_volume_isbn": 0.03,
    "audio_only": 0.03,
    "missing": 0.04,
    "other_author": 0.03,
    "translation": 0.03,
    "merged": 0.02,
}
EXPECTED = {  # what a careful matcher may do with each kind (refusing is always allowed)
    "isbn13": {"linked"},
    "isbn10": {"linked"},
    "title": {"linked"},
    "translation": {"linked"},
    "merged": {"linked"},
    "wrong_volume_isbn": {"needs_review"},
    "audio_only": {"needs_review"},
    # Generated titles resemble each other, so a near-miss may be offered for review.
    "missing": {"no_match", "needs_review"},
    "other_author": {"no_match", "needs_review"},
}


class IndexedCatalog(Catalog):
    """The fake's catalogue with per-book indexes, so a large search stays fast.

    Behaviour is the same as `Catalog`; only the per-book lookups no longer scan every row.
    """

    _PER_BOOK = ("editions", "contributions", "book_series")

    def __init__(self) -> None:
        self._index: dict[str, dict[int, list[dict[str, Any]]]] = {
            table: defaultdict(list) for table in self._PER_BOOK
        }
        super().__init__()

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        row_id = super()._insert(table, values)
        if table in self._PER_BOOK:
            row = self.tables[table][row_id]
            self._index[table][row["book_id"]].append(row)
        return row_id

    def book_editions(self, book_id: int) -> list[dict[str, Any]]:
        return list(self._index["editions"][book_id])

    def book_contributions(self, book_id: int) -> list[dict[str, Any]]:
        return list(self._index["contributions"][book_id])

    def book_series_rows(self, book_id: int) -> list[dict[str, Any]]:
        return list(self._index["book_series"][book_id])


class World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.catalog = IndexedCatalog()
        self.titles: set[str] = set()
        self.isbn_serial = 0
        self.expected: dict[int, tuple[str, int | None]] = {}  # book id -> (kind, hc book id)

    def title(self) -> str:
        while True:
            words = self.rng.sample(WORDS, self.rng.choice((2, 3, 4)))
            title = "The " + " of ".join(w.capitalize() for w in words)
            if title not in self.titles:
                self.titles.add(title)
                return title

    def author(self) -> str:
        return f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}"

    def isbn13(self) -> str:
        self.isbn_serial += 1
        core = f"978{self.isbn_serial:09d}"
        return core + isbn13_check_digit(core)

    def hc_book(self, title: str, author: str, *, editions: int = 2, **kw: Any) -> int:
        book = self.catalog.add_book(
            title, authors=[author], users_count=self.rng.randint(5, 20000), **kw
        )
        for n in range(editions):
            self.catalog.add_edition(
                book,
                isbn_13=self.isbn13(),
                pages=self.rng.choice((None, 180, 320, 512)) if n else 300,
                reading_format_id=self.rng.choice((PHYSICAL, EBOOK)),
                users_count=self.rng.randint(0, 500),
            )
        return book


def build(world: World, count: int, noise: int) -> None:
    rng, catalog = world.rng, world.catalog
    for _ in range(noise):
        world.hc_book(world.title(), world.author(), editions=rng.randint(1, 3))
    kinds = []
    for kind, share in MIX.items():
        kinds += [kind] * round(count * share)
    kinds += ["title"] * (count - len(kinds))
    rng.shuffle(kinds)
    for kind in kinds:
        title, author = world.title(), world.author()
        status = rng.choice(STATUSES)
        hc_id: int | None = None
        fields: dict[str, Any] = {}
        if kind in ("isbn13", "isbn10", "title"):
            hc_id = world.hc_book(title, author)
            isbn = catalog.book_editions(hc_id)[0]["isbn_13"]
            if kind == "isbn13":
                fields["isbn13"] = isbn
            elif kind == "isbn10":
                fields["isbn10"] = isbn13_to_10(isbn)
        elif kind == "wrong_volume_isbn":
            series = title.removeprefix("The ")
            right = world.hc_book(f"{series}, Vol. 2", author, series=series, series_position=2)
            wrong = world.hc_book(f"{series}, Vol. 9", author, series=series, series_position=9)
            title = f"{series} Volume 2"
            fields["isbn13"] = catalog.book_editions(wrong)[0]["isbn_13"]
            hc_id = right
        elif kind == "audio_only":
            hc_id = catalog.add_book(title, authors=[author], users_count=50)
            catalog.add_edition(hc_id, reading_format_id=AUDIO, pages=None)
        elif kind == "other_author":
            world.hc_book(title, f"{rng.choice(GIVEN)} Someone-Else")
        elif kind == "translation":
            hc_id = world.hc_book(title, author)
            german = f"Das {title.removeprefix('The ')}"
            catalog.add_edition(hc_id, language="de", title=german, pages=400, users_count=3)
            title, fields["language"] = german, "de"
        elif kind == "merged":
            old = world.hc_book(title, author)
            hc_id = world.hc_book(title, author)
            catalog.merge_book(old, into=hc_id)
            fields["isbn13"] = catalog.book_editions(old)[0]["isbn_13"]
        book = add_book(title, [author], status=status, isbn13=fields.pop("isbn13", None),
                        language=fields.pop("language", "en"))  # fmt: skip
        if fields:
            Book.update(**fields).where(Book.id == book.id).execute()
        world.expected[book.id] = (kind, hc_id)
    for _ in range(count // 10):  # unread books are never matched
        add_book(world.title(), [world.author()], status="unread")


async def run(count: int, noise: int, seed: int) -> int:
    world = World(random.Random(seed))
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(Path(tmp))
        paths.ensure()
        open_database(paths.db_file)
        try:
            build(world, count, noise)
            clock = VirtualClock()
            async with FakeHardcover(world.catalog, clock=clock) as server:
                user = world.catalog.add_user("reader")
                token = world.catalog.add_token(user)
                client = HardcoverClient(
                    token, endpoint=server.url, clock=clock, sleep=clock.sleep,
                    limiter=RateLimiter(clock=clock),
                )  # fmt: skip
                started_virtual, started_real = clock(), time.perf_counter()
                try:
                    report = await Matcher(client, clock=clock).run()
                finally:
                    await client.close()
                virtual = clock() - started_virtual
                real = time.perf_counter() - started_real
                return report_figures(world, server, report, virtual, real)
        finally:
            close_database()


def report_figures(world: World, server: FakeHardcover, report, virtual: float, real: float) -> int:
    books = len(world.expected)
    with_isbn = sum(1 for kind, _ in world.expected.values() if kind not in ("title", "audio_only",
                    "missing", "other_author", "translation"))  # fmt: skip
    wrong, unexpected = [], Counter()
    for book_id, (kind, hc_id) in world.expected.items():
        record = get_match(book_id)
        state = record.state if record else "unmatched"
        if state == "linked" and record.hc_book_id != hc_id:
            wrong.append((book_id, kind, record.hc_book_id, hc_id))
        if state not in EXPECTED[kind]:
            unexpected[(kind, state)] += 1
    operations = Counter(r.operation_name for r in server.requests)
    isbn_requests = operations["EditionsByIsbn"]
    print(f"library: {books} books to match (+{books // 10} unread, skipped); "
          f"{len(world.catalog.tables['books'])} books on the fake Hardcover")  # fmt: skip
    print("outcomes:", dict(sorted(report.counts.items())))
    print(f"wrong links: {len(wrong)}")
    for (kind, state), n in sorted(unexpected.items()):
        expected = " or ".join(sorted(EXPECTED[kind]))
        print(f"  not as expected: {n} x {kind} -> {state} (expected {expected})")
    print(f"HTTP requests: {len(server.requests)} ({dict(sorted(operations.items()))})")
    print(f"top-level requests per book: {server.top_level_fields / books:.3f}")
    per_isbn_book = isbn_requests / max(with_isbn, 1)
    print(f"ISBN-resolution requests: {isbn_requests} = {isbn_requests / books:.4f} per book, "
          f"{per_isbn_book:.4f} per book with an ISBN (target <= 0.05)")  # fmt: skip
    print(f"429 responses: {server.status_count(429)} (target 0)")
    print(f"time on the fake's clock: {virtual / 60:.1f} min ({virtual:.0f} s); "
          f"real time: {real:.1f} s")  # fmt: skip
    for book_id, kind, got, want in wrong[:10]:
        print(f"  WRONG: book {book_id} ({kind}) linked to {got}, expected {want}")
    return 1 if wrong else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--noise", type=int, default=1000, help="unrelated Hardcover books")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    return asyncio.run(run(args.count, args.noise, args.seed))


if __name__ == "__main__":
    sys.exit(main())
