"""A keystroke's order (`table_window.filtered`: the whole table's order narrowed by the filter
box's search, not sorted again) holds the books the search's own order holds, in the same
order, for plain words, conditions and negations (read as every book but those the opposite
finds) alone and together."""

from __future__ import annotations

from datetime import date

import pytest

from bookorbit_desktop.services.library.table_window import filtered, ordered_ids, table_filter
from tests.services.test_custom_order import shelf as shelf

SEARCHES = [
    '#weight:""',  # the books without a value
    "not #weight:>1",  # those too
    "not #weight:>1 anathem",  # with a plain word
    "not tags:owned",
    "not tags:owned not #weight:<1",
    "#weight:=3 not tags:owned",
    "tags:owned",
    "u",
    "zz",  # nothing
]


@pytest.mark.parametrize("text", SEARCHES)
def test_a_narrowed_order_is_the_searchs_own_order(shelf, text):
    column, _ids = shelf
    terms, where = table_filter(text, date.today())
    for sort, descending in (("title", False), (column, True)):
        whole = ordered_ids(sort, descending)
        assert list(filtered(whole, terms, where)) == list(
            ordered_ids(sort, descending, terms, where=where)
        ), (text, sort)
