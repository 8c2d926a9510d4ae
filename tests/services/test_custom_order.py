"""The library table's order by a custom column on a real library: the books with a value by
it (equal values by id, the other way round when descending), those without one after them in
title order (before them when descending), the same for a few books at once as for the whole
table, and with the status and tag filters."""

from __future__ import annotations

from datetime import date

import pytest

from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.services.library.table_window import chosen_condition, ordered_ids
from tests.factories import add_book

# title: value, status
SHELF = {
    "Dune": (3.0, "read"),
    "Emma": (1.0, "unread"),
    "Anathem": (None, "read"),
    "Solaris": (3.0, "read"),
    "Zoë": (None, "unread"),
    "Ubik": (0.5, "read"),
    "Babel": (3.0, "unread"),  # the last added: a tie is in title order, not the ids'
}


@pytest.fixture
def shelf(library) -> tuple[str, dict[str, int]]:
    column = add_column("Weight", "number")
    ids = {}
    for title, (value, status) in SHELF.items():
        ids[title] = add_book(title, status=status).id
        if value is not None:
            set_values([ids[title]], {column.id: value})
    change_tags([ids["Dune"], ids["Zoë"], ids["Ubik"]], library, add=["Owned"])
    return f"custom:{column.id}", ids


def titled(ids: dict[str, int], order) -> list[str]:
    names = {book_id: title for title, book_id in ids.items()}
    return [names[book_id] for book_id in order]


def test_the_values_then_the_books_without_one_by_title(shelf):
    column, ids = shelf
    assert titled(ids, ordered_ids(column, False)) == [
        "Ubik", "Emma", "Babel", "Dune", "Solaris", "Anathem", "Zoë"]  # fmt: skip
    assert titled(ids, ordered_ids(column, True)) == [
        "Anathem", "Zoë", "Babel", "Dune", "Solaris", "Emma", "Ubik"]  # fmt: skip
    assert titled(ids, ordered_ids(column, False, status="read")) == [
        "Ubik", "Dune", "Solaris", "Anathem"]  # fmt: skip
    owned = chosen_condition('tags:="owned"', date.today())  # the browser's choice of a tag
    assert titled(ids, ordered_ids(column, True, chosen=owned)) == ["Zoë", "Dune", "Ubik"]


@pytest.mark.parametrize("descending", [False, True])
def test_a_few_books_are_ordered_as_the_whole_table_orders_them(shelf, descending):
    column, ids = shelf
    whole = list(ordered_ids(column, descending))
    few = [ids["Zoë"], ids["Dune"], ids["Emma"], ids["Anathem"]]
    assert list(ordered_ids(column, descending, among=few)) == [b for b in whole if b in few]
