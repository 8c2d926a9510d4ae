"""Matching a library to Hardcover: requests per book, 429s and time, against the fake server.

    python benchmarks/match_bench.py [--count 1000] [--noise 1000] [--seed 7]

Builds a library of COUNT books that are not unread (plus some unread ones, never matched)
and a fake Hardcover catalogue holding them among NOISE unrelated books, then runs one
matching pass with the real client (rate limiter included) on the fake's virtual clock.
The mix: books with an ISBN-13, with only an ISBN-10, with only title and author, and
traps (an ISBN of another volume, audiobook-only records, a book Hardcover lacks, the same
title by another author, a German translation, an ISBN of a merged record), and books written
differently from Hardcover (author name forms, transliterations and the original script via
authors' alternate names, number words, "&", a subtitle on one side, comic and text files where
Hardcover has both, a first volume beside a compilation, a Hardcover edition id in the file)
with their must-refuse counterparts (another author of that family, an EPUB whose only
candidate is the comic).

Prints outcomes, recall on matchable books (target >= 90 %), wrong links (must be 0), the
review queue, top-level requests per book (target <= 0.53), ISBN-resolution
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
    "isbn13": 0.36,
    "isbn10": 0.12,
    "wrong_volume_isbn": 0.03,
    "audio_only": 0.03,
    "missing": 0.04,
    "other_author": 0.03,
    "translation": 0.03,
    "merged": 0.02,
    # Books a careful person links although they are written differently from Hardcover.
    "name_form": 0.03,  # "Family, Given" or initials for "Given Family"
    "transliteration": 0.03,  # "Lev" for "Leo", listed among the author's alternate names
    "original_script": 0.02,  # the author in Cyrillic, Hardcover's name romanised
    "number_words": 0.03,  # "Nineteen Eighty-Four" for "1984"
    "ampersand": 0.02,  # "&" for "and"
    "subtitle_one_side": 0.02,
    "isbn_spelling": 0.02,  # an exact ISBN hit with only a spelling difference in the title
    "comic_file": 0.02,  # a CBZ where Hardcover has the novel and the comic
    "epub_file": 0.02,  # an EPUB where Hardcover has the novel and the comic
    "first_volume": 0.02,  # volume 1 by series metadata beside a compilation of that name
    "edition_id": 0.02,  # a Hardcover edition id in the file
    # Books that must be refused.
    "same_family": 0.02,  # another author with the same family name
    "comic_only": 0.02,  # an EPUB whose only candidate is the comic
}
EXPECTED = {  # what a careful matcher may do with each kind (refusing is always allowed)
    "isbn13": {"linked"},
    "isbn10": {"linked"},
    "title": {"linked"},
    "translation": {"linked"},
    "merged": {"linked"},
    "wrong_volume_isbn": {"linked"},
    "name_form": {"linked"},
    "transliteration": {"linked"},
    "original_script": {"linked"},
    "number_words": {"linked"},
    "ampersand": {"linked"},
    "subtitle_one_side": {"linked"},
    "isbn_spelling": {"linked"},
    "comic_file": {"linked"},
    "epub_file": {"linked"},
    "first_volume": {"linked"},
    "edition_id": {"linked"},
    "audio_only": {"needs_review"},
    # Generated titles resemble each other, so a near-miss may be offered for review.
    "missing": {"no_match", "needs_review"},
    "other_author": {"no_match", "needs_review"},
    "same_family": {"no_match", "needs_review"},
    "comic_only": {"no_match", "needs_review"},
}
# Given names written two ways, and names in Cyrillic with their romanised forms.
TRANSLITERATED = (("Leo", "Lev"), ("Fyodor", "Fedor"), ("Nikolai", "Nikolay"), ("Yuri", "Iurii"))
CYRILLIC = (("Anton Chekhov", "Антон Чехов"), ("Ivan Bunin", "Иван Бунин"),
            ("Maxim Gorky", "Максим Горький"), ("Nikolai Gogol", "Николай Гоголь"))  # fmt: skip
NUMBERS = (("Nineteen Eighty-Four", "1984"), ("Forty-Two", "42"), ("Three", "3"),
           ("One Hundred", "100"), ("Twenty Twenty", "2020"))  # fmt: skip
GRAPHIC_NOVEL = 4


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
        self.files: Path | None = None  # where the CBZ and EPUB files of the library go
        self.serial = 0
        self.with_isbn = 0  # library books that carry an ISBN

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


def ebook_file(world: World, suffix: str) -> Path:
    assert world.files is not None
    world.serial += 1
    path = world.files / f"book-{world.serial}.{suffix}"
    path.write_bytes(f"{suffix} {world.serial}".encode() * 64)
    return path


def written_differently(world: World, kind: str, title: str, author: str, fields: dict) -> tuple:
    """The Hardcover book for a kind of book written differently, and the file's title and
    author; `fields` gains the file's other columns."""
    rng, catalog = world.rng, world.catalog
    given, family = author.split(" ", 1)
    if kind == "name_form":
        hc_id = world.hc_book(title, author)
        return hc_id, title, rng.choice((f"{family}, {given}", f"{given[0]}. {family}"))
    if kind in ("transliteration", "same_family"):
        main, other = rng.choice(TRANSLITERATED)
        name = f"{main} {family}-{world.serial}"
        world.serial += 1
        catalog.set_alternate_names(name, [f"{other} {family}-{world.serial - 1}"])
        hc_id = world.hc_book(title, name)
        if kind == "same_family":  # the file names someone else of that family
            return None, title, f"Peter {family}-{world.serial - 1}"
        return hc_id, title, f"{other} {family}-{world.serial - 1}"
    if kind == "original_script":
        romanised, cyrillic = rng.choice(CYRILLIC)
        catalog.set_alternate_names(romanised, [cyrillic])
        return world.hc_book(title, romanised), title, cyrillic
    if kind in ("number_words", "isbn_spelling"):
        words, digits = rng.choice(NUMBERS)
        hc_id = world.hc_book(f"{title} {digits}", author)
        if kind == "isbn_spelling":
            fields["isbn13"] = catalog.book_editions(hc_id)[0]["isbn_13"]
        return hc_id, f"{title} {words}", author
    if kind == "ampersand":
        other = world.title().removeprefix("The ")
        return world.hc_book(f"{title} and {other}", author), f"{title} & {other}", author
    if kind == "subtitle_one_side":
        subtitle = f"A Tale of {world.title().removeprefix('The ')}"
        return world.hc_book(title, author, subtitle=subtitle), title, author
    if kind in ("comic_file", "epub_file", "comic_only"):
        title = f"{title}, Vol. 1"
        novel = None if kind == "comic_only" else world.hc_book(title, author)
        comic = world.hc_book(title, author, book_category_id=GRAPHIC_NOVEL)
        fields["file"] = ebook_file(world, "cbz" if kind == "comic_file" else "epub")
        return {"comic_file": comic, "epub_file": novel}.get(kind), title, author
    if kind == "first_volume":
        series = title.removeprefix("The ")
        world.hc_book(series, author, compilation=True, series=series)
        hc_id = world.hc_book(series, author, series=series, series_position=1)
        fields.update(series=series, series_index=1.0)
        return hc_id, series, author
    assert kind == "edition_id"
    hc_id = world.hc_book(title, author)
    edition = catalog.book_editions(hc_id)[-1]["id"]
    fields["identifiers"] = {"hardcover-edition": str(edition)}
    return hc_id, title, author


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
        elif kind not in ("missing",):
            hc_id, title, author = written_differently(world, kind, title, author, fields)
        world.with_isbn += bool(fields.get("isbn13") or fields.get("isbn10"))
        book = add_book(title, [author], status=status, isbn13=fields.pop("isbn13", None),
                        language=fields.pop("language", "en"),
                        file=fields.pop("file", None))  # fmt: skip
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
        world.files = Path(tmp) / "files"
        world.files.mkdir()
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
    with_isbn = world.with_isbn
    wrong, unexpected = [], Counter()
    matchable = right = 0
    for book_id, (kind, hc_id) in world.expected.items():
        record = get_match(book_id)
        state = record.state if record else "unmatched"
        if state == "linked" and record.hc_book_id != hc_id:
            wrong.append((book_id, kind, record.hc_book_id, hc_id))
        if EXPECTED[kind] == {"linked"}:
            matchable += 1
            right += state == "linked" and record.hc_book_id == hc_id
        if state not in EXPECTED[kind]:
            unexpected[(kind, state)] += 1
    operations = Counter(r.operation_name for r in server.requests)
    isbn_requests = operations["EditionsByIsbn"]
    print(f"library: {books} books to match (+{books // 10} unread, skipped); "
          f"{len(world.catalog.tables['books'])} books on the fake Hardcover")  # fmt: skip
    print("outcomes:", dict(sorted(report.counts.items())))
    print(f"recall on matchable books: {right / max(matchable, 1):.1%} ({right} of {matchable} "
          "linked to the right book; target >= 90%)")  # fmt: skip
    print(f"wrong links: {len(wrong)} (target 0)")
    print(f"review queue: {report.counts.get('needs_review', 0)} books")
    for (kind, state), n in sorted(unexpected.items()):
        expected = " or ".join(sorted(EXPECTED[kind]))
        print(f"  not as expected: {n} x {kind} -> {state} (expected {expected})")
    print(f"HTTP requests: {len(server.requests)} ({dict(sorted(operations.items()))})")
    print(f"top-level requests per book: {server.top_level_fields / books:.3f} (target <= 0.53)")
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
