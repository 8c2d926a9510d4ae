"""Writing a book's library metadata into its EPUB file, with a backup, and putting the backup
back. Only when the user asks: editing and fetching metadata never touch a book's file.

A write (`write_into_files`), for each EPUB file of the book, through the safe file layer
(`library.files.safe`: a temporary name, fsync, a check, one atomic rename):
1. copies the old file into the data folder's `file-backups/` (`BOOK-FILE-TIME-name`); the
   backup counts only once it is whole and flushed, with its size and checksum recorded;
2. writes the new book under a temporary name beside the old one, reads it back with the
   importer's reader (it must carry the written title), and puts it in place;
3. records the file's new size, time and KOReader document id, keeping the old id as an alias
   of the book, so a device that holds the old file still syncs its progress and highlights
   (a process stopped between 2 and 3 leaves the write in the journal: `settle_writes`, run
   as the window and the command line start and before the next write, records it).
A failure at any step (a full disk, a folder BookOrbit may not write in, a damaged book) leaves
that file as it was, no backup of it and nothing else behind, and says why; a book's files
written before it stay written, each with its backup.

`restore_backups` puts the newest backup of each file back the same way, once the backup is
found to be what was saved (its recorded size and checksum, and it opens as an EPUB), and then
removes it. A backup that is not is refused and kept, and the book is left as it is.

The EPUB writer and the ebook readers load with the first write, not with the window.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError, NotFoundError
from bookorbit_desktop.library.files import safe
from bookorbit_desktop.library.files.moves import recover
from bookorbit_desktop.library.files.safe import FileOpError
from bookorbit_desktop.library.metadata.covers import cover_file
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.metadata.model import BookReadError
from bookorbit_desktop.library.store.languages import languages_of
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    Book,
    BookAuthor,
    BookFile,
    database,
)
from bookorbit_desktop.library.store.models import (
    Author as AuthorRow,
)
from bookorbit_desktop.library.store.user_edits import edited_fields

if TYPE_CHECKING:
    from bookorbit_desktop.library.metadata.epub_write import OpfValues

BACKUPS = "file-backups"
_BACKUP = re.compile(r"^(\d+)-(\d+)-(\d{8}T\d{6}(?:\.\d+)?)-(.+)$")


class FileNotWrittenError(BookOrbitError):
    title = "File not changed"


@dataclass(frozen=True)
class FileWritten:
    path: str
    backup: str  # the old file's copy (after a restore: the backup that was put back)
    old_document: str  # KOReader's id of the old file (kept as an alias of the book)
    new_document: str


def backups_dir(paths: Paths) -> Path:
    return paths.data_dir / BACKUPS


def opf_values(book: Book, edited: frozenset[str], now: float) -> OpfValues:
    """What the library holds for `book`, as the EPUB writer takes it."""
    from bookorbit_desktop.library.metadata.epub_write import Author, OpfValues

    authors = tuple(
        Author(row.name, row.sort_name)
        for row in AuthorRow.select(AuthorRow.name, AuthorRow.sort_name)
        .join(BookAuthor)
        .where(BookAuthor.book == book.id)
        .order_by(BookAuthor.position)
    )
    held = {
        "authors": authors or None,
        "series": book.series,
        "description": book.description,
        "publisher": book.publisher,
        "published": book.published,
        "isbn": book.isbn13,
    }
    return OpfValues(
        title=book.title,
        subtitle=book.subtitle,
        authors=authors,
        series=book.series,
        series_index=book.series_index if book.series else None,
        description=book.description,
        publisher=book.publisher,
        published=book.published,
        languages=tuple(languages_of([book.id])[book.id]),
        isbn13=book.isbn13,
        cleared=frozenset(name for name, value in held.items() if not value and name in edited),
        modified=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
    )


def _epub_files(book_id: int) -> list[BookFile]:
    book = Book.get_or_none(Book.id == book_id)
    if book is None:
        raise NotFoundError(f"There is no book with id {book_id}.")
    files = list(BookFile.select().where(BookFile.book == book_id).order_by(BookFile.id))
    present = [f for f in files if not f.missing]
    epubs = [f for f in present if f.format == "epub"]
    if not epubs:
        kinds = sorted({f.format.upper() for f in present})
        having = f"its files are {', '.join(kinds)}" if kinds else "none of its files is here"
        raise FileNotWrittenError(
            f"“{book.title}” has no EPUB file to write into ({having}). Only EPUB files are "
            "written; the library keeps its metadata either way."
        )
    return epubs


def write_into_files(
    paths: Paths, book_id: int, *, clock: Callable[[], float] = time.time
) -> list[FileWritten]:
    """Write the library's metadata of `book_id` into each of its EPUB files (see above)."""
    files = _epub_files(book_id)
    book = Book.get_by_id(book_id)
    edited = edited_fields(book_id)
    now = clock()
    values = opf_values(book, edited, now)
    cover = None
    if "cover" in edited and book.cover_path:
        cover = cover_file(paths, book.cover_path).read_bytes()
    written = []
    recover()
    settle_writes(clock=clock)
    for row in files:
        path = _real(row)
        backup = _backup_path(paths, book_id, row.id, path.name, now)
        try:
            backup.parent.mkdir(parents=True, exist_ok=True)
            kept = safe.copy_file(path, backup, keep_record=True)
        except (FileOpError, OSError) as error:
            raise _not_written(path, error, "its backup could not be made") from error
        from bookorbit_desktop.library.metadata.epub_write import rewrite_epub

        try:
            new = safe.write_file(
                path,
                partial(rewrite_epub, path, values=values, cover=cover),
                check=partial(_check, title=values.title),
                mode_of=path,
                expect=(kept.size, kept.sha256),  # the file the backup holds
                keep_record=True,
            )
        except (BookReadError, FileOpError, OSError) as error:
            _drop_backup(backup)
            raise _not_written(path, error) from error
        if kept.record is not None:
            safe.note_written(kept.record, new.sha256)
        written.append(_record(row, path, str(backup), now))
        safe.forget(new.record)
    return written


def settle_writes(*, clock: Callable[[], float] = time.time) -> int:
    """Record the files a stopped write or restore put in place but had yet to record (their
    size and KOReader document id), so the library and the files agree again; run after
    `recover`. How many."""
    left = safe.rewritten()
    for row, path, size, sha in left:
        if safe.matches(path, size, sha):
            for book_file in BookFile.select():
                if _real(book_file) == path:
                    _record(book_file, path, "", clock())
        safe.forget(row)
    return len(left)


def _real(row: BookFile) -> Path:
    """The file a book file's path leads to: a link's target is written, the link stays."""
    return Path(os.path.realpath(row.path))


def _not_written(path: Path, error: Exception, what: str = "") -> FileNotWrittenError:
    """The user's message for a file left as it was."""
    if isinstance(error, FileOpError):
        why = error.reason
    elif isinstance(error, OSError):
        why = safe.reason(error, path)
    else:
        why = str(error)
    text = f"{what}: {why}" if what else why
    return FileNotWrittenError(f"{path} was not changed: {text}.")


def _drop_backup(backup: Path) -> None:
    record = safe.record_of(backup)
    backup.unlink(missing_ok=True)
    safe.forget(record.row if record else None)


def _check(path: Path, *, title: str) -> None:
    """Read the new file as an import would; it must carry the written title."""
    from bookorbit_desktop.library.metadata.reader import read_metadata

    read = read_metadata(path)
    if (read.title or "").strip() != title.strip():
        raise BookReadError(f"the written file reads back as “{read.title}”")


def _backup_path(paths: Paths, book_id: int, file_id: int, name: str, now: float) -> Path:
    """`BOOK-FILE-TIME-name`, the name cut (its extension kept) to fit in 255 bytes."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}"
    prefix = f"{book_id}-{file_id}-{stamp}-"
    stem, extension = os.path.splitext(name)
    room = 255 - len(prefix.encode()) - len(extension.encode())
    stem = stem.encode()[:room].decode("utf-8", "ignore")
    return backups_dir(paths) / f"{prefix}{stem}{extension}"


def _record(row: BookFile, path: Path, backup: str, now: float) -> FileWritten:
    """Record the file now at `path`; the old document id stays an alias of the book."""
    stat = path.stat()
    digest = partial_md5(path)
    with database.atomic():
        BookFile.update(size=stat.st_size, mtime=stat.st_mtime, partial_md5=digest).where(
            BookFile.id == row.id
        ).execute()
        database.execute_sql(
            "INSERT OR IGNORE INTO document_alias (document, kind, book_id, book_file_id, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            (digest, ALIAS_CONTENT, row.book_id, row.id, float(now)),
        )
        Book.update(updated_at=now).where(Book.id == row.book_id).execute()
    return FileWritten(str(path), backup, row.partial_md5, digest)


def check_backup(backup: Path, current: Path | None = None) -> None:
    """FileNotWrittenError unless `backup` is what was saved: the size and checksum recorded
    when it was made (a backup made before they were recorded has none to compare), and it
    opens as an EPUB whose every part reads back. With `current` (the book's file now), also
    unless that file is still the one written in place of the backup: a file changed since
    (by another program, or another book's file under a reused number) is never replaced."""
    record = safe.record_of(backup)
    if record is not None and not safe.matches(backup, record.size, record.sha256):
        raise FileNotWrittenError(
            f"The backup {backup} is not the file that was saved (its size or checksum "
            "differs); it was kept, and the book was left as it is."
        )
    if record is not None and record.written is not None and current is not None:
        try:
            now = safe.digest(current)[1]
        except OSError:
            now = None
        if now != record.written:
            raise FileNotWrittenError(
                f"{current} is not the file metadata was written into (it changed since, or "
                f"it is not there); it was left as it is, and the backup kept at {backup}."
            )
    try:
        with zipfile.ZipFile(backup) as archive:
            damaged = archive.testzip()
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        damaged = str(error) or "not a complete EPUB"
    if damaged is not None:
        raise FileNotWrittenError(
            f"The backup {backup} is damaged ({damaged}); it was kept, and the book was left "
            "as it is."
        )


def backed_up(paths: Paths, book_ids: Iterable[int]) -> set[int]:
    """Which of the books have a backup of a written file to put back."""
    wanted = set(book_ids)
    folder = backups_dir(paths)
    found = (_BACKUP.match(entry.name) for entry in folder.iterdir()) if folder.is_dir() else ()
    return {int(m.group(1)) for m in found if m is not None and int(m.group(1)) in wanted}


def newest_backups(paths: Paths, book_id: int) -> dict[int, Path]:
    """The newest backup of each file of `book_id`, by file id."""
    newest: dict[int, tuple[str, Path]] = {}
    folder = backups_dir(paths)
    for entry in folder.iterdir() if folder.is_dir() else ():
        match = _BACKUP.match(entry.name)
        if match is None or int(match.group(1)) != book_id:
            continue
        file_id, stamp = int(match.group(2)), match.group(3)
        if file_id not in newest or stamp > newest[file_id][0]:
            newest[file_id] = (stamp, entry)
    return {file_id: entry for file_id, (_stamp, entry) in newest.items()}


def restore_backups(
    paths: Paths, book_id: int, *, clock: Callable[[], float] = time.time
) -> list[FileWritten]:
    """Put the newest backup of each of the book's files back (the file as it was before the
    last write) and remove the backup."""
    recover()  # also removes what a stopped write left in the backups' folder
    settle_writes(clock=clock)
    backups = newest_backups(paths, book_id)
    if not backups:
        book = Book.get_or_none(Book.id == book_id)
        if book is None:
            raise NotFoundError(f"There is no book with id {book_id}.")
        raise FileNotWrittenError(
            f"“{book.title}” has no backup to put back: its files are as BookOrbit found them "
            "(no metadata was written into them, or the backup was already put back)."
        )
    now, restored = clock(), []
    for row in BookFile.select().where(BookFile.id.in_(list(backups))):
        backup, path = backups[row.id], _real(row)
        record = safe.record_of(backup)
        if record is not None and safe.matches(path, record.size, record.sha256):
            put_back = None  # a restore that stopped before removing the backup put it back
        else:
            put_back = _put_back(backup, path).record
        restored.append(_record(row, path, str(backup), now))
        safe.forget(put_back)
        _drop_backup(backup)
    return restored


def _put_back(backup: Path, path: Path) -> safe.Copied:
    check_backup(backup, path)
    try:
        return safe.write_file(
            path,
            partial(shutil.copyfile, backup),
            check=check_backup,
            mode_of=path if path.exists() else None,
            expect=safe.digest(path) if path.exists() else None,
            keep_record=True,
        )
    except (FileOpError, OSError) as error:
        raise _not_written(path, error) from error
