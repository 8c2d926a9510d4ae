"""The journal's steps in the library database (`store.journal_schema`), and the cover images
they keep.

The journal holds the last `KEEP` steps; an older one is dropped when a new step is recorded,
and so is every undone step (a new action ends what could be redone). Images that a step's
cover values name (a removed book's cover among them) are kept by their hash in the data
folder's `journal/covers` until no step names them (`named_covers`, `drop_unused_covers`).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.metadata.covers import write_atomically
from bookorbit_desktop.library.store.models import database

KEEP = 100  # steps the journal holds


@dataclass(frozen=True)
class Entry:
    book_id: int
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True)
class Step:
    id: int
    kind: str
    label: str
    created_at: float
    undone_at: float | None
    entries: tuple[Entry, ...]


def _entries(step_id: int) -> tuple[Entry, ...]:
    rows = database.execute_sql(
        "SELECT book_id, before, after FROM change_entry WHERE step_id = ? ORDER BY id",
        (step_id,),
    )
    return tuple(Entry(int(b), json.loads(old), json.loads(new)) for b, old, new in rows)


def _step(row: tuple[Any, ...] | None, entries: bool = True) -> Step | None:
    """The step of a row; with `entries` False, without its entries (quick to read however
    many books the step names)."""
    if row is None:
        return None
    step_id, kind, label, created_at, undone_at = row
    held = _entries(int(step_id)) if entries else ()
    return Step(int(step_id), kind, label, float(created_at), undone_at, held)


def entry(step_id: int, book_id: int) -> Entry | None:
    """The step's entry for one book, or None."""
    row = database.execute_sql(
        "SELECT before, after FROM change_entry WHERE step_id = ? AND book_id = ?",
        (step_id, book_id),
    ).fetchone()
    return None if row is None else Entry(book_id, json.loads(row[0]), json.loads(row[1]))


_COLUMNS = "SELECT id, kind, label, created_at, undone_at FROM change_step"


def get_step(step_id: int) -> Step | None:
    return _step(database.execute_sql(f"{_COLUMNS} WHERE id = ?", (step_id,)).fetchone())


def next_undo(*, entries: bool = True) -> Step | None:
    """The latest step not undone (the one Undo takes back)."""
    sql = f"{_COLUMNS} WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    return _step(database.execute_sql(sql).fetchone(), entries)


def last_done(kind: str, *, entries: bool = True) -> Step | None:
    """The latest step of `kind` not undone."""
    sql = f"{_COLUMNS} WHERE kind = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1"
    return _step(database.execute_sql(sql, (kind,)).fetchone(), entries)


def next_redo(*, entries: bool = True) -> Step | None:
    """The earliest undone step (the one Redo does again)."""
    sql = f"{_COLUMNS} WHERE undone_at IS NOT NULL ORDER BY id LIMIT 1"
    return _step(database.execute_sql(sql).fetchone(), entries)


def latest(*, entries: bool = True) -> Step | None:
    """The latest step, done or undone."""
    return _step(database.execute_sql(f"{_COLUMNS} ORDER BY id DESC LIMIT 1").fetchone(), entries)


def set_undone(step_id: int, when: float | None) -> None:
    database.execute_sql("UPDATE change_step SET undone_at = ? WHERE id = ?", (when, step_id))


def history(limit: int = KEEP, book_id: int | None = None) -> list[Step]:
    """The steps, latest first (only those that changed `book_id`, when given)."""
    if book_id is None:
        rows = database.execute_sql(f"{_COLUMNS} ORDER BY id DESC LIMIT ?", (limit,))
    else:
        rows = database.execute_sql(
            f"{_COLUMNS} WHERE id IN (SELECT step_id FROM change_entry WHERE book_id = ?)"
            " ORDER BY id DESC LIMIT ?",
            (book_id, limit),
        )
    return [step for step in map(_step, rows.fetchall()) if step is not None]


def open_step(kind: str, label: str, now: float) -> int:
    """A new step that actions fill (`add_entries`); ends what could be redone."""
    database.execute_sql(
        "INSERT INTO change_step (kind, label, created_at) VALUES (?, ?, ?)", (kind, label, now)
    )
    step_id = int(database.execute_sql("SELECT last_insert_rowid()").fetchone()[0])
    return step_id


def add_entries(step_id: int, entries: Iterable[Entry]) -> None:
    """Add the books' changes to the step; a book already in it keeps its first values before
    and takes the new values after (the fields of both kept)."""
    entries = list(entries)
    held = {
        int(book_id): (json.loads(before), json.loads(after))
        for book_id, before, after in database.execute_sql(
            "SELECT book_id, before, after FROM change_entry WHERE step_id = ?", (step_id,)
        ).fetchall()
    }
    new, merged = [], []
    for entry in entries:
        if entry.book_id not in held:
            new.append((step_id, entry.book_id, _json(entry.before), _json(entry.after)))
            continue
        before, after = held[entry.book_id]
        before = {**entry.before, **before}
        after.update(entry.after)
        merged.append((_json(before), _json(after), step_id, entry.book_id))
    cursor = database.cursor()
    cursor.executemany(
        "INSERT INTO change_entry (step_id, book_id, before, after) VALUES (?, ?, ?, ?)", new
    )
    cursor.executemany(
        "UPDATE change_entry SET before = ?, after = ? WHERE step_id = ? AND book_id = ?", merged
    )


def rename_step(step_id: int, label: str) -> None:
    database.execute_sql("UPDATE change_step SET label = ? WHERE id = ?", (label, step_id))


def entry_count(step_id: int) -> int:
    sql = "SELECT COUNT(*) FROM change_entry WHERE step_id = ?"
    return int(database.execute_sql(sql, (step_id,)).fetchone()[0])


def _json(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def stale_steps(keep: int = KEEP, *, besides: int | None = None) -> list[Step]:
    """The steps a new step drops: every undone one, and those beyond the latest `keep`."""
    rows = database.execute_sql(
        f"{_COLUMNS} WHERE (undone_at IS NOT NULL OR id NOT IN"
        " (SELECT id FROM change_step ORDER BY id DESC LIMIT ?)) AND id IS NOT ?",
        (keep, besides),
    )
    return [step for step in map(_step, rows.fetchall()) if step is not None]


def delete_steps(steps: Iterable[Step]) -> None:
    for step in steps:
        database.execute_sql("DELETE FROM change_step WHERE id = ?", (step.id,))


# The images that cover values name, by hash.
def _covers_dir(paths: Paths) -> Path:
    return paths.data_dir / "journal" / "covers"


def keep_cover(paths: Paths, digest: str, data: bytes) -> None:
    target = _covers_dir(paths) / f"{digest}.jpg"
    if not target.exists():
        write_atomically(target, data)


def kept_cover(paths: Paths, digest: str) -> bytes | None:
    try:
        return (_covers_dir(paths) / f"{digest}.jpg").read_bytes()
    except OSError:
        return None


def drop_unused_covers(paths: Paths, used: Callable[[], set[str]]) -> None:
    """Delete the kept images no step names any more (`used`: the hashes steps name)."""
    folder = _covers_dir(paths)
    if not folder.is_dir():
        return
    names = used()
    for file in folder.glob("*.jpg"):
        if file.stem not in names:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(file)


def named_covers() -> set[str]:
    """The hashes of every cover value the steps hold."""
    found: set[str] = set()
    for before, after in database.execute_sql("SELECT before, after FROM change_entry"):
        for values in (json.loads(before), json.loads(after)):
            cover = values.get("cover")
            if isinstance(cover, list) and len(cover) == 2 and cover[1]:
                found.add(cover[1])
    return found
