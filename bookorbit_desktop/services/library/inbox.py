"""The Inbox as the window and the command line use it: what waits, approving, removing.

Every function reads or writes the library on the calling thread's connection; the window runs
them off its event loop (`store.off_loop`). The policy itself (which imports are held) lives in
`library.store.inbox`, so every front end follows the same setting.
"""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.inbox import InboxBook
from bookorbit_desktop.library.store.off_loop import off_loop

__all__ = [
    "InboxBook",
    "approve",
    "approve_all",
    "count",
    "enabled",
    "later",
    "remove",
    "set_enabled",
    "waiting",
]

enabled = inbox.enabled
set_enabled = inbox.set_enabled
count = inbox.count
waiting = inbox.waiting
approve_all = inbox.approve_all
later = off_loop  # `await later(fn)`: fn in a worker thread on a connection of its own


def approve(book_ids: Sequence[int]) -> list[int]:
    """Let these books into the library; NotFoundError, changing nothing, when one of them is
    not in the Inbox."""
    _check_held(book_ids)
    return inbox.approve(book_ids)


def remove(book_ids: Sequence[int], paths: Paths) -> list[int]:
    """Remove these Inbox books from the library (their files stay on disk; importing their
    folder again leaves them out, as for any removed book); the ids removed."""
    from bookorbit_desktop.library.editing.removal import remove_books

    _check_held(book_ids)
    return list(remove_books(book_ids, paths).removed)


def _check_held(book_ids: Sequence[int]) -> None:
    held = set(inbox.held_ids())
    missing = [str(book_id) for book_id in book_ids if book_id not in held]
    if missing:
        raise NotFoundError(
            f"Book {', '.join(missing)} is not in the Inbox. List the Inbox with "
            "`bookorbit-desktop inbox`."
        )
