"""The library's title order, one rule for every list of books by title: the window's table
(`services.library.table_window`), the command line's `books` listing and the catalog's lists
and search (`server.opds`).

The keys are the ones the table stores (`store.sort_keys_schema`, kept by triggers in every
committed state), the book's row of `book_sort_key` named `k`: the sort title (the title when
there is none) folded as the table folds it, so "Éclair" comes between "Dune" and "Emma", not
after "Z"; then, between equal keys, the book's own sort title and its id. The index
`book_sort_key_title` (title, sort_title, and the id as the rowid) gives them in that order,
unsorted, either way.

A book without a title has an empty key, stored as an empty BLOB (after every text, as SQLite
orders values): such books come last.
"""

from __future__ import annotations

from bookorbit_desktop.library.store.keyset import Order

# Between equal stored keys, of any of the table's sorts: the sort title, then the id.
TIES = Order((("k.sort_title", False), ("k.book_id", False)))
BY_TITLE = Order((("k.title", False), *TIES.columns))
# The stored keys with the book's row, for a list that reads or filters on the book's columns:
# the keys are walked first, in order, each book looked up by its id.
WITH_BOOK = "book_sort_key k CROSS JOIN book b ON b.id = k.book_id"
