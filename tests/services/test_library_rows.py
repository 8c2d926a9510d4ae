"""The library table's rows agree with the library's own full records."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.reading import edits
from bookorbit_desktop.library.store import queries
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.library.rows import read_table, table_book
from bookorbit_desktop.services.library.service import (
    LibraryService,
    hardcover_state,
    progress_text,
)
from tests.factories import add_book, make_epub


def table_rows(*args, **kwargs):
    """The table's records as the dicts the other views take."""
    return [book.as_book() for book in read_table(*args, **kwargs)]


def test_rows_match_the_full_records(library, tmp_path):
    dune = add_book(
        "Dune",
        ["Frank Herbert"],
        file=make_epub(tmp_path / "d.epub", "Dune"),
        series="Dune",
        series_index=1.0,
        status="reading",
    )
    add_book("Good Omens", ["Terry Pratchett", "Neil Gaiman"], status="read")
    edits.update_reading_state(dune.id, progress=0.42, rating=4.5)
    rows = table_rows(match_states=lambda _ids: {dune.id: "linked"})
    full = queries.list_books()
    assert [row["id"] for row in rows] == [book["id"] for book in full]  # same order
    for row, book in zip(rows, full, strict=True):
        assert row["title"] == book["title"]
        assert row["sort_title"] == book["sort_title"]
        assert row["authors"] == book["authors"]
        assert (row["series"], row["series_index"]) == (book["series"], book["series_index"])
        assert row["status"] == book["reading"]["status"]
        assert row["progress"] == book["reading"]["progress"]
        assert row["rating"] == book["reading"]["rating"]
        assert row["formats"] == sorted({f["format"] for f in book["files"]})
    assert rows[0]["hardcover"] == "linked" and rows[1]["hardcover"] == "unmatched"


def test_a_subset_by_id(library):
    first = add_book("Alpha", ["A"])
    add_book("Beta", ["B"])
    assert [row["title"] for row in table_rows([first.id])] == ["Alpha"]
    assert table_rows([]) == []
    assert [row["title"] for row in LibraryService(library).list_books()] == ["Alpha", "Beta"]


@pytest.mark.parametrize(
    ("state", "status", "shown"),
    [
        ("unmatched", "unread", "unread"),
        ("unmatched", "reading", "unmatched"),
        ("linked", "unread", "linked"),
        ("excluded", "unread", "excluded"),
    ],
)
def test_an_unread_book_is_never_matched_and_says_so(state, status, shown):
    assert hardcover_state(state, status) == shown


@pytest.mark.parametrize(
    ("progress", "pages", "text"),
    [
        (0.0, 332, ""),
        (0.42, None, "42 %"),
        (0.675, 332, "68 % · p. 224 of 332"),
        (0.001, 332, "0 % · p. 1 of 332"),
        (1.0, 332, "100 % · p. 332 of 332"),
    ],
)
def test_progress_text_gives_the_page_of_the_linked_edition(progress, pages, text):
    assert progress_text(progress, pages) == text


def test_rows_carry_the_linked_editions_pages(library):
    from bookorbit_desktop.library.store.models import HardcoverMatch

    linked = add_book("Dune", ["Frank Herbert"], status="reading")
    review = add_book("Emma", ["Jane Austen"], status="reading")
    now = 1_800_000_000.0
    for book, state in ((linked, "linked"), (review, "needs_review")):
        HardcoverMatch.create(
            book=book.id,
            state=state,
            hc_book_id=7 if state == "linked" else None,
            edition_pages=332,
            fingerprint="x",
            updated_at=now,
        )
    pages = {row["id"]: row["pages"] for row in table_rows()}
    assert pages == {linked.id: 332, review.id: None}


def test_every_book_comes_in_the_order_sqlite_would_sort_titles(library):
    """Sorted in Python now; the order is SQLite's `ORDER BY sort_title, id` (code points, not
    locale; equal titles by id), the library's order wherever it is listed."""
    for title in ("émile", "Zebra", "apple", "Apple", "apple", "Émile", "zebra", "Ápple"):
        book = add_book(title)
        book.sort_title = title  # as given: case and accents matter to the order
        book.save()
    rows = table_rows()
    expected = [
        row[0] for row in database.execute_sql("SELECT id FROM book ORDER BY sort_title, id")
    ]
    assert [row["id"] for row in rows] == expected


def test_records_keep_repeated_texts_once_and_give_the_same_dicts(library, tmp_path):
    """A large library repeats authors, series and formats: each is kept once in memory."""
    for title in ("Dune", "Dune Messiah"):
        add_book(
            title, ["Frank Herbert"], file=make_epub(tmp_path / f"{title}.epub"), series="Dune"
        )
    first, second = read_table()
    assert first.authors is second.authors and first.formats is second.formats
    assert first.series is second.series
    assert [book.as_book() for book in read_table()] == LibraryService(library).list_books()
    assert table_book(first.as_book()) == first


def test_the_match_states_read_are_those_of_the_books_read(library):
    from bookorbit_desktop.library.store.models import HardcoverMatch
    from bookorbit_desktop.services.hardcover.service import HardcoverService

    books = [add_book(title, ["A"], status="reading") for title in ("Alpha", "Bravo", "Delta")]
    for book in books:
        HardcoverMatch.create(book=book.id, state="linked", fingerprint="x", updated_at=1.0)
    asked = []

    def states(ids):
        asked.append(ids)
        return HardcoverService().match_states(ids)

    first = read_table([books[0].id, books[1].id], match_states=states)
    assert asked == [[books[0].id, books[1].id]]
    assert [book.hardcover for book in first] == ["linked", "linked"]
    assert HardcoverService().match_states() == {book.id: "linked" for book in books}
    assert HardcoverService().match_states([books[2].id]) == {books[2].id: "linked"}
    assert HardcoverService().match_states([]) == {}
