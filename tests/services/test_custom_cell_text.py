"""The text of a custom column's cell, as the library table reads it (`rows.read_table`): a long
text on one line, calibre's HTML comments as their words, never their tags or markup; a rating
in stars."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.services.library.rows import read_table
from tests.factories import add_book


@pytest.mark.parametrize(
    ("kind", "stored", "shown"),
    [
        ("long-text", "<div><p>Loved <i>it</i>.</p><p>Would read &amp; again.</p></div>",
         "Loved it. Would read & again."),
        ("long-text", "Long.\nVery long.", "Long. Very long."),
        ("long-text", "5 < 6, and 7 > 3", "5 < 6, and 7 > 3"),  # plain text with a "<"
        ("text", "<i>quiet</i> & calm", "<i>quiet</i> & calm"),  # a text is its text
        ("yes-no", True, "Yes"),
        ("rating", 3.5, "★★★½"),  # stars, as the library's own Rating column shows them
        ("rating", 0, "No stars"),
        ("tags", ["calm", "dark"], "calm, dark"),
    ],
)  # fmt: skip
def test_a_custom_cell_reads_as_text_on_one_line(library, kind, stored, shown):
    column = add_column("Notes", kind)
    book = add_book("Dune")
    set_values([book.id], {column.id: stored})
    [row] = read_table([book.id])
    assert row.custom == ((column.id, shown),)
