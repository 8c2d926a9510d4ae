"""The kinds of step and what undoes, redoes and describes each.

A kind registers a `StepKind`; `run` looks the latest step's kind up here. The library's own
kinds are `edit` (any change of a book's values: `edits`) and `remove` (`removed`); another
journal (the file tidying) joins by registering its own kind, without the journal knowing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.journal.steps import Entry, Step


@dataclass
class Outcome:
    """What an undo or a redo did: how many books changed, what it left and why, and what the
    user should know (where a trashed file is)."""

    books: int = 0
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Nothing was taken back or made again, for want of room or a path (a step that moves
    # files): the step keeps its state, so Undo or Redo offers it again.
    unchanged: bool = False


Move = Callable[[Step, Paths, float], Outcome]


@dataclass(frozen=True)
class StepKind:
    undo: Move
    redo: Move
    describe: Callable[[Entry], str]  # one book's change in a line, for the history
    # Moves files, with a journal of its own that commits file by file: its undo and redo run
    # outside one transaction (a rolled-back transaction would forget files already moved),
    # and off the window's thread.
    files: bool = False
    # Called with the step, in a transaction of its own that commits before the undo's: journals
    # the file work the undo does inside its transaction (`removed.prepare_undo`), so that a
    # process stopped in it has that work rolled back at the next start.
    prepare_undo: Callable[[Step], object] | None = None


KINDS: dict[str, StepKind] = {}


def register(kind: str, step_kind: StepKind) -> None:
    KINDS[kind] = step_kind
