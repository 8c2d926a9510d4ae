"""Writing the library's metadata into a book's EPUB file on a real library: the backup, the
KOReader document ids (old and new both name the book), an import afterwards, putting the old
file back, and the files that are refused without being touched."""

from __future__ import annotations

import os
import stat

import pytest

from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.file_write import (
    FileNotWrittenError,
    backed_up,
    backups_dir,
    restore_backups,
    write_into_files,
)
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.metadata.reader import read_metadata
from bookorbit_desktop.library.reading.pushes import resolve_document
from bookorbit_desktop.library.store.models import Book, BookFile
from tests.factories import make_epub


@pytest.fixture
def imported(library, tmp_path):
    """A real EPUB imported into the library and edited by the user."""
    path = make_epub(tmp_path / "books" / "dnue.epub", "Dnue", ("Frank Hebert",))
    os.chmod(path, 0o644)
    summary = import_paths([path], library, workers=0)
    (book_id,) = summary.book_ids
    edit_books(
        [book_id],
        BookChanges(title="Dune", authors=["Frank Herbert"], series="Dune", series_index=1.0),
        library,
    )
    return book_id, path


def test_the_file_carries_the_library_s_metadata_and_the_old_file_is_kept(library, imported):
    book_id, path = imported
    before = path.read_bytes()
    old_digest = partial_md5(path)
    (written,) = write_into_files(library, book_id, clock=lambda: 1_700_000_000.0)
    read = read_metadata(path)
    assert (read.title, read.authors, read.series) == ("Dune", ["Frank Herbert"], "Dune")
    assert written.old_document == old_digest and written.new_document == partial_md5(path)
    assert written.new_document != old_digest
    backup = backups_dir(library) / os.path.basename(written.backup)
    assert backup.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # the file keeps its permissions
    assert not list(path.parent.glob(".bookorbit-*"))  # no temporary file is left
    row = BookFile.get(BookFile.book == book_id)
    assert (row.partial_md5, row.size) == (written.new_document, path.stat().st_size)
    # A device holding the old file and one holding the new file both sync to this book.
    assert resolve_document(old_digest).book_id == book_id
    assert resolve_document(written.new_document).book_id == book_id


def test_every_language_goes_into_the_file_in_order(library, imported):
    book_id, path = imported
    edit_books([book_id], BookChanges(language=("fr", "en")), library)
    write_into_files(library, book_id, clock=lambda: 1_700_000_000.0)
    assert read_metadata(path).languages == ["fr", "en"]


def test_an_import_afterwards_sees_the_file_unchanged(library, imported):
    book_id, path = imported
    write_into_files(library, book_id)
    summary = import_paths([path], library, workers=0)
    assert (summary.unchanged, summary.imported, summary.updated) == (1, 0, 0)
    assert Book.get_by_id(book_id).title == "Dune"


def test_the_old_file_is_put_back(library, imported):
    book_id, path = imported
    before = path.read_bytes()
    (written,) = write_into_files(library, book_id)
    assert backed_up(library, [book_id, book_id + 1]) == {book_id}
    (restored,) = restore_backups(library, book_id)
    assert backed_up(library, [book_id]) == set()
    assert path.read_bytes() == before
    assert BookFile.get(BookFile.book == book_id).partial_md5 == written.old_document
    assert resolve_document(written.new_document).book_id == book_id  # both ids still work
    assert not os.path.exists(restored.backup)
    title = Book.get_by_id(book_id).title
    with pytest.raises(FileNotWrittenError, match=f"“{title}” has no backup to put back"):
        restore_backups(library, book_id)


def test_a_book_without_an_epub_is_refused_by_name(library, tmp_path):
    fb2 = tmp_path / "paper.fb2"
    fb2.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"><description>'
        "<title-info><book-title>Paper</book-title></title-info></description>"
        "<body><section><p>Text.</p></section></body></FictionBook>",
        encoding="utf-8",
    )
    (book_id,) = import_paths([fb2], library, workers=0).book_ids
    before = fb2.read_bytes()
    with pytest.raises(
        FileNotWrittenError, match=r"no EPUB file to write into \(its files are FB2"
    ):
        write_into_files(library, book_id)
    assert fb2.read_bytes() == before


def test_a_damaged_file_is_left_as_it_was(library, imported):
    book_id, path = imported
    damaged = path.read_bytes()[:-200]  # the ZIP's central directory is cut off
    path.write_bytes(damaged)
    with pytest.raises(FileNotWrittenError, match=r"dnue\.epub was not changed"):
        write_into_files(library, book_id)
    assert path.read_bytes() == damaged
    assert not backups_dir(library).exists() or not list(backups_dir(library).iterdir())
    assert not list(path.parent.glob(".bookorbit-*"))


def test_a_half_written_backup_is_refused_and_the_book_kept(library, imported):
    """A backup cut short (as a full disk left one before backups were checked) is not put
    back: the restore names it damaged and the book stays as it is."""
    book_id, path = imported
    (written,) = write_into_files(library, book_id)
    backup = backups_dir(library) / os.path.basename(written.backup)
    from bookorbit_desktop.library.files import safe

    record = safe.record_of(backup)
    assert record is not None
    safe.forget(record.row)  # a backup from before sizes and checksums were recorded
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    current = path.read_bytes()
    with pytest.raises(FileNotWrittenError, match="is damaged"):
        restore_backups(library, book_id)
    assert path.read_bytes() == current and backup.exists()


def test_a_backup_that_is_not_what_was_saved_is_refused(library, imported):
    book_id, path = imported
    (written,) = write_into_files(library, book_id)
    backup = backups_dir(library) / os.path.basename(written.backup)
    data = bytearray(backup.read_bytes())
    data[-30] ^= 0xFF  # one byte changed since it was saved
    backup.write_bytes(bytes(data))
    current = path.read_bytes()
    with pytest.raises(FileNotWrittenError, match="is not the file that was saved"):
        restore_backups(library, book_id)
    assert path.read_bytes() == current


def test_a_book_in_a_folder_it_may_not_write_is_refused_clearly(library, imported, tmp_path):
    """A read-only folder (a read-only bind mount in a private mount namespace, since root
    ignores permissions): a clear message, the book as it was, nothing left behind."""
    import json

    from bookorbit_desktop.library.store.db import close_database
    from tests.library.files.file_child import namespaces_or_skip, run_child

    namespaces_or_skip()
    book_id, path = imported
    before = path.read_bytes()
    close_database()
    folder = path.parent
    read_only = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}"'
    run = run_child(library.data_dir, "write", book_id, setup=read_only)
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert json.loads(run.stdout) == {
        "error": f"{path} was not changed: BookOrbit may not write in {folder}."
    }
    assert path.read_bytes() == before
    assert not list(folder.glob(".bookorbit-*"))
    assert not list(backups_dir(library).iterdir())


def test_a_file_changed_since_the_write_is_not_replaced_by_its_backup(library, imported):
    """Another program changed the book after metadata was written: the restore refuses and
    says where the backup is, rather than throwing the change away."""
    book_id, path = imported
    (written,) = write_into_files(library, book_id)
    path.write_bytes(path.read_bytes() + b"changed by another program")
    changed = path.read_bytes()
    with pytest.raises(FileNotWrittenError, match="is not the file metadata was written into"):
        restore_backups(library, book_id)
    assert path.read_bytes() == changed
    assert (backups_dir(library) / os.path.basename(written.backup)).exists()


def test_a_backup_of_a_removed_book_never_lands_on_the_book_that_got_its_number(library, tmp_path):
    """Book 1 written, then removed; another book imported gets number 1 again: restoring
    book 1 must not put the removed book's old bytes over the new book's file."""
    from bookorbit_desktop.library.editing.removal import remove_books

    first = make_epub(tmp_path / "books" / "emma.epub", "Emma", ("Jane Austen",))
    (book_id,) = import_paths([first], library, workers=0).book_ids
    edit_books([book_id], BookChanges(title="Emma (edited)"), library)
    write_into_files(library, book_id)
    remove_books([book_id], library)
    second = make_epub(tmp_path / "books" / "dune.epub", "Dune", ("Frank Herbert",))
    (again,) = import_paths([second], library, workers=0).book_ids
    assert again == book_id and BookFile.get(BookFile.book == again).id == 1
    before = second.read_bytes()
    with pytest.raises(FileNotWrittenError, match="is not the file metadata was written into"):
        restore_backups(library, again)
    assert second.read_bytes() == before


def test_a_linked_book_is_written_through_its_link(library, tmp_path):
    real = make_epub(tmp_path / "store" / "dnue.epub", "Dnue", ("Frank Hebert",))
    link = tmp_path / "books" / "dune.epub"
    link.parent.mkdir()
    link.symlink_to(os.path.relpath(real, link.parent))
    (book_id,) = import_paths([link], library, workers=0).book_ids
    edit_books([book_id], BookChanges(title="Dune"), library)
    before = real.read_bytes()
    write_into_files(library, book_id)
    assert link.is_symlink() and read_metadata(link).title == "Dune"
    restore_backups(library, book_id)
    assert link.is_symlink() and real.read_bytes() == before
