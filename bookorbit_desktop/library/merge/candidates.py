"""Which books look like copies of one another: the same ISBN, or the same title by the same
author (the caller's key of a name: case, accents and "Last, First" aside).

`listed_books` reads what the rule needs in two queries; `group_copies` is the pure rule. Titles
are compared by the caller's `same_title` (the metadata sources' rule, "Dune" and "Dune: Deluxe
Edition" alike, "Dune" and "Dune Messiah" not), within the books of one author only, and only
where one title's folded letters and digits begin the other's (as a title's do its subtitled
form's): sorted by those, the titles to compare with one follow it, so the work stays close to
one pass however large the library. A book without a known author is matched by its ISBN alone.
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


def listed_books() -> list[Listed]:
    """Every book, with its authors and ISBNs."""
    authors: dict[int, list[str]] = {}
    for book_id, name in database.execute_sql(
        "SELECT c.book_id, a.name FROM book_author c JOIN author a ON a.id = c.author_id"
        " ORDER BY c.book_id, c.position"
    ):
        authors.setdefault(book_id, []).append(name)
    rows = database.execute_sql("SELECT id, title, isbn13, isbn10 FROM book ORDER BY id")
    return [
        Listed(book_id, title, tuple(authors.get(book_id, ())), tuple(i for i in (i13, i10) if i))
        for book_id, title, i13, i10 in rows.fetchall()
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
    """Union-find over book ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        first, second = sorted((self.find(a), self.find(b)))
        self.parent[second] = first


def group_copies(
    books: Sequence[Listed],
    same_title: Callable[[str, str], bool],
    author_key: Callable[[str], str | None],
) -> list[tuple[int, ...]]:
    """The groups of two or more books that look like copies of one book, each in id order,
    the groups in the order of their first id. `author_key` gives one key to the forms of one
    name ("Austen, Jane" and "Jane Austen"; None for no name)."""
    groups = _Groups()
    by_isbn: dict[str, int] = {}
    by_author: dict[str, list[Listed]] = {}
    keys: dict[str, str | None] = {}
    for book in books:
        isbn = _isbn_key(book)
        if isbn is not None:
            if isbn in by_isbn:
                groups.join(by_isbn[isbn], book.id)
            else:
                by_isbn[isbn] = book.id
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
    members: dict[int, list[int]] = {}
    for book_id in list(groups.parent):
        members.setdefault(groups.find(book_id), []).append(book_id)
    found = [tuple(sorted(ids)) for ids in members.values() if len(ids) > 1]
    return sorted(found)
