"""The catalog's tags are listed by name regardless of case, and each page is read from the tag
table's index of names (`COLLATE NOCASE`): no page checks and sorts every tag."""

from __future__ import annotations

from bookorbit_desktop.library.store.keyset import FIRST
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.server.opds import tags
from tests.factories import add_book
from tests.server.opds.support import write_book_file

NAMES = ["beta", "Alpha", "ALPHA two", "alpha three", "Élan", "éclair", "Zed", "zebra", "_under"]


def test_tags_are_listed_by_name_regardless_of_case_from_the_index(library, tmp_path):
    for number, name in enumerate(NAMES):
        file = write_book_file(tmp_path, f"{number}.epub", f"book {number}".encode())
        book = add_book(f"Book {number}", file=file)
        change_tags([book.id], library, add=[name])
    expected = sorted(NAMES, key=lambda name: name.encode().lower())  # A-Z folded, as SQLite
    connection = database.connection()
    seen: list[str] = []
    connection.set_trace_callback(seen.append)
    try:
        listed, cursor = [], FIRST
        while cursor is not None:
            page = tags.tags(cursor, 2)
            listed += [entry.name for entry in page.items]
            cursor = page.next
    finally:
        connection.set_trace_callback(None)
    assert listed == expected
    queries_made = [sql for sql in seen if "FROM tag t" in sql]
    assert len(queries_made) >= len(NAMES) // 2
    for query in queries_made:
        plan = database.execute_sql(f"EXPLAIN QUERY PLAN {query}").fetchall()
        assert any("sqlite_autoindex_tag_1" in str(row) for row in plan), plan
        assert not any("TEMP B-TREE" in str(row) for row in plan), plan
