"""How the columns that give up width in a narrow window (Authors, Series, Tags) share the room
left to them, as a table."""

from __future__ import annotations

import pytest

from bookorbit_desktop.ui.library.columns import shared_widths, tiered_widths

WANTED = {"authors": 130, "series": 100, "tags": 140}


@pytest.mark.parametrize(
    ("room", "widths"),
    [
        (400, WANTED),  # room enough: as wanted
        (370, WANTED),
        (185, {"authors": 60, "series": 60, "tags": 64}),  # near the floor: a little above it
        # Series would go below the floor at the common factor: it stays at 60, the others
        # share the rest (the old rule overran the room here and the table scrolled).
        (203, {"authors": 68, "series": 60, "tags": 74}),
        (100, {"authors": 60, "series": 60, "tags": 60}),  # no room: all at the floor
        (-20, {"authors": 60, "series": 60, "tags": 60}),
    ],
)
def test_narrow_columns_share_the_room_without_going_below_the_floor(room, widths):
    assert shared_widths(WANTED, room, dict.fromkeys(WANTED, 60)) == widths
    if room >= 180:
        assert sum(shared_widths(WANTED, room, dict.fromkeys(WANTED, 60)).values()) <= room


def test_a_column_narrower_than_the_floor_keeps_its_width():
    wanted = {"authors": 200, "series": 40}
    assert shared_widths(wanted, 150, dict.fromkeys(wanted, 60)) == {"authors": 110, "series": 40}


def test_each_column_keeps_its_own_floor():
    floors = {"authors": 175, "series": 60, "tags": 60}
    assert shared_widths(WANTED | {"authors": 180}, 300, floors) == {
        "authors": 175,
        "series": 60,
        "tags": 65,
    }


def test_the_later_tiers_give_up_width_only_once_the_first_is_at_its_floors():
    first, last = {"series": 100, "tags": 140}, {"status": 90, "progress": 140}
    floors = {"series": 60, "tags": 60, "status": 50, "progress": 60}
    assert tiered_widths([first, last], 470, floors) == first | last  # room enough
    # Series and Tags give up width first; Status and Progress keep theirs.
    assert tiered_widths([first, last], 400, floors) == {
        "series": 70,
        "tags": 99,
        "status": 90,
        "progress": 140,
    }
    # Series and Tags at their floors: Status and Progress share what is left.
    assert tiered_widths([first, last], 300, floors) == {
        "series": 60,
        "tags": 60,
        "status": 70,
        "progress": 109,
    }
    assert tiered_widths([first, last], 0, floors) == floors  # no room: all at the floor
