"""The importer's writes: books, authors, files and document aliases, one file at a time.

The inserts an import repeats for every file are plain SQL on the library's own connection
(building them with the ORM, or running them through it, cost more than running them); the rows
are the ones the models describe.

Callers wrap each call in one transaction, so a file is either fully in the library (book,
authors, file, aliases, reading state) or not at all. Lookups the importer repeats for every
file (known files by path and by digest, authors by name) are cached for the whole run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.library.metadata.koreader_hash import filename_md5
from bookorbit_desktop.library.metadata.model import BookMetadata, Creator
from bookorbit_desktop.library.metadata.naming import sort_title
from bookorbit_desktop.library.store.languages import set_languages_of
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    ALIAS_FILENAME,
    Book,
    BookFile,
    database,
)
from bookorbit_desktop.library.store.removed_files import forget, removed_stats
from bookorbit_desktop.library.store.sql import marks
from bookorbit_desktop.library.store.user_edits import edited_fields

_CHUNK = 500  # paths looked up per query (SQLite allows 32,766 parameters)

# The user-edited field (`store.user_edits`) each book column belongs to, where the names differ.
_USER_FIELD = {"sort_title": "title", "isbn13": "isbn", "isbn10": "isbn"}


@dataclass(slots=True)
class KnownFile:
    """A BookFile row as the importer needs it."""

    id: int
    book_id: int
    path: str
    size: int
    mtime: float
    digest: str
    missing: bool


class LibraryIndex:
    """The library's files this import deals with, and its authors, looked up once per run and
    kept up to date.

    Only the files of the import are read by path (`files`), and the known files sharing a
    document id only for the files read (`same_digest`): a few new files among a large
    library's known ones cost what they cost in a small library. A library without a file
    when the run began (a first import) is asked nothing by document id: every file sharing
    one is a file this run wrote, which the index keeps."""

    def __init__(self, files: Sequence[str]) -> None:
        self._authors: dict[str, int] = {}
        # Files of books the user removed: path -> (size, mtime) when removed.
        self.removed = removed_stats()
        # A plain cursor: the ORM's row handling took longer than the query with a large
        # library.
        self.by_path: dict[str, KnownFile] = {}
        for chunk in range(0, len(files), _CHUNK):
            paths = files[chunk : chunk + _CHUNK]
            try:
                self._load(f"path IN ({marks(paths)})", tuple(paths))
            except UnicodeEncodeError:  # a name in a legacy encoding: never a known path
                storable = tuple(path for path in paths if _storable(path))
                self._load(f"path IN ({marks(storable)})", storable)
        self._by_digest: dict[str, list[KnownFile]] = {}
        self._all_here = _sql("SELECT 1 FROM book_file LIMIT 1").fetchone() is None

    def _load(self, condition: str, params: tuple[Any, ...]) -> list[KnownFile]:
        """The known files the condition selects, in the library's order; each file one
        object, whichever lookup found it first."""
        found = []
        with paused_collection():  # a row per file: no cycles
            for file_id, book_id, path, size, mtime, digest, missing in _sql(
                f"SELECT id, book_id, path, size, mtime, partial_md5, missing FROM book_file"
                f" WHERE {condition} ORDER BY id",
                params,
            ):
                known = self.by_path.get(path)
                if known is None:
                    known = KnownFile(file_id, book_id, path, size, mtime, digest, bool(missing))
                    self.by_path[path] = known
                found.append(known)
        return found

    def same_digest(self, digest: str) -> list[KnownFile]:
        """The known files with the partial MD5 `digest`, in the library's order."""
        same = self._by_digest.get(digest)
        if same is None:
            found = [] if self._all_here else self._load("partial_md5 = ?", (digest,))
            same = self._by_digest[digest] = found
        return same

    def _remember(self, known: KnownFile) -> None:
        self.by_path[known.path] = known
        same = self._by_digest.get(known.digest)
        if same is not None:
            same.append(known)
        elif self._all_here:
            self._by_digest[known.digest] = [known]

    def _forget(self, known: KnownFile) -> None:
        self.by_path.pop(known.path, None)
        same = self._by_digest.get(known.digest, [])
        if known in same:
            same.remove(known)

    def removed_unchanged(self, file: str, size: int, mtime: float) -> bool:
        """The file at `file` belonged to a book the user removed and has not changed since."""
        return self.removed.get(file) == (size, mtime)

    # -- writes (call inside a transaction) -------------------------------------------------

    def forget_removed(self, path: Path) -> None:
        """A removed book's file changed: it is a book again."""
        if self.removed.pop(str(path), None) is not None:
            forget(str(path))

    def author_id(self, creator: Creator) -> int:
        """The id of the author named as `creator` is, added (with its sort text, worked out
        only then) if the library has none."""
        name = creator.name
        cached = self._authors.get(name)
        if cached is not None:
            return cached
        row = _sql("SELECT id FROM author WHERE name = ?", (name,)).fetchone()
        if row is not None:
            author_id = int(row[0])
        else:
            cursor = _sql(
                "INSERT INTO author (name, sort_name) VALUES (?, ?)", (name, creator.sort_name)
            )
            author_id = int(cursor.lastrowid)
        self._authors[name] = author_id
        return author_id

    def create_book(self, metadata: BookMetadata, now: float) -> int:
        columns = _book_columns(metadata)
        columns["identifiers"] = _json(columns["identifiers"])
        names = [*columns, "added_at", "updated_at"]
        cursor = _sql(
            f"INSERT INTO book ({', '.join(names)}) VALUES ({marks(names)})",
            (*columns.values(), float(now), float(now)),
        )
        book_id = int(cursor.lastrowid)
        if len(metadata.languages) > 1:  # the first one the row's trigger wrote
            set_languages_of({book_id: metadata.languages})
        self._insert_creators(book_id, metadata)
        _sql(
            "INSERT INTO reading_state (book_id, status, progress, updated_at) VALUES (?, ?, ?, ?)",
            (book_id, "unread", 0.0, float(now)),
        )
        return book_id

    def set_creators(self, book_id: int, metadata: BookMetadata) -> None:
        _sql("DELETE FROM book_author WHERE book_id = ?", (book_id,))
        self._insert_creators(book_id, metadata)

    def _insert_creators(self, book_id: int, metadata: BookMetadata) -> None:
        rows = [
            (book_id, self.author_id(creator), position, creator.role)
            for position, creator in enumerate(metadata.creators)
        ]
        if rows:
            _sql_many(
                "INSERT INTO book_author (book_id, author_id, position, role) VALUES (?, ?, ?, ?)",
                rows,
            )

    def refresh_book(self, book_id: int, metadata: BookMetadata, now: float) -> frozenset[str]:
        """Replace a book's metadata with what its (only, changed) file now says, except the
        fields the user edited; return those (`library.editing.values.FIELDS` names)."""
        kept = edited_fields(book_id)
        columns = {
            name: value
            for name, value in _book_columns(metadata).items()
            if _USER_FIELD.get(name, name) not in kept
        }
        Book.update(**columns, updated_at=now).where(Book.id == book_id).execute()
        if "language" not in kept:
            set_languages_of({book_id: metadata.languages})
        if "authors" not in kept:
            self.set_creators(book_id, metadata)
        return kept

    def set_cover(self, book_id: int, cover_path: str | None) -> None:
        _sql("UPDATE book SET cover_path = ? WHERE id = ?", (cover_path, book_id))

    def add_file(
        self,
        book_id: int,
        path: Path,
        file_format: str,
        size: int,
        mtime: float,
        digest: str,
        now: float,
    ) -> KnownFile:
        """A new BookFile with its content and file-name aliases."""
        cursor = _sql(
            "INSERT INTO book_file (book_id, path, format, size, mtime, partial_md5, missing, "
            "added_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
            (book_id, str(path), file_format, int(size), float(mtime), digest, float(now)),
        )
        known = KnownFile(int(cursor.lastrowid), book_id, str(path), size, mtime, digest, False)
        self._remember(known)
        self.add_aliases(known, path.name, now)
        return known

    def add_aliases(self, known: KnownFile, file_name: str, now: float) -> None:
        """KOReader's two document ids for this file: its partial MD5 and its name's MD5.

        A document id may already point at this book (a copy, an earlier version): the
        unique (document, book, kind) index makes that a no-op.
        """
        rows = [
            (document, kind, known.book_id, known.id, float(now))
            for document, kind in (
                (known.digest, ALIAS_CONTENT),
                (filename_md5(file_name), ALIAS_FILENAME),
            )
        ]
        _sql_many(
            "INSERT OR IGNORE INTO document_alias (document, kind, book_id, book_file_id, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    def update_file(
        self,
        known: KnownFile,
        *,
        path: Path | None = None,
        size: int,
        mtime: float,
        digest: str,
    ) -> KnownFile:
        """Record a file's new path, size, time or content digest."""
        new_path = str(path) if path is not None else known.path
        BookFile.update(
            path=new_path, size=size, mtime=mtime, partial_md5=digest, missing=False
        ).where(BookFile.id == known.id).execute()
        self._forget(known)
        updated = KnownFile(known.id, known.book_id, new_path, size, mtime, digest, False)
        self._remember(updated)
        return updated

    def files_of_book(self, book_id: int) -> int:
        return BookFile.select().where(BookFile.book == book_id).count()


def _storable(path: str) -> bool:
    """The library stores paths as UTF-8 text: a name in a legacy encoding cannot be one."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _sql(query: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
    """Run one statement on the library's connection (the caller holds the transaction),
    straight on the SQLite connection: the ORM's bookkeeping for a statement cost the importer
    more than many of its statements."""
    return database.connection().execute(query, params)


def _sql_many(query: str, rows: list[tuple[Any, ...]]) -> None:
    """Run one statement for each of `rows`, as `_sql` runs one."""
    database.connection().executemany(query, rows)


def _json(value: dict[str, str]) -> str:
    """The `JSONText` column format (as `models.JSONText.db_value` writes it)."""
    return json.dumps(value, ensure_ascii=False)


def _book_columns(metadata: BookMetadata) -> dict[str, Any]:
    """The Book columns a file's metadata fills (a new book, or one whose file changed)."""
    ids = metadata.ids
    title = metadata.title or ""
    sorted_as = (metadata.sort_title or "").casefold() or sort_title(title, metadata.language)
    return {
        "title": title,
        "sort_title": sorted_as,
        "language": metadata.language,
        "series": metadata.series,
        "series_index": metadata.series_index,
        "publisher": metadata.publisher,
        "published": metadata.published,
        "description": metadata.description,
        "isbn13": ids.isbn.isbn13 if ids.isbn else None,
        "isbn10": ids.isbn.isbn10 if ids.isbn else None,
        "hardcover_id": ids.hardcover_id,
        "hardcover_slug": ids.hardcover_slug,
        "identifiers": ids.identifiers,
    }
