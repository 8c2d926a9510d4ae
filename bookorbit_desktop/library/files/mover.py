"""Moving book files to their tidy names, one undo of the last batch, and finishing a batch a
stopped process left half done. Thin: the names come from `plan`, the records from `journal`,
every byte written goes through `safe`, and KOReader's `.sdr` files follow through `sidecars`.

Each file: the move is journalled as planned and checked (nothing in the way, no clash of
KOReader's notes, no other library file at the new path); then on one file system the file is
renamed, across file systems (only when the caller allows it, `allow_copy`, else
`CrossDeviceError` before anything moves) or with `keep` it is copied, each file journaled with
its size and checksum; one transaction points the library at the new path; only then is a source
deleted, and only once its copy is found whole. A link is made anew at the new path, pointing
at the same file. `recover` runs first, before anything is planned: it finishes what a killed
process recorded and rolls back what it did not.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from peewee import IntegrityError

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.durable import sync_path
from bookorbit_desktop.library.files import journal, safe, sidecars
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
from bookorbit_desktop.library.files.safe import FileOpError
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
    """True when the file system of `root` (or of its nearest existing parent) takes names
    that differ only in case for one name (FAT and exFAT drives, macOS and Windows disks)."""
    current = Path(root)
    while not current.is_dir() and current != current.parent:
        current = current.parent
    try:
        probe = safe.temp_beside(current / "x")
        probe.touch()
    except OSError:
        return False
    try:
        return os.path.lexists(probe.with_name(probe.name.upper()))
    finally:
        probe.unlink(missing_ok=True)


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


def undo_preview() -> tuple[int, int]:
    """(files the undo of the last batch would move back, of them across drives); (0, 0) when
    there is nothing to undo."""
    recover()
    last = journal.last_batch()
    if last is None or last[1]:
        return 0, 0
    back = _still_moved(last[0])
    return len(back), sum(m.mode == CROSS or _cross_device(m.new, m.old) for m in back)


def _still_moved(batch_id: int) -> list[Move]:
    """The batch's done moves whose file is still where the batch put it."""
    return [
        move
        for move in journal.moves(batch_id, (DONE,))
        if journal.current_path(move.file_id) == move.new and os.path.lexists(move.new)
    ]


def undo_last(*, allow_copy: bool = False, on_file: FileCallback | None = None) -> BatchResult:
    """Move the files of the last batch back where they were (once)."""
    recover()
    last = journal.last_batch()
    if last is None or last[1]:
        raise NothingToUndoError("There is no tidy batch to undo (only the last one can be).")
    batch_id = last[0]
    done = _still_moved(batch_id)
    back = [Rename(move.file_id, move.new, move.old) for move in done]
    modes = [
        DROP if move.mode == KEEP else CROSS if _cross_device(move.new, move.old) else MOVE
        for move in done
    ]
    result = _run(back, modes, allow_copy, on_file, undoes=batch_id)
    if not result.failed:
        journal.mark_undone(batch_id)
    root = get_setting("library.tidy_folder")
    for move in result.done:
        if root:
            _prune_empty(os.path.dirname(move.old), str(root))
    return result


def _prune_empty(folder: str, root: str) -> None:
    """Remove `folder` and its parents up to (not including) `root` while they are empty: the
    folders a tidy made and its undo emptied."""
    root = os.path.abspath(root)
    current = os.path.abspath(folder)
    while current != root and os.path.commonpath([current, root]) == root:
        try:
            os.rmdir(current)
        except OSError:
            return  # not empty, or not ours to remove
        current = os.path.dirname(current)


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
    copied = False
    try:
        if move.mode == DROP:
            return _drop_copy(move)
        _check_move(move)
        Path(move.new).parent.mkdir(parents=True, exist_ok=True)
        renamed = move.mode == MOVE or _same_file(move.old, move.new)
        _place_book(move, renamed)
        if renamed:
            sidecars.move(move.old, move.new)
            journal.point_records(move, DONE)
            return DONE, ""
        sidecars.copy(move.old, move.new, move.id)
        if move.mode == KEEP:
            journal.point_records(move, DONE)
            sidecars.forget_copies(move.id)
            return DONE, ""
        journal.point_records(move, COPIED)
        copied = True
        return _finish_copied(move)
    except _Refused as why:
        reason = str(why)
    except FileOpError as error:
        reason = error.reason
    except OSError as error:
        reason = (
            "it would cross to another drive"
            if error.errno == errno.EXDEV
            else safe.reason(error, error.filename or move.old)
        )
    except IntegrityError:
        reason = f"{move.new} is already in the library as another file"
    if not copied:
        _roll_back(move)
    journal.set_state(move.id, FAILED)
    log.warning("Tidy: %s not moved: %s", move.old, reason)
    return FAILED, reason


class _Refused(Exception):
    pass


def _check_move(move: Move) -> None:
    """_Refused, before anything is written, when the move cannot be made whole."""
    if not os.path.isfile(move.old):  # a link counts when what it points to is there
        raise _Refused(f"{move.old} is not there any more")
    same = _same_file(move.old, move.new)
    if os.path.lexists(move.new) and not same:
        raise _Refused(f"a file is already at {move.new}")
    if same and move.mode == KEEP:
        raise _Refused(
            "only the case of its name would change, and this drive does not tell names apart "
            "by case: a copy cannot sit beside the original"
        )
    if journal.path_taken(move.new, move.file_id):
        raise _Refused(f"{move.new} is already in the library as another file")
    why = sidecars.clash(move.old, move.new)
    if why is not None:
        raise _Refused(why)


def _place_book(move: Move, renamed: bool) -> None:
    """The book file at its new path: renamed, or copied through the safe layer. A link is
    made anew there, pointing at the same file (a relative link stays relative)."""
    if os.path.islink(move.old):
        text = os.readlink(move.old)
        real = os.path.normpath(os.path.join(os.path.dirname(move.old), text))
        os.symlink(
            text if os.path.isabs(text) else os.path.relpath(real, os.path.dirname(move.new)),
            move.new,
        )
        sync_path(Path(move.new).parent)
        if renamed:
            os.remove(move.old)
        return
    if renamed:
        os.rename(move.old, move.new)  # atomic; `recover` finds it from the journal
        return
    safe.copy_file(Path(move.old), Path(move.new), move_id=move.id)


def _links_same(first: str, second: str) -> bool:
    """Both are links to one file."""
    return (
        os.path.islink(first)
        and os.path.islink(second)
        and os.path.realpath(first) == os.path.realpath(second)
    )


def _roll_back(move: Move) -> None:
    """A copy that did not finish: what it placed goes (its source is whole), nothing else."""
    if move.mode in (CROSS, KEEP):
        if _links_same(move.old, move.new):
            os.remove(move.new)
        sidecars.roll_back(move.id)


def _finish_copied(move: Move) -> tuple[str, str]:
    """After a recorded copy: each source (the book, its sidecar files) goes once its copy is
    found whole; a source whose copy is not is kept and named in the log."""
    if _links_same(move.old, move.new):
        os.remove(move.old)
    kept = sidecars.delete_copied_sources(move.id)
    sidecars.prune(sidecar(move.old))  # also when a stopped run deleted its last file
    if kept:
        log.warning("Tidy: kept %s: the copy is not whole", ", ".join(kept))
    journal.set_state(move.id, DONE)
    return DONE, ""


def _drop_copy(move: Move) -> tuple[str, str]:
    """Undo a kept copy: the records go back to the original (`move.new`), then the copy
    (`move.old`) is deleted, only while it has the original's bytes."""
    if not os.path.isfile(move.new):
        raise _Refused(f"the original {move.new} is not there any more")
    if not _links_same(move.old, move.new) and not safe.same_bytes(move.old, move.new):
        raise _Refused(f"the copy {move.old} changed since it was made; both files are kept")
    journal.point_records(move, COPIED)
    return _finish_drop(move)


def _finish_drop(move: Move) -> tuple[str, str]:
    if _links_same(move.old, move.new) or safe.same_bytes(move.old, move.new):
        os.remove(move.old)
    sidecars.drop_copy(move.old, move.new)
    journal.set_state(move.id, DONE)
    return DONE, ""


def _same_file(old: str, new: str) -> bool:
    """True when `new` is `old` under another case (a case-insensitive file system)."""
    try:
        return os.path.samefile(old, new) and not _links_same(old, new)
    except OSError:
        return False


def _renamed(move: Move) -> bool:
    """The file of a planned rename has its new name (also when only its case changed)."""
    if _links_same(move.old, move.new):
        os.remove(move.old)  # stopped between making the new link and removing the old
    if not os.path.lexists(move.new):
        return False
    if not os.path.lexists(move.old):
        return True
    folder = os.path.dirname(move.new) or "."
    return _same_file(move.old, move.new) and os.path.basename(move.new) in os.listdir(folder)


def recover() -> int:
    """Finish or roll back what a stopped process left, from the journals and what is on disk:
    unfinished copies go, a rename that happened is recorded, a copy that was recorded has its
    sources deleted once it is found whole, a copy that was not is rolled back. Undos that
    finished are marked. How many moves were looked at."""
    safe.recover()
    left = journal.moves(states=(PLANNED, COPIED))
    for move in left:
        try:
            _recover_one(move)
        except (OSError, FileOpError, IntegrityError) as error:
            journal.set_state(move.id, FAILED)
            log.warning("Tidy: %s left as it is: %s", move.old, error)
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


def _recover_one(move: Move) -> None:
    if move.state == COPIED:
        _finish_drop(move) if move.mode == DROP else _finish_copied(move)
    elif move.mode == MOVE and _renamed(move):
        sidecars.move(move.old, move.new)
        journal.point_records(move, DONE)
    else:
        _roll_back(move)
        journal.set_state(move.id, SKIPPED)
