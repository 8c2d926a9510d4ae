"""Schema 38: every author's name kept folded (`author.fold`), as `author:` searches compare
it: a library of the previous schema gets its authors' folded names without a change logged
for their books, and every later write of an author keeps its folded name and sort key."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.author_fold_schema import author_folds
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Author, database
from tests.library.previous_schema import previous_schema_library


def _folded() -> dict[str, tuple[str, str]]:
    rows = database.execute_sql("SELECT name, fold, sort_key FROM author")
    return {name: (folded, sort_key) for name, folded, sort_key in rows}


def test_a_library_of_the_previous_schema_gets_its_authors_folded_names(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=author_folds)  # Émile Zola, in two books
    old.execute_sql("INSERT INTO author (id, name, sort_name) VALUES (2, 'KAI Müller', 'Müller')")
    (changes,) = old.execute_sql("SELECT count(*) FROM book_change").fetchone()
    old.close()
    open_database(path)
    try:
        assert _folded() == {
            "Émile Zola": ("emile zola", "zola"),
            "KAI Müller": ("kai muller", "muller"),
        }
        # Filling the column changed no book: nothing for the window or the catalog to follow.
        assert database.execute_sql("SELECT count(*) FROM book_change").fetchone() == (changes,)
    finally:
        close_database()


def test_a_renamed_author_is_found_by_the_new_name_only(library):
    from bookorbit_desktop.library.search.compiler import search_condition
    from tests.factories import add_book

    book = add_book("Germinal", authors=["Émile Zola"])
    (sort_key,) = (key for _, key in _folded().values())
    Author.update(name="Émile Édouard Zola").where(Author.name == "Émile Zola").execute()
    assert _folded() == {"Émile Édouard Zola": ("emile edouard zola", sort_key)}

    def found(text: str) -> list[int]:
        condition = search_condition(text, date.today())
        assert condition is not None
        return [row[0] for row in database.execute_sql(condition.ids, condition.ids_params)]

    assert found("author:edouard") == [book.id]
    assert found("author:ÉDOUARD") == [book.id]
    assert found("author:=emile zola") == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="-"),
            min_size=1,
            max_size=12,
        ),
        min_size=1,
        max_size=4,
        unique=True,
    )
)
def test_every_write_of_an_author_keeps_its_folded_name(library, names):
    with database.atomic("IMMEDIATE"):
        Author.delete().execute()
        ids = [Author.create(name=name, sort_name=name).id for name in names]
        for author_id, name in zip(ids, names, strict=True):  # renamed (no name has a "-")
            Author.update(name=f"{name}-").where(Author.id == author_id).execute()
    assert _folded() == {f"{n}-": (fold(f"{n}-"), fold(n)) for n in names}


def _logged_since(seq: int) -> list[int]:
    rows = database.execute_sql(
        "SELECT book_id FROM book_change WHERE seq > ? ORDER BY seq", (seq,)
    )
    return [book_id for (book_id,) in rows]


def test_a_renamed_author_logs_each_of_its_books_once(library):
    from tests.factories import add_book

    books = sorted(add_book(title, authors=["Zoë Ærø"]).id for title in ("One", "Two", "Three"))
    add_book("Other", authors=["Someone Else"])
    (seq,) = database.execute_sql("SELECT IFNULL(MAX(seq), 0) FROM book_change").fetchone()
    with database.atomic("IMMEDIATE"):
        Author.update(name="Zoë Ærøskøbing").where(Author.name == "Zoë Ærø").execute()
    assert sorted(_logged_since(seq)) == books  # not twice: its folded name is no change
    (seq,) = database.execute_sql("SELECT MAX(seq) FROM book_change").fetchone()
    with database.atomic("IMMEDIATE"):
        Author.update(sort_name="Ærøskøbing, Zoë").where(Author.name == "Zoë Ærøskøbing").execute()
    assert sorted(_logged_since(seq)) == books
    assert _folded()["Zoë Ærøskøbing"] == ("zoe aeroskobing", "aeroskobing, zoe")


def test_a_row_saved_whole_with_stale_keys_gets_them_again(library):
    with database.atomic("IMMEDIATE"):
        author = Author.create(name="Øre Ångström", sort_name="Ångström, Øre")
        author.save()  # the row as created here, its keys as the model had them (none)
    assert _folded() == {"Øre Ångström": ("ore angstrom", "angstrom, ore")}
