"""The stored sort keys against keys worked out afresh: after any mix of added books, edited
titles, sort titles, series, publishers, languages and dates added, credits changed, authors
renamed, filed anew or removed, files added, removed or given another format or size, progress
pushed, moved to another book or removed, reading progress set or removed, and books removed,
every book's row holds what a fresh fold of its rows gives (an empty key as an empty BLOB), and
no row is left for a removed book. The keys by progress and last read, which a push leaves to
be brought up to date (`store.pushed_keys`), hold it once they are, whenever that is, and at
every moment in every book not behind the mark."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store import pushed_keys, pushed_keys_schema
from bookorbit_desktop.library.store.models import (
    Author,
    Book,
    BookFile,
    ProgressEvent,
    ReadingState,
    database,
)
from tests.factories import add_book
from tests.library.previous_schema import previous_schema_library

_LETTERS = "aAbéÉoøŒß ,"
_TEXT = st.text(_LETTERS, min_size=1, max_size=6).filter(str.strip)
_NAMES = st.lists(_TEXT, max_size=3, unique_by=lambda name: name.strip())
_FORMATS = st.sampled_from(["epub", "pdf", "EPUB", "cbz", "fb2"])
_counter = itertools.count()


def _upper(text: str) -> str:
    """SQLite's `upper`: ASCII letters only."""
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in text)


def _last_if_empty(key: str) -> str | bytes:
    return key or b""


def computed_keys() -> dict[int, tuple]:
    """The oracle: every book's keys from its rows, folded in Python (the authors' sort
    texts in credit order)."""
    db = database.obj
    names: dict[int, list[str]] = {}
    for book_id, name in db.execute_sql(
        "SELECT ba.book_id, a.sort_name FROM book_author ba JOIN author a ON a.id = ba.author_id"
        " ORDER BY ba.book_id, ba.position"
    ):
        names.setdefault(book_id, []).append(name)
    formats: dict[int, set[str]] = {}
    for book_id, file_format in db.execute_sql("SELECT book_id, format FROM book_file"):
        formats.setdefault(book_id, set()).add(file_format)
    sizes = dict(db.execute_sql("SELECT book_id, sum(size) FROM book_file GROUP BY 1"))
    pushes = dict(db.execute_sql("SELECT book_id, timestamp FROM progress_event ORDER BY id"))
    progress = dict(db.execute_sql("SELECT book_id, progress FROM reading_state"))
    keys = {}
    rows = db.execute_sql(
        "SELECT id, title, sort_title, series, series_index, added_at, publisher, language"
        " FROM book"
    )
    for book_id, title, sort_title, series, series_index, *facts in rows:
        added, publisher, language = facts
        keys[book_id] = (
            sort_title,
            _last_if_empty(fold(sort_title or title)),
            _last_if_empty(fold(" & ".join(names.get(book_id, ())))),
            _last_if_empty(fold(series or "")),
            series_index or 0.0,
            _last_if_empty(_upper(", ".join(sorted(formats.get(book_id, ()))))),
            added,
            _last_if_empty(fold(publisher or "")),
            _last_if_empty(fold(language or "")),
            sizes.get(book_id, 0),
            pushes.get(book_id, 0),
            progress.get(book_id, 0.0),
        )
    return keys


def stored_keys() -> dict[int, tuple]:
    rows = database.execute_sql(
        "SELECT book_id, sort_title, title, authors, series, series_index, formats, added,"
        " publisher, language, size, last_read, progress FROM book_sort_key"
    )
    return {row[0]: tuple(row[1:]) for row in rows}


_KEPT_LATER = 2  # the last two keys, last read and progress, are brought up to date later


def kept_at_once(keys: dict[int, tuple]) -> dict[int, tuple]:
    """The keys every write keeps at once: all but those a push leaves."""
    return {book_id: row[:-_KEPT_LATER] for book_id, row in keys.items()}


def exact_unless_behind() -> None:
    """Every book not behind the mark holds its keys exact, the two a push leaves included:
    what a reader of either order takes from the index without working it out afresh."""
    behind = {book_id for (book_id,) in database.execute_sql(pushed_keys.BEHIND_BOOKS)}
    stored, computed = stored_keys(), computed_keys()
    assert {b: k for b, k in stored.items() if b not in behind} == {
        b: k for b, k in computed.items() if b not in behind
    }


def up_to_date(step: int = pushed_keys.FOLD_STEP) -> None:
    """The keys a push leaves brought up to date, as the checkpointer does."""
    for _written in pushed_keys.fold_steps(step=step):
        pass


def _add(file_format: str, book_id: int) -> None:
    BookFile.create(
        book=book_id,
        path=f"/books/{next(_counter)}.{file_format}",
        format=file_format,
        size=1,
        mtime=0.0,
        partial_md5="0",
        added_at=0.0,
    )


_OPERATIONS = st.one_of(
    st.tuples(st.just("add"), _TEXT, _NAMES, st.none() | _TEXT),
    st.tuples(st.just("title"), st.integers(0, 50), _TEXT),
    st.tuples(st.just("sort_title"), st.integers(0, 50), st.sampled_from(["", "zz", "Ab"])),
    st.tuples(st.just("series"), st.integers(0, 50), st.none() | _TEXT),
    st.tuples(st.just("series_index"), st.integers(0, 50), st.none() | st.floats(0, 9)),
    st.tuples(st.just("authors"), st.integers(0, 50), _NAMES),
    st.tuples(st.just("rename_author"), st.integers(0, 50), _TEXT),
    st.tuples(st.just("file_author"), st.integers(0, 50), _TEXT),
    st.tuples(st.just("remove_author"), st.integers(0, 50)),
    st.tuples(st.just("add_file"), st.integers(0, 50), _FORMATS),
    st.tuples(st.just("file_format"), st.integers(0, 50), _FORMATS),
    st.tuples(st.just("remove_file"), st.integers(0, 50)),
    st.tuples(st.just("file_size"), st.integers(0, 50), st.integers(0, 10**9)),
    st.tuples(st.just("publisher"), st.integers(0, 50), st.none() | _TEXT),
    st.tuples(st.just("language"), st.integers(0, 50), st.none() | _TEXT),
    st.tuples(st.just("added_at"), st.integers(0, 50), st.floats(0, 2e9)),
    st.tuples(st.just("push"), st.integers(0, 50), st.integers(0, 2 * 10**9)),
    st.tuples(st.just("push_book"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("remove_push"), st.integers(0, 50)),
    st.tuples(st.just("progress"), st.integers(0, 50), st.floats(-0.5, 1.0)),
    st.tuples(st.just("no_state"), st.integers(0, 50)),
    st.tuples(st.just("up_to_date"), st.integers(1, 3)),
    st.tuples(st.just("remove"), st.integers(0, 50)),
)


def _apply(library, operation: tuple) -> None:
    kind, *args = operation
    if kind == "add":
        add_book(args[0], [name.strip() for name in args[1]], series=args[2])
        return
    if kind == "up_to_date":  # in steps of one to three entries of each log
        up_to_date(args[0])
        return
    tables = {"rename_author": Author, "file_author": Author, "remove_author": Author}
    tables |= dict.fromkeys(("push_book", "remove_push"), ProgressEvent)
    files = ("file_format", "remove_file", "file_size")
    table = tables.get(kind) or (BookFile if kind in files else Book)
    ids = [row.id for row in table.select().order_by(1)]
    if not ids:
        return
    target = ids[args[0] % len(ids)]
    if kind == "title":
        edit_books([target], BookChanges(title=args[1].strip()), library)
    elif kind in ("sort_title", "series_index"):
        Book.update({kind: args[1]}).where(Book.id == target).execute()
    elif kind == "series":
        edit_books([target], BookChanges(series=args[1] and args[1].strip()), library)
    elif kind == "authors":
        edit_books([target], BookChanges(authors=[a.strip() for a in args[1]]), library)
    elif kind == "rename_author":
        if not Author.select().where(Author.name == args[1].strip()).exists():
            Author.update(name=args[1].strip()).where(Author.id == target).execute()
    elif kind == "file_author":
        Author.update(sort_name=args[1]).where(Author.id == target).execute()
    elif kind == "remove_author":
        Author.delete().where(Author.id == target).execute()
    elif kind == "add_file":
        _add(args[1], target)
    elif kind == "file_format":
        BookFile.update(format=args[1]).where(BookFile.id == target).execute()
    elif kind == "remove_file":
        BookFile.delete().where(BookFile.id == target).execute()
    elif kind == "file_size":
        BookFile.update(size=args[1]).where(BookFile.id == target).execute()
    elif kind in ("publisher", "language", "added_at"):
        Book.update({kind: args[1]}).where(Book.id == target).execute()
    elif kind == "push":
        ProgressEvent.create(
            document="d",
            book=target,
            device="Kobo",
            percentage=0.5,
            progress="p",
            timestamp=args[1],
        )
    elif kind == "push_book":
        books = [row.id for row in Book.select().order_by(1)]
        if books:  # every book may have been removed: a push then keeps its book
            ProgressEvent.update(book=books[args[1] % len(books)]).where(
                ProgressEvent.id == target
            ).execute()
    elif kind == "remove_push":
        ProgressEvent.delete().where(ProgressEvent.id == target).execute()
    elif kind == "progress":
        ReadingState.insert(
            book=target, status="reading", progress=args[1], updated_at=0.0
        ).on_conflict(
            conflict_target=[ReadingState.book], update={ReadingState.progress: args[1]}
        ).execute()
    elif kind == "no_state":
        ReadingState.delete().where(ReadingState.book == target).execute()
    else:
        remove_books([target], library)


@settings(
    max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(operations=st.lists(_OPERATIONS, max_size=14))
def test_the_stored_keys_are_the_keys_worked_out_afresh(library, operations):
    for operation in operations:
        _apply(library, operation)
        assert kept_at_once(stored_keys()) == kept_at_once(computed_keys()), operation
        exact_unless_behind()
        if operation[0] == "up_to_date":
            assert stored_keys() == computed_keys(), operation
    up_to_date()
    assert stored_keys() == computed_keys()


def test_a_rolled_back_edit_leaves_the_keys_as_they_were(library):
    add_book("Kept Title", ["Ann"])
    before = stored_keys()
    with database.atomic() as transaction:
        Book.update(title="Other", sort_title="").execute()
        Author.update(name="Zed").execute()
        assert stored_keys() != before
        transaction.rollback()
    assert stored_keys() == before


def test_a_library_of_the_previous_schema_gets_its_keys_once(tmp_path):
    from bookorbit_desktop.library.store.db import close_database, open_database

    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=pushed_keys_schema.pushed_keys)
    old.execute_sql(
        "INSERT INTO book_file (book_id, path, format, size, mtime, partial_md5, missing,"
        " added_at) VALUES (1, '/g.epub', 'epub', 1, 0, '0', 0, 0)"
    )
    old.execute_sql(
        "INSERT INTO reading_state (book_id, status, progress, updated_at)"
        " VALUES (1, 'reading', 0.4, 0)"
    )
    old.execute_sql(
        "INSERT INTO progress_event (document, book_id, device, percentage, progress, timestamp)"
        " VALUES ('d', 1, 'Kobo', 0.4, 'p', 1700000000)"
    )
    old.close()
    open_database(path)
    try:
        assert stored_keys() == {
            1: (
                "germinal",
                "germinal",
                "zola",
                "les rougon-macquart",
                0.0,
                "EPUB",
                0.0,
                b"",
                b"",
                1,
                1700000000,
                0.4,
            ),
            2: ("nana", "nana", "zola", b"", 0.0, b"", 0.0, b"", b"", 0, 0, 0.0),
        }
        assert stored_keys() == computed_keys()
    finally:
        close_database()
