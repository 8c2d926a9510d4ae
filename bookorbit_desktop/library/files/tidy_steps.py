"""A tidy run as a step of the change journal, so Edit ▸ Undo (and `bookorbit-desktop undo`)
takes it back like any other change, and Redo makes it again.

The step names each book the run moved, with its files' paths before and after and how each
went (renamed, copied across drives, kept as a copy). Its undo is the tidy's own undo
(`mover.undo_last`, which marks the step undone when it is called on its own, as Undo Last
Tidy), once the last tidy's moves are found to be this step's: when the tidy is no longer the
last one, nothing moves and the undo says so. Its redo moves each file still where the undo put
it back to the path the run gave it, through the same safe moves. An undo or redo that moved
no file and was refused some (a full disk, a file in the way) leaves the step as it was, so
Edit ▸ Undo or Redo offers it again. The tidy journal (`journal`) stays the record of every
file; this step only points at it.

`mover.tidy` writes the step (`tidy_record`, below `mover`); this module, which takes it back
and makes it again through `mover`, stands above it.
"""

from __future__ import annotations

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.files import journal, mover, tidy_record
from bookorbit_desktop.library.files.plan import Rename
from bookorbit_desktop.library.files.tidy_record import TIDY
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register


def _undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    if not journal.batches_to_undo():
        return Outcome(skipped=["only the last tidy can be moved back, and it already was"])
    if not tidy_record.is_last_tidy(step, tidy_record.last_moved()):
        return Outcome(skipped=["a later tidy moved files since; Undo Last Tidy takes that back"])
    result = mover.undo_last(allow_copy=True)
    return Outcome(
        books=len({move.file_id for move in result.done}),
        skipped=[f"{move.old}: {why}" for move, why in result.failed],
        notes=[f"{move.new}: {why}" for move, why in result.kept],
        unchanged=bool(result.failed) and not result.done,
    )


def _redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    result = mover.run_again(*_again(step))
    return Outcome(
        books=len({move.file_id for move in result.done}),
        skipped=[f"{move.old}: {why}" for move, why in result.failed],
        notes=[f"{move.old}: {why}" for move, why in result.kept],
        unchanged=bool(result.failed) and not result.done,
    )


def _again(step: steps.Step) -> tuple[list[Rename], list[int]]:
    """The moves that make the step's run again: each file still where the undo put it goes,
    in one move, to the last path the run gave it (a file a stopped run moved and the run that
    finished it moved on is named twice, in order), copied when any of its moves was a copy
    (kept when one kept its original)."""
    first: dict[int, tuple[str, str, int]] = {}  # file id: (old path, new path, mode)
    for entry in step.entries:
        for (file_id, old, mode), new in zip(
            entry.before["files"], entry.after["paths"], strict=True
        ):
            held = first.get(int(file_id))
            if held is None and journal.current_path(int(file_id)) == old:
                first[int(file_id)] = (str(old), str(new), int(mode))
            elif held is not None and held[1] == old:
                # MOVE < CROSS < KEEP: the copy, or the kept original, wins
                first[int(file_id)] = (held[0], str(new), max(held[2], int(mode)))
    renames = [Rename(file_id, old, new) for file_id, (old, new, _mode) in first.items()]
    return renames, [mode for _old, _new, mode in first.values()]


def _describe(entry: steps.Entry) -> str:
    return "; ".join(
        f"{old} → {new}"
        for (_file_id, old, _mode), new in zip(
            entry.before["files"], entry.after["paths"], strict=True
        )
    )


register(TIDY, StepKind(_undo, _redo, _describe, files=True))
