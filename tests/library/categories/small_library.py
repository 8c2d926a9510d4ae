"""A small library with a value in every category, for the browser's tests: who wrote what,
series, publishers, languages, files of two formats (one missing), ratings and dotted tags, and
one book waiting in the Inbox (which no count includes); and custom columns of every kind
(`add_columns`), Solaris without a value in any."""

from __future__ import annotations

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.custom.columns import add_column
from bookorbit_desktop.library.custom.kinds import Column
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.store.inbox import hold
from bookorbit_desktop.library.store.models import Book, BookFile, ReadingState
from bookorbit_desktop.library.tags.changes import change_tags
from tests.factories import add_book

# title, authors, series, publisher, language, formats, rating, tags
BOOKS = [
    ("Emma", ["Jane Austen"], None, "Penguin", "en", ["epub"], 5.0, ["classic", "fiction.romance"]),
    ("Persuasion", ["Jane Austen"], None, "penguin", "en", ["epub", "pdf"], 4.0, ["classic"]),
    ("Dune", ["Frank Herbert"], "Dune", "Ace", "en", ["epub"], 4.5, ["fiction.scifi"]),
    ("Dune Messiah", ["Frank Herbert"], "Dune", "Ace", "en", ["pdf"], None, ["fiction.scifi"]),
    (
        "Good Omens",
        ["Terry Pratchett", "Neil Gaiman"],
        None,
        None,
        "de",
        ["epub"],
        4.0,
        ["fiction.fantasy", "fiction.scifi"],
    ),
    ("Solaris", ["Stanisław Lem"], None, "Ace", "pl", [], None, []),
]
HELD = ("Inbox", ["Jane Austen"], "Dune", "Ace", "en", ["epub"], 5.0, ["classic", "fiction.scifi"])


def build(paths: Paths) -> dict[str, int]:
    """The books (title -> id), the Inbox's among them."""
    ids: dict[str, int] = {}
    for title, authors, series, publisher, language, formats, rating, tags in [*BOOKS, HELD]:
        book = add_book(title, authors, series=series, language=language)
        Book.update(publisher=publisher).where(Book.id == book.id).execute()
        ReadingState.update(rating=rating).where(ReadingState.book == book.id).execute()
        for at, kind in enumerate(formats):
            BookFile.create(
                book=book, path=f"/books/{book.id}-{at}.{kind}", format=kind, size=1,
                mtime=0, partial_md5=f"{book.id}-{at}", added_at=0,
            )  # fmt: skip
        if tags:
            change_tags([book.id], paths, add=tags)
        ids[title] = book.id
    # A missing file counts in no format (as `format:` finds none), nor twice where the book
    # has one of that format there.
    for title, kind in (("Solaris", "mobi"), ("Persuasion", "epub")):
        BookFile.create(
            book=ids[title], path=f"/books/gone.{kind}", format=kind, size=1, mtime=0,
            partial_md5=f"gone.{kind}", added_at=0, missing=True,
        )  # fmt: skip
    hold([ids[HELD[0]]])
    return ids


# name, kind, choices, each book's value (by title; the Inbox's too, which no count includes)
COLUMNS = [
    ("Mood", "list", ["calm", "dark", "tense"], {
        "Emma": "calm", "Persuasion": "calm", "Dune": "dark", "Dune Messiah": "dark",
        "Good Omens": "tense", "Inbox": "calm",
    }),
    # Tag-like: "Romance" and "romance" are one value, "Élan" and "elan" too (as the search
    # folds them); "sf" is a parent of dotted values, a value of its own for Good Omens.
    ("Genre", "tags", [], {
        "Emma": ["Romance", "classic"], "Persuasion": ["romance"],
        "Dune": ["sf.space", "Élan"], "Dune Messiah": ["SF.space", "elan", "sf.politics"],
        "Good Omens": ["sf.politics", "Fantasy", "romance", "sf"],
        "Inbox": ["romance", "sf.space", "SF.politics", "sf"],  # under sf twice, counted nowhere
    }),
    ("Place", "text", [], {
        "Emma": "Bath", "Persuasion": "bath", "Dune": "Arrakis", "Dune Messiah": "Arrakís",
        "Good Omens": "London", "Inbox": "Bath",
    }),
    ("Stars", "rating", [], {"Emma": 5, "Persuasion": 4.5, "Dune": 5, "Good Omens": 0}),
    ("Owned", "yes-no", [], {"Emma": True, "Dune": False, "Dune Messiah": True, "Inbox": True}),
    # Not listed: each book's own values.
    ("Notes", "long-text", [], {"Emma": "A note"}),
    ("Weight", "number", [], {"Emma": 300}),
    ("Bought", "date", [], {"Emma": "2024-05-01"}),
]  # fmt: skip


def add_columns(paths: Paths, ids: dict[str, int]) -> dict[str, Column]:
    """The custom columns of `COLUMNS` with their values (by name)."""
    columns: dict[str, Column] = {}
    for name, kind, choices, values in COLUMNS:
        column = columns[name] = add_column(name, kind, choices)
        for title, value in values.items():
            set_values([ids[title]], {column.id: value}, paths)
    return columns
