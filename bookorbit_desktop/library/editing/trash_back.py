"""Files taken out of the trash inside the transaction that brings their book back, journaled
before that transaction begins.

The undo of a removal (and the return of a removed book an import finds again) inserts the
book's rows in one transaction and takes its files out of the trash inside it, so that the book
and its files come back together. A process stopped in that transaction loses what it wrote to
the library, not what it did to the files: a copy across drives half written under its
temporary name, a file back at its old place while the library still says it is removed. So
each file to be taken out is journaled first, in a transaction of its own (`expect`): a
`file_copy` row in the state `untrash`, from the file in the trash to its old place, with the
temporary name a copy across drives is written under and the size and SHA-256 of the file in
the trash. The undo's transaction drops the row as it handles the file (`taken`), so the row
goes exactly when the undo commits. A row found later (`roll_back`, run by
`removal.repair_files` before any other file work) belongs to a transaction that never
committed: its temporary file goes, and a file it took out goes back to the trash (a copy whose
original is still in the trash is deleted; a file moved is moved back and its trash info file
written again if it went). The next undo then starts from the removal as it was.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path

from bookorbit_desktop.library.editing import trash
from bookorbit_desktop.library.files import safe, symlinks
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)
UNTRASH = "untrash"  # the `file_copy` state of a file an uncommitted transaction takes out


def expect(files: Iterable[tuple[str, str | None]]) -> None:
    """Journal each (old path, place in the trash) whose file is in the trash and whose old
    place is free, before the transaction that takes them out (call inside a transaction of
    its own, which commits before that one begins)."""
    for original, trashed in files:
        if trashed is None or not os.path.isfile(trashed) or os.path.lexists(original):
            continue  # nothing the undo will move
        size, sha = safe.digest(Path(trashed))
        database.execute_sql(
            "INSERT INTO file_copy (source, target, temp, size, sha256, state, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                trashed,
                original,
                os.fspath(safe.temp_beside(Path(original))),
                size,
                sha,
                UNTRASH,
                time.time(),
            ),
        )


def temp_of(trashed: str, original: str) -> Path | None:
    """The temporary name journaled for the copy of `trashed` back to `original`, if any."""
    row = database.execute_sql(
        "SELECT temp FROM file_copy WHERE source = ? AND target = ? AND state = ?"
        " ORDER BY id DESC LIMIT 1",
        (trashed, original, UNTRASH),
    ).fetchone()
    return None if row is None else Path(row[0])


def taken(trashed: str, original: str) -> None:
    """The file is handled (taken out, or left in the trash): its rows go with the transaction
    that handled it."""
    database.execute_sql(
        "DELETE FROM file_copy WHERE source = ? AND target = ? AND state = ?",
        (trashed, original, UNTRASH),
    )


def roll_back() -> int:
    """Put back in the trash what a transaction that never committed took out of it (see the
    module docstring); how many files were looked at."""
    rows = database.execute_sql(
        "SELECT id, source, target, temp, size, sha256 FROM file_copy WHERE state = ?",
        (UNTRASH,),
    ).fetchall()
    for row, trashed, original, temp, size, sha in rows:
        try:
            _back(Path(trashed), Path(original), Path(temp), (int(size), str(sha)))
        except OSError as error:  # the row stays: the next start tries again
            log.warning("%s not put back in the trash: %s", original, error)
            continue
        safe.forget(int(row))
    if rows:
        log.info("Put back in the trash %d file(s) an undo stopped taking out", len(rows))
    return len(rows)


def _back(trashed: Path, original: Path, temp: Path, recorded: tuple[int, str]) -> None:
    temp.unlink(missing_ok=True)
    if not safe.matches(original, *recorded) or symlinks.one_file(original, trashed):
        return  # not taken out: nothing at its old place is the undo's
    if safe.matches(trashed, *recorded):
        os.remove(original)  # a copy; the file is still in the trash
        return
    if os.path.lexists(trashed):
        raise FileExistsError(f"another file is at {trashed} in the trash")
    info = trashed.parent.parent / "info" / f"{trashed.name}{trash.INFO_SUFFIX}"
    if not info.exists():  # first: once the file is back, this row is not looked at again
        info.write_text(trash.trash_info(original, datetime.datetime.now()), encoding="utf-8")
    trash.move_file(original, trashed)
