"""Merging two books in one transaction, and the preview the side-by-side view shows.

`preview` reads both copies and the choice per field (`fields.choices`) and per reading value
(`reading.merge_reading`). `merge_books` keeps one book with the files and rows of both
(`tables.move_rows`), the chosen values written to it the way an edit writes them, and the
other copy deleted once whatever stays with it is kept whole in the step
(`journal.removed.keep_book`). No file on disk moves: both files stay where they are, now
belonging to one book. Two books linked to different Hardcover books are not merged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.book_values import read_values, write_values
from bookorbit_desktop.library.journal.record import recording, start_step
from bookorbit_desktop.library.journal.removed import keep_book
from bookorbit_desktop.library.merge import fields, reading, tables
from bookorbit_desktop.library.metadata.covers import (
    cover_file,
    cover_relative_path,
    delete_cover,
)
from bookorbit_desktop.library.metadata.images import open_image
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.user_edits import edit_rows, edited_fields

MERGE = "merge"


@dataclass(frozen=True)
class Preview:
    """Two copies side by side: their values, the files each has, and the merge's choices."""

    keep: int
    other: int
    values: tuple[dict[str, Any], dict[str, Any]]  # `read_values` of each
    files: tuple[tuple[str, ...], tuple[str, ...]]
    chosen: dict[str, str]  # field -> fields.KEEP or fields.OTHER
    reading: dict[str, Any]  # the merged reading state
    covers: tuple[tuple[int, int] | None, tuple[int, int] | None]  # each cover's size in pixels
    refusal: str | None  # why these two cannot be merged


def _size(paths: Paths, cover_path: str | None) -> tuple[int, int] | None:
    """The cover's width and height; None without one (or when it cannot be read)."""
    if not cover_path:
        return None
    try:
        with open_image(cover_file(paths, cover_path)) as image:
            width, height = image.size
    except Exception:  # another format, too many pixels or a damaged header: no size
        return None
    return int(width), int(height)


def _copy(book_id: int, values: dict[str, Any], size: tuple[int, int] | None) -> fields.Copy:
    return fields.Copy(values, edited_fields(book_id), size[0] * size[1] if size else 0)


def refusal(keep: int, other: int) -> str | None:
    """Why two books cannot be merged, in plain words; None when they can."""
    if keep == other:
        return "A book cannot be merged with itself. Choose two different books."
    mine, theirs = tables.linked_to(keep)[0], tables.linked_to(other)[0]
    if mine is not None and theirs is not None and mine != theirs:
        return (
            "These books are linked to two different Hardcover books, so they may not be the "
            "same book. Unlink one of them on the Hardcover page first, then merge."
        )
    return None


def _files(book_id: int) -> tuple[str, ...]:
    rows = database.execute_sql(
        "SELECT path FROM book_file WHERE book_id = ? ORDER BY id", (book_id,)
    )
    return tuple(path for (path,) in rows)


def preview(keep: int, other: int, paths: Paths) -> Preview:
    """The two books side by side; NotFoundError when one is not in the library."""
    values = read_values([keep, other], paths)
    for book_id in (keep, other):
        if book_id not in values:
            raise NotFoundError(
                f"There is no book with id {book_id}. List the library with "
                "`bookorbit-desktop books`."
            )
    sizes = (_size(paths, values[keep]["cover"][0]), _size(paths, values[other]["cover"][0]))
    mine, theirs = _copy(keep, values[keep], sizes[0]), _copy(other, values[other], sizes[1])
    return Preview(
        keep,
        other,
        (values[keep], values[other]),
        (_files(keep), _files(other)),
        fields.choices(mine, theirs),
        reading.merge_reading(values[keep], values[other]),
        sizes,
        refusal(keep, other),
    )


def merge_books(
    keep: int,
    other: int,
    paths: Paths,
    now: float,
    overrides: Mapping[str, str] | None = None,
) -> int:
    """Merge `other` into `keep` as one step of the journal (`overrides`: the user's choice
    of copy for some fields); return the step's id. InvalidValueError when they cannot be
    merged, NotFoundError when one is missing; nothing changes then."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        seen = preview(keep, other, paths)
        if seen.refusal:
            raise InvalidValueError(seen.refusal, title="Cannot merge")
        chosen = {**seen.chosen, **(overrides or {})}
        titles = (seen.values[0]["title"][0], seen.values[1]["title"][0])
        step = start_step(MERGE, f"Merge “{titles[1]}” into “{titles[0]}”", now, paths)
        cover = merge_into_step(step, seen, chosen, paths, now)
    delete_cover(paths, cover)  # once committed; its image is kept in the step
    return step


def merge_into_step(
    step: int, seen: Preview, chosen: Mapping[str, str], paths: Paths, now: float
) -> str | None:
    """The merge itself, recorded in `step` (in the caller's transaction); return the other
    copy's cover file, to delete once the merge has committed."""
    keep, other = seen.keep, seen.other
    mine, theirs = seen.values
    writes: dict[str, Any] = {}
    cover_data = None
    for name in fields.FIELDS:
        if chosen.get(name) == fields.OTHER and theirs[name] != mine[name]:
            writes[name] = theirs[name]
    if chosen.get("language") == fields.OTHER and theirs["languages"] != mine["languages"]:
        writes["languages"] = theirs["languages"]  # every language with the first
    if "cover" in writes:
        cover_data = _cover_bytes(paths, theirs["cover"][0])
        if cover_data is None:
            del writes["cover"]
        else:
            writes["cover"] = [cover_relative_path(keep), theirs["cover"][1]]
    merged_reading = {name: value for name, value in seen.reading.items() if value != mine[name]}
    marks = fields.merged_marks(
        fields.Copy(mine, mine["marks"]), fields.Copy(theirs, theirs["marks"]), chosen
    )
    own_marks = edit_rows(keep)  # whole, for the undo to give back as they were
    with recording(MERGE, [keep], paths=paths, step=step):
        moved, dropped = tables.move_rows(keep, other)
        kept = keep_book(other, paths)  # what stays with the other copy, the cover's image
        write_values(
            keep, {**writes, **merged_reading}, marks, cover_data=cover_data, paths=paths, now=now
        )
        Book.delete().where(Book.id == other).execute()
    kept.update(moved=moved, dropped=dropped, kept_marks=own_marks)
    steps.add_entries(step, [steps.Entry(other, kept, {"into": keep, "chosen": dict(chosen)})])
    cover: str | None = theirs["cover"][0]
    return cover


def _cover_bytes(paths: Paths, cover_path: str | None) -> bytes | None:
    if not cover_path:
        return None
    try:
        return cover_file(paths, cover_path).read_bytes()
    except OSError:
        return None
