"""`hardcover shelf` says how to link a likely book from the command line: the `hardcover
pick` command with the library book and the Hardcover id (shelves pulled from the fake)."""

from __future__ import annotations

from bookorbit_desktop.cli import main
from bookorbit_desktop.hardcover.matching.store import get_match
from tests.hardcover.shelves.shelf_world import shelve
from tests.hardcover.sync.conftest import world

__all__ = ["world"]  # the fixture


async def test_a_likely_book_shows_its_hardcover_id_and_the_pick_command(world, capsys):
    for n in range(5):  # Hardcover ids other than the library's, so neither stands for both
        world.catalog.add_book(f"Elsewhere {n}", authors=["Someone Else"])
    made = await shelve(world)
    assert main(["hardcover", "shelf", "Want to Read"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("  [likely] The Hobbit by J.R.R. Tolkien")
    book, hc_book = made.books["hobbit"], made.hc["hobbit"]
    assert book != hc_book and "same ISBN" in lines[at + 1]
    command = f"bookorbit-desktop hardcover pick {book} {hc_book}"
    assert (
        lines[at + 2] == f"      Hardcover id {hc_book}: link it in the Shelves tab, or: {command}"
    )
    missing = lines.index("  [missing] Emma by Jane Austen")
    assert "pick" not in lines[missing + 1]  # nothing to link a missing book to
    assert get_match(book) is None  # listing links nothing
