"""What a user may type into a book's fields, checked and normalised before anything is saved.

Each `parse_*` takes the text as typed and returns the value to store, or raises
`InvalidValueError` saying what is wrong and what to type instead. An empty text clears an
optional field. `BookChanges` holds the checked values of one edit (`UNSET` fields stay as
they are).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.metadata.covers import prepare_cover
from bookorbit_desktop.library.metadata.isbn import Isbn, parse_isbn
from bookorbit_desktop.library.metadata.languages import normalize_language

# The fields an edit can change, each marked once the user edits it (`store.user_edits`).
FIELDS = ("title", "authors", "series", "series_index", "language", "isbn", "description", "cover")
# The fields one edit may give several books at once (the others belong to one book).
SHARED_FIELDS = frozenset({"authors", "series", "language"})
LABELS = {
    "title": "title",
    "authors": "authors",
    "series": "series",
    "series_index": "series number",
    "language": "language",
    "isbn": "ISBN",
    "description": "description",
    "cover": "cover",
}


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final[Any] = _Unset()

# "A & B" (as calibre writes them) or "A; B"; a comma stays inside a name ("Tolkien, J. R. R.").
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:&|;)\s*")


@dataclass(frozen=True)
class BookChanges:
    """The checked values of one edit; a field left `UNSET` keeps its stored value."""

    title: Any = UNSET  # str
    authors: Any = UNSET  # list[str], in order
    series: Any = UNSET  # str | None
    series_index: Any = UNSET  # float | None
    language: Any = UNSET  # str | None, a normalised tag
    isbn: Any = UNSET  # Isbn | None
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


def parse_series(text: str) -> str | None:
    return " ".join(text.split()) or None


def parse_series_index(text: str) -> float | None:
    """A number of 0 or more ("3", "2.5"); empty text: no number."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        value = -1.0
    if not math.isfinite(value) or value < 0:
        raise InvalidValueError(
            f"{text.strip()!r} is not a series number. Type a number of 0 or more, such as 3 "
            "or 2.5."
        )
    return value


def parse_language(text: str) -> str | None:
    """A language code or English name ("en", "pt-BR", "French"); empty text: none."""
    if not text.strip():
        return None
    tag = normalize_language(text)
    if tag is None:
        raise InvalidValueError(
            f"{text.strip()!r} is not a language. Type a language code such as en, fr or "
            "pt-BR, or its English name."
        )
    return tag


def parse_isbn_text(text: str) -> Isbn | None:
    """An ISBN-10 or ISBN-13 with a correct check digit (hyphens and spaces allowed)."""
    if not text.strip():
        return None
    found = parse_isbn(text)
    if found is None:
        raise InvalidValueError(
            f"{text.strip()!r} is not a valid ISBN (10 or 13 digits with a matching check "
            "digit). Copy it again from the book's copyright page."
        )
    return found


def parse_description(text: str) -> str | None:
    return text.strip() or None


def parse_cover(path: Path) -> bytes:
    """The image in `path`, made into the stored cover (a JPEG no larger than the cover size)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidValueError(
            f"The cover {path} cannot be read ({error.strerror or error}). Choose an image file "
            "you can open."
        ) from error
    prepared = prepare_cover(data)
    if prepared is None:
        raise InvalidValueError(
            f"{path} is not an image BookOrbit can read. Choose a JPEG, PNG, GIF or WebP file."
        )
    return prepared


def check_shared(changes: BookChanges, book_count: int) -> None:
    """Several books take only the shared fields (one title or ISBN for many is a mistake)."""
    if book_count <= 1:
        return
    single = [LABELS[name] for name in changes.changed() if name not in SHARED_FIELDS]
    if single:
        raise InvalidValueError(
            f"The {', '.join(single)} can be changed for one book at a time; for several books "
            "only authors, series and language."
        )


def changes_from_text(typed: Mapping[str, str], cover: Path | None = None) -> BookChanges:
    """The checked edit of the fields in `typed` (field name -> text as typed) and, with
    `cover`, the image in that file; the first wrong value raises `InvalidValueError`."""
    parsers = {
        "title": parse_title,
        "authors": parse_authors,
        "series": parse_series,
        "series_index": parse_series_index,
        "language": parse_language,
        "isbn": parse_isbn_text,
        "description": parse_description,
    }
    checked: dict[str, Any] = {name: parsers[name](text) for name, text in typed.items()}
    if cover is not None:
        checked["cover"] = parse_cover(cover)
    return BookChanges(**checked)
