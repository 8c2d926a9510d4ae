"""An edit the user commits while a pull weighs an entry is never overwritten by it.

The pull reads the library's values, decides field by field (`rule.decide`) and writes what
Hardcover changed. Another connection (the window, a command, a KOReader push) committing
between that read and the write would have its edit overwritten by a decision made on the
values before it; the pull holds the write lock from its first read, so such an edit waits for
the pull and lands after it.
"""

from __future__ import annotations

import sqlite3

from bookorbit_desktop.hardcover.pull import apply
from bookorbit_desktop.library.store.models import ReadingState
from tests.fakes.hardcover_catalog import CURRENTLY_READING
from tests.fakes.hardcover_shelves import edit_entry


async def test_a_rating_given_while_the_pull_weighs_the_entry_is_kept(world, library, monkeypatch):
    book = world.add("a", status="reading", progress=0.2)
    await world.sync()
    entry = world.entry("a")
    assert entry is not None and entry["status_id"] == CURRENTLY_READING
    world.clock.advance(600)
    edit_entry(world.catalog, entry["id"], rating=5.0)  # given on hardcover.app
    outcome: list[str] = []
    weighed = apply.local_values

    def user_rates_meanwhile(*values):
        found = weighed(*values)
        if not outcome:  # the window's edit, on its own connection, just after the read
            other = sqlite3.connect(library.db_file, timeout=0.3)
            try:
                with other:
                    other.execute(
                        "UPDATE reading_state SET rating = 2.0 WHERE book_id = ?", (book,)
                    )
                outcome.append("committed")
            except sqlite3.OperationalError:
                outcome.append("waited")  # the pull holds the write lock: it lands after
            finally:
                other.close()
        return found

    monkeypatch.setattr(apply, "local_values", user_rates_meanwhile)
    await world.sync(due_only=True)
    assert outcome == ["waited"]
    assert ReadingState.get_by_id(book).rating == 5.0  # Hardcover's, followed: nothing lost
