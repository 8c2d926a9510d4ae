"""Undoing a removal on a real SQLite library with real files: the book comes back with its
reading state, Hardcover link, authors, files, cover, pushes and highlights, its files leave
the removed-files memory, and a trashed file is named with where it is."""

from __future__ import annotations

import pytest
from PIL import Image

from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.editing.trash import trash_supported
from bookorbit_desktop.library.editing.values import BookChanges, parse_cover
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.metadata.covers import cover_file
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import (
    Book,
    BookFile,
    DocumentAlias,
    HardcoverMatch,
    ProgressEvent,
    ReadingState,
)
from bookorbit_desktop.library.store.removed_files import removed_stats
from bookorbit_desktop.library.store.user_edits import edited_fields
from tests.factories import add_book, make_epub


@pytest.fixture
def dune(library, tmp_path):
    folder = tmp_path / "books"
    make_epub(folder / "dune.epub", "Dune", ("Frank Herbert", "Brian Herbert"))
    make_epub(folder / "emma.epub", "Emma", ("Jane Austen",))
    import_paths([folder], library, workers=0)
    book = Book.get(Book.title == "Dune")
    image = tmp_path / "cover.png"
    Image.new("RGB", (300, 450), (200, 120, 10)).save(image)
    edit_books([book.id], BookChanges(cover=parse_cover(image), series="Dune"), library)
    ReadingState.update(
        status="read", progress=1.0, started="2024-01-02", finished="2024-02-03", rating=4.5,
        started_source="user", finished_source="history",
    ).where(ReadingState.book == book.id).execute()  # fmt: skip
    HardcoverMatch.create(
        book=book.id, state="matched", hc_book_id=77, hc_edition_id=78, user_book_id=79,
        pinned=True, updated_at=1.0,
    )  # fmt: skip
    document = BookFile.get(BookFile.book == book.id).partial_md5
    ProgressEvent.create(
        document=document, book=book.id, device="Kobo", percentage=0.4, progress="/body/p[4]",
        timestamp=1_700_000_000,
    )  # fmt: skip
    Highlight.create(
        book=book.id, created=1_700_000_000, text="Fear is the mind-killer.", source="sidecar",
        received_at=1.0, changed_at=1.0,
    )  # fmt: skip
    return folder, book


def _whole(book_id: int, paths) -> dict:
    book = Book.get_by_id(book_id)
    state = ReadingState.get_by_id(book_id)
    match = HardcoverMatch.get_by_id(book_id)
    return {
        "book": (book.title, book.series, book.author_names(), book.added_at),
        "reading": (state.status, state.progress, state.started, state.finished, state.rating,
                    state.started_source, state.finished_source),
        "hardcover": (match.state, match.hc_book_id, match.hc_edition_id, match.user_book_id,
                      match.pinned),
        "files": [(f.id, f.path, f.missing) for f in
                  BookFile.select().where(BookFile.book == book_id)],
        "aliases": sorted((a.document, a.kind) for a in
                          DocumentAlias.select().where(DocumentAlias.book == book_id)),
        "pushes": ProgressEvent.select().where(ProgressEvent.book == book_id).count(),
        "highlights": [(h.pending_title, h.pending_authors) for h in
                       Highlight.select().where(Highlight.book == book_id)],
        "marks": edited_fields(book_id),
        "cover": cover_file(paths, book.cover_path).read_bytes() if book.cover_path else None,
    }  # fmt: skip


def test_undo_brings_a_removed_book_back_whole(library, dune):
    folder, book = dune
    before = _whole(book.id, library)
    assert before["cover"] and before["highlights"] == [(None, None)]
    remove_books([book.id], library)
    assert steps.next_undo().label == "Remove “Dune”"
    assert removed_stats()

    done = run.undo(library)
    assert done.text() == "Undid Remove “Dune”."
    assert _whole(book.id, library) == before  # the same id, every row as it was
    assert removed_stats() == {}  # importing the folder takes its file again
    queued = outbox.queued([book.id])
    assert queued and outbox.STATUS in queued[0].kinds  # the next sync checks what Hardcover has
    assert import_paths([folder], library, workers=0).imported == 0  # no second copy

    run.redo(library)
    assert Book.get_or_none(Book.id == book.id) is None
    assert removed_stats()
    run.undo(library)
    assert _whole(book.id, library) == before


def test_several_books_removed_are_one_step(library, dune):
    ids = [b.id for b in Book.select()]
    remove_books(ids, library)
    assert steps.next_undo().label == "Remove 2 Books"
    run.undo(library)
    assert sorted(b.title for b in Book.select()) == ["Dune", "Emma"]


def test_a_taken_id_gives_the_book_a_new_one(library, dune):
    _, book = dune
    before = _whole(book.id, library)
    remove_books([book.id], library)
    Book.delete().where(Book.id != book.id).execute()
    newcomer = add_book("Newcomer")
    assert newcomer.id == book.id  # SQLite gave the removed book's id again
    run.undo(library)
    [back] = [b for b in Book.select() if b.title == "Dune"]
    assert Book.get_by_id(newcomer.id).title == "Newcomer"
    restored = _whole(back.id, library)
    assert restored["reading"] == before["reading"] and restored["cover"] == before["cover"]
    assert [path for _, path, _ in restored["files"]] == [p for _, p, _ in before["files"]]
    assert run.redo(library).books == 1  # redo follows the book to its new id
    assert Book.get_or_none(Book.id == back.id) is None


def test_a_file_in_the_library_again_stays_with_its_new_book(library, dune):
    folder, book = dune
    remove_books([book.id], library)
    make_epub(folder / "dune.epub", "Dune Again", ("Frank Herbert",))  # the file changed
    import_paths([folder], library, workers=0)
    again = Book.get(Book.title == "Dune Again")
    done = run.undo(library)
    assert done.skipped == (
        f"“Dune”: its file {folder / 'dune.epub'} is in the library again (book {again.id}) "
        "and stays there",
    )
    assert BookFile.select().where(BookFile.book == book.id).count() == 0
    assert ReadingState.get_by_id(book.id).rating == 4.5


@pytest.mark.skipif(not trash_supported(), reason="the freedesktop trash is for Linux")
def test_undo_takes_a_trashed_file_back_out_of_the_trash(library, dune, tmp_path):
    folder, book = dune
    bin_ = tmp_path / "Trash"
    remove_books([book.id], library, trash_files=True, trash=bin_)
    assert not (folder / "dune.epub").exists()
    done = run.undo(library)
    assert done.notes == (f"“Dune”: its file is back from the trash at {folder / 'dune.epub'}",)
    assert (folder / "dune.epub").is_file()
    assert [f.missing for f in BookFile.select().where(BookFile.book == book.id)] == [False]


@pytest.mark.skipif(not trash_supported(), reason="the freedesktop trash is for Linux")
def test_undo_names_where_a_trashed_file_is_when_it_cannot_come_back(library, dune, tmp_path):
    folder, book = dune
    bin_ = tmp_path / "Trash"
    remove_books([book.id], library, trash_files=True, trash=bin_)
    (folder / "dune.epub").write_bytes(b"another file took its place")
    done = run.undo(library)
    assert done.notes == (
        "“Dune”: its file could not be taken out of the trash (another file is at its old "
        f"place); it is at {bin_ / 'files' / 'dune.epub'} and belongs at {folder / 'dune.epub'}",
    )
    assert (bin_ / "files" / "dune.epub").is_file()
    # the file now at its old place is not the book's: the book's own is missing, not that one
    assert [f.missing for f in BookFile.select().where(BookFile.book == book.id)] == [True]
    assert (folder / "dune.epub").read_bytes() == b"another file took its place"
