"""Random sequences of edits, removals, undo and redo on a real SQLite library: after undoing
every step the library holds what it held at the start, a redo gives back the state after its
step, and no book outside a step changes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.journal import run
from bookorbit_desktop.library.journal.book_values import read_values
from bookorbit_desktop.library.reading.edits import save_edit
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book
from tests.new_library import new_library

BOOKS = 3
words = st.sampled_from(["Emma", "Dune", "Kim", "Ulysses"])
# Fields one edit may give several books (a title belongs to one: `titles` below).
book_changes = st.one_of(
    st.builds(lambda s: BookChanges(series=s), st.none() | words),
    st.builds(lambda a: BookChanges(authors=a), st.lists(words, min_size=1, max_size=2,
                                                           unique=True)),
    st.builds(lambda p: BookChanges(publisher=p), st.none() | words),
)  # fmt: skip
titles = st.builds(lambda t: BookChanges(title=t), words)
reading_changes = st.one_of(
    st.fixed_dictionaries({"rating": st.sampled_from(["none", "1", "3.5", "5"])}),
    st.fixed_dictionaries({"status": st.sampled_from(["unread", "want_to_read", "on_hold"])}),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sets(st.integers(0, BOOKS - 1), min_size=1), book_changes),
        st.tuples(
            st.just("edit"), st.sets(st.integers(0, BOOKS - 1), min_size=1, max_size=1), titles
        ),
        st.tuples(st.just("reading"), st.integers(0, BOOKS - 1), reading_changes),
        st.tuples(st.just("remove"), st.integers(0, BOOKS - 1)),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
    ),
    max_size=25,
)


def _state(ids: list[int], paths) -> dict:
    return read_values(ids, paths)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_undo_and_redo_walk_the_library_back_and_forth(ops):
    with tempfile.TemporaryDirectory() as folder:
        paths = resolve_paths(Path(folder))
        paths.ensure()
        new_library(paths.db_file)
        open_database(paths.db_file)
        try:
            ids = [add_book(f"Book {n}", (f"Author {n}",)).id for n in range(BOOKS)]
            start = _state(ids, paths)
            states = [start]  # the state after each step not undone
            waiting: list[dict] = []  # the states the undone steps led to, next redo last
            for op in ops:
                before = _state(ids, paths)
                touched = set(op[1]) if op[0] == "edit" else {op[1]} if len(op) > 1 else set()
                if any(ids[n] not in before for n in touched):
                    continue  # a removed book takes no edit
                if op[0] == "edit":
                    edit_books([ids[n] for n in sorted(op[1])], op[2], paths)
                elif op[0] == "reading":
                    save_edit(ids[op[1]], **op[2])
                elif op[0] == "remove":
                    remove_books([ids[op[1]]], paths)
                elif op[0] == "undo":
                    if run.undo(paths) is not None:
                        waiting.append(states.pop())
                    assert _state(ids, paths) == states[-1]
                    continue
                else:
                    if run.redo(paths) is not None:
                        states.append(waiting.pop())
                    assert _state(ids, paths) == states[-1]
                    continue
                after = _state(ids, paths)
                if after != before:
                    states.append(after)
                    waiting.clear()
                changed = {
                    n for n, book_id in enumerate(ids) if after.get(book_id) != before.get(book_id)
                }
                assert changed <= touched  # no book outside the step changed
            while run.undo(paths) is not None:
                pass
            assert _state(ids, paths) == start
            assert Book.select().count() == BOOKS
        finally:
            close_database()
