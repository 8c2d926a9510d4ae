"""Which books look like copies of one another: the same ISBN, or the same title by the same
author (the caller's key of a name: case, accents and "Last, First" aside).

`listed_books` reads what the rule needs in two queries; `group_copies` is the pure rule. Titles
are compared by the caller's `same_title` (the metadata sources' rule, "Dune" and "Dune: Deluxe
Edition" alike, "Dune" and "Dune Messiah" not), within the books of one author only, and only
where one title's folded letters and digits begin the other's (as a title's do its subtitled
form's): sorted by those, the titles to compare with one follow it, so the work stays close to
one pass however large the library. A book without a known author is matched by its ISBN alone.

Two books the caller's `editions_differ` tells apart (the metadata sources' edition rule: two
languages, or titles that are not one book's) never share a group, however they match: a
German "Der Hobbit" carrying the ISBN of the English "The Hobbit" is another edition, not a
copy, and a third book that matches both joins the first it matches only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list

_NOT_ALNUM = re.compile(r"[\W_]+")  # what `str.isalnum` is not
_NO_AUTHOR = frozenset({"", "unknown", "unknown author"})


@dataclass(frozen=True)
class Listed:
    id: int
    title: str
    authors: tuple[str, ...]
    isbns: tuple[str, ...]  # as stored (ISBN-13, ISBN-10)
    language: str | None = None


def listed_books() -> list[Listed]:
    """Every book, with its authors and ISBNs."""
    authors: dict[int, list[str]] = {}
    for book_id, name in database.execute_sql(
        "SELECT c.book_id, a.name FROM book_author c JOIN author a ON a.id = c.author_id"
        " ORDER BY c.book_id, c.position"
    ):
        authors.setdefault(book_id, []).append(name)
    rows = database.execute_sql("SELECT id, title, isbn13, isbn10, language FROM book ORDER BY id")
    return [
        Listed(
            book_id,
            title,
            tuple(authors.get(book_id, ())),
            tuple(i for i in (i13, i10) if i),
            language,
        )
        for book_id, title, i13, i10, language in rows.fetchall()
    ]


def formats_of(book_ids: Sequence[int]) -> dict[int, str]:
    """Each book's file formats, "epub, pdf"."""
    ids = list(dict.fromkeys(book_ids))
    found: dict[int, set[str]] = {}
    if ids:
        sql = f"SELECT book_id, format FROM book_file WHERE {in_list('book_id', ids)}"
        for book_id, kind in database.execute_sql(sql, tuple(ids)):
            found.setdefault(book_id, set()).add(kind)
    return {book_id: ", ".join(sorted(kinds)) for book_id, kinds in found.items()}


def _isbn_key(book: Listed) -> str | None:
    for raw in book.isbns:
        found = parse_isbn(raw)
        if found is not None:
            return found.isbn13
    return None


def _letters(title: str) -> str:
    """The title's letters and digits, folded ("&" read as "and")."""
    return _NOT_ALNUM.sub("", fold(title.replace("&", " and ")))


class _Groups:
    """Union-find over books, refusing to join two groups that hold two editions."""

    def __init__(self, differ: Callable[[Listed, Listed], bool]) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[Listed]] = {}
        self._differ = differ

    def add(self, book: Listed) -> None:
        self.parent.setdefault(book.id, book.id)
        self.members.setdefault(book.id, [book])

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        first, second = sorted((self.find(a), self.find(b)))
        if first == second:
            return
        ours, theirs = self.members[first], self.members[second]
        if any(self._differ(x, y) for x in ours for y in theirs):
            return
        self.parent[second] = first
        ours.extend(self.members.pop(second))


def group_copies(
    books: Sequence[Listed],
    same_title: Callable[[str, str], bool],
    author_key: Callable[[str], str | None],
    editions_differ: Callable[[Listed, Listed], bool],
) -> list[tuple[int, ...]]:
    """The groups of two or more books that look like copies of one book, each in id order,
    the groups in the order of their first id. `author_key` gives one key to the forms of one
    name ("Austen, Jane" and "Jane Austen"; None for no name); `editions_differ` keeps two
    editions apart."""
    groups = _Groups(editions_differ)
    by_isbn: dict[str, list[int]] = {}
    by_author: dict[str, list[Listed]] = {}
    keys: dict[str, str | None] = {}
    for book in books:
        groups.add(book)
        isbn = _isbn_key(book)
        if isbn is not None:
            for same_isbn in by_isbn.setdefault(isbn, []):
                groups.join(same_isbn, book.id)
            by_isbn[isbn].append(book.id)
        named = [a for a in book.authors if fold(" ".join(a.split())) not in _NO_AUTHOR]
        for author in named:
            if author not in keys:  # a name keyed once, however many books it has
                keys[author] = author_key(author)
        for name in {key for author in named if (key := keys[author]) is not None}:
            by_author.setdefault(name, []).append(book)
    letters: dict[int, str] = {}
    for shelf in by_author.values():
        keyed = sorted(
            ((letters.setdefault(b.id, _letters(b.title)), b) for b in shelf),
            key=lambda pair: (pair[0], pair[1].id),
        )
        for index, (key, book) in enumerate(keyed):
            for other_key, other in keyed[index + 1 :]:
                if not (key and other_key.startswith(key)):
                    break
                if groups.find(book.id) != groups.find(other.id) and same_title(
                    book.title, other.title
                ):
                    groups.join(book.id, other.id)
    found = [tuple(sorted(b.id for b in group)) for group in groups.members.values()]
    return sorted(ids for ids in found if len(ids) > 1)
