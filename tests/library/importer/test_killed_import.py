"""An import killed inside a batch (SIGKILL, in a process of its own) leaves the search index
and the sort keys exact: every book of the committed batches found by every word of its title,
series and authors, no row of a book the lost batch wrote, the changed title of a lost refresh
not found, and the next import completes them."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from tests.factories import make_epub
from tests.library.importer.import_child import BATCH_FILES, run_child
from tests.library.search.test_query import indexed_books, scratch_search
from tests.library.store.test_sort_keys import computed_keys, stored_keys

_TITLES = ["Amber Coast", "Basalt Road", "Cinder Hill", "Drift Moor", "Ember Lake"]
_AUTHORS = [("Émile Zola",), ("Ann Ørsted", "Bo Wilde"), ("Cy Ash",), (), ("Dana Øst",)]


def _shelf(folder, first: int, count: int) -> None:
    for number in range(first, first + count):
        make_epub(
            folder / f"{number:02d}.epub",
            f"{_TITLES[number % 5]} {number}",
            _AUTHORS[number % 5],
        )


def assert_index_exact() -> set[int]:
    """The index and the sort keys hold exactly what the books' rows give; the books' ids."""
    books = {row[0] for row in database.execute_sql("SELECT id FROM book")}
    assert {row[0] for row in database.execute_sql("SELECT rowid FROM book_search")} == books
    assert database.execute_sql("SELECT count(*) FROM index_batch").fetchone()[0] == 0
    assert stored_keys() == computed_keys()
    words = {
        word
        for (text,) in database.execute_sql("SELECT title FROM book UNION SELECT name FROM author")
        for word in fold(text).split()
        if len(word) >= 3
    }
    for word in [*words, "quartz", "nova"]:
        assert indexed_books([word]) == set(scratch_search([word], available_only=False)), word
    return books


@pytest.mark.parametrize(
    ("kill_at", "committed"),
    [
        # The first batch: the changed file and the two unchanged after it; then new ones.
        ("file:1", 0),  # inside the first batch
        (f"file:{BATCH_FILES + 2}", 1),  # inside the second (two new books), the first committed
        ("refresh:2", 0),  # the lost books' old rows deleted, the new ones not yet written
        ("refresh:4", 0),  # the search rows written, the sort keys not
        ("refresh:5", 0),  # the sort keys written, the batch not yet emptied
        ("commit:1", 1),  # the first batch committed, still only in the write-ahead log
    ],
)
def test_an_import_killed_inside_a_batch_leaves_the_index_exact(paths, kill_at, committed):
    folder = paths.data_dir / "shelf"
    _shelf(folder, 0, 5)
    assert json.loads(run_child(paths.data_dir, folder).stdout) == {"imported": 5}
    _shelf(folder, 5, 2 * BATCH_FILES)
    make_epub(folder / "01.epub", "New Quartz Title", ("Nell Nova",), body="changed")

    killed = run_child(paths.data_dir, folder, kill_at=kill_at)

    assert killed.returncode == -9, killed.stderr
    open_database(paths.db_file)
    try:
        books = assert_index_exact()
        assert len(books) == 5  # the new books came after the changed file's batch
        assert len(indexed_books(["quartz"])) == committed  # the changed title
    finally:
        close_database()
    again = json.loads(run_child(paths.data_dir, folder).stdout)
    assert again["imported"] == 5 + 2 * BATCH_FILES - len(books)
    open_database(paths.db_file)
    try:
        assert len(assert_index_exact()) == 5 + 2 * BATCH_FILES
        assert len(indexed_books(["quartz", "nova"])) == 1
    finally:
        close_database()
