"""What a user may type into a book's fields, checked and normalised before anything is saved.

Each `parse_*` takes the text as typed and returns the value to store, or raises
`InvalidValueError` saying what is wrong and what to type instead. An empty text clears an
optional field. `BookChanges` holds the checked values of one edit (`UNSET` fields stay as
they are).
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final, TypeVar

from bookorbit_desktop.descriptions import clean_description
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.metadata.covers import UnusableCover, make_cover
from bookorbit_desktop.library.metadata.identifiers import normalize_scheme
from bookorbit_desktop.library.metadata.isbn import Isbn, parse_isbn
from bookorbit_desktop.library.metadata.languages import normalize_language
from bookorbit_desktop.library.metadata.limits import MAX_COVER_BYTES

# The fields an edit can change, each marked once the user edits it (`store.user_edits`).
# Each is also the name of its `book` column where it has one (the importer keeps a marked
# column as the user set it).
FIELDS = ("title", "subtitle", "authors", "series", "series_index", "language", "isbn",
          "publisher", "published", "pages", "identifiers", "description", "cover")  # fmt: skip
# The fields one edit may give several books at once (the others belong to one book).
SHARED_FIELDS = frozenset({"authors", "series", "language", "publisher"})
LABELS = {
    "title": "title",
    "subtitle": "subtitle",
    "authors": "authors",
    "series": "series",
    "series_index": "series number",
    "language": "languages",
    "isbn": "ISBN",
    "publisher": "publisher",
    "published": "release date",
    "pages": "page count",
    "identifiers": "identifiers",
    "description": "description",
    "cover": "cover",
}


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final[Any] = _Unset()

MAX_PAGES = 100_000
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

# "A & B" (as calibre writes them) or "A; B"; a comma stays inside a name ("Tolkien, J. R. R.").
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:&|;)\s*")
T = TypeVar("T")
_IDENTIFIER_SEPARATORS = re.compile(r"[,\n\r]")


@dataclass(frozen=True)
class BookChanges:
    """The checked values of one edit; a field left `UNSET` keeps its stored value."""

    title: Any = UNSET  # str
    subtitle: Any = UNSET  # str | None
    authors: Any = UNSET  # list[str], in order
    series: Any = UNSET  # str | None
    series_index: Any = UNSET  # float | None
    language: Any = UNSET  # tuple[str, ...], normalised tags in order (the first the main one)
    isbn: Any = UNSET  # Isbn | None
    publisher: Any = UNSET  # str | None
    published: Any = UNSET  # str | None: an ISO date, possibly partial ("2019", "2019-05")
    pages: Any = UNSET  # int | None, 1 to MAX_PAGES
    identifiers: Any = UNSET  # dict[str, str], scheme -> value (the ISBN's is `isbn`)
    description: Any = UNSET  # str | None
    cover: Any = UNSET  # bytes of a prepared JPEG

    def changed(self) -> tuple[str, ...]:
        """The fields this edit sets, in `FIELDS` order."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is not UNSET)


def parse_title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise InvalidValueError("The title cannot be empty. Type the book's title.")
    return title


def parse_authors(text: str) -> list[str]:
    """Names separated by "&" or ";", in order, each once; empty text: no authors."""
    names: list[str] = []
    for part in _AUTHOR_SEPARATORS.split(text):
        name = " ".join(part.split())
        if name and name not in names:
            names.append(name)
    return names


def _one_line(text: str) -> str | None:
    """The text on one line, each run of white space one space; empty text: none."""
    return " ".join(text.split()) or None


parse_series = parse_subtitle = parse_publisher = _one_line


def _optional(text: str, read: Callable[[str], T | None], wanted: str) -> T | None:
    """None for empty text; else the value `read` finds in it, or InvalidValueError saying the
    text "is not <wanted>" (what the field takes, and what to type)."""
    if not text.strip():
        return None
    value = read(text)
    if value is None:
        raise InvalidValueError(f"{text.strip()!r} is not {wanted}")
    return value


def _partial_date(text: str) -> str | None:
    cleaned = text.strip()
    found = _PARTIAL_DATE.fullmatch(cleaned)
    if found is None:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        datetime.date(year or 0, month or 1, day or 1)
    except ValueError:
        return None
    return cleaned


def parse_published(text: str) -> str | None:
    """An ISO date, whole or partial: "2019", "2019-05" or "2019-05-02"; empty text: none."""
    return _optional(
        text,
        _partial_date,
        "a release date. Type the year, the year and month, or the whole date, as 2019, "
        "2019-05 or 2019-05-02.",
    )


def parse_pages(text: str) -> int | None:
    """A whole number of pages from 1 to `MAX_PAGES`; empty text: none."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned:
        return None
    value = int(cleaned) if cleaned.isascii() and cleaned.isdigit() else 0
    if not 1 <= value <= MAX_PAGES:
        raise InvalidValueError(
            f"{text.strip()!r} is not a page count. Type a whole number from 1 to "
            f"{MAX_PAGES:,}, such as 320."
        )
    return value


def _series_number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def parse_series_index(text: str) -> float | None:
    """A number of 0 or more ("3", "2.5"); empty text: no number."""
    return _optional(
        text, _series_number, "a series number. Type a number of 0 or more, such as 3 or 2.5."
    )


def parse_languages(text: str) -> tuple[str, ...]:
    """Language codes or English names separated by commas ("en", "en, fr", "pt-BR, French"),
    in order, each once; empty text: none."""
    return tuple(
        dict.fromkeys(
            code
            for part in text.split(",")
            if (
                code := _optional(
                    part,
                    normalize_language,
                    "a language. Type language codes such as en, fr or pt-BR, or their English"
                    " names, separated by commas.",
                )
            )
        )
    )


def parse_isbn_text(text: str) -> Isbn | None:
    """An ISBN-10 or ISBN-13 with a correct check digit (hyphens and spaces allowed)."""
    return _optional(
        text,
        parse_isbn,
        "a valid ISBN (10 or 13 digits with a matching check digit). Copy it again from the "
        "book's copyright page.",
    )


def parse_identifiers(text: str) -> dict[str, str]:
    """Identifiers as "scheme:value" ("isbn:9780441013593", "goodreads:234225") separated by
    commas or line breaks, each scheme once, the ISBN a valid one (kept as its ISBN-13); empty
    text: none."""
    found: dict[str, str] = {}
    for line in _IDENTIFIER_SEPARATORS.split(text):
        if not line.strip():
            continue
        written, colon, value = line.partition(":")
        scheme, value = normalize_scheme(written), value.strip()
        if not colon or scheme is None or not value or any(c.isspace() for c in scheme):
            raise InvalidValueError(
                f"{line.strip()!r} is not an identifier. Give its kind and value separated by a "
                "colon, such as isbn:9780441013593 or goodreads:234225."
            )
        if scheme in found:
            raise InvalidValueError(
                f"The identifiers name {scheme} twice. Keep one {scheme} value."
            )
        if scheme == "isbn":
            isbn = parse_isbn_text(value)
            value = isbn.isbn13 if isbn is not None else value
        found[scheme] = value
    return found


def parse_description(text: str) -> str | None:
    """The description as typed, cleaned by the one rule for descriptions
    (`bookorbit_desktop.descriptions`): HTML keeps its text markup and web links only; empty
    clears it."""
    return clean_description(text)


def parse_cover(path: Path) -> bytes:
    """The image in `path`, made into the stored cover (a JPEG no larger than the cover size)."""
    try:
        with path.open("rb") as file:  # a file past the limit is refused without reading it all
            data = file.read(MAX_COVER_BYTES + 1)
    except OSError as error:
        raise InvalidValueError(
            f"The cover {path} cannot be read ({error.strerror or error}). Choose an image file "
            "you can open."
        ) from error
    try:
        return make_cover(data)
    except UnusableCover as error:
        raise InvalidValueError(
            f"{path} cannot be the cover: {error}. Choose a JPEG, PNG, GIF or WebP file."
        ) from None


def check_shared(changes: BookChanges, book_count: int) -> None:
    """Several books take only the shared fields (one title or ISBN for many is a mistake)."""
    if book_count <= 1:
        return
    single = [LABELS[name] for name in changes.changed() if name not in SHARED_FIELDS]
    if single:
        raise InvalidValueError(
            f"The {', '.join(single)} can be changed for one book at a time; for several books "
            "only authors, series, languages and publisher."
        )


def changes_from_text(typed: Mapping[str, str], cover: Path | None = None) -> BookChanges:
    """The checked edit of the fields in `typed` (field name -> text as typed) and, with
    `cover`, the image in that file; the first wrong value raises `InvalidValueError`."""
    parsers = {
        "title": parse_title,
        "subtitle": parse_subtitle,
        "authors": parse_authors,
        "series": parse_series,
        "series_index": parse_series_index,
        "language": parse_languages,
        "isbn": parse_isbn_text,
        "publisher": parse_publisher,
        "published": parse_published,
        "pages": parse_pages,
        "identifiers": parse_identifiers,
        "description": parse_description,
    }
    checked: dict[str, Any] = {name: parsers[name](text) for name, text in typed.items()}
    if "identifiers" in checked and "isbn" not in checked:  # the ISBN is one of the identifiers
        checked["isbn"] = parse_isbn_text(checked["identifiers"].get("isbn", ""))
    if cover is not None:
        checked["cover"] = parse_cover(cover)
    return BookChanges(**checked)
