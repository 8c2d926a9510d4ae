"""The library table model: filtering, sorting, the texts it shows, and Qt's model contract."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.ui.library.model import (
    BOOK_ID_ROLE,
    COLUMN_KEYS,
    PROGRESS_ROLE,
    LibraryModel,
    filter_terms,
    fold,
    format_rating,
    format_series,
)


def book(book_id, title, authors=("Ann Author",), **extra):
    row = {
        "id": book_id,
        "title": title,
        "sort_title": extra.pop("sort_title", title.lower()),
        "authors": list(authors),
        "series": None,
        "series_index": None,
        "status": "unread",
        "progress": 0.0,
        "rating": None,
        "formats": ["epub"],
        "hardcover": "unmatched",
        "added_at": float(book_id),
    }
    row.update(extra)
    return row


BOOKS = [
    book(
        1,
        "Dune",
        ("Frank Herbert",),
        series="Dune",
        series_index=1.0,
        status="read",
        progress=1.0,
        rating=5.0,
        hardcover="linked",
        tags=["science fiction"],
        hc_rating=4.26,
    ),
    book(
        2,
        "Children of Dune",
        ("Frank Herbert",),
        series="Dune",
        series_index=3.0,
        status="reading",
        progress=0.42,
        rating=3.5,
    ),
    book(
        3,
        "L'Étranger",
        ("Albert Camus",),
        formats=["pdf"],
        status="want_to_read",
        sort_title="etranger",
        tags=["Classic", "Owned"],
    ),
    book(4, "Ōkami no Hanayome", ("作者 名",), formats=["cbz", "epub"], hardcover="excluded"),
    book(
        5,
        "A Memory Called Empire",
        ("Arkady Martine",),
        series="Teixcalaan",
        series_index=1.0,
        status="reading",
        progress=0.1,
        rating=4.0,
        hardcover="needs_review",
    ),
]


@pytest.fixture
def model(qapp):
    model = LibraryModel()
    model.set_books(BOOKS)
    return model


def ids(model):
    return [model.index(row, 0).data(BOOK_ID_ROLE) for row in range(model.rowCount())]


def test_model_passes_qt_model_checks(qtmodeltester):
    model = LibraryModel()
    model.set_books(BOOKS)
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [1, 2, 3, 4, 5]),
        ("dune", [1, 2]),
        ("DUNE children", [2]),
        ("herbert", [1, 2]),
        ("etranger", [3]),  # accents ignored
        ("camus l'étranger", [3]),
        ("okami", [4]),
        ("作者", [4]),  # non-Latin authors
        ("teixcalaan", [5]),  # series
        ("nothing like this", []),
    ],
)
def test_filter_matches_title_author_and_series_without_accents(model, text, expected):
    model.set_filter(text)
    assert sorted(ids(model)) == expected


@pytest.mark.parametrize(
    ("column", "order", "expected"),
    [
        ("title", Qt.SortOrder.AscendingOrder, [5, 2, 1, 3, 4]),
        ("title", Qt.SortOrder.DescendingOrder, [4, 3, 1, 2, 5]),
        ("series", Qt.SortOrder.AscendingOrder, [1, 2, 5, 3, 4]),  # books without series last
        ("status", Qt.SortOrder.AscendingOrder, [4, 3, 2, 5, 1]),  # unread..read order
        ("progress", Qt.SortOrder.DescendingOrder, [1, 2, 5, 3, 4]),
        ("rating", Qt.SortOrder.DescendingOrder, [1, 5, 2, 3, 4]),
        ("hardcover", Qt.SortOrder.AscendingOrder, [1, 5, 2, 3, 4]),
        ("authors", Qt.SortOrder.AscendingOrder, [3, 5, 1, 2, 4]),  # folded, equal ones stay
        ("format", Qt.SortOrder.AscendingOrder, [4, 1, 2, 5, 3]),
        ("tags", Qt.SortOrder.AscendingOrder, [3, 1, 2, 4, 5]),  # books without tags last
        ("tags", Qt.SortOrder.DescendingOrder, [2, 4, 5, 1, 3]),
    ],
)
def test_sorting_by_each_column(model, column, order, expected):
    model.sort(COLUMN_KEYS.index(column), order)
    assert ids(model) == expected


def more(book_id: int) -> list[str]:
    """The optional columns of a book of `BOOKS`: its date added (its id, in seconds), and no
    publisher, language, size or last read."""
    return [datetime.fromtimestamp(book_id).strftime("%Y-%m-%d"), "", "", "", ""]


def test_every_text_is_made_when_asked_as_the_book_says(model):
    """The texts are made from the book for the cells on screen, not kept per row."""
    texts = {
        book_id: [model.index(row, column).data() for column in range(model.columnCount())]
        for row, book_id in enumerate(ids(model))
    }
    assert texts == {
        1: [
            "Dune",
            "Frank Herbert",
            "Dune #1",
            "Read",
            "Finished",
            "★★★★★",
            "EPUB",
            "Linked",
            *more(1),
            "science fiction",
            "4.3",
            "",  # pages
        ],
        2: [
            "Children of Dune",
            "Frank Herbert",
            "Dune #3",
            "Reading",
            "42 %",
            "★★★½",
            "EPUB",
            "Not matched yet",
            *more(2),
            "",
            "",
            "",  # pages
        ],
        3: [
            "L'Étranger",
            "Albert Camus",
            "",
            "Want to read",
            "",
            "",
            "PDF",
            "Not matched yet",
            *more(3),
            "Classic, Owned",
            "",
            "",  # pages
        ],
        4: [
            "Ōkami no Hanayome",
            "作者 名",
            "",
            "Unread",
            "",
            "",
            "CBZ, EPUB",
            "Excluded",
            *more(4),
            "",
            "",
            "",  # pages
        ],
        5: [
            "A Memory Called Empire",
            "Arkady Martine",
            "Teixcalaan #1",
            "Reading",
            "10 %",
            "★★★★",
            "EPUB",
            "Needs review",
            *more(5),
            "",
            "",
            "",  # pages
        ],
    }
    assert [model.index(row, 4).data(PROGRESS_ROLE) for row in range(5)] == [
        next(b["progress"] for b in BOOKS if b["id"] == book_id) for book_id in ids(model)
    ]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Title"


def test_row_lookup_follows_filter(model):
    model.set_filter("camus")
    assert model.row_of(3) == 0
    assert model.row_of(1) is None
    assert model.book_at(0).title == "L'Étranger"


@pytest.mark.parametrize(
    ("rating", "stars"),
    [(None, ""), (0.0, ""), (0.5, "½"), (1.0, "★"), (3.5, "★★★½"), (5.0, "★★★★★")],
)
def test_format_rating(rating, stars):
    assert format_rating(rating) == stars


@pytest.mark.parametrize(
    ("series", "index", "text"),
    [(None, None, ""), ("Dune", None, "Dune"), ("Dune", 2.0, "Dune #2"), ("X", 1.5, "X #1.5")],
)
def test_format_series(series, index, text):
    assert format_series(series, index) == text


def test_filter_terms_and_matching_are_accent_and_case_insensitive():
    assert filter_terms("  Émile  ZOLA ") == ("emile", "zola")
    model = LibraryModel()
    model.set_books([book(1, "Germinal", ("Émile Zola",)), book(2, "Les Misérables", ("Hugo",))])
    model.set_filter("ZOLA emile")
    assert [model.book_at(n).id for n in range(model.rowCount())] == [1]
    model.set_filter("miserables HUGO")
    assert [model.book_at(n).id for n in range(model.rowCount())] == [2]


def test_progress_shows_the_page_of_a_linked_edition_and_unread_books_say_why(qtbot):
    model = LibraryModel()
    model.set_books(
        [
            book(1, "Dune", status="reading", progress=0.675, hardcover="linked", pages=332),
            book(2, "Emma", hardcover="unread"),
        ]
    )
    progress = COLUMN_KEYS.index("progress")
    hardcover = COLUMN_KEYS.index("hardcover")
    rows = {model.index(r, 0).data(BOOK_ID_ROLE): r for r in range(model.rowCount())}
    assert model.index(rows[1], progress).data() == "68 % · p. 224 of 332"
    assert model.index(rows[2], hardcover).data() == "Not synced: unread"


def reference_fold(text: str) -> str:
    """Folding spelled out: case-fold, decompose, drop every combining mark."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Émile", "emile"),
        ("Brontë", "bronte"),
        ("Straße", "strasse"),
        ("ﬁnal", "final"),
        ("Ωμέγα", "ωμεγα"),
        ("Дмитрий Ёлкин", "дмитрии елкин"),
        ("שָׁלוֹם", "שלום"),
        ("x\u0301\u0327y", "xy"),
        ("日本語の本", "日本語の本"),
        ("Plain ASCII", "plain ascii"),
    ],
)
def test_fold_drops_case_and_accents(text, folded):
    assert fold(text) == folded == reference_fold(text)


def test_the_filter_haystack_is_the_fold_of_the_joined_texts():
    from bookorbit_desktop.ui.library.model import prepare_rows

    row = book(1, "Le Père Goriot", ("Honoré de Balzac", "Ann Author"), series="Comédie")
    (made,) = prepare_rows([row])
    assert made.haystack == reference_fold("Le Père Goriot Honoré de Balzac, Ann Author Comédie")
