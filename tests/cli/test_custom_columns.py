"""Custom columns through the real command line on a real library: `books columns` lists, adds,
renames and deletes them, `books edit ID --set '#label=value'` sets values checked per kind,
`books --search '#label:…'` finds them, and `undo` takes each back."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bookorbit_desktop.cli import main
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def found(tmp_path, capsys, search: str) -> list[str]:
    capsys.readouterr()
    assert run(tmp_path, "books", "--json", "--search", search) == 0
    return sorted(book["title"] for book in json.loads(capsys.readouterr().out))


@pytest.fixture
def imported(tmp_path, capsys):
    for name, title in (("a", "Dune"), ("b", "Emma"), ("c", "Ulysses")):
        make_epub(tmp_path / "books" / f"{name}.epub", title, ("Ann Author",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return {book["title"]: str(book["id"]) for book in json.loads(capsys.readouterr().out)}


def test_columns_are_added_listed_renamed_and_deleted(tmp_path, capsys, imported):
    assert run(tmp_path, "books", "columns") == 0
    assert "No custom column yet" in capsys.readouterr().out
    assert run(tmp_path, "books", "columns", "add", "Shelf Place", "--kind", "list",
               "--values", "Desk,Attic") == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("Added the column “Shelf Place” (list), searched as #shelf_place.")
    assert run(tmp_path, "books", "columns", "add", "Weight", "--kind", "number") == 0
    assert run(tmp_path, "books", "edit", imported["Emma"], "--set", "#shelf_place=desk") == 0
    capsys.readouterr()

    assert run(tmp_path, "books", "columns") == 0
    assert capsys.readouterr().out.splitlines() == [
        "#shelf_place  Shelf Place  list (Desk, Attic)  1 book",
        "#weight  Weight  number  0 books",
        "2 custom columns.",
    ]
    assert run(tmp_path, "books", "columns", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["label"], c["kind"], c["choices"], c["books"]) for c in listed] == [
        ("shelf_place", "list", ["Desk", "Attic"], 1),
        ("weight", "number", [], 0),
    ]

    assert run(tmp_path, "books", "columns", "rename", "#shelf_place", "Where") == 0
    assert found(tmp_path, capsys, "#where:desk") == ["Emma"]
    assert run(tmp_path, "books", "columns", "delete", "where") == 0
    assert "values of 1 book" in capsys.readouterr().out
    assert run(tmp_path, "undo") == 0
    assert found(tmp_path, capsys, "#where:=Desk") == ["Emma"]


def test_values_are_set_checked_searched_and_undone(tmp_path, capsys, imported):
    assert run(tmp_path, "books", "columns", "add", "Weight", "--kind", "number") == 0
    assert run(tmp_path, "books", "columns", "add", "Lent", "--kind", "yes-no") == 0
    dune, emma = imported["Dune"], imported["Emma"]
    capsys.readouterr()
    assert (
        run(tmp_path, "books", "edit", dune, emma, "--set", "#weight=3", "--set", "lent=yes") == 0
    )
    assert f"Saved the Weight and Lent of 2 books: {dune}, {emma}." in capsys.readouterr().out
    assert run(tmp_path, "books", "edit", emma, "--set", "#weight=12.5") == 0
    assert found(tmp_path, capsys, "#weight:>5") == ["Emma"]
    assert found(tmp_path, capsys, "#lent:true and #weight:<5") == ["Dune"]
    assert found(tmp_path, capsys, '#weight:""') == ["Ulysses"]

    assert run(tmp_path, "books", "edit", emma, "--set", "#weight=heavy") == 2
    assert "Weight takes a number, not “heavy”." in capsys.readouterr().err
    assert run(tmp_path, "books", "edit", emma, "--set", "#weight=1", "--title", "E") == 0
    assert "Saved the title and Weight of book" in capsys.readouterr().out
    assert found(tmp_path, capsys, "#weight:1") == ["E"]
    assert run(tmp_path, "undo") == 0  # the title and the value together
    assert found(tmp_path, capsys, "#weight:>5") == ["Emma"]

    assert run(tmp_path, "book", dune) == 0
    assert "  #lent: Yes\n  #weight: 3\n" in capsys.readouterr().out
    assert run(tmp_path, "book", dune, "--json") == 0
    assert json.loads(capsys.readouterr().out)["custom"] == {"lent": True, "weight": 3}

    assert run(tmp_path, "undo") == 0
    assert found(tmp_path, capsys, "#weight:>5") == []
    assert run(tmp_path, "undo") == 0
    assert found(tmp_path, capsys, "#lent:true") == []


def test_a_series_is_set_as_calibre_writes_it_sorted_by_number_and_searched_by_name(
    tmp_path, capsys, imported
):
    assert run(tmp_path, "books", "columns", "add", "Saga", "--kind", "series") == 0
    dune, emma, ulysses = imported["Dune"], imported["Emma"], imported["Ulysses"]
    assert run(tmp_path, "books", "edit", dune, "--set", "#saga=Arrakis [10]") == 0
    assert run(tmp_path, "books", "edit", emma, "--set", "#saga=arrakis [2,0]") == 0
    assert run(tmp_path, "books", "edit", ulysses, "--set", "#saga=[3]") == 2
    assert "Saga needs the series' name before its number: Dune [2]." in capsys.readouterr().err
    assert found(tmp_path, capsys, '#saga:="Arrakis"') == ["Dune", "Emma"]
    capsys.readouterr()
    assert run(tmp_path, "books", "--json", "--sort", "#saga") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [book["title"] for book in listed] == ["Emma", "Dune", "Ulysses"]  # 2 before 10
    assert run(tmp_path, "book", emma) == 0
    assert "  #saga: Arrakis [2]\n" in capsys.readouterr().out  # as the series is spelled


def test_a_built_in_fields_name_without_the_hash_is_refused(tmp_path, capsys, imported):
    """calibre's page-count column sits beside the library's own Pages: `--set pages=…` would
    leave the user's intent unsaid, so only `#pages` names the custom one."""
    assert run(tmp_path, "books", "columns", "add", "Pages", "--kind", "number") == 0
    dune = imported["Dune"]
    capsys.readouterr()
    assert run(tmp_path, "books", "edit", dune, "--set", "pages=999") == 2
    assert "“pages” is one of the library's own fields, not a custom column" in (
        capsys.readouterr().err
    )
    assert run(tmp_path, "books", "edit", dune, "--set", "#pages=999") == 0
    assert found(tmp_path, capsys, "#pages:999") == ["Dune"]
    assert found(tmp_path, capsys, "pages:999") == []  # the library's own stays unset


def test_a_wrong_kind_is_refused(tmp_path, capsys, imported):
    assert run(tmp_path, "books", "columns", "add", "Colour", "--kind", "colour") == 2
    assert "There is no kind 'colour'. Use one of: text, long-text" in capsys.readouterr().err


def test_books_sort_by_a_custom_column_as_the_window_does(tmp_path, capsys):
    """By the values (equal ones in title order), then the books without one by title; every
    book once across pages, with the value on each line; a search narrows it."""
    titles = ("Ulysses", "Dune", "Emma", "Babel", "Anathem", "Zoë")
    for number, title in enumerate(titles):
        make_epub(tmp_path / "books" / f"{number}.epub", title, ("Ann Author",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    assert run(tmp_path, "books", "columns", "add", "Weight", "--kind", "number") == 0
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    ids = {book["title"]: str(book["id"]) for book in json.loads(capsys.readouterr().out)}
    for title, weight in (("Ulysses", "3"), ("Dune", "1.5"), ("Emma", "3"), ("Babel", "0.5")):
        assert run(tmp_path, "books", "edit", ids[title], "--set", f"#weight={weight}") == 0
    capsys.readouterr()

    assert run(tmp_path, "books", "--sort", "#weight") == 0
    lines = capsys.readouterr().out.splitlines()
    shown = [line.split(" %  ", 1)[1].split(" — ")[0] for line in lines[1:-1]]
    assert shown == ["Babel", "Dune", "Emma", "Ulysses", "Anathem", "Zoë"]
    assert lines[1].endswith("[epub]  #weight: 0.5") and lines[-2].endswith("[epub]")
    assert lines[-1] == "6 books."

    assert run(tmp_path, "books", "--json", "--sort", "#Weight", "--search", "not zoë") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [book["title"] for book in listed] == ["Babel", "Dune", "Emma", "Ulysses", "Anathem"]

    # The other way: those without a value first (by title), then from the highest value,
    # equal values still by title, as a second click on the window's column.
    assert run(tmp_path, "books", "--sort", "#weight", "--descending") == 0
    lines = capsys.readouterr().out.splitlines()
    shown = [line.split(" %  ", 1)[1].split(" — ")[0] for line in lines[1:-1]]
    assert shown == ["Anathem", "Zoë", "Emma", "Ulysses", "Dune", "Babel"]

    assert run(tmp_path, "books", "--sort", "#height") == 2
    assert "sort by title, author or a custom column's #label" in capsys.readouterr().err


def test_pages_by_a_custom_column_are_the_tables_order(library):
    """Page by page, with ties and books without a value, either way the search is kept: the
    order of the library table's sort by the column."""
    from bookorbit_desktop.cli.book_pages import book_pages
    from bookorbit_desktop.library.custom.columns import add_column
    from bookorbit_desktop.library.custom.values import set_values
    from bookorbit_desktop.library.search.compiler import search_condition
    from bookorbit_desktop.services.library.table_window import ordered_ids
    from tests.factories import add_book

    column = add_column("Mood", "text")
    emma = set()
    for number in range(40):
        book = add_book(["Dune", "Emma", "Éclair", f"Book {number}"][number % 4])
        if book.title == "Emma":
            emma.add(book.id)
        if number % 3:
            set_values([book.id], {column.id: ["calm", "dark", "Calm"][number % 3]})
    found = search_condition("not emma", date.today())
    for descending in (False, True):  # and the other way, as a second click on the column
        whole = list(ordered_ids(f"custom:{column.id}", descending))
        pages = list(book_pages(size=3, sort="#mood", descending=descending))
        assert [book["id"] for page in pages for book in page] == whole
        for few in (0, 1000):  # the search's books looked up, or kept while the order is walked
            pages = list(
                book_pages(size=3, sort="#mood", found=found, few=few, descending=descending)
            )
            assert [book["id"] for page in pages for book in page] == [
                book_id for book_id in whole if book_id not in emma
            ]
    for sort, column_key in (("title", "title"), ("author", "authors")):
        pages = list(book_pages(size=3, sort=sort, descending=True))
        assert [book["id"] for page in pages for book in page] == list(
            ordered_ids(column_key, True)
        )


def test_book_shows_a_rating_in_stars_and_html_comments_as_their_words(tmp_path, capsys, imported):
    assert run(tmp_path, "books", "columns", "add", "Stars", "--kind", "rating") == 0
    assert run(tmp_path, "books", "columns", "add", "Notes", "--kind", "long-text") == 0
    dune = imported["Dune"]
    notes = "--set", "#notes=<p>Loved <i>it</i>.</p><p>Again.</p>"
    assert run(tmp_path, "books", "edit", dune, "--set", "#stars=3.5", *notes) == 0
    capsys.readouterr()
    assert run(tmp_path, "book", dune) == 0
    assert "  #notes: Loved it. Again.\n  #stars: ★★★½\n" in capsys.readouterr().out
    assert run(tmp_path, "books", "--sort", "#notes") == 0
    assert capsys.readouterr().out.splitlines()[1].endswith("  #notes: Loved it. Again.")
    assert run(tmp_path, "book", dune, "--json") == 0  # the stored values, for scripts
    assert json.loads(capsys.readouterr().out)["custom"] == {
        "notes": "<p>Loved <i>it</i>.</p><p>Again.</p>",
        "stars": 3.5,
    }
