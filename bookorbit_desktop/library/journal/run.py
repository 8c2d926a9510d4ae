"""Undo and Redo: the latest step taken back, the earliest undone step done again, each in one
transaction with the step's new state (a step that moves files keeps its own journal, file by
file, instead).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.custom import columns as _columns  # noqa: F401  (`column`)
from bookorbit_desktop.library.editing import author_sorts as _sorts  # noqa: F401  (`author_sort`)
from bookorbit_desktop.library.editing import removal as _removal  # noqa: F401  (`remove`)
from bookorbit_desktop.library.files import tidy_steps as _tidy  # noqa: F401  (`tidy`)
from bookorbit_desktop.library.journal import edits as _edits  # noqa: F401  (registers `edit`)
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.kinds import KINDS, StepKind
from bookorbit_desktop.library.merge import journal as _merge  # noqa: F401  (`merge`)
from bookorbit_desktop.library.reading import position_restore as _restore  # noqa: F401
from bookorbit_desktop.library.reads import edits as _reads  # noqa: F401  (`read`)
from bookorbit_desktop.library.store.models import database


@dataclass(frozen=True)
class Done:
    """What Undo or Redo did, for the window's status line and the command line."""

    verb: str  # "Undid" or "Redid"
    label: str
    books: int
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def text(self) -> str:
        lines = [f"{self.verb} {self.label}."]
        lines += [f"Left as it is: {line}." for line in self.skipped]
        lines += [f"{line}." for line in self.notes]
        return "\n".join(lines)


def _kind(step: steps.Step) -> StepKind:
    kind = KINDS.get(step.kind)
    if kind is None:
        raise InvalidValueError(f"“{step.label}” is a kind of step this version cannot undo.")
    return kind


def undo(paths: Paths, *, clock: Callable[[], float] = time.time) -> Done | None:
    """Take back the latest step; None when there is none."""
    return _take(steps.next_undo, paths, clock(), again=False)


def redo(paths: Paths, *, clock: Callable[[], float] = time.time) -> Done | None:
    """Do the earliest undone step again; None when there is none."""
    return _take(steps.next_redo, paths, clock(), again=True)


def _take(
    find: Callable[..., steps.Step | None], paths: Paths, now: float, *, again: bool
) -> Done | None:
    """Undo (or redo) the step `find` gives. A step of the library's values is read inside
    its transaction, which holds the write lock: one that an Undo in another process (the
    window and a command at once) took meanwhile is not taken twice; the step next now is."""
    while (found := find(entries=False)) is not None:
        kind = _kind(found)
        if not again and kind.prepare_undo is not None:
            _prepare(find, found.id, kind.prepare_undo)
        with _together(kind):
            step = find()
            if step is None or step.id != found.id:
                continue  # taken meanwhile: weigh the step that is next now
            outcome = (kind.redo if again else kind.undo)(step, paths, now)
            if not outcome.unchanged:
                steps.set_undone(step.id, None if again else now)
        verb = "Redid" if again else "Undid"
        return Done(verb, step.label, outcome.books, tuple(outcome.skipped), tuple(outcome.notes))
    return None


def _prepare(
    find: Callable[..., steps.Step | None], step_id: int, prepare: Callable[[steps.Step], object]
) -> None:
    """The step's file work journaled in a transaction that commits before the undo's, while
    the step is still the one to undo."""
    with database.atomic("IMMEDIATE"):
        step = find()
        if step is not None and step.id == step_id:
            prepare(step)


def _together(kind: StepKind) -> AbstractContextManager[object]:
    """One transaction for a step of the library's values (it reads the values now, then
    writes: IMMEDIATE); none for one that moves files."""
    return nullcontext() if kind.files else database.atomic("IMMEDIATE")


def moves_files(*, redo: bool = False) -> bool:
    """Whether the step Undo (or Redo) would take moves files."""
    step = steps.next_redo() if redo else steps.next_undo()
    kind = None if step is None else KINDS.get(step.kind)
    return kind is not None and kind.files


def describe(step: steps.Step) -> list[str]:
    """One line per book the step changed."""
    kind = KINDS.get(step.kind)
    if kind is None:
        return []
    return [kind.describe(entry) for entry in step.entries]
