"""Want to Read from the app: the library book goes to Hardcover's Want to Read with the next
sync and nothing else is written; a status the book already has there is changed only when the
user confirms."""

from __future__ import annotations

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.services.shelves import service as shelves
from tests.factories import add_book
from tests.fakes.hardcover_catalog import READ, WANT_TO_READ


def _writes(world, since: int) -> list[str]:
    return [
        r.operation_name for r in world.hardcover.requests[since:] if r.operation_type == "mutation"
    ]


async def test_want_to_read_reaches_hardcover_and_nothing_else_is_written(world):
    book = world.add("a")
    world.add("b", status="reading", started="2026-01-02")
    await world.sync()
    assert world.entry("a") is None
    before_b = dict(world.entry("b"))
    sent = len(world.hardcover.requests)
    message = shelves.want(book)
    assert "is on Want to Read" in message and "next sync" in message
    assert ReadingState.get_by_id(book).status == "want_to_read"
    await world.sync()
    entry = world.entry("a")
    assert entry is not None and entry["status_id"] == WANT_TO_READ
    assert _writes(world, sent) == ["InsertUserBook"]
    assert world.entry("b") == before_b
    assert world.reads("a") == []
    # Asked again: nothing to do, nothing sent.
    sent = len(world.hardcover.requests)
    assert "already on Want to Read" in shelves.want(book)
    await world.sync()
    assert _writes(world, sent) == []


async def test_a_status_on_hardcover_is_changed_only_when_the_user_says_so(world):
    book = world.add("a", status="read", started="2026-01-02", finished="2026-01-09")
    await world.sync()
    await world.sync()  # its pull reads the entry back
    assert world.entry("a")["status_id"] == READ
    sent = len(world.hardcover.requests)
    with pytest.raises(shelves.WantQuestion, match="On Hardcover this book is “Read”"):
        shelves.want(book)
    assert ReadingState.get_by_id(book).status == "read"
    await world.sync()
    assert world.entry("a")["status_id"] == READ
    assert _writes(world, sent) == []
    assert "is on Want to Read" in shelves.want(book, confirmed=True)
    await world.sync()
    assert world.entry("a")["status_id"] == WANT_TO_READ


async def test_a_local_status_is_asked_about_too(world):
    book = add_book("Not linked", status="reading").id
    with pytest.raises(shelves.WantQuestion, match="In your library this book is"):
        shelves.want(book)
    assert "once the book is linked" in shelves.want(book, confirmed=True)
    dropped = add_book("Given up", status="abandoned").id
    with pytest.raises(shelves.WantQuestion, match="this book is “Abandoned”"):  # its own word
        shelves.want(dropped)


async def test_want_refuses_what_it_cannot_do(world):
    with pytest.raises(NotFoundError):
        shelves.want(999)
    held = add_book("Waiting").id
    inbox.hold([held])
    with pytest.raises(InvalidValueError, match="Inbox"):
        shelves.want(held)
    assert ReadingState.get_by_id(held).status == "unread"


async def test_hardcover_want_on_the_command_line(world, library, capsys):
    book = world.add("a", status="read", started="2026-01-02", finished="2026-01-09")
    await world.sync()
    await world.sync()
    capsys.readouterr()
    assert main(["hardcover", "want", str(book)]) == 1
    out = capsys.readouterr().out
    assert "On Hardcover this book is “Read”" in out and "--yes" in out
    assert main(["hardcover", "want", str(book), "--yes"]) == 0
    assert "is on Want to Read" in capsys.readouterr().out


async def test_a_confirmed_want_moves_a_never_synced_book_read_on_hardcover(world):
    """A linked book the library never pushed, Read on hardcover.app: once the user confirms
    Want to Read in the app, Hardcover's entry goes to Want to Read (the user's word), and
    no conflict is left behind."""
    from bookorbit_desktop.hardcover.pull.conflicts import listing

    book = world.add("a")  # linked, unread, never pushed
    await world.sync()
    world.clock.advance(600)
    world.catalog.add_user_book(world.hardcover.user_id, world.hc_books["a"], status_id=READ)
    await world.sync()  # the pull takes Read home: the library had no status of its own
    assert ReadingState.get_by_id(book).status == "read"
    with pytest.raises(shelves.WantQuestion):
        shelves.want(book)
    assert "is on Want to Read" in shelves.want(book, confirmed=True)
    await world.sync()
    assert world.entry("a")["status_id"] == WANT_TO_READ
    assert listing() == []
    await world.sync()  # and it stays so
    assert world.entry("a")["status_id"] == WANT_TO_READ
    assert ReadingState.get_by_id(book).status == "want_to_read"


async def test_a_confirmed_want_settles_a_status_conflict_with_hardcover(world):
    """Reading here, Read on hardcover.app, never synced: a conflict. Confirming Want to Read
    in the app is the user's word on that status: it goes to Hardcover and the conflict ends."""
    from bookorbit_desktop.hardcover.pull.conflicts import listing

    book = world.add("a", status="reading", started="2026-01-02")
    world.catalog.add_user_book(world.hardcover.user_id, world.hc_books["a"], status_id=READ)
    await world.sync()
    assert [c["field"] for c in listing()] == ["status"]
    assert world.entry("a")["status_id"] == READ  # held while the conflict stands
    assert "is on Want to Read" in shelves.want(book, confirmed=True)
    await world.sync()
    assert world.entry("a")["status_id"] == WANT_TO_READ
    assert listing() == []
