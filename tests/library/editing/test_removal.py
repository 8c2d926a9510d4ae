"""Removing books on a real SQLite library with real files: what goes, what stays (progress,
history, highlights), the trash, and imports that leave a removed file out until it changes."""

from __future__ import annotations

import os
import threading

import pytest

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.editing.removal import plan_removal, remove_books
from bookorbit_desktop.library.editing.trash import trash_supported
from bookorbit_desktop.library.importer.run import ImportOutcome, import_paths
from bookorbit_desktop.library.reading.pushes import unlinked_documents
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import Book, BookFile, DocumentAlias, ProgressEvent
from bookorbit_desktop.services.library.watched_folders import refresh_folders
from tests.factories import make_epub


@pytest.fixture
def imported(library, tmp_path):
    folder = tmp_path / "books"
    make_epub(folder / "dune.epub", "Dune", ("Frank Herbert",))
    make_epub(folder / "emma.epub", "Emma", ("Jane Austen",))
    import_paths([folder], library, workers=0)
    return folder, Book.get(Book.title == "Dune")


def push(book: Book) -> str:
    document = BookFile.get(BookFile.book == book.id).partial_md5
    ProgressEvent.create(
        document=document, book=book.id, device="Kobo", percentage=0.4, progress="/body/p[4]",
        timestamp=1_700_000_000,
    )  # fmt: skip
    return document


def highlight(book: Book) -> None:
    Highlight.create(
        book=book.id, created=1_700_000_000, text="Fear is the mind-killer.", source="sidecar",
        received_at=1.0, changed_at=1.0,
    )  # fmt: skip


def test_the_plan_names_the_book_and_its_file(imported):
    folder, dune = imported
    highlight(dune)
    (plan,) = plan_removal([dune.id])
    assert (plan.title, plan.files, plan.highlights) == ("Dune", (str(folder / "dune.epub"),), 1)
    with pytest.raises(NotFoundError, match="no book with id 999"):
        plan_removal([dune.id, 999])


def test_removing_keeps_progress_and_highlights_and_the_file(library, imported):
    folder, dune = imported
    document = push(dune)
    highlight(dune)
    result = remove_books([dune.id], library)
    assert result.removed == [dune.id] and result.trashed == []
    assert Book.get_or_none(Book.title == "Dune") is None
    assert DocumentAlias.select().where(DocumentAlias.book == dune.id).count() == 0
    assert (folder / "dune.epub").is_file()  # the file is only trashed when asked
    # KOReader's progress stays, as an unlinked document the user can link again.
    assert ProgressEvent.select().where(ProgressEvent.document == document).count() == 1
    assert document in {doc.document for doc in unlinked_documents()}
    # The highlight waits under the book's title and authors.
    kept = Highlight.get()
    assert (kept.book_id, kept.pending_title, kept.pending_authors) == (
        None,
        "Dune",
        "Frank Herbert",
    )
    assert Book.get_or_none(Book.title == "Emma") is not None


def test_reimporting_the_folder_leaves_the_removed_file_out_until_it_changes(library, imported):
    folder, dune = imported
    remove_books([dune.id], library)
    summary = import_paths([folder], library, workers=0)
    assert (summary.imported, summary.left_out, summary.unchanged) == (0, 1, 1)
    assert Book.get_or_none(Book.title == "Dune") is None
    # A new version of the file is a book again.
    make_epub(folder / "dune.epub", "Dune", ("Frank Herbert",), body="Second edition.")
    os.utime(folder / "dune.epub", (2_000_000_000, 2_000_000_000))
    summary = import_paths([folder], library, workers=0)
    assert summary.imported == 1
    assert Book.get_or_none(Book.title == "Dune") is not None
    summary = import_paths([folder], library, workers=0)
    assert summary.unchanged == 2  # and stays one


def test_progress_reports_say_the_file_was_left_out(library, imported):
    folder, dune = imported
    remove_books([dune.id], library)
    events = []
    import_paths([folder], library, workers=0, progress=events.append)
    outcomes = {event.path.name: event.outcome for event in events}
    assert outcomes["dune.epub"] == ImportOutcome.REMOVED


@pytest.mark.skipif(not trash_supported(), reason="the freedesktop trash is for Linux")
def test_removing_with_the_file_moves_it_to_the_trash(library, imported, tmp_path):
    folder, dune = imported
    bin_ = tmp_path / "Trash"
    result = remove_books([dune.id], library, trash_files=True, trash=bin_)
    assert result.trashed == [str(folder / "dune.epub")]
    assert not (folder / "dune.epub").exists()
    assert (bin_ / "files" / "dune.epub").is_file()
    assert (bin_ / "info" / "dune.epub.trashinfo").is_file()


def test_a_watched_folder_refresh_does_not_bring_a_removed_book_back(library, imported):
    folder, dune = imported
    remove_books([dune.id], library)
    refresh = refresh_folders(library, [str(folder)], threading.Event())
    assert refresh.report.left_out == 1 and refresh.report.imported == 0
    assert Book.get_or_none(Book.title == "Dune") is None
