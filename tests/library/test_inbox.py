"""The Inbox policy in the core: an import holds its new books when the setting is on, and every
list (window table, catalog, catalog search, downloads, Hardcover matching and sync) skips them
until they are approved; KOReader progress for a held book is still recorded."""

from __future__ import annotations

from pathlib import Path

from bookorbit_desktop.hardcover.matching.local import eligible_books
from bookorbit_desktop.hardcover.sync.store import awaiting_match
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.keyset import FIRST
from bookorbit_desktop.library.store.models import Book, BookFile, ReadingState
from bookorbit_desktop.server.opds import queries
from bookorbit_desktop.server.opds.search import search_books
from bookorbit_desktop.services.library.table_window import ordered_ids, status_counts
from tests.factories import add_book, make_epub


def _shelf(folder: Path, *titles: str) -> Path:
    for title in titles:
        make_epub(folder / f"{title}.epub", title, ["Ann Author"])
    return folder


def test_off_by_default_imports_go_straight_in(library, tmp_path):
    import_sources([_shelf(tmp_path / "a", "Dune")], library)
    assert inbox.count() == 0
    assert len(ordered_ids("title", False)) == 1


def test_new_imports_wait_and_approval_lets_them_in(library, tmp_path):
    old = add_book("Emma", file=make_epub(tmp_path / "old" / "emma.epub", "Emma"))
    inbox.set_enabled(True)
    summary = import_sources([_shelf(tmp_path / "new", "Dune", "Solaris")], library)
    assert summary.imported == 2
    held = inbox.held_ids()
    assert len(held) == 2 and old.id not in held
    assert {book.title for book in inbox.waiting()} == {"Dune", "Solaris"}

    # Not in the table, the catalog's lists, its search or its downloads.
    assert list(ordered_ids("title", False)) == [old.id]
    assert status_counts() == {"unread": 1}  # the table's status filter counts alike
    assert [entry.id for entry in queries.all_books(FIRST, 50).items] == [old.id]
    assert [entry.id for entry in queries.recently_added(FIRST, 50).items] == [old.id]
    assert search_books(["dune"], FIRST, 50).items == []
    dune = Book.get(Book.title == "Dune")
    file_id = BookFile.get(BookFile.book == dune.id).id
    assert queries.download_target(file_id) is None

    inbox.approve([dune.id])
    assert set(ordered_ids("title", False)) == {old.id, dune.id}
    assert [entry.id for entry in search_books(["dune"], FIRST, 50).items] == [dune.id]
    assert queries.download_target(file_id) is not None
    assert inbox.approve_all() == [Book.get(Book.title == "Solaris").id]
    assert inbox.count() == 0


def test_a_second_import_of_the_same_files_holds_nothing_new(library, tmp_path):
    shelf = _shelf(tmp_path / "new", "Dune")
    inbox.set_enabled(True)
    import_sources([shelf], library)
    inbox.approve_all()
    (shelf / "Dune.epub").touch()
    import_sources([shelf], library)
    assert inbox.count() == 0


def test_progress_of_a_held_book_is_recorded_but_hardcover_waits(library, tmp_path):
    inbox.set_enabled(True)
    import_sources([_shelf(tmp_path / "new", "Dune")], library)
    dune = Book.get(Book.title == "Dune")
    digest = BookFile.get(BookFile.book == dune.id).partial_md5
    record_push(Push(digest, "/body/p[3]", 0.4, "Kobo", "dev-1"), timestamp=1_700_000_000)
    assert ReadingState.get_by_id(dune.id).progress == 0.4
    assert dune.id not in [book.id for book in eligible_books(include_unread=True)]
    assert dune.id not in awaiting_match()
    inbox.approve([dune.id])
    assert dune.id in [book.id for book in eligible_books()]
    assert dune.id in awaiting_match()
