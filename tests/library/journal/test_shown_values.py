"""A change's values as the history shows them (`journal.edits.whole`), table-driven: on one
line, a yes/no as Yes or No, a whole rating without ".0", an HTML description or calibre's
comments as their words, never their tags."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.journal.edits import whole


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("rating", 4.0, "4"),
        ("rating", 3.5, "3.5"),
        ("custom:3", True, "Yes"),
        ("custom:3", False, "No"),
        ("description", "<p>Loved <i>it</i>.</p><p>Again.</p>", "Loved it. Again."),
        ("custom:4", "Two\nlines", "Two lines"),
        ("custom:4", "5 < 6", "5 < 6"),
        ("tags", ["sf", "classic"], "sf, classic"),
        ("custom:5", None, "(none)"),
    ],
)
def test_a_value_reads_as_the_history_shows_it(name, value, shown):
    assert whole(name, value) == shown


def test_a_custom_column_is_named_with_its_label_where_a_books_field_has_its_name(library):
    from bookorbit_desktop.library.custom.columns import add_column
    from bookorbit_desktop.library.journal.rules import field_label

    status, mood = add_column("Status", "list", ["Done", "Reading"]), add_column("Mood", "text")
    assert field_label(status.key) == "Status (#status)"  # not the reading status
    assert field_label(mood.key) == "Mood"
    assert field_label("status") == "reading status"
