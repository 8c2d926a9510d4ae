"""One file's move, as `mover` runs it, and the repair of the moves a stopped process left.

`carry_out` checks the move before anything is written (the file is there, nothing is in the
way, KOReader's notes do not clash, no other library file is recorded at the new path, a
case-only rename is not asked to be a copy), then renames the file or copies it through
`safe` (a link is made anew pointing at the same file), moves or copies its sidecar files,
points the records at the new path in one transaction, and only then deletes each source
found copied whole. `recover` finishes a move the journal recorded and rolls back one it
did not.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from pathlib import Path

from peewee import IntegrityError

from bookorbit_desktop.library.files import journal, safe, sidecars, symlinks, tidy_record
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
from bookorbit_desktop.library.files.plan import sidecar
from bookorbit_desktop.library.files.safe import FileOpError
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)


def carry_out(move: Move) -> tuple[str, str]:
    """Move one file; its final state and, for a failure, why (in the user's words)."""
    copied = renamed = False
    try:
        if move.mode == DROP:
            return _drop_copy(move)
        _check_move(move)
        Path(move.new).parent.mkdir(parents=True, exist_ok=True)
        renamed = move.mode == MOVE or _same_file(move.old, move.new)
        _place_book(move, renamed)
        if renamed:
            _move_sidecar_or_put_back(move)
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
    if renamed and not _put_back(move):
        # Renamed but not recorded, and it cannot go back: the move stays planned, so the next
        # run's repair records the file where it is.
        log.warning("Tidy: %s moved to %s, not yet recorded: %s", move.old, move.new, reason)
        return FAILED, reason
    if not copied:
        _roll_back(move)
    journal.set_state(move.id, FAILED)
    log.warning("Tidy: %s not moved: %s", move.old, reason)
    return FAILED, reason


def _put_back(move: Move) -> bool:
    """After a failed renamed move: the file is at its old path again (or never left it)."""
    if os.path.lexists(move.old) and not _same_file(move.old, move.new):
        return True
    if not os.path.lexists(move.new):
        return os.path.lexists(move.old)
    try:
        if os.path.islink(move.new):
            symlinks.relink(move.new, move.old)
            os.remove(move.new)
        else:
            os.rename(move.new, move.old)
    except OSError as error:
        log.warning("Tidy: %s could not go back to %s: %s", move.new, move.old, error)
        return False
    return True


class _Refused(Exception):
    pass


def links_last(planned: list[Move]) -> list[Move]:
    """`planned` with links after the files they lead to, a link to a link after that link:
    each is made anew once the path it names has moved (`_link_to`)."""
    return sorted(planned, key=lambda move: _hops(move.old))


def _hops(path: str) -> int:
    """How many links lead from `path` to a file (0 for a file; a loop counts as long)."""
    hops = 0
    while os.path.islink(path) and hops < 40:
        path, hops = symlinks.link_target(path), hops + 1
    return hops


def _check_move(move: Move) -> None:
    """_Refused, before anything is written, when the move cannot be made whole."""
    if os.path.islink(move.old):  # it counts when what it leads to is there, or this batch moved it
        end = os.path.realpath(_link_to(move))  # a chain of links, followed to its end
        if not os.path.isfile(end):
            raise _Refused(f"{move.old} is a link to {end}, which is not there")
    elif not os.path.isfile(move.old):
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


def _made_anew(move: Move) -> bool:
    """The link at `move.old` has its new link at `move.new`, leading where `_place_book` makes
    it lead (the old one may dangle: the file it named moved)."""
    return (
        os.path.islink(move.old)
        and os.path.islink(move.new)
        and os.path.realpath(move.new) == os.path.realpath(_link_to(move))
    )


def _link_to(move: Move) -> str:
    """The file the link at `move.old` points at: where this batch moved it, if it did."""
    target = symlinks.link_target(move.old)
    return journal.moved_to(move.batch_id, target) or target


def _place_book(move: Move, renamed: bool) -> None:
    """The book file at its new path: renamed, or copied through the safe layer. A link is
    made anew there, pointing at the same file (a relative link stays relative), where this
    batch moved it when it did (another file of the book: `mover` moves links last)."""
    if os.path.islink(move.old):
        symlinks.relink(move.old, move.new, _link_to(move))
        if renamed:
            os.remove(move.old)
        return
    if renamed:
        os.rename(move.old, move.new)  # atomic; `recover` finds it from the journal
        return
    safe.copy_file(Path(move.old), Path(move.new), move_id=move.id)


def _move_sidecar_or_put_back(move: Move) -> None:
    """KOReader's notes follow the renamed book; when they cannot (a folder copied read-only
    from a device), the book goes back to where it was and the move is refused."""
    try:
        sidecars.move(move.old, move.new)
    except OSError as error:
        if os.path.islink(move.new):
            symlinks.relink(move.new, move.old)
            os.remove(move.new)
        else:
            os.rename(move.new, move.old)
        raise _Refused(
            f"KOReader's notes in {sidecar(move.old)} could not be moved "
            f"({error.strerror or error}); the book stays where it was"
        ) from error


def _roll_back(move: Move) -> None:
    """A copy that did not finish: what it placed goes (its source is whole), nothing else;
    the folders it made are removed when that empties them."""
    if move.mode in (CROSS, KEEP):
        if _made_anew(move):
            os.remove(move.new)
        if symlinks.links_same(sidecar(move.old), sidecar(move.new)):
            os.remove(sidecar(move.new))
        sidecars.roll_back(move.id)
        sidecars.unlink_copies(move.old, move.new)
        sidecars.prune(sidecar(move.new))
        root = journal.library_root(move)
        if root:
            prune_empty(os.path.dirname(move.new), root)


def prune_empty(folder: str, root: str) -> None:
    """Remove `folder` and its parents up to (not including) `root` while they are empty: the
    folders a tidy made and its undo (or a rolled-back copy) emptied."""
    root = os.path.abspath(root)
    current = os.path.abspath(folder)
    while current != root and os.path.commonpath([current, root]) == root:
        try:
            os.rmdir(current)
        except OSError:
            return  # not empty, or not ours to remove
        current = os.path.dirname(current)


def _finish_copied(move: Move) -> tuple[str, str]:
    """After a recorded copy: each source (the book, its sidecar files) goes once its copy is
    found whole; a source whose copy is not is kept and named in the log."""
    if _made_anew(move):
        os.remove(move.old)
    if symlinks.links_same(sidecar(move.old), sidecar(move.new)):
        os.remove(sidecar(move.old))
    sidecars.delete_copied_links(move.old, move.new)  # while the files they name are there
    kept = sidecars.delete_copied_sources(move.id)
    sidecars.prune(sidecar(move.old))  # also when a stopped run deleted its last file
    journal.set_state(move.id, DONE)
    if not kept:
        return DONE, ""
    note = f"the original was kept: {', '.join(kept)}"
    log.warning("Tidy: %s copied to %s; %s", move.old, move.new, note)
    return DONE, note


def _drop_copy(move: Move) -> tuple[str, str]:
    """Undo a kept copy: the records go back to the original (`move.new`), then the copy
    (`move.old`) is deleted, only while it has the original's bytes."""
    if not os.path.isfile(move.new):
        raise _Refused(f"the original {move.new} is not there any more")
    if not symlinks.links_same(move.old, move.new) and not safe.same_bytes(move.old, move.new):
        raise _Refused(f"the copy {move.old} changed since it was made; both files are kept")
    found = journal.holder(move.new)
    copy = journal.holder(move.old)
    if found is not None and found[0] != move.file_id:
        if copy is None or copy[0] != move.file_id or copy[1] != found[1]:
            raise _Refused(f"{move.new} is already in the library as another book's file")
        journal.drop_copy_record(move)  # the original came back as a file of this book
    else:
        journal.point_records(move, COPIED)
    return _finish_drop(move)


def _finish_drop(move: Move) -> tuple[str, str]:
    if symlinks.links_same(move.old, move.new) or (
        not symlinks.one_file(move.old, move.new) and safe.same_bytes(move.old, move.new)
    ):
        os.remove(move.old)
    sidecars.drop_copy(move.old, move.new)
    journal.set_state(move.id, DONE)
    return DONE, ""


def _same_file(old: str, new: str) -> bool:
    """True when `new` is `old` under another case (a case-insensitive file system)."""
    return symlinks.one_file(old, new) and not symlinks.links_same(old, new)


def _renamed(move: Move) -> bool:
    """The file of a planned rename has its new name (also when only its case changed)."""
    if _made_anew(move):
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
    finished are marked, and once the whole last tidy is back its change-journal step too, in
    the same transaction (as `mover.undo_last` does). How many moves were looked at."""
    safe.recover()
    left = links_last(journal.moves(states=(PLANNED, COPIED)))
    for move in left:
        try:
            _recover_one(move)
        except (OSError, FileOpError, IntegrityError) as error:
            journal.set_state(move.id, FAILED)
            log.warning("Tidy: %s left as it is: %s", move.old, error)
    for batch_id in journal.open_undos():
        if not _still_moved(batch_id):
            _undo_finished(batch_id)
    tidy_record.repair(time.time())
    if left:
        log.info("Tidy: finished %d file move(s) an earlier run left", len(left))
    return len(left)


def _still_moved(batch_id: int) -> list[Move]:
    """The batch's done moves whose file the library still has where the batch put it."""
    return [
        move
        for move in journal.moves(batch_id, (DONE,))
        if journal.current_path(move.file_id) == move.new
    ]


def _undo_finished(batch_id: int) -> None:
    """A batch whose undo moved every file back is marked undone. When nothing of the last tidy
    is still moved (its other batches were undone, or moved nothing), its other batches are too
    and its change-journal step is undone, in the same transaction (as `mover.undo_last`)."""
    with database.atomic():
        journal.mark_undone(batch_id)
        rest = journal.batches_to_undo()
        if batch_id in journal.last_tidy() and not any(_still_moved(b) for b in rest):
            for other in rest:
                journal.mark_undone(other)
            tidy_record.taken_back(tidy_record.last_moved(), time.time())


def _recover_one(move: Move) -> None:
    if move.state == COPIED:
        _finish_drop(move) if move.mode == DROP else _finish_copied(move)
    elif move.mode == MOVE and _renamed(move):
        sidecars.move(move.old, move.new)
        journal.point_records(move, DONE)
    elif os.path.islink(move.old) and journal.moved_to(
        move.batch_id, symlinks.link_target(move.old)
    ):
        _roll_back(move)  # left behind, the link would name a path the batch emptied
        carry_out(move)
    else:
        _roll_back(move)
        journal.set_state(move.id, SKIPPED)
