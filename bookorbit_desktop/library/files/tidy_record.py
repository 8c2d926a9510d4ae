"""The change-journal step a tidy run leaves, written by `mover.tidy` once its files moved,
and marked undone by `mover.undo_last` once they are back (`taken_back`), so Edit ▸ Undo and
the tidy's own undo agree whichever took the run back.

One entry per book the run moved: before `{"files": [[file id, old path, mode], ...]}`, after
`{"paths": [new path, ...]}` in the same order. `tidy_steps` reads the same entries to take the
run back and make it again; it calls `mover`, so the writing lives here, below both.

A process stopped after a run's last file and before its step was written, or after a Redo's
last file and before the step was marked done again, leaves the files moved and the journal
behind them: `repair` (part of the start's repair, `moves.recover`) writes or marks the step.
"""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.files import journal
from bookorbit_desktop.library.files.journal import DONE, KEEP, SKIPPED, Move
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.record import start_step
from bookorbit_desktop.library.store.models import database

TIDY = "tidy"


def record(done: Sequence[Move], now: float) -> None:
    """Make the run's moves one step (none when nothing moved). A run that finished what a
    stopped process left (`journal.last_tidy`) is one tidy with it for the user: the step names
    both runs' moves, so Redo makes all of them again, as Undo takes all of them back."""
    if not done:
        return
    done = [m for batch in reversed(journal.last_tidy()) for m in journal.moves(batch, (DONE,))]
    books: dict[int, tuple[list[list[object]], list[str]]] = {}
    for move in done:
        book_id = journal.book_of(move.file_id)
        if book_id is None:
            continue
        before, after = books.setdefault(book_id, ([], []))
        before.append([move.file_id, move.old, move.mode])
        after.append(move.new)
    copies = all(move.mode == KEEP for move in done)
    count = len({move.file_id for move in done})  # a file moved on by the second run once
    label = f"{'Copy' if copies else 'Tidy'} File Names ({count} file{'s' if count > 1 else ''})"
    with database.atomic("IMMEDIATE"):  # one step, all or nothing; it reads, then writes
        step = start_step(TIDY, label, now)
        steps.add_entries(
            step,
            [
                steps.Entry(book_id, {"files": before}, {"paths": after})
                for book_id, (before, after) in books.items()
            ],
        )


def repair(now: float) -> None:
    """The last tidy, when its newest run moved every file it did not refuse (none was left
    undone by a stop), is a step as the finished run would have left it: the step that names
    its moves is done (a Redo stopped before marking it: the run came after every undo), or,
    when no step names them and the run is newer than every step (stopped before `record`),
    its step is written now. A run stopped part way is left to the run that finishes it. Runs
    at every start: it reads one move and one book's entry, however large the tidy."""
    chain = journal.batches_to_undo()
    if not chain or journal.first_move(chain[0], SKIPPED) is not None:
        return
    first = journal.first_move(chain[0], DONE)
    for step in (steps.next_redo(entries=False), steps.last_done(TIDY, entries=False)):
        if step is not None and step.kind == TIDY and first is not None and _names(step, first):
            if step.undone_at is not None and not journal.undone_since(chain[0]):
                steps.set_undone(step.id, None)
            return
    newest = steps.latest(entries=False)
    if newest is None or newest.created_at < journal.created_at(chain[0]):
        record(journal.moves(chain[0], (DONE,)), now)


def _names(step: steps.Step, move: Move) -> bool:
    """Whether the step names this move (the run that made it, or its Redo)."""
    book_id = journal.book_of(move.file_id)
    entry = None if book_id is None else steps.entry(step.id, book_id)
    return entry is not None and (move.file_id, move.new) in _moved([entry])


def moved_by(step: steps.Step) -> set[tuple[int, str]]:
    """The files the step's run moved: (file id, the path it gave the file)."""
    return _moved(step.entries)


def _moved(entries: Sequence[steps.Entry]) -> set[tuple[int, str]]:
    return {
        (int(file_id), new)
        for entry in entries
        for (file_id, _old, _mode), new in zip(
            entry.before["files"], entry.after["paths"], strict=True
        )
    }


def last_moved() -> set[tuple[int, str]]:
    """The files the last tidy (`journal.last_tidy`, every batch of it) moved, as `moved_by`."""
    return {
        (m.file_id, m.new)
        for batch in journal.last_tidy()
        for m in journal.moves(batch, (journal.DONE,))
    }


def is_last_tidy(step: steps.Step, moved: set[tuple[int, str]]) -> bool:
    """Whether the step is the run that moved these files (`last_moved`): one set holds the
    other (a redo moves only the files still where the undo put them; a step written before
    steps named a stopped run's moves too names only the run that finished it)."""
    ours = moved_by(step)
    return bool(moved and ours) and (moved <= ours or ours <= moved)


def taken_back(moved: set[tuple[int, str]], now: float) -> None:
    """The tidy that moved these files (`last_moved`) is back: its step, when it is the latest
    tidy step not undone, is undone too (Edit ▸ Undo offers the step before it, Redo this)."""
    step = steps.last_done(TIDY)
    if step is not None and is_last_tidy(step, moved):
        steps.set_undone(step.id, now)
