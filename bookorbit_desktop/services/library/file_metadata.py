"""Writing the library's metadata into a book's EPUB file, and putting the file back: what the
window's "Write Metadata into File…" and `metadata write` call (`library.editing.file_write`
does the work). Answers are plain data; the window calls the `_async` forms, which run off the
event loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.editing.file_write import (
    FileWritten,
    backed_up,
    backups_dir,
    restore_backups,
    write_into_files,
)
from bookorbit_desktop.library.store.off_loop import off_loop


@dataclass(frozen=True)
class WriteReport:
    written: dict[int, list[FileWritten]]  # book id -> its files written (or put back)
    failed: dict[int, str]  # book id -> why nothing was written to it

    def lines(self, restored: bool = False) -> list[str]:
        done = "Put back" if restored else "Wrote"
        out = []
        for book_id, files in self.written.items():
            for file in files:
                where = "" if restored else f" (the old file is kept in {file.backup})"
                out.append(f"{done} book {book_id}: {file.path}{where}.")
        out += [f"Book {book_id}: {why}" for book_id, why in self.failed.items()]
        return out


def write_metadata(paths: Paths, book_ids: Sequence[int]) -> WriteReport:
    """Write each book's library metadata into its EPUB files; a book that cannot be written
    (no EPUB, a damaged or protected file) is reported and the others go on."""
    return _each(book_ids, lambda book_id: write_into_files(paths, book_id))


def restore_files(paths: Paths, book_ids: Sequence[int]) -> WriteReport:
    """Put back each book's files as they were before the last write."""
    return _each(book_ids, lambda book_id: restore_backups(paths, book_id))


def _each(book_ids: Sequence[int], act: Callable[[int], list[FileWritten]]) -> WriteReport:
    written: dict[int, list[FileWritten]] = {}
    failed: dict[int, str] = {}
    for book_id in dict.fromkeys(book_ids):
        try:
            written[book_id] = act(book_id)
        except BookOrbitError as error:
            failed[book_id] = error.message
    return WriteReport(written, failed)


async def write_metadata_async(paths: Paths, book_ids: Sequence[int]) -> WriteReport:
    return await off_loop(write_metadata, paths, list(book_ids))


async def restore_files_async(paths: Paths, book_ids: Sequence[int]) -> WriteReport:
    return await off_loop(restore_files, paths, list(book_ids))


async def backed_up_async(paths: Paths, book_ids: Sequence[int]) -> set[int]:
    """Which of the books have a file backup that Restore File from Backup can put back."""
    return await off_loop(backed_up, paths, list(book_ids))


def backup_folder(paths: Paths) -> str:
    """Where the old files are kept (shown by the window's confirmation)."""
    return str(backups_dir(paths))
