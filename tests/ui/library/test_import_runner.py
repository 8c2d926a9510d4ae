"""Importing from the window: real files on a worker thread, progress, cancel, summary."""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from bookorbit_desktop.library.importer.summary import DigestCollision, ImportFailure
from bookorbit_desktop.library.store import queries
from bookorbit_desktop.services.library.service import ImportSummary, LibraryService
from bookorbit_desktop.ui.library.import_runner import ImportRunner, summary_text
from tests.factories import make_epub


@pytest.fixture
def runner(qtbot, library):
    parent = QWidget()
    qtbot.addWidget(parent)
    return ImportRunner(LibraryService(library).run_import, parent)


def test_imports_a_folder_and_reports_what_failed(runner, tmp_path, qloop):
    folder = tmp_path / "books"
    make_epub(folder / "a.epub", "Alpha", ["Ann"])
    make_epub(folder / "sub" / "b.epub", "Beta", ["Bob"])
    (folder / "broken.epub").write_bytes(b"PK\x03\x04 this is not a zip")
    (folder / "notes.txt").write_text("not an ebook")
    report = qloop.run_until_complete(runner.run([str(folder)]))
    assert isinstance(report, ImportSummary)
    assert report.imported == 2
    assert [f.path.name for f in report.failures] == ["broken.epub"]
    assert sorted(book["title"] for book in queries.list_books()) == ["Alpha", "Beta"]
    box = runner.summary_box
    assert box is not None and box.windowTitle() == "Import finished with problems"
    assert "2 new books added" in box.text()
    assert "broken.epub" in box.detailedText()
    assert not runner.busy and runner.dialog is None


def test_a_second_import_of_the_same_files_changes_nothing(runner, tmp_path, qloop):
    make_epub(tmp_path / "a.epub", "Alpha", ["Ann"])
    qloop.run_until_complete(runner.run([str(tmp_path / "a.epub")]))
    report = qloop.run_until_complete(runner.run([str(tmp_path / "a.epub")]))
    assert (report.imported, report.unchanged, report.changed) == (0, 1, 0)
    assert runner.summary_box.windowTitle() == "Import finished"
    assert "1 file already in the library" in runner.summary_box.text()


@pytest.mark.parametrize("how", ["button", "escape"])
def test_cancel_stops_between_files_and_keeps_what_was_done(library, qtbot, tmp_path, qloop, how):
    original = make_epub(tmp_path / "src" / "book.epub", "Alpha", ["Ann"])
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(20):
        shutil.copy(original, folder / f"copy-{number:03}.epub")
    service = LibraryService(library)
    resume, held = threading.Event(), threading.Event()

    def run_held_after_first_file(sources, progress, cancel):
        # The real import, held after its first file until the test has pressed Cancel
        # (a file is reported once its batch is committed, so the hold is in the cancel check).
        class HeldCancel:
            asked = 0

            def is_set(self) -> bool:
                self.asked += 1
                if self.asked == 2:
                    held.set()
                    resume.wait(10)
                return cancel.is_set()

        return service.run_import(sources, progress, HeldCancel())

    parent = QWidget()
    qtbot.addWidget(parent)
    runner = ImportRunner(run_held_after_first_file, parent)

    async def scenario():
        task = asyncio.ensure_future(runner.run([str(folder)]))
        assert await asyncio.to_thread(held.wait, 10)
        assert await runner.run([str(folder)]) is None  # one import at a time
        if how == "button":
            qtbot.mouseClick(runner.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(runner.dialog, Qt.Key.Key_Escape)
        resume.set()
        return await task

    report = qloop.run_until_complete(scenario())
    assert report.cancelled
    assert report.imported == 1 and report.copies == 0
    books = queries.list_books()
    assert len(books) == 1 and len(books[0]["files"]) == 1  # consistent: no half file
    assert runner.summary_box.windowTitle() == "Import cancelled"


@pytest.mark.parametrize(
    ("report", "title", "phrases"),
    [
        (ImportSummary(), "Import finished", ["No ebook files were found there."]),
        (
            ImportSummary(imported=1, ignored=2),
            "Import finished",
            ["1 new book added.", "2 files that are not ebooks were skipped."],
        ),
        (
            ImportSummary(copies=2, moved=1, updated=1),
            "Import finished",
            ["2 copies of known books added", "1 moved file found again", "1 changed file"],
        ),
        (
            ImportSummary(imported=3, failures=[ImportFailure(Path("/x.epub"), "not a zip")]),
            "Import finished with problems",
            ["3 new books added", "1 file could not be imported"],
        ),
        (
            ImportSummary(
                imported=1, collisions=[DigestCollision("d", Path("/a"), 1, Path("/b"), 2)]
            ),
            "Import finished",
            ["1 file shares a KOReader document id", "Unlinked Documents"],
        ),
        (
            ImportSummary(unchanged=1, adopted=2),
            "Import finished",
            ["1 file already in the library", "Earlier KOReader progress linked to 2 books."],
        ),
        (
            ImportSummary(imported=4, cancelled=True),
            "Import cancelled",
            ["was cancelled", "4 new books added"],
        ),
    ],
)
def test_summary_text(report, title, phrases):
    got_title, message, details = summary_text(report)
    assert got_title == title
    for phrase in phrases:
        assert phrase in message
    assert ("/x.epub: not a zip" in details) == bool(report.failures)


def test_a_left_out_file_is_not_called_missing(qtbot):  # qtbot: the plural forms
    # Before: a folder holding only a removed book's file said "No ebook files were found there."
    _, message, _ = summary_text(ImportSummary(total=1, left_out=1))
    assert message == "1 file left out: its book was removed from the library."


def test_importing_a_removed_books_file_offers_to_restore_it(library, qtbot, tmp_path, qloop):
    from bookorbit_desktop.library.editing.removal import remove_books
    from bookorbit_desktop.library.journal import steps
    from bookorbit_desktop.library.store.models import Book, ReadingState
    from bookorbit_desktop.services.undo import UndoService

    parent = QWidget()
    qtbot.addWidget(parent)
    runner = ImportRunner(LibraryService(library).run_import, parent, UndoService(library))
    folder = tmp_path / "books"
    make_epub(folder / "a.epub", "Alpha", ["Ann"])
    qloop.run_until_complete(runner.run([str(folder)]))
    alpha = Book.get()
    ReadingState.update(status="read", rating=4.0).where(ReadingState.book == alpha.id).execute()
    remove_books([alpha.id], library)

    report = qloop.run_until_complete(runner.run([str(folder)]))
    assert (report.imported, report.left_out) == (0, 1)
    box = runner.summary_box
    assert box.text() == (
        "1 file left out: its book was removed from the library.\n\nYou removed “Alpha” "
        "from the library. Restore brings it back as before: reading state, rating, dates, "
        "Hardcover link, files and cover."
    )
    [restore] = [b for b in box.buttons() if b.text() == "&Restore"]
    with qtbot.waitSignal(runner.restored):
        qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    state = ReadingState.get_by_id(alpha.id)
    assert (Book.get_by_id(alpha.id).title, state.status, state.rating) == ("Alpha", "read", 4.0)
    assert runner.summary_box.text() == "Restored “Alpha”."
    assert steps.next_undo() is None  # the removal is no longer in the journal to undo
    report = qloop.run_until_complete(runner.run([str(folder)]))
    assert (report.unchanged, report.left_out) == (1, 0)


def test_a_removal_no_longer_kept_offers_nothing(library, qtbot, tmp_path, qloop, monkeypatch):
    from bookorbit_desktop.library.editing.removal import remove_books
    from bookorbit_desktop.library.journal import steps
    from bookorbit_desktop.library.store.models import Book
    from bookorbit_desktop.services.undo import UndoService

    parent = QWidget()
    qtbot.addWidget(parent)
    runner = ImportRunner(LibraryService(library).run_import, parent, UndoService(library))
    make_epub(tmp_path / "books" / "a.epub", "Alpha", ["Ann"])
    qloop.run_until_complete(runner.run([str(tmp_path / "books")]))
    remove_books([Book.get().id], library)
    steps.delete_steps(steps.history())  # dropped from the journal long ago
    qloop.run_until_complete(runner.run([str(tmp_path / "books" / "a.epub")]))
    box = runner.summary_box
    assert box.text() == "1 file left out: its book was removed from the library."
    assert [b.text() for b in box.buttons()] == ["OK"]
