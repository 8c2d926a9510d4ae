"""The one interface every metadata source implements, and the default way a source answers
a book: by its ISBN when it has one, else by a search for title and first author.

A source (`Source`) is an object with a `name`, a `label` for people and a coroutine
`lookup(Lookup)`. The web sources (Open Library, Google Books) are also a `TitleSearch`:
`by_identifier(kind, value)` (kind `isbn` or `id`, the source's own id) and `search(title,
author)`, which `isbn_then_search` combines. Hardcover searches only through the guarded
match of its own module. Each returns candidates (possibly none) or raises
`records.SourceError`; none of them writes anything.

`same_title` is the one title rule: every title search applies it to its hits, and it decides
whether a record's title is the book's (`editions.other_edition`; see its docstring).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.metadata_sources.records import Candidate, Lookup

ISBN = "isbn"
OWN_ID = "id"


class Source(Protocol):
    name: str
    label: str

    async def lookup(self, book: Lookup) -> list[Candidate]: ...


class TitleSearch(Protocol):
    async def by_identifier(self, kind: str, value: str) -> list[Candidate]: ...

    async def search(self, title: str, author: str | None) -> list[Candidate]: ...


def isbn13_of(book: Lookup) -> str | None:
    """The book's ISBN-13 (from its ISBN-10 when that is all it has)."""
    for raw in (book.isbn13, book.isbn10):
        found = parse_isbn(raw) if raw else None
        if found is not None:
            return found.isbn13
    return None


def first_author(book: Lookup) -> str | None:
    name = next((a for a in book.authors if a and a.casefold() != "unknown"), None)
    return name


async def isbn_then_search(source: TitleSearch, book: Lookup) -> list[Candidate]:
    """By ISBN; when that finds nothing (or there is none), by title and first author."""
    isbn = isbn13_of(book)
    if isbn:
        found = await source.by_identifier(ISBN, isbn)
        if found:
            return found
    return await source.search(book.title, first_author(book))


# Where a subtitle (or a series note, or an alternative title) starts: a colon or semicolon, a
# dash with spaces around it ("Dune - Deluxe Edition"), an en or em dash, an opening
# parenthesis, ", or" ("The Hobbit, or There and Back Again") or a full stop before a space
# ("Emma. A Novel"). A hyphen inside a word ("Half-Blood") is not one.
_SUBTITLE = re.compile(r"\s*(?:[:;]|\s-\s|[–—]|\(|,\s*or\b|\.\s)", re.IGNORECASE)
# A series name and number before the first separator: "Discworld 1: ", "Harry Potter 01 - ",
# "Foundation #1: ". A letter first, so "1984: A Novel" keeps its title.
_SERIES_PREFIX = re.compile(r"[^\W\d_].*\s#?\d+\s*$")
# Leading articles left out when titles are compared ("Der Hobbit" / "The Hobbit"): English,
# German, French, Spanish, Italian, Portuguese and Dutch.
_ARTICLES = frozenset({
    "the", "a", "an", "der", "die", "das", "ein", "eine", "le", "la", "les", "l", "un", "une",
    "el", "los", "las", "una", "il", "lo", "gli", "uno", "o", "os", "as", "um", "uma", "de",
    "het", "een",
})  # fmt: skip


def _folded_words(text: str) -> list[str]:
    """The words of `text`: decomposed, accents and case aside, split at anything not a letter
    or digit ("&" reads "and")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and "))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.findall(r"[^\W_]+", plain)


def title_key(text: str) -> str:
    """A title as the rule compares it: letters and digits only, case, accents (NFC or NFD),
    spacing and punctuation aside, a leading article left out ("The Hobbit" -> "hobbit")."""
    words = _folded_words(text)
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "".join(words)


def _without_series(text: str) -> str | None:
    """The title after a series prefix ("Discworld 1: The Colour of Magic" -> "The Colour of
    Magic"); None when it has none."""
    first = _SUBTITLE.search(text)
    if first is None or not _SERIES_PREFIX.match(text[: first.start()]):
        return None
    rest = text[first.end() :]
    return rest if title_key(rest) else None


def _names(text: str) -> set[str]:
    """The keys a title goes by: its whole and each main title before a subtitle separator."""
    heads = (text[: m.start()] for m in _SUBTITLE.finditer(text))
    return {key for key in (title_key(text), *map(title_key, heads)) if key}


def same_title(asked: str, found: str | None) -> bool:
    """Whether two titles name one book: the one title rule of title searches (a hit is kept
    only when it holds), of "another edition" (`editions.other_edition`) and of Find
    Duplicates (among titles that begin alike: `library.merge.candidates`). They do when,
    compared by `title_key`,

    - they are equal ("FOUNDATION" / "Foundation", "Der Hobbit" / "The Hobbit");
    - one is the other's main title followed by a subtitle ("Dune" / "Dune: Deluxe Edition",
      "Emma" / "Emma (Penguin Classics)", "The Hobbit" / "The Hobbit, or There and Back
      Again"), at any of its separators ("Mr. Fox: A Novel" / "Mr Fox");
    - one is the other after a series prefix, when only one of them has such a prefix
      ("Discworld 1: The Colour of Magic" / "The Colour of Magic").

    A bare prefix is another book: "Emma" is not "Emmanuel", "Dune" not "Dune Messiah",
    "Foundation" not "Foundation and Empire", "Harry Potter 1" (a series and a number, no
    title) not "Harry Potter and the Philosopher's Stone". A title with no letter or digit
    names nothing and matches nothing."""
    if not found:
        return False
    if not (title_key(asked) and title_key(found)):
        return False
    mine, theirs = _without_series(asked), _without_series(found)
    if (mine is None) == (theirs is None):  # neither or both with a series prefix: as given
        mine, theirs = asked, found
    else:
        mine, theirs = mine or asked, theirs or found
    return title_key(mine) in _names(theirs) or title_key(theirs) in _names(mine)
