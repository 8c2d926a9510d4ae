"""The book panel's reading-form rules, table by table (no widgets)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.ui.library.reading_edits import (
    changed_elsewhere_note,
    edits,
    form_values,
    merge_reload,
)


def values(**changed: object) -> dict[str, object]:
    base: dict[str, object] = {
        "status": "unread",
        "progress": 0.0,
        "started": "",
        "finished": "",
        "rating": None,
    }
    return {**base, **changed}


def test_form_values_of_a_stored_state():
    stored = {
        "status": "reading",
        "progress": 0.12345,
        "started": "2024-05-01",
        "finished": None,
        "rating": 4.5,
    }
    assert form_values(stored) == values(
        status="reading", progress=12.3, started="2024-05-01", rating=4.5
    )


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (values(), {}),
        (values(status="read"), {"status": "read"}),
        (values(progress=37.5), {"progress": 0.375}),
        (values(started="2024-05-01"), {"started": "2024-05-01"}),
        (values(rating=3.0), {"rating": 3.0}),
    ],
)
def test_edits_against_an_unread_book(form, expected):
    assert edits(values(), form) == expected


def test_clearing_a_stored_date_or_rating_is_an_edit_to_none():
    stored = values(started="2024-05-01", rating=4.0)
    assert edits(stored, values()) == {"started": None, "rating": None}


# (stored before, stored after, form, noted earlier) -> (form shows, named)
MERGE_TABLE = [
    # Nothing edited: every field follows the stored state.
    (values(), values(status="reading", progress=50.0), values(), (), ("reading", 50.0, None), ()),
    # An edited field keeps what was typed; the others follow.
    (
        values(),
        values(status="reading", progress=50.0),
        values(rating=4.0),
        (),
        ("reading", 50.0, 4.0),
        (),
    ),
    # An edited field whose stored value moved is named.
    (
        values(),
        values(progress=50.0),
        values(progress=30.0),
        (),
        ("unread", 30.0, None),
        ("progress",),
    ),
    # The stored value moved to what was typed: no longer an edit, not named.
    (values(), values(progress=30.0), values(progress=30.0), (), ("unread", 30.0, None), ()),
    # Named earlier and still edited: stays named though the value did not move this time.
    (
        values(progress=50.0),
        values(progress=50.0),
        values(progress=30.0),
        ("progress",),
        ("unread", 30.0, None),
        ("progress",),
    ),
    # Named earlier but no longer edited: dropped.
    (
        values(progress=50.0),
        values(progress=50.0),
        values(progress=50.0),
        ("progress",),
        ("unread", 50.0, None),
        (),
    ),
]


@pytest.mark.parametrize(("before", "after", "form", "noted", "shows", "named"), MERGE_TABLE)
def test_merge_reload(before, after, form, noted, shows, named):
    merged = merge_reload(before, after, form, noted)
    assert (merged.show["status"], merged.show["progress"], merged.show["rating"]) == shows
    assert merged.changed_elsewhere == named


@pytest.mark.parametrize(
    ("keys", "stored", "note"),
    [
        ((), values(), ""),
        (("progress",), values(progress=52.0), "Progress is now 52 %"),
        (
            ("status", "rating"),
            values(status="on_hold"),
            "Status is now On hold, Rating is now no rating",
        ),
        (("finished",), values(), "Finished is now empty"),
        (("rating",), values(rating=4.5), "Rating is now 4.5 of 5"),
    ],
)
def test_changed_elsewhere_note(keys, stored, note):
    text = changed_elsewhere_note(keys, stored)
    assert note in text
    assert ("Save keeps what you typed" in text) == bool(keys)
