"""A second copy of a linked book (another edition) against the loopback Hardcover: the entry
keeps its edition, and the progress sent stays within that edition and never drops below
Hardcover's for the same read."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.reading.edits import update_reading_state
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK
from tests.hardcover.sync.conftest import ADDED

pytestmark = pytest.mark.asyncio


def other_edition_copy(world, key: str, *, pages: int, **reading) -> tuple[int, int]:
    """Another local copy linked to the same Hardcover book, picked with another edition."""
    edition = world.catalog.add_edition(world.hc_books[key], pages=pages, reading_format_id=EBOOK)
    book = add_book(f"Book {key} (another edition)", ["Ann Author"], added_at=ADDED)
    pin(book.id, world.hc_books[key], edition_id=edition, edition_pages=pages, reason="picked")
    world.clock.advance(60)  # read after the first copy: the copy being read now
    update_reading_state(book.id, **reading)
    return book.id, edition


async def test_a_second_copy_never_switches_the_edition_nor_lowers_progress(world):
    world.add("dune", pages=480, status="reading", started="2026-03-01", progress=0.8)
    await world.sync()
    assert world.entry("dune")["edition_id"] == world.editions["dune"]
    assert world.reads("dune")[0]["progress_pages"] == 384
    other_edition_copy(world, "dune", pages=279, status="reading", progress=0.318)
    await world.sync()
    entry = world.entry("dune")
    (read,) = world.reads("dune")
    assert entry["edition_id"] == world.editions["dune"]
    assert read["edition_id"] in (None, world.editions["dune"])
    assert read["progress_pages"] == 384  # 80 % of 480, not 31.8 %


async def test_progress_of_the_copy_being_read_goes_out_in_the_pinned_editions_pages(world):
    world.add("dune", pages=480, status="reading", started="2026-03-01", progress=0.5)
    await world.sync()
    other_edition_copy(world, "dune", pages=279, status="reading", progress=0.9)
    await world.sync()
    entry = world.entry("dune")
    (read,) = world.reads("dune")
    assert entry["edition_id"] == world.editions["dune"]
    assert read["progress_pages"] == 432  # 90 % of the 480-page edition, never 251 of 279
    assert 0 < read["progress_pages"] <= 480


async def test_the_user_changes_the_edition_by_picking_it_for_the_copy_that_had_it(world):
    book = world.add("dune", pages=480, status="reading", started="2026-03-01", progress=0.5)
    await world.sync()
    other = world.catalog.add_edition(world.hc_books["dune"], pages=600, reading_format_id=EBOOK)
    pin(book, world.hc_books["dune"], edition_id=other, edition_pages=600, reason="picked")
    world.edit("dune", progress=0.6)
    await world.sync()
    assert world.entry("dune")["edition_id"] == other
    assert (
        world.reads("dune")[0]["progress_pages"] == 360
    )  # 60 % of the 600-page edition the user picked


async def test_an_edition_the_user_picks_gets_a_page_within_it(world):
    book = world.add("dune", pages=480, status="reading", started="2026-03-01", progress=0.8)
    await world.sync()
    assert world.reads("dune")[0]["progress_pages"] == 384
    short = world.catalog.add_edition(world.hc_books["dune"], pages=279, reading_format_id=EBOOK)
    pin(book, world.hc_books["dune"], edition_id=short, edition_pages=279, reason="picked")
    await world.sync()
    (read,) = world.reads("dune")
    assert world.entry("dune")["edition_id"] == short
    assert read["progress_pages"] == 223  # 80 % of 279, never page 384 of a 279-page edition
