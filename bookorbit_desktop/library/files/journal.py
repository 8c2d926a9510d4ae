"""The journal of tidy batches in the library database, and the records a move changes.

Each move goes `planned` -> `done` (or `copied` -> `done` across file systems, the original
deleted last), `failed` or `skipped`. `point_records` changes, in one transaction, every record
that names the file's path: the book's file row, a removed-files entry for that path, KOReader's
file-name document id for the new name (the old one stays: a device may still have the file
under it) and the watched folders (the library folder is watched when a moved file was), and
marks the move. KOReader's content document id (a partial MD5) does not depend on the path, so
progress and highlights stay with the book.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.files.plan import BookFacts, Rename
from bookorbit_desktop.library.metadata.koreader_hash import filename_md5
from bookorbit_desktop.library.store import listing
from bookorbit_desktop.library.store.models import ALIAS_FILENAME, database
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.library.store.sql import OUTSIDE_INBOX

PLANNED = "planned"
COPIED = "copied"  # the copy is in place and recorded; the original is not yet deleted
DONE = "done"
FAILED = "failed"
SKIPPED = "skipped"  # found not moved after the process stopped: nothing changed
WATCHED = "library.watched_folders"
# How a file gets to its new path (the column `tidy_move.copy`):
MOVE = 0  # renamed on its file system
CROSS = 1  # to another file system: copied, synced, then the original deleted
KEEP = 2  # copied, synced, and the original kept where it is
DROP = 3  # undoing a KEEP: the records go back to the original, the copy is deleted


@dataclass(frozen=True)
class Move:
    id: int
    batch_id: int
    file_id: int
    old: str
    new: str
    mode: int  # MOVE, CROSS, KEEP or DROP

    @property
    def copy(self) -> bool:
        """The file is copied (not renamed) to its new path."""
        return self.mode in (CROSS, KEEP)

    state: str


def book_facts() -> list[BookFacts]:
    """Every present file of an approved book, with what its name is made of."""
    rows = database.execute_sql(
        "SELECT f.id, f.path, b.id, b.title, b.series, b.series_index, b.published, b.language"
        f" FROM book_file f JOIN book b ON b.id = f.book_id WHERE f.missing = 0 AND {OUTSIDE_INBOX}"
        " ORDER BY b.sort_title, b.id, f.id"
    ).fetchall()
    authors = listing.names([row[2] for row in rows])
    return [
        BookFacts(
            file_id=file_id,
            path=path,
            title=title,
            authors=tuple(authors.get(book_id, ())),
            series=series,
            series_index=index,
            published=published,
            language=language,
        )
        for file_id, path, book_id, title, series, index, published, language in rows
    ]


def start_batch(renames: Sequence[Rename], modes: Sequence[int], undoes: int | None = None) -> int:
    """Record a batch and its moves as planned, before any file moves; the batch id."""
    with database.atomic():
        cursor = database.execute_sql(
            "INSERT INTO tidy_batch (created_at, undoes) VALUES (?, ?)", (time.time(), undoes)
        )
        batch_id = int(cursor.lastrowid)
        database.cursor().executemany(
            "INSERT INTO tidy_move (batch_id, book_file_id, old_path, new_path, copy, state)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (batch_id, rename.file_id, rename.old, rename.new, mode, PLANNED)
                for rename, mode in zip(renames, modes, strict=True)
            ],
        )
    return batch_id


_MOVE_COLUMNS = "SELECT id, batch_id, book_file_id, old_path, new_path, copy, state FROM tidy_move"


def moves(batch_id: int | None = None, states: Sequence[str] = ()) -> list[Move]:
    """The moves of a batch (of every batch when None) in these states, in order."""
    where: list[str] = []
    params: list[object] = []
    if batch_id is not None:
        where.append("batch_id = ?")
        params.append(batch_id)
    if states:
        where.append(f"state IN ({', '.join('?' * len(states))})")
        params += list(states)
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    rows = database.execute_sql(
        f"{_MOVE_COLUMNS}{condition} ORDER BY id",
        params,
    ).fetchall()
    return [_move(row) for row in rows]


def _move(row: tuple) -> Move:
    return Move(row[0], row[1], row[2], row[3], row[4], int(row[5]), row[6])


def first_move(batch_id: int, state: str) -> Move | None:
    """The batch's first move in `state`, or None (without reading the others)."""
    row = database.execute_sql(
        f"{_MOVE_COLUMNS} WHERE batch_id = ? AND state = ? ORDER BY id LIMIT 1",
        (batch_id, state),
    ).fetchone()
    return (
        None if row is None else Move(row[0], row[1], row[2], row[3], row[4], int(row[5]), row[6])
    )


def moved_to(batch_id: int, old: str) -> str | None:
    """Where the batch moved the file at `old`, once it did (None: it did not)."""
    row = database.execute_sql(
        "SELECT new_path FROM tidy_move WHERE batch_id = ? AND old_path = ? AND state IN (?, ?)",
        (batch_id, old, DONE, COPIED),
    ).fetchone()
    return None if row is None else str(row[0])


def set_state(move_id: int, state: str) -> None:
    database.execute_sql("UPDATE tidy_move SET state = ? WHERE id = ?", (state, move_id))


def point_records(move: Move, state: str) -> None:
    """Every record that names the file now names `move.new`, and the move is `state`: one
    transaction, so a process killed at any moment leaves both or neither."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        row = database.execute_sql(
            "SELECT book_id FROM book_file WHERE id = ?", (move.file_id,)
        ).fetchone()
        if row is not None:
            database.execute_sql(
                "UPDATE book_file SET path = ? WHERE id = ?", (move.new, move.file_id)
            )
            database.execute_sql(
                "INSERT OR IGNORE INTO document_alias (document, kind, book_id, book_file_id,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    filename_md5(os.path.basename(move.new)),
                    ALIAS_FILENAME,
                    row[0],
                    move.file_id,
                    time.time(),
                ),
            )
        database.execute_sql(
            "UPDATE OR REPLACE removed_file SET path = ? WHERE path = ?", (move.new, move.old)
        )
        _keep_watching(move)
        set_state(move.id, state)


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == (
            os.path.abspath(folder)
        )
    except ValueError:  # another drive
        return False


def _keep_watching(move: Move) -> None:
    """A file that lay in a watched folder stays watched: its new folder (the library folder,
    the pattern's first folder's parent) joins the watched folders unless one holds it."""
    folders = list(get_setting(WATCHED))
    if not any(_inside(move.old, folder) for folder in folders):
        return
    if any(_inside(move.new, folder) for folder in folders):
        return
    root = library_root(move)
    set_setting(WATCHED, [*folders, root])


def library_root(move: Move) -> str:
    """The tidy folder the move's batch went to (the setting), else the new file's folder."""
    folder = get_setting("library.tidy_folder")
    if folder and _inside(move.new, folder):
        return str(folder)
    return os.path.dirname(move.new)


def last_batch() -> tuple[int, bool] | None:
    """The newest batch that is not itself an undo, and whether it was undone; None if none."""
    row = database.execute_sql(
        "SELECT id, undone_at FROM tidy_batch WHERE undoes IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else (int(row[0]), row[1] is not None)


def last_tidy() -> list[int]:
    """The batches of the last tidy, newest first, whether undone or not (`_last_tidy`)."""
    return [batch_id for batch_id, _undone in _last_tidy()]


def batches_to_undo() -> list[int]:
    """The batches of the last tidy not undone yet, newest first: the next undo takes them back.
    Once the whole tidy was undone, a tidy before it whose own undo stopped part way (files
    still where it put them) is next: nothing a tidy moved is ever left without an undo."""
    chain = [batch_id for batch_id, undone in _last_tidy() if not undone]
    return chain or _stopped_undo()


def _stopped_undo() -> list[int]:
    row = database.execute_sql(
        "SELECT b.id FROM tidy_batch b WHERE b.undoes IS NULL AND b.undone_at IS NULL"
        " AND EXISTS (SELECT 1 FROM tidy_batch u WHERE u.undoes = b.id)"
        " ORDER BY b.id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return []
    still = any(current_path(m.file_id) == m.new for m in moves(int(row[0]), (DONE,)))
    return [int(row[0])] if still else []


def _last_tidy() -> list[tuple[int, bool]]:
    """(batch, whether undone) for each batch of the last tidy, newest first: the newest batch
    that is not itself an undo and moved a file (or was undone), and before it each batch a
    stopped process left unfinished (moves found not made, `skipped`), whose rest the next run
    moved: one tidy for the user. An unfinished batch undone on its own before a newer run is
    not part of it; one left not undone when the undo of the newer run stopped is, so the next
    undo takes it back too."""
    rows = database.execute_sql(
        "SELECT b.id, b.undone_at, EXISTS (SELECT 1 FROM tidy_move m WHERE m.batch_id = b.id"
        " AND m.state = ?), EXISTS (SELECT 1 FROM tidy_move m WHERE m.batch_id = b.id"
        " AND m.state = ?) FROM tidy_batch b WHERE b.undoes IS NULL ORDER BY b.id DESC",
        (SKIPPED, DONE),
    ).fetchall()
    chain: list[tuple[int, bool]] = []  # (batch, undone)
    for batch_id, undone_at, interrupted, moved in rows:
        undone = undone_at is not None
        if not chain and not moved and not undone:
            continue  # a run that moved nothing (every file refused) is no tidy to undo
        if chain and (not interrupted or (undone and not chain[0][1])):
            break
        chain.append((int(batch_id), undone))
    return chain


def created_at(batch_id: int) -> float:
    sql = "SELECT created_at FROM tidy_batch WHERE id = ?"
    return float(database.execute_sql(sql, (batch_id,)).fetchone()[0])


def undone_since(batch_id: int) -> bool:
    """Whether an undo (of any batch) was started after this batch."""
    sql = "SELECT 1 FROM tidy_batch WHERE undoes IS NOT NULL AND id > ? LIMIT 1"
    return database.execute_sql(sql, (batch_id,)).fetchone() is not None


def mark_undone(batch_id: int) -> None:
    database.execute_sql(
        "UPDATE tidy_batch SET undone_at = ? WHERE id = ?", (time.time(), batch_id)
    )


def holder(path: str) -> tuple[int, int] | None:
    """(file id, book id) of the library file recorded at `path`, or None."""
    row = database.execute_sql(
        "SELECT id, book_id FROM book_file WHERE path = ?", (path,)
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def drop_copy_record(move: Move) -> None:
    """A kept copy whose original is in the library again (imported after the copy) as a file
    of the same book: the copy's record goes and the move is `copied` (its file is deleted
    next), in one transaction."""
    with database.atomic():
        database.execute_sql("DELETE FROM book_file WHERE id = ?", (move.file_id,))
        set_state(move.id, COPIED)


def path_taken(path: str, file_id: int) -> bool:
    """True when another of the library's files is recorded at `path` (a file imported again
    after a kept copy, say): a move there would give two records one path."""
    row = database.execute_sql(
        "SELECT 1 FROM book_file WHERE path = ? AND id != ?", (path, file_id)
    ).fetchone()
    return row is not None


def book_of(file_id: int) -> int | None:
    row = database.execute_sql("SELECT book_id FROM book_file WHERE id = ?", (file_id,)).fetchone()
    return None if row is None else int(row[0])


def current_path(file_id: int) -> str | None:
    row = database.execute_sql("SELECT path FROM book_file WHERE id = ?", (file_id,)).fetchone()
    return None if row is None else str(row[0])


def open_undos() -> list[int]:
    """Undo batches whose batch is not yet marked undone (a process stopped during the undo)."""
    rows = database.execute_sql(
        "SELECT u.undoes FROM tidy_batch u JOIN tidy_batch b ON b.id = u.undoes"
        " WHERE b.undone_at IS NULL"
    ).fetchall()
    return [int(row[0]) for row in rows]
