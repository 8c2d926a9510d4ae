"""Moving book files to their tidy names, one undo of the last batch, and finishing a batch a
stopped process left half done. Thin: the names come from `plan`, the records from `journal`,
every byte written goes through `safe`, and KOReader's `.sdr` files follow through `sidecars`.

Each file: the move is journalled as planned and checked (nothing in the way, no clash of
KOReader's notes, no other library file at the new path); then on one file system the file is
renamed, across file systems (only when the caller allows it, `allow_copy`, else
`CrossDeviceError` before anything moves) or with `keep` it is copied, each file journaled with
its size and checksum; one transaction points the library at the new path; only then is a source
deleted, and only once its copy is found whole. A link is made anew at the new path, pointing
at the same file (each file's move is in `moves`). `recover` runs first, before anything is
planned: it finishes what a killed process recorded and rolls back what it did not.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.files import journal, moves, safe, symlinks, tidy_record
from bookorbit_desktop.library.files.journal import (
    CROSS,
    DONE,
    DROP,
    FAILED,
    KEEP,
    MOVE,
    Move,
)
from bookorbit_desktop.library.files.moves import recover
from bookorbit_desktop.library.files.plan import Rename, Rules, plan
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import get_setting

log = logging.getLogger(__name__)

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
    kept: list[tuple[Move, str]] = field(default_factory=list)  # done; an original stayed


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
    recover()
    books = journal.book_facts()
    root = Path(folder).expanduser().resolve().as_posix()
    taken = _existing_under(root)
    rules = system_rules()
    if not rules.case_insensitive and _case_insensitive(root):
        rules = replace(rules, case_insensitive=True)
    renames = [
        Rename(rename.file_id, rename.old, str(Path(rename.new)))  # the system's separators
        for rename in plan(books, pattern, root, rules, taken)
    ]
    return [Planned(rename, _cross_device(rename.old, rename.new)) for rename in renames]


def _case_insensitive(root: str) -> bool:
    """True when the file system of `root` takes names that differ only in case for one name
    (FAT and exFAT drives, macOS and Windows disks): found without writing, from a name in
    `root` or a parent on the same drive whose other case is found too."""
    current = Path(root)
    while not current.is_dir() and current != current.parent:
        current = current.parent
    drive = current.stat().st_dev
    while current.stat().st_dev == drive:
        try:
            names = set(os.listdir(current))
        except OSError:
            names = set()
        for name in names:
            other = name.swapcase()
            if other != name and other not in names:
                return os.path.lexists(current / other)
        if current == current.parent:
            break
        current = current.parent
    return False


def _existing_under(root: str) -> list[str]:
    found = []
    for directory, folders, files in os.walk(root):
        found += [Path(directory, name).as_posix() for name in [*files, *folders]]
    return found


def _device(path: str) -> int:
    """The file system of `path` (of a link itself, not of what it points at: a link moves as
    a link), or of its nearest existing parent."""
    if os.path.islink(path):
        return os.lstat(path).st_dev
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
    result = _run([p.rename for p in planned], modes, allow_copy, on_file)
    tidy_record.record(result.done, time.time())  # the change journal's step
    return result


def run_again(renames: Sequence[Rename], modes: Sequence[int]) -> BatchResult:
    """Redo a tidy the change journal took back: the same moves, as a new batch."""
    return _run(renames, modes, True, None)


def has_tidy_to_undo() -> bool:
    """Whether the last tidy has a batch not taken back yet (reads only; `undo_preview` says
    how many of its files the undo would move)."""
    return bool(journal.batches_to_undo())


def undo_preview() -> tuple[int, int]:
    """(files the undo of the last tidy would move back, of them across drives); (0, 0) when
    there is nothing to undo."""
    recover()
    back = [move for _batch, done in _still_moved(journal.batches_to_undo()) for move in done]
    return len(back), sum(_back_mode(move) == CROSS for move in back)


def _still_moved(chain: Sequence[int]) -> list[tuple[int, list[Move]]]:
    """Each batch of the chain (newest first) with its done moves whose file is where the
    batch put it once the newer batches are undone: still there, or put back there by the
    newer batch's undo (a file the run that finished a stopped one moved on)."""
    where: dict[int, str | None] = {}
    plans = []
    for batch_id in chain:
        done = []
        for move in journal.moves(batch_id, (DONE,)):
            if move.file_id not in where:
                path = journal.current_path(move.file_id)
                where[move.file_id] = path if path and os.path.lexists(path) else None
            if where[move.file_id] == move.new:
                done.append(move)
                where[move.file_id] = move.old
        plans.append((batch_id, done))
    return plans


def _back_mode(move: Move) -> int:
    """How a done move goes back: a kept copy (or a copy whose original could not be deleted,
    still there with the same bytes) is dropped; else renamed, or copied across drives."""
    original = os.path.isfile(move.old) and not symlinks.one_file(move.old, move.new)
    if move.mode == KEEP or (original and safe.same_bytes(move.old, move.new)):
        return DROP
    return CROSS if _cross_device(move.new, move.old) else MOVE


def undo_last(*, allow_copy: bool = False, on_file: FileCallback | None = None) -> BatchResult:
    """Move the files of the last tidy back where they were (once). A tidy a stopped process
    left unfinished and the run that finished it are undone together. Once every file is back,
    the tidy's change-journal step is undone in the same transaction as its last batch
    (`tidy_record.taken_back`): Edit ▸ Undo and this undo never disagree, whichever ran."""
    recover()
    chain = journal.batches_to_undo()
    if not chain:
        raise NothingToUndoError("There is no tidy batch to undo (only the last one can be).")
    moved = tidy_record.last_moved()
    plans = []
    for batch_id, done in _still_moved(chain):
        back = [Rename(move.file_id, move.new, move.old) for move in done]
        plans.append((batch_id, back, [_back_mode(move) for move in done]))
    _check_crossing([mode for _batch, _back, modes in plans for mode in modes], allow_copy)
    result = BatchResult()
    for batch_id, back, modes in plans:
        part = _run(back, modes, True, on_file, batch_id)
        result.batch_id = part.batch_id or result.batch_id
        result.done += part.done
        result.failed += part.failed
        result.kept += part.kept
        if not part.failed:
            with database.atomic():
                journal.mark_undone(batch_id)
                if batch_id == chain[-1] and not result.failed:  # the whole tidy is back
                    tidy_record.taken_back(moved, time.time())
    root = get_setting("library.tidy_folder")
    for move in result.done:
        if root:
            moves.prune_empty(os.path.dirname(move.old), str(root))
    return result


def _check_crossing(modes: Sequence[int], allow_copy: bool) -> None:
    """CrossDeviceError, before anything moves, when files would cross drives unasked."""
    crossing = list(modes).count(CROSS)
    if crossing and not allow_copy:
        raise CrossDeviceError(
            f"{crossing} file(s) would move to another drive: they would be copied, written to "
            "disk, and only then deleted where they are. Confirm the copy to go ahead, or "
            "choose a library folder on the same drive."
        )


def _run(
    renames: Sequence[Rename],
    modes: Sequence[int],
    allow_copy: bool,
    on_file: FileCallback | None,
    undoes: int | None = None,
) -> BatchResult:
    recover()
    _check_crossing(modes, allow_copy)
    result = BatchResult()
    if not renames:
        if undoes is not None:
            journal.mark_undone(undoes)
        return result
    result.batch_id = journal.start_batch(renames, modes, undoes)
    for move in moves.links_last(journal.moves(result.batch_id)):
        state, reason = moves.carry_out(move)
        if state == FAILED:
            result.failed.append((move, reason))
        else:
            result.done.append(move)
            if reason:
                result.kept.append((move, reason))
        if on_file is not None:
            on_file(move, state)
    return result
