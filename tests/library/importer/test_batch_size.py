"""An import's batches grow with the library: in a large one a batch of 200 new books shares
hardly an index page, so its commit writes a dozen pages a book."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.importer.batch import Batches, batch_limits
from bookorbit_desktop.library.store.models import database


@pytest.mark.parametrize(
    ("books", "limits"),
    [
        (0, (200, 0.25)),
        (50_000, (200, 0.25)),
        (100_000, (400, 0.5)),
        (150_000, (600, 0.5)),  # never longer than a push or an edit should wait
        (200_000, (800, 0.5)),
        (1_000_000, (800, 0.5)),
    ],
)
def test_a_batch_holds_more_files_in_a_larger_library(books, limits):
    assert batch_limits(books) == limits


def _files_in_first_batch(fixed: int | None = None) -> int:
    """How many files the first batch of an import takes before it commits."""
    commits: list[int] = []
    batches = Batches(lambda: None, files=fixed, on_commit=lambda: commits.append(1))
    files = 0
    while not commits:
        batches.begin()
        files += 1
        batches.file_done()
    return files


def _book(book_id: int) -> None:
    database.execute_sql(
        "INSERT INTO book (id, title, sort_title, identifiers, added_at, updated_at)"
        " VALUES (?, 'Known', 'known', '{}', 0, 0)",
        (book_id,),
    )


def test_each_batch_takes_its_size_from_the_library_it_opens_in(library):
    assert _files_in_first_batch() == 200
    _book(150_000)  # the largest book id: the library's size as the batches gauge it
    assert _files_in_first_batch() == 600
    assert _files_in_first_batch(fixed=3) == 3  # a size given is kept whatever the library
