"""Moving book files to their tidy names, one undo of the last batch, and finishing a batch a
stopped process left half done. Thin: the names come from `plan`, the records from `journal`.

Each file: the move is journalled as planned, the file (and KOReader's `.sdr` folder beside
it) moves, then one transaction points the library at the new path. On one file system the
move is a rename. Across file systems it is a copy, synced to disk under a temporary name and
renamed into place, recorded, and only then is the original deleted; that happens only when
the caller allows it (`allow_copy`), else `CrossDeviceError` before anything moves. With
`keep` every file is copied that way and the original stays (undo deletes the copy). A process
killed at any point loses nothing: `recover` (run before every batch) finishes each move from
what is on disk.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.durable import sync_path
from bookorbit_desktop.library.files import journal
from bookorbit_desktop.library.files.journal import (
    COPIED,
    CROSS,
    DONE,
    DROP,
    FAILED,
    KEEP,
    MOVE,
    PLANNED,
    SKIPPED,
    Move,
)
from bookorbit_desktop.library.files.plan import Rename, Rules, plan, sidecar
from bookorbit_desktop.library.store.settings import get_setting

log = logging.getLogger(__name__)
PART_SUFFIX = ".part"

FileCallback = Callable[[Move, str], object]  # after each file: the move and its new state


class CrossDeviceError(BookOrbitError):
    title = "Files would move to another drive"


class NothingToUndoError(BookOrbitError):
    title = "Nothing to undo"


@dataclass(frozen=True)
class Planned:
    """One rename of the preview, and whether it crosses to another file system."""

    rename: Rename
    cross_device: bool


@dataclass
class BatchResult:
    batch_id: int | None = None
    done: list[Move] = field(default_factory=list)
    failed: list[tuple[Move, str]] = field(default_factory=list)


def system_rules() -> Rules:
    return Rules.for_system(
        "windows" if os.name == "nt" else "darwin" if sys.platform == "darwin" else "other"
    )


def preview(folder: str | None = None, pattern: str | None = None) -> list[Planned]:
    """Every rename the pattern asks for (the settings' folder and pattern by default)."""
    folder = folder or get_setting("library.tidy_folder")
    if not folder:
        raise BookOrbitError(
            "Choose the library folder the files go to first (Settings, or "
            "`bookorbit-desktop files folder DIR`).",
            title="No library folder",
        )
    pattern = pattern or get_setting("library.tidy_pattern")
    books = journal.book_facts()
    root = Path(folder).expanduser().resolve().as_posix()
    taken = _existing_under(root)
    renames = [
        Rename(rename.file_id, rename.old, str(Path(rename.new)))  # the system's separators
        for rename in plan(books, pattern, root, system_rules(), taken)
    ]
    return [Planned(rename, _cross_device(rename.old, rename.new)) for rename in renames]


def _existing_under(root: str) -> list[str]:
    found = []
    for directory, folders, files in os.walk(root):
        found += [Path(directory, name).as_posix() for name in [*files, *folders]]
    return found


def _device(path: str) -> int:
    """The file system of `path`, or of its nearest existing parent."""
    current = Path(path)
    while not current.exists() and current != current.parent:
        current = current.parent
    return current.stat().st_dev


def _cross_device(old: str, new: str) -> bool:
    return _device(old) != _device(new)


def tidy(
    planned: Sequence[Planned],
    *,
    allow_copy: bool = False,
    keep: bool = False,
    on_file: FileCallback | None = None,
) -> BatchResult:
    """Move the files as previewed (with `keep`, copy them and keep the originals).
    CrossDeviceError, moving nothing, when one would leave its file system and `allow_copy`
    is False (a kept copy deletes nothing and needs no consent)."""
    modes = [KEEP if keep else CROSS if p.cross_device else MOVE for p in planned]
    return _run([p.rename for p in planned], modes, allow_copy, on_file)


def undo_last(*, allow_copy: bool = False, on_file: FileCallback | None = None) -> BatchResult:
    """Move the files of the last batch back where they were (once)."""
    recover()
    last = journal.last_batch()
    if last is None or last[1]:
        raise NothingToUndoError("There is no tidy batch to undo (only the last one can be).")
    batch_id = last[0]
    done = [
        move
        for move in journal.moves(batch_id, (DONE,))
        if journal.current_path(move.file_id) == move.new and os.path.lexists(move.new)
    ]
    back = [Rename(move.file_id, move.new, move.old) for move in done]
    modes = [
        DROP if move.mode == KEEP else CROSS if _cross_device(move.new, move.old) else MOVE
        for move in done
    ]
    result = _run(back, modes, allow_copy, on_file, undoes=batch_id)
    if not result.failed:
        journal.mark_undone(batch_id)
    return result


def _run(
    renames: Sequence[Rename],
    modes: Sequence[int],
    allow_copy: bool,
    on_file: FileCallback | None,
    undoes: int | None = None,
) -> BatchResult:
    recover()
    crossing = list(modes).count(CROSS)
    if crossing and not allow_copy:
        raise CrossDeviceError(
            f"{crossing} file(s) would move to another drive: they would be copied, written to "
            "disk, and only then deleted where they are. Confirm the copy to go ahead, or "
            "choose a library folder on the same drive."
        )
    result = BatchResult()
    if not renames:
        if undoes is not None:
            journal.mark_undone(undoes)
        return result
    result.batch_id = journal.start_batch(renames, modes, undoes)
    for move in journal.moves(result.batch_id):
        state, reason = _carry_out(move)
        if state == FAILED:
            result.failed.append((move, reason))
        else:
            result.done.append(move)
        if on_file is not None:
            on_file(move, state)
    return result


def _carry_out(move: Move) -> tuple[str, str]:
    """Move one file; its final state and, for a failure, why (in the user's words)."""
    try:
        if move.mode == DROP:
            return _drop_copy(move)
        if os.path.lexists(move.new) and not _same_file(move.old, move.new):
            raise _Refused(f"a file is already at {move.new}")
        if not os.path.isfile(move.old):
            raise _Refused(f"{move.old} is not there any more")
        Path(move.new).parent.mkdir(parents=True, exist_ok=True)
        if not move.copy:
            os.rename(move.old, move.new)
            _move_sidecar(move)
            journal.point_records(move, DONE)
            return DONE, ""
        _copy_synced(move.old, move.new)
        _move_sidecar(move)
        if move.mode == KEEP:
            journal.point_records(move, DONE)
            return DONE, ""
        journal.point_records(move, COPIED)
        _delete_original(move)
        return DONE, ""
    except _Refused as why:
        reason = str(why)
    except OSError as error:
        reason = (
            "it would cross to another drive"
            if error.errno == errno.EXDEV
            else f"{error.strerror or error} ({error.filename or move.old})"
        )
    journal.set_state(move.id, FAILED)
    log.warning("Tidy: %s not moved: %s", move.old, reason)
    return FAILED, reason


class _Refused(Exception):
    pass


def _drop_copy(move: Move) -> tuple[str, str]:
    """Undo a kept copy: the records go back to the original (`move.new`), then the copy
    (`move.old`) is deleted."""
    if not os.path.isfile(move.new):
        raise _Refused(f"the original {move.new} is not there any more")
    journal.point_records(move, COPIED)
    _delete_original(move)
    return DONE, ""


def _same_file(old: str, new: str) -> bool:
    """True when `new` is `old` under another case (a case-insensitive file system)."""
    try:
        return os.path.samefile(old, new)
    except OSError:
        return False


def _copy_synced(old: str, new: str) -> None:
    """Copy `old` to `new` so that `new` exists only complete and on disk."""
    part = new + PART_SUFFIX
    shutil.copy2(old, part)
    with open(part, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(part, new)
    sync_path(Path(new).parent)


def _move_sidecar(move: Move) -> None:
    """KOReader's `.sdr` folder follows the book, when there is one and nothing is in its way."""
    old, new = sidecar(move.old), sidecar(move.new)
    if not os.path.isdir(old) or os.path.lexists(new):
        return
    if move.copy:
        shutil.copytree(old, new)
    else:
        os.rename(old, new)


def _delete_original(move: Move) -> None:
    """After a recorded copy: the original (and its sidecar) go; then the move is done."""
    if os.path.isfile(move.old) and os.path.isfile(move.new):
        os.remove(move.old)
    old_sidecar = sidecar(move.old)
    if os.path.isdir(old_sidecar) and os.path.isdir(sidecar(move.new)):
        shutil.rmtree(old_sidecar)
    journal.set_state(move.id, DONE)


def recover() -> int:
    """Finish the moves a stopped process left: each is completed or found not begun, from what
    is on disk; then undos that finished are marked. How many moves were looked at."""
    left = journal.moves(states=(PLANNED, COPIED))
    for move in left:
        if move.state == COPIED:
            _delete_original(move)
            continue
        part = move.new + PART_SUFFIX
        if os.path.isfile(part):
            os.remove(part)  # a copy cut short: the original is untouched
        moved = os.path.lexists(move.new) and not os.path.lexists(move.old)
        copied = move.mode != MOVE and os.path.isfile(move.new) and os.path.isfile(move.old)
        if move.mode == KEEP and copied:
            _move_sidecar(move)
            journal.point_records(move, DONE)
        elif moved or copied:
            if move.mode != DROP:
                _move_sidecar(move)
            journal.point_records(move, COPIED if copied else DONE)
            if copied:
                _delete_original(move)
        else:
            journal.set_state(move.id, SKIPPED)
    for batch_id in journal.open_undos():
        still_moved = [
            move
            for move in journal.moves(batch_id, (DONE,))
            if journal.current_path(move.file_id) == move.new
        ]
        if not still_moved:
            journal.mark_undone(batch_id)
    if left:
        log.info("Tidy: finished %d file move(s) an earlier run left", len(left))
    return len(left)
