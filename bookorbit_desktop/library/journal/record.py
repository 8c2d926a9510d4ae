"""Making an action one step: the books' values are read before and after it, in the action's
own transaction, and what changed is kept with the values it had (`rules.diff`).

A bulk action (Fill Empty Fields) opens its step first (`start_step`) and each of its edits
adds to it (`recording(..., step=...)`); `finish_step` names it by what it changed, or drops
it when nothing did. A bulk action that records many books at once (the bulk edit) wraps its
edits in one recording of the step: an edit's own recording inside it, of the same step and
books it covers, reads nothing more (the outer one keeps the change), so a thousand books are
read twice in all instead of twice each.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.book_values import read_values
from bookorbit_desktop.library.journal.rules import diff
from bookorbit_desktop.library.metadata.covers import cover_file
from bookorbit_desktop.library.store.models import database

EDIT = "edit"

# The step and books the recording under way keeps, while its body runs.
_RECORDING: ContextVar[tuple[int, frozenset[int]] | None] = ContextVar("recording", default=None)


def start_step(kind: str, label: str, now: float, paths: Paths | None = None) -> int:
    """Open a new step; the steps it ends (undone ones, those beyond `steps.KEEP`) go."""
    stale = steps.stale_steps(steps.KEEP - 1)
    steps.delete_steps(stale)
    if stale and paths is not None:
        steps.drop_unused_covers(paths, steps.named_covers)
    return steps.open_step(kind, label, now)


def finish_step(step_id: int, label: Callable[[int], str]) -> int:
    """Name a bulk step by how many books it changed (`label(count)`), or drop it when it
    changed none; return the count."""
    count = steps.entry_count(step_id)
    if count:
        steps.rename_step(step_id, label(count))
    else:
        steps.delete_steps([s for s in [steps.get_step(step_id)] if s is not None])
    return count


def _images(paths: Paths | None, values: dict[int, dict[str, Any]]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for book in values.values():
        path, digest = book["cover"]
        if paths is not None and digest is not None and digest not in found:
            try:
                found[digest] = cover_file(paths, path).read_bytes()
            except OSError:
                continue
    return found


@contextmanager
def recording(
    label: str,
    book_ids: Iterable[int],
    *,
    paths: Paths | None = None,
    covers: bool = True,
    step: int | None = None,
    clock: Callable[[], float] = time.time,
) -> Iterator[None]:
    """Run the body as one step named `label` over `book_ids` (added to `step` when given).
    With `paths` and `covers` the covers' images are compared and kept; otherwise only their
    paths (an action that gives no cover need not read every book's image)."""
    ids = list(dict.fromkeys(book_ids))
    outer = _RECORDING.get()
    images_of = paths if covers else None
    if outer is not None and step == outer[0] and images_of is None and outer[1].issuperset(ids):
        yield  # within a recording of this step that keeps these books' changes
        return
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        before = read_values(ids, images_of)
        images = _images(images_of, before)
        token = _RECORDING.set((step, frozenset(ids)) if step is not None else None)
        try:
            yield
        finally:
            _RECORDING.reset(token)
        after = read_values(ids, images_of)
        images.update(_images(images_of, after))
        entries = []
        for book_id in ids:
            if book_id in before and book_id in after:
                old, new = diff(before[book_id], after[book_id])
                if new:
                    entries.append(steps.Entry(book_id, old, new))
        if not entries:
            return
        # The step first: opening it drops the images no step names any more.
        step_id = step if step is not None else start_step(EDIT, label, clock(), paths)
        if paths is not None:
            for entry in entries:
                for values in (entry.before, entry.after):
                    digest = values.get("cover", [None, None])[1]
                    if digest in images:
                        steps.keep_cover(paths, digest, images[digest])
        steps.add_entries(step_id, entries)
