"""The search index against a search from scratch: after any mix of imports, edits, renamed or
removed authors, missing files and removals, every query finds exactly the books a fresh fold of
every row finds (the catalog's search before the index), in the same order."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.search.query import matching_keys
from bookorbit_desktop.library.store.models import Author, Book, BookFile, database
from tests.factories import add_book


def matching_books(terms, *, available_only):
    """The ids of the matching books, in the search's order."""
    return [book_id for _, book_id in matching_keys(terms, available_only=available_only)]


# Few letters, so words share pieces; accents, case and letters that fold to two.
_LETTERS = "aAbéÉoøŒß "
_TEXT = st.text(_LETTERS, min_size=1, max_size=8).filter(str.strip)
_NAMES = st.lists(_TEXT, max_size=3, unique_by=lambda name: name.strip())
_TERMS = st.lists(
    st.text("abeos ", min_size=1, max_size=4).filter(str.strip).map(str.strip),
    min_size=1,
    max_size=3,
)
# Short and long pieces of what the texts fold to, so most queries find something.
_ALWAYS = [[letter] for letter in "abeos"] + [["ss"], ["oe"], ["ab"], ["abe"], ["a", "e"]]
_counter = itertools.count()


def scratch_search(terms: list[str], *, available_only: bool) -> list[int]:
    """The oracle: every book's title, series and author names folded afresh, then matched."""
    db = database.obj
    available = {
        row[0] for row in db.execute_sql("SELECT book_id FROM book_file WHERE missing = 0")
    }
    names: dict[int, list[str]] = {}
    for book_id, name in db.execute_sql(
        "SELECT ba.book_id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id"
    ):
        names.setdefault(book_id, []).append(fold(name))
    found = []
    for book_id, title, series in db.execute_sql(
        "SELECT id, title, series FROM book ORDER BY sort_title, id"
    ):
        text = " ".join((fold(title or ""), fold(series or ""), *names.get(book_id, ())))
        if all(term in text for term in terms) and (book_id in available or not available_only):
            found.append(book_id)
    return found


def _import(library, title: str, authors: list[str], series: str | None) -> None:
    folder = library.data_dir / "books"
    folder.mkdir(exist_ok=True)
    file = folder / f"{next(_counter)}.epub"
    file.write_bytes(file.name.encode())
    add_book(title, [name.strip() for name in authors], file=file, series=series)


_OPERATIONS = st.one_of(
    st.tuples(st.just("import"), _TEXT, _NAMES, st.none() | _TEXT),
    st.tuples(st.just("title"), st.integers(0, 50), _TEXT),
    st.tuples(st.just("series"), st.integers(0, 50), st.none() | _TEXT),
    st.tuples(st.just("authors"), st.integers(0, 50), _NAMES),
    st.tuples(st.just("rename_author"), st.integers(0, 50), _TEXT),
    st.tuples(st.just("remove_author"), st.integers(0, 50)),
    st.tuples(st.just("missing"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("remove"), st.integers(0, 50)),
)


def _apply(library, operation: tuple) -> None:
    kind, *args = operation
    if kind == "import":
        _import(library, *args)
        return
    ids = [row.id for row in (Author if kind.endswith("_author") else Book).select().order_by(1)]
    if not ids:
        return
    target = ids[args[0] % len(ids)]
    if kind == "title":
        edit_books([target], BookChanges(title=args[1].strip()), library)
    elif kind == "series":
        edit_books([target], BookChanges(series=args[1] and args[1].strip()), library)
    elif kind == "authors":
        edit_books([target], BookChanges(authors=[a.strip() for a in args[1]]), library)
    elif kind == "rename_author":
        if not Author.select().where(Author.name == args[1].strip()).exists():
            Author.update(name=args[1].strip()).where(Author.id == target).execute()
    elif kind == "remove_author":
        Author.delete().where(Author.id == target).execute()
    elif kind == "missing":
        BookFile.update(missing=args[1]).where(BookFile.book == target).execute()
    else:
        remove_books([target], library)


@settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(operations=st.lists(_OPERATIONS, max_size=12), queries=st.lists(_TERMS, max_size=6))
def test_the_index_finds_what_a_search_from_scratch_finds(library, operations, queries):
    for operation in operations:
        _apply(library, operation)
    for terms in [*queries, *_ALWAYS]:
        for available_only in (True, False):
            expected = scratch_search(terms, available_only=available_only)
            assert matching_books(terms, available_only=available_only) == expected, terms


def test_a_rolled_back_edit_leaves_the_index_as_it_was(library):
    _import(library, "Kept Title", ["Ann"], None)
    with database.atomic() as transaction:
        Book.update(title="Uncommitted").execute()
        assert matching_books(["uncommitted"], available_only=True) != []
        transaction.rollback()
    assert matching_books(["uncommitted"], available_only=True) == []
    assert len(matching_books(["kept"], available_only=True)) == 1


def test_terms_are_literal_text_not_query_syntax(library):
    _import(library, 'Say "NEAR" (or* not)', ["Ann"], None)
    for terms in (['"near"'], ["(or*"], ["not)"], ["near", "or*"], ["-"]):
        expected = scratch_search(terms, available_only=True)
        assert matching_books(terms, available_only=True) == expected, terms
    assert matching_books(['"near"'], available_only=True) != []


def test_a_library_of_the_previous_schema_gets_its_index_once(tmp_path):
    from peewee import SqliteDatabase

    from bookorbit_desktop.library.store.db import close_database, open_database
    from bookorbit_desktop.library.store.migrations import MIGRATIONS

    path = tmp_path / "library.sqlite3"
    old = SqliteDatabase(str(path))
    old.connect()
    for migration in MIGRATIONS[:-1]:
        migration(old)
    old.execute_sql("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    old.execute_sql(f"INSERT INTO schema_version (version) VALUES ({len(MIGRATIONS) - 1})")
    old.execute_sql("INSERT INTO author (id, name, sort_name) VALUES (1, 'Émile Zola', 'Zola')")
    for book, title, series in ((1, "Germinal", "Les Rougon-Macquart"), (2, "Nana", None)):
        old.execute_sql(
            "INSERT INTO book (id, title, sort_title, series, identifiers, added_at, updated_at)"
            " VALUES (?, ?, ?, ?, '{}', 0, 0)",
            (book, title, title.lower(), series),
        )
        old.execute_sql(
            "INSERT INTO book_author (book_id, author_id, position, role) VALUES (?, 1, 0, 'aut')",
            (book,),
        )
    old.close()
    open_database(path)
    try:
        assert matching_books(["emile"], available_only=False) == [1, 2]
        assert matching_books(["rougon"], available_only=False) == [1]
        Book.update(title="Nana (1880)").where(Book.id == 2).execute()
        assert matching_books(["1880"], available_only=False) == [2]
    finally:
        close_database()
