"""The stored answers (`library.store.fetched_metadata`): a failure keeps the candidates found
before, failed and pending fetches are what `retry` sees, and a book's rows go with it."""

from __future__ import annotations

from bookorbit_desktop.library.store import fetched_metadata as store
from bookorbit_desktop.library.store.db import SCHEMA_VERSION, schema_version
from bookorbit_desktop.library.store.models import Book, database
from tests.factories import add_book


def test_the_tables_come_with_the_schema(library):
    tables = set(database.get_tables())
    assert {"metadata_fetch", "metadata_candidate"} <= tables
    assert schema_version(database) == SCHEMA_VERSION


def test_answers_failures_and_retry_candidates(library):
    book = add_book("Dune").id
    store.mark_pending({"openlibrary": [book, 999], "google": [book, 999]}, 1.0)  # 999: none
    assert store.failed_books() == {book: ["google", "openlibrary"]}  # pending counts
    store.save_answer(book, "openlibrary", "ok", "1 found", [{"title": "Dune"}], 2.0)
    store.save_answer(book, "google", "ok", "1 found", [{"title": "Dune (G)"}], 2.0)
    store.save_answer(book, "google", "timed out", "no answer", [], 3.0)
    assert store.failed_books() == {book: ["google"]}
    assert store.candidates_of(book) == [
        ("google", {"title": "Dune (G)"}),
        ("openlibrary", {"title": "Dune"}),
    ]  # the failure kept what google found before
    store.save_answer(book, "google", "no result", "", [], 4.0)
    assert store.candidates_of(book) == [("openlibrary", {"title": "Dune"})]
    assert [(s.source, s.status) for s in store.states([book])] == [
        ("google", "no result"),
        ("openlibrary", "ok"),
    ]


def test_a_removed_books_answers_go_with_it(library):
    book = add_book("Dune").id
    store.save_answer(book, "openlibrary", "ok", "", [{"title": "Dune"}], 1.0)
    Book.delete_by_id(book)
    assert store.candidates_of(book) == [] and store.states() == []
    assert store.save_answer(book, "google", "ok", "", [], 2.0) is False
