"""The shelves pulled from the fake Hardcover: counts, linked / likely / missing (never a wrong
book), Link on the user's word, and the command line."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.hardcover.pull.run import pull
from bookorbit_desktop.library.store import shelves as store
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.services.shelves import service as shelves
from tests.factories import add_book
from tests.fakes.hardcover_catalog import READ
from tests.fakes.hardcover_shelves import add_read, edit_entry
from tests.hardcover.shelves.shelf_world import HOBBIT_ISBN, shelve


def _by_key(rows):
    return {row.title: row for row in rows}


async def test_shelves_count_their_books_and_those_in_the_library(world):
    await shelve(world)
    found = {s.name: s for s in shelves.shelves()}
    assert list(found) == ["Want to Read", "Currently Reading", "Favourites"]
    assert (found["Want to Read"].entries, found["Want to Read"].in_library) == (5, 0)
    assert (found["Currently Reading"].entries, found["Currently Reading"].in_library) == (1, 1)
    assert (found["Favourites"].entries, found["Favourites"].in_library) == (3, 1)
    assert found["Favourites"].kind == "list"


async def test_each_entry_is_linked_likely_with_why_or_missing(world):
    made = await shelve(world)
    rows = _by_key(shelves.shelf_rows(store.WANT_TO_READ))
    hobbit, neuromancer = rows["The Hobbit"], rows["Neuromancer"]
    assert (hobbit.state, hobbit.book_id) == (shelves.LIKELY, made.books["hobbit"])
    assert f"same ISBN {HOBBIT_ISBN}" in hobbit.reason
    assert (neuromancer.state, neuromancer.book_id) == (shelves.LIKELY, made.books["neuromancer"])
    assert "title and author agree (William Gibson)" in neuromancer.reason
    # Never a wrong book: another title by the same author, the same title by another author,
    # a book waiting in the Inbox.
    for title in ("Dune Messiah", "Emma", "Persuasion"):
        assert rows[title].state == shelves.MISSING and rows[title].book_id is None, title
    assert rows["Emma"].url == "https://hardcover.app/books/emma"
    reading = shelves.shelf_rows(store.CURRENTLY_READING)
    assert [(r.title, r.state, r.book_id) for r in reading] == [
        ("Dune", shelves.LINKED, made.books["dune"])
    ]
    favourites = shelves.shelf_rows(shelves.find_shelf("favourites").key)
    assert [r.state for r in favourites] == [shelves.LINKED, shelves.MISSING, shelves.MISSING]
    assert favourites[2].title == f"Hardcover book {made.hc['other']}"
    assert favourites[2].status is None and favourites[0].status == "Currently Reading"


async def test_link_records_the_users_word_as_a_pick(world):
    made = await shelve(world)
    message = shelves.link(made.books["hobbit"], made.hc["hobbit"], "same ISBN")
    assert "Linked “The Hobbit”" in message
    match = get_match(made.books["hobbit"])
    assert match.hc_book_id == made.hc["hobbit"] and match.pinned
    assert match.reason == "linked by you from your Hardcover shelf: same ISBN"
    assert (
        match.hc_edition_id
        == world.catalog.tables["user_books"][made.entries["hobbit"]]["edition_id"]
    )
    rows = _by_key(shelves.shelf_rows(store.WANT_TO_READ))
    assert rows["The Hobbit"].state == shelves.LINKED
    # A book linked to another Hardcover book is not re-linked from a shelf.
    with pytest.raises(InvalidValueError, match="linked to another Hardcover book"):
        shelves.link(made.books["dune"], made.hc["emma"])
    with pytest.raises(InvalidValueError, match="Inbox"):
        shelves.link(made.books["inbox"], made.hc["inbox"])


async def test_an_unknown_shelf_says_which_there_are(world):
    await shelve(world)
    with pytest.raises(NotFoundError, match="'Favourites'"):
        shelves.find_shelf("Nope")
    with pytest.raises(NotFoundError):
        store.shelf_entries("list-999")


async def test_a_library_book_linked_elsewhere_is_never_proposed(world):
    made = await shelve(world)
    other = add_book("Neuromancer", ["William Gibson"]).id
    shelves.link(made.books["neuromancer"], made.hc["neuromancer"])
    rows = _by_key(shelves.shelf_rows(store.WANT_TO_READ))
    assert rows["Neuromancer"].state == shelves.LINKED
    assert rows["Neuromancer"].book_id == made.books["neuromancer"] != other


async def test_the_command_line_lists_shelves_and_a_shelf(world, library, capsys):
    made = await shelve(world)
    assert main(["hardcover", "shelves", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["name"], s["entries"], s["in_library"]) for s in listed] == [
        ("Want to Read", 5, 0),
        ("Currently Reading", 1, 1),
        ("Favourites", 3, 1),
    ]
    assert main(["hardcover", "shelves"]) == 0
    assert "Favourites: 3 books, 1 in the library" in capsys.readouterr().out
    assert main(["hardcover", "shelf", "Want to Read", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    states = {b["title"]: (b["state"], b["book_id"]) for b in data["books"]}
    assert states["The Hobbit"] == ("likely", made.books["hobbit"])
    assert states["Emma"] == ("missing", None)
    assert main(["hardcover", "shelf", "want-to-read"]) == 0
    out = capsys.readouterr().out
    assert "[likely] The Hobbit by J.R.R. Tolkien" in out
    assert "https://hardcover.app/books/emma" in out
    assert main(["hardcover", "shelf", "Nope"]) == 2
    assert "There is no shelf named 'Nope'" in capsys.readouterr().err


async def test_no_shelves_before_the_first_pull(library, capsys):
    assert main(["hardcover", "shelves"]) == 0
    assert "No shelves yet" in capsys.readouterr().out


async def test_linking_a_pulled_book_gives_it_the_entrys_status_dates_and_rating_at_once(world):
    made = await shelve(world)
    uid = world.hardcover.user_id
    edit_entry(world.catalog, made.entries["neuromancer"], status_id=READ, rating=4.5)
    add_read(
        world.catalog,
        made.entries["neuromancer"],
        started_at="2025-03-01",
        finished_at="2025-03-20",
    )
    assert (await pull(world.client, uid)).error is None
    await shelves.link_async(made.books["hobbit"], made.hc["hobbit"], "same ISBN")
    assert ReadingState.get_by_id(made.books["hobbit"]).status == "want_to_read"
    await shelves.link_async(made.books["neuromancer"], made.hc["neuromancer"])
    reading = ReadingState.get_by_id(made.books["neuromancer"])
    assert (reading.status, reading.rating) == ("read", 4.5)
    assert (reading.started, reading.finished) == ("2025-03-01", "2025-03-20")
    assert reading.finished_source == "hardcover"
