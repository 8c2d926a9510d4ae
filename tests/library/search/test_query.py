"""The search index against a search from scratch: after any mix of imports, edits, renamed or
removed authors, missing files and removals, every query finds exactly the books a fresh fold of
every row finds (the catalog's search before the index), in the same order: read all at once,
or a page at a time either way, by a walk in title order or from the index."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import remove_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.search.pages import few_found, found_beyond, walk
from bookorbit_desktop.library.search.query import found_query, title_condition, title_query
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.index_batch import close_batch, open_batch
from bookorbit_desktop.library.store.models import Author, Book, BookFile, database
from bookorbit_desktop.library.store.title_length_schema import title_lengths
from tests.factories import add_book, fresh_library
from tests.library.previous_schema import previous_schema_library


def indexed_books(terms) -> set[int]:
    """The ids of the books the index finds, with a file or not."""
    query, params = found_query(terms)
    return {row[0] for row in database.execute_sql(query, params)}


def listed_books(terms) -> list[int]:
    """The ids of the listed books found, in title order, read all at once."""
    keys = few_found(terms, 10**6)
    assert keys is not None
    return [key[-1] for key in keys]


def walked_books(terms, *, size: int, window: int, backward: bool) -> list[int]:
    """The ids of the listed books found, read `size` at a time from either end, each page
    starting after the last key of the one before it."""
    ids: list[int] = []
    key = None
    while True:
        keys = found_beyond(terms, key, size, backward=backward, window=window)
        ids += [key[-1] for key in keys]
        if len(keys) < size:
            return ids
        key = keys[-1]


def walks_in_windows(terms, *, window: int, backward: bool) -> tuple[list[int], int]:
    """The ids of the listed books found by walks of `window` books each, every walk starting
    after the last book the one before it read, and how many books they read in all."""
    ids: list[int] = []
    key, read = None, 0
    while True:
        step = walk(terms, key, 10**6, backward=backward, books=window)
        ids += [key[-1] for key in step.keys]
        read += step.books
        if step.edge is None:
            return ids, read
        key = step.edge


# Few letters, so words share pieces; accents, case and letters that fold to two; GLOB's
# wildcards, which short terms are checked with, and a NUL, where it would stop reading.
_LETTERS = "aAbéÉoøŒß *?[]\0"
_TEXT = st.text(_LETTERS, min_size=1, max_size=8).filter(str.strip)
_NAMES = st.lists(_TEXT, max_size=3, unique_by=lambda name: name.strip())
_TERMS = st.lists(
    st.text("abeos*?[] ", min_size=1, max_size=4).filter(str.strip).map(str.strip),
    min_size=1,
    max_size=3,
)
# Short and long pieces of what the texts fold to, so most queries find something.
_ALWAYS = [[letter] for letter in "abeos"] + [["ss"], ["oe"], ["ab"], ["abe"], ["a", "e"]]
_counter = itertools.count()


# Every book's id in the library table's title order: its stored, folded keys.
_TITLE_ORDER = (
    "SELECT book_id, row_number() OVER (ORDER BY title, sort_title, book_id) AS place"
    " FROM book_sort_key ORDER BY place"
)


def scratch_search(terms: list[str], *, available_only: bool) -> list[int]:
    """The oracle: every book's title, series and author names folded afresh, then matched."""
    db = database.obj
    available = {
        row[0] for row in db.execute_sql("SELECT book_id FROM book_file WHERE missing = 0")
    }
    names: dict[int, list[str]] = {}
    for book_id, name in db.execute_sql(
        "SELECT ba.book_id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id"
        " ORDER BY ba.book_id, ba.position"
    ):
        names.setdefault(book_id, []).append(fold(name))
    found = []
    for book_id, title, series in db.execute_sql(
        "SELECT b.id, b.title, b.series FROM book b"
        f" JOIN ({_TITLE_ORDER}) k ON k.book_id = b.id ORDER BY k.place"
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
@given(
    operations=st.lists(_OPERATIONS, max_size=12),
    queries=st.lists(_TERMS, max_size=6),
    size=st.integers(1, 5),
    window=st.integers(1, 6),
)
@example(  # an author named by a control character, looked up again by name
    operations=[("import", "?", ["\x00"], None), ("authors", 0, ["\x00"])],
    queries=[],
    size=1,
    window=1,
)
def test_the_index_finds_what_a_search_from_scratch_finds(
    tmp_path_factory, operations, queries, size, window
):
    with fresh_library(tmp_path_factory) as library:
        _check_every_search(library, operations, queries, size, window)


def _check_every_search(library, operations, queries, size, window) -> None:
    for operation in operations:
        _apply(library, operation)
    for terms in [*queries, *_ALWAYS]:
        assert indexed_books(terms) == set(scratch_search(terms, available_only=False)), terms
        for term in terms:
            _check_titles(term)
        expected = scratch_search(terms, available_only=True)
        assert listed_books(terms) == expected, terms
        # All at once only up to a count: one more book found, and none is given.
        assert few_found(terms, len(expected)) is not None
        if expected:
            assert few_found(terms, len(expected) - 1) is None
        # Walked a page at a time, with windows short enough that the index gives the rest.
        walked = walked_books(terms, size=size, window=window, backward=False)
        assert walked == expected, terms
        backward = walked_books(terms, size=size, window=window, backward=True)
        assert backward == expected[::-1], terms
        # Walks a window at a time read every book once, and say how many they read.
        books = Book.select().count()
        assert walks_in_windows(terms, window=window, backward=False) == (expected, books)
        assert walks_in_windows(terms, window=window, backward=True) == (expected[::-1], books)
        if expected:  # a walk that stops at its first match read up to it, and no further
            first = walk(terms, None, 1, books=books)
            order = [row[0] for row in database.execute_sql(_TITLE_ORDER)]
            assert (first.keys[0][-1], first.books) == (expected[0], order.index(expected[0]) + 1)


def test_a_rolled_back_edit_leaves_the_index_as_it_was(library):
    _import(library, "Kept Title", ["Ann"], None)
    with database.atomic() as transaction:
        Book.update(title="Uncommitted").execute()
        assert listed_books(["uncommitted"]) != []
        transaction.rollback()
    assert listed_books(["uncommitted"]) == []
    assert len(listed_books(["kept"])) == 1


def test_terms_are_literal_text_not_query_syntax(library):
    _import(library, 'Say "NEAR" (or* not) [a]?', ["Ann"], None)
    _import(library, "Other", ["A\0b?"], None)
    _import(library, "ab", ["Bo"], None)
    for terms in (['"near"'], ["(or*"], ["not)"], ["near", "or*"], ["-"], ["*"], ["r*"]):
        expected = scratch_search(terms, available_only=True)
        assert listed_books(terms) == expected, terms
    # GLOB's wildcards and sets in terms too short for the index, and a NUL in a name.
    for terms in (["?"], ["]?"], ["[a"], ["[ab]"], ["a?"], ["b?"], ["*a"], ["ab"], ["o"]):
        expected = scratch_search(terms, available_only=True)
        assert listed_books(terms) == expected, terms
    assert listed_books(['"near"']) != []
    assert len(listed_books(["?"])) == 2  # the literal "?" of a title and of a name
    assert len(listed_books(["b?"])) == 1  # "a\0b?" folds to "ab?"
    assert listed_books(["[ab]"]) == []  # the set is literal text, which no text holds


def test_a_library_of_the_previous_schema_gets_its_titles_lengths(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=title_lengths)
    old.execute_sql("UPDATE book SET title = 'Nanä' WHERE id = 2")  # by the old triggers
    old.close()
    open_database(path)
    try:
        lengths = database.execute_sql("SELECT id, c1 FROM book_search_content ORDER BY id")
        assert list(lengths) == [(1, len("germinal")), (2, len("nana"))]
        assert indexed_books(["rougon"]) == {1}
        assert _titled("rougon") == set()  # the series'
        assert _titled("nana") == {2}
        # The triggers and a batch's refresh write the length with the text.
        Book.update(title="Nana (1880)").where(Book.id == 2).execute()
        assert (_titled("1880"), _titled("nana (1880)", exact=True)) == ({2}, {2})
        with database.atomic("IMMEDIATE"):
            open_batch()
            Book.update(title="Œuvres").where(Book.id == 1).execute()
            close_batch()
        assert _titled("oeuvres", exact=True) == {1}
    finally:
        close_database()


def _titled(value: str, *, exact: bool = False) -> set[int]:
    query, params = title_query(value, exact=exact)
    return {row[0] for row in database.execute_sql(query, params)}


def test_a_library_of_the_previous_schema_gets_its_index_once(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path)
    old.close()
    open_database(path)
    try:
        assert indexed_books(["emile"]) == {1, 2}
        assert indexed_books(["rougon"]) == {1}
        Book.update(title="Nana (1880)").where(Book.id == 2).execute()
        assert indexed_books(["1880"]) == {2}
    finally:
        close_database()


_BEGUN = [  # title, authors, series
    ("Garden", ["Ann Writer"], None),
    ("GARDEN", [], None),
    ("Garden Party", ["Bo Writer"], None),
    ("The Garden", ["Garden Smith"], "Garden"),
    ("Gärden", ["Ann Writer"], "Quiet"),
    ('Say "so"', [], None),
    ("Ga", [], None),
]


def _check_titles(value: str) -> None:
    """`title_query` and `title_condition` find exactly the books whose title, folded afresh,
    holds `value` (or is it), and nothing of their series or authors."""
    titles = {book.id: fold(book.title or "") for book in Book.select()}
    for exact in (False, True):
        expected = {
            book_id
            for book_id, title in titles.items()
            if (title == value if exact else value in title)
        }
        query, params = title_query(value, exact=exact)
        assert {row[0] for row in database.execute_sql(query, params)} == expected, (value, exact)
        test, params = title_condition(value, exact=exact)
        rows = database.execute_sql(f"SELECT b.id FROM book b WHERE {test}", params)
        assert {row[0] for row in rows} == expected, (value, exact)


def test_a_title_is_found_in_the_index_by_its_folded_length(library):
    """The index keeps each folded title's length: a title whose folded text is longer or
    shorter than itself (letters spelled out, marks dropped) is found by what it folds to,
    and a series or an author holding the value is not a title holding it."""
    for title, authors, series in _BEGUN:
        _import(library, title, authors, series)
    for title in ("Æsop Straße", "Ga\u0308rden", "\ufb01sh ga", "G"):
        _import(library, title, ["Garden Writer"], "Ga Series")
    for value in ("garden", "aesop strasse", "sop", "fish", "fish ga", "ga", "g", "garden ", " "):
        _check_titles(value)
    query, params = title_query("garden")
    # Three more texts hold it, in their authors' names only.
    assert len(list(database.execute_sql(query, params))) == 6
    assert len(indexed_books(["garden"])) == 9


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ("title:=garden", {"Garden", "GARDEN", "Gärden"}),
        ('title:="garden party"', {"Garden Party"}),
        ('title:="the garden"', {"The Garden"}),
        ('title:="say "', set()),
        ("title:=ga", {"Ga"}),
        ("title:=g", set()),
        ("title:=party", set()),
        ("not title:=garden", {"Garden Party", "The Garden", 'Say "so"', "Ga"}),
    ],
)
def test_a_title_that_is_the_value_is_found_among_the_texts_it_begins(library, search, titles):
    """`title:=` reads only the rows of the books whose indexed text the value begins: the
    same books as its condition on every book's row."""
    for title, authors, series in _BEGUN:
        _import(library, title, authors, series)
    found = search_condition(search, date.today())
    assert found is not None
    by_ids = {row[0] for row in database.execute_sql(found.ids, found.ids_params)}
    every = database.execute_sql(f"SELECT b.id FROM book b WHERE {found.sql}", found.params)
    by_rows = {row[0] for row in every}
    assert by_ids == by_rows
    assert {Book.get_by_id(book_id).title for book_id in by_ids} == titles
