"""The `books` listing, read by sort key a page at a time: every book once, in title order, and
the same JSON as one array."""

from __future__ import annotations

import io
import json

import pytest

from bookorbit_desktop.cli.book_pages import title_pages, write_json_array
from bookorbit_desktop.library.store.queries import list_books
from tests.factories import add_book


def test_pages_hold_every_book_once_in_title_order(library):
    for number in range(7):
        add_book(f"Book {number % 3}")  # titles collide: the id breaks the ties
    pages = list(title_pages(size=3))
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [book["id"] for page in pages for book in page] == [b["id"] for b in list_books()]


def test_an_empty_library_has_no_pages(library):
    assert list(title_pages()) == []


@pytest.mark.parametrize(
    "items",
    [[], [{"id": 1}], [{"id": 1, "title": "Émile", "files": []}, {"id": 2, "files": [{"a": 1}]}]],
)
def test_the_json_array_is_written_as_json_dump_writes_it(items):
    out = io.StringIO()
    write_json_array(iter(items), out)
    assert out.getvalue() == json.dumps(items, ensure_ascii=False, indent=2) + "\n"
