"""The `merge` kind: a merge is one step, and undo splits the two books back.

The step holds two entries: the kept book's values before and after (as an edit's), and the
other copy kept whole (`journal.removed.keep_book`: its row, its cover's image, whatever rows
stayed with it) with the rows the merge moved to the kept book and the kept book's Hardcover
rows it dropped for the other copy's. Undo brings the other copy back under its old id (when
free), gives it back the moved rows still on the kept book (a row deleted since is named), puts
the kept book's dropped rows back and its values as they were, by the edit's rule (a value
changed since is left and named). Redo merges the two again with the same choices.
"""

from __future__ import annotations

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.journal import edits, steps
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register
from bookorbit_desktop.library.journal.removed import restore_book, set_kept
from bookorbit_desktop.library.merge import store, tables
from bookorbit_desktop.library.metadata.covers import delete_cover
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.user_edits import put_back_rows


def _parts(step: steps.Step) -> tuple[steps.Entry, steps.Step]:
    """The other copy's entry, and the kept book's value changes as a step of their own."""
    other = next(entry for entry in step.entries if "into" in entry.after)
    own = tuple(entry for entry in step.entries if entry is not other)
    return other, steps.Step(step.id, edits.EDIT, step.label, step.created_at, None, own)


def undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    other, values = _parts(step)
    keep = int(other.after["into"])
    kept = other.before
    book_id, outcome = restore_book(kept, paths, now)
    lost = tables.move_back(kept.get("moved", {}), keep, book_id)
    title = kept["title"]
    if lost:
        outcome.skipped.append(f"“{title}”: {lost} of its records left the merged book since")
    for table in tables.put_back(kept.get("dropped", {})):
        outcome.skipped.append(f"book {keep}: a {table} record changed since and stays as it is")
    done = edits.undo(values, paths, now)
    outcome.skipped += done.skipped
    put_back_rows(keep, kept.get("kept_marks", []))  # the marks' own ids and times
    set_kept(step.id, other.book_id, book_id, kept)
    outcome.books = 2
    return outcome


def redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    other, _values = _parts(step)
    keep = int(other.after["into"])
    outcome = Outcome()
    for book_id in (keep, other.book_id):
        if Book.get_or_none(Book.id == book_id) is None:
            outcome.skipped.append(f"Book {book_id} is no longer in the library")
    if outcome.skipped:
        return outcome
    reason = store.refusal(keep, other.book_id)
    if reason:
        outcome.skipped.append(reason)
        return outcome
    seen = store.preview(keep, other.book_id, paths)
    database.execute_sql("DELETE FROM change_entry WHERE step_id = ?", (step.id,))
    cover = store.merge_into_step(step.id, seen, other.after["chosen"], paths, now)
    delete_cover(paths, cover)
    outcome.books = 2
    return outcome


def describe(entry: steps.Entry) -> str:
    if "into" in entry.after:
        return (
            f"merged “{entry.before.get('title', entry.book_id)}” into book {entry.after['into']}"
        )
    return edits.describe(entry)


register(store.MERGE, StepKind(undo, redo, describe))
