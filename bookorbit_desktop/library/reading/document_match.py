"""Finding the one library book KOReader's document metadata (title, authors) describes.

KOReader sends the title and an authors string (several authors separated by newlines, as
it displays them). Names are compared as sets of words, so "Whitman, Walt" and "Walt
Whitman" agree. Only an exact title match with agreeing authors that leaves exactly one book
counts: this link is made without asking, so it must never pick between two candidates.
"""

from __future__ import annotations

import re
import unicodedata

from peewee import fn

from bookorbit_desktop.library.store.models import Author, Book, BookAuthor
from bookorbit_desktop.library.store.typed import tuples

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_AUTHOR_SEPARATORS = re.compile(r"[\n;&]")
# SQLite's lower() folds A-Z and nothing else; the query must fold the sent title the same way.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalise_title(title: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def name_words(name: str) -> frozenset[str]:
    return frozenset(_WORD.findall(unicodedata.normalize("NFKC", name).casefold()))


def authors_agree(sent: str, book_authors: list[str]) -> bool:
    """True when every word KOReader sent belongs to the book's authors and it names at
    least one of them completely ("Whitman, Walt" names "Walt Whitman")."""
    sent_words = frozenset().union(*(name_words(part) for part in _AUTHOR_SEPARATORS.split(sent)))
    if not sent_words:
        return False
    author_words = [name_words(name) for name in book_authors]
    everyone = frozenset().union(*author_words) if author_words else frozenset()
    return sent_words <= everyone and any(words and words <= sent_words for words in author_words)


def match_book_by_metadata(title: str | None, authors: str | None) -> int | None:
    """The id of the only book with this title whose authors agree, else None."""
    if not title or not title.strip() or not authors or not authors.strip():
        return None
    wanted = normalise_title(title)
    # A cheap prefilter (the title as sent, ASCII case and outer spaces aside, as SQLite's
    # lower() and trim() see it), confirmed with the full normalisation in Python.
    candidates = Book.select(Book.id, Book.title).where(
        fn.lower(fn.trim(Book.title)) == title.strip().translate(_ASCII_LOWER)
    )
    matches = []
    for book in candidates:
        if normalise_title(book.title) != wanted:
            continue
        names = [
            name
            for (name,) in tuples(
                Author.select(Author.name)
                .join(BookAuthor)
                .where(BookAuthor.book == book.id)
                .order_by(BookAuthor.position)
            )
        ]
        if authors_agree(authors, names):
            matches.append(book.id)
    return matches[0] if len(matches) == 1 else None
