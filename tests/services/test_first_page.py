"""A sort's first page (`Order.first`, shown while the whole order is read) is the whole
order's first books, for every column of the table and every kind of custom column, both ways
round, with the filters the table has (the filter box, the status, the browser's choice): many
ties (one title for several books, books without a value), so the order between equal keys is
checked too."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.services.library import table_window
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.library.table_reads import Order, order_of
from tests.factories import add_book

KINDS = {
    "Weight": ("number", ()),
    "Stars": ("rating", ()),
    "Read": ("date", ()),
    "Mood": ("text", ()),
    "Genre": ("tags", ()),
    "Owned": ("yes-no", ()),
    "Shelf": ("list", ("top", "middle", "floor")),
}
FILTERS = ["", "dune", "tags:owned", "pages:>100", "dune #weight:>3"]


@pytest.fixture
def shelf(library) -> list[str]:
    rng = random.Random(7)
    columns = {name: add_column(name, kind, values) for name, (kind, values) in KINDS.items()}
    owned = []
    for n in range(70):
        book = add_book(
            rng.choice(["Dune", "Emma", "Ubik", "Dune Messiah", f"Book {n}"]),
            [rng.choice(["Ann Author", "Bo Writer", "Cy Penn"])],
            series=rng.choice([None, "Saga", "Cycle"]),
            series_index=rng.choice([None, 1.0, 2.0]),
            language=rng.choice([None, "en", "fr"]),
            status=rng.choice(["unread", "reading", "read", "wanted"]),
            added_at=1_700_000_000 + rng.randrange(5) * 86_400,
        )
        Book.update(
            publisher=rng.choice([None, "Ace", "Tor"]), pages=rng.choice([None, 90, 300])
        ).where(Book.id == book.id).execute()
        ReadingState.update(rating=rng.choice([None, 2.0, 4.5])).where(
            ReadingState.book == book.id
        ).execute()
        if rng.random() < 0.3:
            owned.append(book.id)
        values = {
            columns["Weight"].id: rng.choice([1, 3, 5, 8]),
            columns["Mood"].id: rng.choice(["calm", "Calm", "dark", ""]),
            columns["Genre"].id: rng.choice([["sf"], ["sf", "classic"], ["fantasy"]]),
            columns["Owned"].id: rng.choice([True, False]),
            columns["Shelf"].id: rng.choice(["top", "middle", "floor"]),
            columns["Stars"].id: rng.choice([1, 2.5, 5]),
            columns["Read"].id: rng.choice(["2024-01-02", "2025-06-30"]),
        }
        set_values([book.id], {k: v for k, v in values.items() if rng.random() < 0.6})
    change_tags(owned, library, add=["Owned"])
    return [*COLUMN_KEYS, *(f"custom:{column.id}" for column in columns.values())]


@pytest.mark.parametrize("descending", [False, True])
def test_the_first_page_is_the_whole_orders_beginning(shelf, descending):
    today = date(2026, 11, 29)
    owned = table_window.chosen_condition('tags:="owned"', today)  # the browser's choice
    for column in shelf:
        for text in FILTERS:
            terms, where = table_window.table_filter(text, today)
            for status, chosen in ((None, None), ("read", None), (None, owned)):
                order = Order(column, descending, terms, status, where, chosen)
                whole, _without_terms = order_of(order)
                for count in (1, 7, 200):
                    assert list(order.first(count)) == list(whole[:count]), (column, text, count)
