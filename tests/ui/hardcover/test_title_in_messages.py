"""The Hardcover page names a book by its title, never by its database id: a book the
library does not list (removed meanwhile) is an "untitled book" (real library, real widgets)."""

from __future__ import annotations

from tests.factories import add_book


def test_the_sync_log_names_the_book_by_title(hc):
    dune = add_book("Dune", ["Frank Herbert"])
    hc.show_log(dune.id)
    assert hc.view.log_panel.title() == "Sync log — Dune"


def test_a_book_the_library_does_not_list_is_an_untitled_book_not_an_id(hc):
    hc.show_log(4242)
    assert hc.view.log_panel.title() == "Sync log — untitled book"
    assert "4242" not in hc.view.log_panel.title()
