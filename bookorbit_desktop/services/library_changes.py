"""Following other connections' writes by reading only the books they changed.

The library's change log (`library.store.changes`) numbers every change to a book, whoever
made it. A reader that remembers the number it last saw reads just the books changed since;
the first read, a log that went back (another library file put in place) or a change to very
many books reads the whole library instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bookorbit_desktop.library.store import changes

if TYPE_CHECKING:
    from bookorbit_desktop.services.library_rows import TableBook

# More changed books than this (an import, a sync of the whole library): one full read is
# quicker than a long list of ids.
MAX_CHANGED = 2000


@dataclass(frozen=True)
class LibraryChanges:
    seq: int  # the latest change these books include
    books: list[TableBook]  # the changed books that still exist; after a full read, every book
    changed: frozenset[int] | None  # the ids of the books that changed; None: a full read


def read_changes(list_books: Callable[..., list[TableBook]], since: int | None) -> LibraryChanges:
    """The books changed after change number `since` (None: every book)."""
    seq = changes.last_change()  # before the books: a change after it is read next time
    if since is not None and since <= seq:
        changed = changes.changed_since(since)
        if len(changed) <= MAX_CHANGED:
            ids: Sequence[int] = sorted(changed)
            return LibraryChanges(seq, list_books(ids) if ids else [], frozenset(changed))
    return LibraryChanges(seq, list_books(), None)
