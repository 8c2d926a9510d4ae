"""A custom column's heading beside the library's own columns (`kinds.Column.heading`)."""

from __future__ import annotations

from bookorbit_desktop.library.custom.kinds import Column


def test_a_column_named_as_a_built_in_one_is_headed_with_its_label():
    pages = Column(1, "pages", "Pages", "int", False, ())
    mood = Column(2, "mood", "Mood", "text", False, ())
    built_in = ("Title", "Authors", "Pages", "Publisher:")
    assert pages.heading(built_in) == "Pages (#pages)"
    assert mood.heading(built_in) == "Mood"
