"""Every transaction that reads before it writes takes the write lock first: another
connection (the window, the sync server, a command, another program) that commits between its
read and its first write makes it wait its turn, never fail with "database is locked"
(`tests/write_lock.py` says why SQLite refuses such a write at once).

Each row runs one of the library's read-then-write actions while another connection tries to
commit just as the action's first write starts: the other must find the write lock taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bookorbit_desktop.config import Paths
from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.journal.plan import QUOTE, Wanted
from bookorbit_desktop.hardcover.matching import store as matches
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.author_sorts import file_authors
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.highlights import proposals, versions
from bookorbit_desktop.library.highlights import store as highlights
from bookorbit_desktop.library.highlights.folder import import_file
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.journal.restore import restore_removed
from bookorbit_desktop.library.merge.store import merge_books
from bookorbit_desktop.library.reading.edits import save_edit, update_reading_state
from bookorbit_desktop.library.store import fetched_metadata, inbox, outbox
from bookorbit_desktop.library.store.channel_tables import Highlight, HighlightVersion
from bookorbit_desktop.library.store.models import Author
from bookorbit_desktop.library.tags.edit import edit_with_tags
from bookorbit_desktop.services.library.bulk_edits import BulkEditService
from tests.factories import add_book, make_epub
from tests.library.highlights.sidecars import current_table, write_sidecar
from tests.write_lock import another_commit_before_the_first_write

T = 1_700_000_000


@dataclass
class World:
    """Two copies of one book, a highlight with an earlier text, and the data folder."""

    paths: Paths
    dune: int
    copy: int
    highlight: int

    def version(self) -> int:
        row = HighlightVersion.get(HighlightVersion.highlight == self.highlight)
        return int(row.id)


def _world(paths: Paths) -> World:
    dune = add_book("Dune", ("Frank Herbert",)).id
    copy = add_book("Dune", ("Frank Herbert",)).id
    target = highlights.Target(dune)
    for text, now in (("Fear.", 1.0), ("Fear!", 2.0)):
        highlights.record(
            target, [Entry(T, text)], source=highlights.SOURCE_XMNOTE, origin=None, now=now
        )
    highlight = Highlight.get(Highlight.book == dune).id
    return World(paths, dune, copy, highlight)


def _wanted(world: World) -> Wanted:
    return Wanted(world.highlight, QUOTE, "Fear!", 7, None, None, None, T)


def _linked(world: World) -> int:
    matches.pin(world.dune, 7, edition_id=None, edition_pages=None, reason="picked", now=1.0)
    return world.dune


def _removed(world: World) -> int:
    remove_books([world.copy], world.paths, clock=lambda: 5.0)
    step = steps.next_undo()
    assert step is not None
    return step.id


def _sidecar(world: World) -> Any:
    book = make_epub(world.paths.data_dir / "device" / "Dune.epub", "Dune", ("Frank Herbert",))
    return write_sidecar(book, current_table(None))


def _proposal(world: World) -> int:
    proposals.propose(world.dune, "xmnote", status="on_hold", rating=None, note=None, now=1.0)
    (row,) = proposals.waiting()
    return row.id


def _edited(world: World) -> None:
    edit_books([world.dune], BookChanges(title="Dune Messiah"), world.paths, clock=lambda: 3.0)


def _waiting(world: World) -> None:
    highlights.record(
        highlights.Target(None, "Lost", "Nobody"),
        [Entry(T, "Found.")],
        source=highlights.SOURCE_XMNOTE,
        origin=None,
        now=1.0,
    )


def _no_setup(world: World) -> None:
    return None


# (name, setup(world) -> what the action needs, action(world, that))
ACTIONS: list[tuple[str, Callable[[World], Any], Callable[[World, Any], object]]] = [
    # The library's values, as one undoable step.
    ("edit", _no_setup, lambda w, _: _edited(w)),
    (
        "edit with tags",
        _no_setup,
        lambda w, _: edit_with_tags([w.dune], BookChanges(title="Dune II"), w.paths, add=["sf"]),
    ),
    ("undo", _edited, lambda w, _: run.undo(w.paths, clock=lambda: 4.0)),
    ("remove", _no_setup, lambda w, _: remove_books([w.dune], w.paths)),
    ("restore removed", _removed, lambda w, step: restore_removed(w.paths, step, w.copy, 6.0)),
    ("merge", _no_setup, lambda w, _: merge_books(w.dune, w.copy, w.paths, 3.0)),
    (
        "file authors",
        lambda w: Author.get(Author.name == "Frank Herbert").id,
        lambda w, author: file_authors({author: "Herbert, Frank"}, 3.0),
    ),
    (
        "bulk edit",
        _no_setup,
        lambda w, _: BulkEditService(w.paths).apply([w.dune], {"publisher": "Ace"}),
    ),
    (
        "bulk edit preview",
        _no_setup,
        lambda w, _: BulkEditService(w.paths).preview([w.dune], {"publisher": "Ace"}),
    ),
    # Reading state.
    ("reading state", _no_setup, lambda w, _: update_reading_state(w.dune, status="reading")),
    (
        "save a finish",
        _no_setup,
        lambda w, _: save_edit(w.dune, status="read", finished="2024-01-02"),
    ),
    # Highlights and what devices propose.
    (
        "record highlights",
        _no_setup,
        lambda w, _: highlights.record(
            highlights.Target(w.dune),
            [Entry(T + 1, "Walk without rhythm.")],
            source=highlights.SOURCE_XMNOTE,
            origin=None,
            now=3.0,
        ),
    ),
    ("import a sidecar", _sidecar, lambda w, path: import_file(path, now=3.0, tz=dt.UTC)),
    (
        "link waiting highlights",
        _waiting,
        lambda w, _: highlights.link_waiting("Lost", "Nobody", w.copy, now=3.0),
    ),
    ("restore a highlight's text", _no_setup, lambda w, _: versions.restore(w.version(), now=3.0)),
    (
        "propose",
        _no_setup,
        lambda w, _: proposals.propose(
            w.dune, "xmnote", status="on_hold", rating=None, note=None, now=1.0
        ),
    ),
    ("apply a proposal", _proposal, lambda w, proposal: proposals.apply(proposal)),
    ("dismiss a proposal", _proposal, lambda w, proposal: proposals.dismiss(proposal)),
    # The Inbox, the outbox, fetched metadata.
    ("approve", lambda w: inbox.hold([w.dune]), lambda w, _: inbox.approve([w.dune])),
    ("approve all", lambda w: inbox.hold([w.dune]), lambda w, _: inbox.approve_all()),
    ("hold the outbox", _no_setup, lambda w, _: outbox.hold([w.dune], "cancelled", now=2.0)),
    (
        "save fetched metadata",
        _no_setup,
        lambda w, _: fetched_metadata.save_answer(w.dune, "openlibrary", "ok", "", [], 2.0),
    ),
    # Hardcover's records of the library.
    ("exclude", _no_setup, lambda w, _: matches.exclude(w.dune, now=2.0)),
    ("lead", _linked, lambda w, book: matches.lead(book, now=2.0)),
    ("remove entry", _linked, lambda w, book: matches.mark_removed(book, now=2.0)),
    (
        "add again",
        lambda w: matches.mark_removed(_linked(w), now=2.0),
        lambda w, _: matches.add_again(w.dune, now=3.0),
    ),
    ("journal: sending", _no_setup, lambda w, _: journal_store.mark_sending(_wanted(w), 2.0)),
    (
        "journal: refused",
        _no_setup,
        lambda w, _: journal_store.mark_refused(_wanted(w), "no", 2.0),
    ),
    (
        "journal: waiting",
        _no_setup,
        lambda w, _: journal_store.mark_waiting(_wanted(w), 2.0, "429"),
    ),
    (
        "journal: failed",  # its count of attempts, read then written, is not lost
        lambda w: journal_store.mark_sending(_wanted(w), 1.0),
        lambda w, _: journal_store.mark_failed(_wanted(w), 2.0),
    ),
    (
        "pulled page",
        lambda w: pulled.save_page([pulled.PulledRow(11, 7, {"status_id": 2}, None)], 1, {}),
        lambda w, _: pulled.save_page([pulled.PulledRow(11, 7, {"status_id": 3}, None)], 2, {}),
    ),
]


@pytest.mark.parametrize(("setup", "action"), [a[1:] for a in ACTIONS], ids=[a[0] for a in ACTIONS])
def test_a_read_then_write_holds_the_write_lock_from_its_start(library, setup, action):
    world = _world(library)
    given = setup(world)
    with another_commit_before_the_first_write(library.db_file) as outcome:
        action(world, given)
    assert outcome == ["waited"]
