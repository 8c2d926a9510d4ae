"""The matching pass end to end: a real SQLite library against the fake Hardcover."""

from __future__ import annotations

import asyncio
import math

import pytest

from bookorbit_desktop.hardcover.api.errors import AuthError
from bookorbit_desktop.hardcover.matching.matcher import Matcher, MatchProgress, search_query
from bookorbit_desktop.hardcover.matching.scoring import LocalBook
from bookorbit_desktop.hardcover.matching.store import (
    ERROR,
    EXCLUDED,
    LINKED,
    NEEDS_REVIEW,
    NO_MATCH,
    exclude,
    get_match,
    pin,
    save_error,
)
from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book
from tests.fakes.hardcover_catalog import AUDIO, EBOOK, PHYSICAL, Catalog


def shelf(title, authors, *, status="reading", **fields):
    """A library book with a reading status; extra Book columns set directly."""
    book = add_book(title, authors, status=status, isbn13=fields.pop("isbn13", None))
    if fields:
        Book.update(**fields).where(Book.id == book.id).execute()
    return book.id


def ops(server):
    return [r.operation_name for r in server.requests]


@pytest.fixture
def catalog(hardcover) -> Catalog:
    return hardcover.catalog


async def test_isbn_title_search_and_edition_choice(library, hardcover, hc_client, catalog):
    dune = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=9000)
    pb = catalog.add_edition(dune, isbn_13="9780441013593", pages=604, users_count=400)
    ebook = catalog.add_edition(dune, pages=600, reading_format_id=EBOOK, users_count=30)
    catalog.add_edition(dune, reading_format_id=AUDIO, users_count=900)
    messiah = catalog.add_book("Dune Messiah", authors=["Frank Herbert"], users_count=5000)
    catalog.add_edition(messiah, pages=350, users_count=10)
    a = shelf("Dune", ["Herbert, Frank"], isbn13="9780441013593")
    b = shelf("Dune Messiah", ["Frank Herbert"], status="read")
    unread = shelf("Dune", ["Frank Herbert"], status="unread")

    report = await Matcher(hc_client).run()

    first, second = get_match(a), get_match(b)
    assert (first.state, first.hc_book_id, first.method) == (LINKED, dune, "isbn13")
    assert first.reason.startswith("ISBN-13 matches “Dune” by Frank Herbert")
    # The file's own (paper) edition has pages and the right language; it beats the ebook.
    assert (first.hc_edition_id, first.edition_pages) == (pb, 604)
    assert ebook != pb
    assert (second.state, second.hc_book_id, second.method) == (LINKED, messiah, "search")
    assert get_match(unread) is None
    assert report.counts == {LINKED: 2} and report.total == 2
    assert ops(hardcover) == ["EditionsByIsbn", "MatchCandidates", "SearchBooks", "MatchCandidates"]
    assert hardcover.status_count(429) == 0


async def test_order_hardcover_id_then_slug_then_isbn13_then_isbn10(library, hardcover, hc_client):
    catalog = hardcover.catalog
    hobbit = catalog.add_book("The Hobbit", authors=["J.R.R. Tolkien"], users_count=800)
    catalog.add_edition(hobbit, isbn_13="9780547928227", isbn_10="054792822X", pages=300)
    wind = catalog.add_book("The Name of the Wind", authors=["Patrick Rothfuss"], slug="notw")
    catalog.add_edition(wind, pages=662)
    by_id = shelf("The Hobbit", ["J. R. R. Tolkien"], hardcover_id=hobbit)
    by_slug = shelf("The Name of the Wind", ["Patrick Rothfuss"], hardcover_slug="notw")
    by_isbn10 = shelf("The Hobbit", ["Tolkien, J.R.R."], isbn10="054792822X")
    # A saved id wins over an ISBN that names another book.
    other = catalog.add_book("Rebecca", authors=["Daphne du Maurier"])
    catalog.add_edition(other, isbn_13="9780380730407")
    id_over_isbn = shelf(
        "The Hobbit", ["J.R.R. Tolkien"], hardcover_id=hobbit, isbn13="9780380730407"
    )

    await Matcher(hc_client).run()

    assert (get_match(by_id).method, get_match(by_id).hc_book_id) == ("hardcover_id", hobbit)
    assert (get_match(by_slug).method, get_match(by_slug).hc_book_id) == ("hardcover_slug", wind)
    assert (get_match(by_isbn10).method, get_match(by_isbn10).hc_book_id) == ("isbn10", hobbit)
    assert get_match(id_over_isbn).hc_book_id == hobbit
    assert "SearchBooks" not in ops(hardcover)


async def test_isbn_of_another_volume_stops_counting_once_proven(library, hardcover, hc_client):
    catalog = hardcover.catalog
    v2 = catalog.add_book("Berserk, Vol. 2", authors=["Kentaro Miura"], series="Berserk",
                          series_position=2)  # fmt: skip
    v10 = catalog.add_book("Berserk, Vol. 10", authors=["Kentaro Miura"], series="Berserk",
                           series_position=10)  # fmt: skip
    catalog.add_edition(v10, isbn_13="9781593077488", pages=200)
    catalog.add_edition(v2, pages=200)
    book = shelf("Berserk Volume 2", ["Kentaro Miura"], isbn13="9781593077488")

    await Matcher(hc_client).run()

    record = get_match(book)
    assert (record.state, record.hc_book_id, record.method) == (LINKED, v2, "search")
    by_id = {c["book_id"]: c for c in record.candidates}
    assert "≠ volume (2 vs 10)" in by_id[v10]["differences"]
    assert by_id[v10]["found_by"] == "isbn13"


async def test_isbn_of_another_volume_still_refuses_an_unconfirmed_volume(
    library, hardcover, hc_client
):
    catalog = hardcover.catalog
    v10 = catalog.add_book("Berserk, Vol. 10", authors=["Kentaro Miura"], series="Berserk",
                           series_position=10)  # fmt: skip
    catalog.add_edition(v10, isbn_13="9781593077488", pages=200)
    plain = catalog.add_book("Berserk", authors=["Kentaro Miura"], series="Berserk")
    catalog.add_edition(plain, pages=200)
    book = shelf("Berserk Volume 2", ["Kentaro Miura"], isbn13="9781593077488")

    await Matcher(hc_client).run()

    record = get_match(book)
    assert record.state == NEEDS_REVIEW and record.hc_book_id is None
    by_id = {c["book_id"]: c for c in record.candidates}
    assert "≠ ISBN" in by_id[plain]["differences"]
    assert "≠ volume (2 vs 10)" in by_id[v10]["differences"]


async def test_audiobook_only_and_unknown_books(library, hardcover, hc_client, catalog):
    audio = catalog.add_book("Project Hail Mary", authors=["Andy Weir"], users_count=100)
    catalog.add_edition(audio, reading_format_id=AUDIO, pages=None)
    a = shelf("Project Hail Mary", ["Andy Weir"])
    b = shelf("Zzyzx Qwerty", ["Nobody Known"])

    await Matcher(hc_client).run()

    assert get_match(a).state == NEEDS_REVIEW
    assert get_match(a).candidates[0]["format"] == "audiobook"
    assert "audiobook" in get_match(a).candidates[0]["differences"]
    assert get_match(b).state == NO_MATCH


async def test_merged_isbn_book_links_the_surviving_book(library, hardcover, hc_client, catalog):
    old = catalog.add_book("Leviathan Wakes", authors=["James S.A. Corey"])
    new = catalog.add_book("Leviathan Wakes", authors=["James S. A. Corey"], users_count=900)
    catalog.add_edition(old, isbn_13="9780316129084", pages=592)
    catalog.add_edition(new, pages=577, reading_format_id=EBOOK)
    catalog.merge_book(old, into=new)
    book = shelf("Leviathan Wakes", ["James S. A. Corey"], isbn13="9780316129084")

    await Matcher(hc_client).run()

    assert (get_match(book).state, get_match(book).hc_book_id) == (LINKED, new)


async def test_second_pass_uses_the_stored_matches(library, hardcover, hc_client, catalog):
    catalog.add_book("Rebecca", authors=["Daphne du Maurier"], users_count=50)
    a = shelf("Rebecca", ["Daphne du Maurier"])
    b = shelf("Nothing Like It", ["Nobody"])
    await Matcher(hc_client).run()
    hardcover.reset_counters()

    seen: list[MatchProgress] = []
    report = await Matcher(hc_client).run(progress=seen.append)

    assert hardcover.requests == []
    assert report.cached == 2 and all(p.cached for p in seen)
    assert [p.outcome for p in seen] == [LINKED, NO_MATCH]
    assert get_match(a).state == LINKED and get_match(b).state == NO_MATCH


async def test_a_new_hardcover_id_in_the_metadata_rematches_a_book_without_match(
    library, hardcover, hc_client, catalog
):
    book = shelf("Strange Local Title", ["Someone"])
    await Matcher(hc_client).run()
    assert get_match(book).state == NO_MATCH
    real = catalog.add_book("Strange Local Title", authors=["Someone"])

    Book.update(hardcover_id=real).where(Book.id == book).execute()
    await Matcher(hc_client).run()

    assert (get_match(book).state, get_match(book).method) == (LINKED, "hardcover_id")


async def test_errors_are_retried_picks_and_exclusions_are_never_touched(
    library, hardcover, hc_client, catalog
):
    hobbit = catalog.add_book("The Hobbit", authors=["J.R.R. Tolkien"])
    other = catalog.add_book("Some Other Book", authors=["Anyone"])
    failed = shelf("The Hobbit", ["J.R.R. Tolkien"])
    picked = shelf("The Hobbit", ["J.R.R. Tolkien"])
    excluded = shelf("The Hobbit", ["J.R.R. Tolkien"])
    save_error(failed, "network went away")
    pin(picked, other, edition_id=None, edition_pages=None, reason="picked by you")
    exclude(excluded)
    # A metadata edit of the picked book changes nothing either.
    Book.update(title="The Hobbit, or There and Back Again").where(Book.id == picked).execute()

    await Matcher(hc_client).run()

    assert (get_match(failed).state, get_match(failed).hc_book_id) == (LINKED, hobbit)
    assert (get_match(picked).hc_book_id, get_match(picked).pinned) == (other, True)
    assert get_match(excluded).state == EXCLUDED


_SEARCH_REFUSED = {"error": "invalid_query", "error_description": "bad input"}
_SEARCH_FAILED = {
    "data": {"search": {"error": "Search is unavailable", "ids": [], "results": None}}
}


@pytest.mark.parametrize(
    ("status", "times", "body", "reason"),
    [
        (400, 1, _SEARCH_REFUSED, "bad input"),
        (408, 4, None, "408"),  # every attempt ran over Hardcover's time limit for a search
        (200, 1, _SEARCH_FAILED, "Search is unavailable"),  # the search's own `error`
    ],
)
async def test_one_failed_search_marks_that_book_and_the_rest_go_on(
    library, hardcover, hc_client, status, times, body, reason
):
    hardcover.catalog.add_book("Second Book", authors=["Writer Two"])
    first = shelf("First Book", ["Writer One"])
    second = shelf("Second Book", ["Writer Two"])
    hardcover.fail_next(status, times=times, body=body)

    report = await Matcher(hc_client).run()

    assert get_match(first).state == ERROR and reason in get_match(first).reason
    assert get_match(second).state == LINKED
    assert report.counts == {ERROR: 1, LINKED: 1}
    # Never stored as "no match": the next pass searches for it again.
    hardcover.catalog.add_book("First Book", authors=["Writer One"])
    await Matcher(hc_client).run()
    assert get_match(first).state == LINKED


async def test_a_revoked_token_stops_the_run_keeping_finished_books(
    library, hardcover, hc_client, catalog
):
    for n in range(3):
        catalog.add_book(f"Book Number {n}", authors=["Same Writer"])
    ids = [shelf(f"Book Number {n}", ["Same Writer"]) for n in range(3)]
    seen: list[MatchProgress] = []

    def progress(item: MatchProgress) -> None:
        seen.append(item)

    matcher = Matcher(hc_client)
    hardcover.fail_next(401)
    with pytest.raises(AuthError):
        await matcher.run(progress=progress)
    assert seen == [] and all(get_match(i) is None for i in ids)

    await matcher.run(progress=progress)
    assert [get_match(i).state for i in ids] == [LINKED] * 3


async def test_cancelling_between_books_leaves_finished_books_saved(
    library, hardcover, hc_client, catalog
):
    for n in range(25):
        catalog.add_book(f"Volume Title {n}", authors=["Prolific Person"])
    ids = [shelf(f"Volume Title {n}", ["Prolific Person"]) for n in range(25)]
    task: asyncio.Task | None = None
    seen: list[MatchProgress] = []

    def progress(item: MatchProgress) -> None:
        seen.append(item)
        if len(seen) == 12 and task is not None:
            task.cancel()

    task = asyncio.ensure_future(Matcher(hc_client).run(progress=progress))
    with pytest.raises(asyncio.CancelledError):
        await task

    states = [get_match(i) for i in ids]
    saved = [s for s in states if s is not None]
    assert len(saved) == len(seen) >= 12
    assert all(s.state == LINKED for s in saved)
    assert all(s is None for s in states[len(saved) :])


async def test_isbn_resolution_is_batched_across_books(library, hardcover, hc_client, catalog):
    count = 240
    for n in range(count):
        book = catalog.add_book(f"Batch Title {n}", authors=["Batch Author"])
        isbn = _isbn13(n)
        catalog.add_edition(book, isbn_13=isbn, pages=100 + n, reading_format_id=PHYSICAL)
        shelf(f"Batch Title {n}", ["Batch Author"], isbn13=isbn)

    report = await Matcher(hc_client).run()

    assert report.counts == {LINKED: count}
    isbn_requests = ops(hardcover).count("EditionsByIsbn")
    assert report.isbn_requests == isbn_requests
    assert isbn_requests / count <= 0.05
    assert ops(hardcover).count("MatchCandidates") == math.ceil(count / 100)
    assert "SearchBooks" not in ops(hardcover)
    assert hardcover.status_count(429) == 0


def _isbn13(n: int) -> str:
    core = f"978{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(core))
    return core + str((10 - total % 10) % 10)


@pytest.mark.parametrize(
    ("local", "query"),
    [
        (
            LocalBook("Leviathan Wakes (The Expanse #1)", ("Corey, James S. A.",)),
            "Leviathan Wakes James S. A. Corey",
        ),
        (LocalBook("Dune", ("Frank Herbert & Someone",)), "Dune Frank Herbert"),
        (LocalBook("No Author Here"), "No Author Here"),
        (LocalBook("Anna Karenina", ("Лев Толстой",)), "Anna Karenina"),
        (LocalBook("Анна Каренина", ("Лев Толстой",)), "Анна Каренина Лев Толстой"),
        (LocalBook("ノルウェイの森", ("Haruki Murakami",)), "ノルウェイの森 Haruki Murakami"),
    ],
)
def test_search_query(local, query):
    assert search_query(local) == query


async def test_author_name_forms_use_one_batched_alternate_names_request(
    library, hardcover, hc_client, catalog
):
    karenina = catalog.add_book("Anna Karenina", authors=["Leo Tolstoy"], users_count=900)
    catalog.add_edition(karenina, pages=860)
    catalog.set_alternate_names("Leo Tolstoy", ["Lev Tolstoy", "Лев Толстой"])
    idiot = catalog.add_book("The Idiot", authors=["Fyodor Dostoevsky"], users_count=500)
    catalog.add_edition(idiot, pages=600)
    catalog.set_alternate_names("Fyodor Dostoevsky", ["Фёдор Достоевский"])
    demons = catalog.add_book("Demons", authors=["Fyodor Dostoevsky"], users_count=400)
    catalog.add_edition(demons, pages=700)
    peter = catalog.add_book("Peter the First", authors=["Aleksey Tolstoy"], users_count=50)
    catalog.add_edition(peter, pages=500)
    latin = shelf("Anna Karenina", ["Lev Tolstoy"])
    cyrillic = shelf("The Idiot", ["Достоевский, Фёдор"])
    other = shelf("Peter the First", ["Tolstoy, Lev"])  # Hardcover lists no such name for him
    plain = shelf("Demons", ["Dostoevsky, Fyodor"])  # needs no alternate names

    await Matcher(hc_client).run()

    assert (get_match(latin).state, get_match(latin).hc_book_id) == (LINKED, karenina)
    assert (get_match(cyrillic).state, get_match(cyrillic).hc_book_id) == (LINKED, idiot)
    assert (get_match(plain).state, get_match(plain).hc_book_id) == (LINKED, demons)
    assert get_match(other).state != LINKED
    assert ops(hardcover).count("AuthorNames") == 1


async def test_comic_file_and_text_file_each_link_their_format(
    library, hardcover, hc_client, catalog, tmp_path
):
    novel = catalog.add_book("Solo Leveling, Vol. 1", authors=["Chugong"], book_category_id=10)
    catalog.add_edition(novel, pages=300)
    comic = catalog.add_book(
        "Solo Leveling, Vol. 1", authors=["Chugong", ("DUBU", "Illustrator")], users_count=900
    )
    catalog.add_edition(comic, pages=200)
    files = {}
    for suffix in ("cbz", "epub"):
        path = tmp_path / f"solo.{suffix}"
        path.write_bytes(suffix.encode() * 100)
        files[suffix] = add_book("Solo Leveling, Vol. 1", ["Chugong"], file=path, status="read").id
    cbz, epub = files["cbz"], files["epub"]

    await Matcher(hc_client).run()

    assert (get_match(cbz).state, get_match(cbz).hc_book_id) == (LINKED, comic)
    assert (get_match(epub).state, get_match(epub).hc_book_id) == (LINKED, novel)


async def test_hardcover_edition_id_in_the_file_links_its_book_and_pins_it(
    library, hardcover, hc_client, catalog
):
    dune = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=9000)
    catalog.add_edition(dune, pages=604, users_count=400)
    rare = catalog.add_edition(dune, pages=512, users_count=1, language="en")
    old = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=3)
    old_edition = catalog.add_edition(old, pages=480)
    catalog.merge_book(old, into=dune)
    other = catalog.add_book("Emma", authors=["Jane Austen"], users_count=900)
    emma_edition = catalog.add_edition(other, pages=400)
    pinned = shelf("Dune", ["Frank Herbert"], identifiers={"hardcover-edition": str(rare)})
    merged = shelf("Dune", ["Frank Herbert"], identifiers={"hardcover": str(old_edition)})
    wrong = shelf("Dune", ["Frank Herbert"], identifiers={"hardcover-edition": str(emma_edition)})

    await Matcher(hc_client).run()

    first, second, third = get_match(pinned), get_match(merged), get_match(wrong)
    assert (first.state, first.hc_book_id, first.hc_edition_id) == (LINKED, dune, rare)
    assert first.method == "hardcover_edition"
    assert (second.state, second.hc_book_id, second.hc_edition_id) == (LINKED, dune, old_edition)
    assert third.hc_book_id != other  # an edition of another book names nothing here
    assert ops(hardcover).count("EditionsByIds") == 1
