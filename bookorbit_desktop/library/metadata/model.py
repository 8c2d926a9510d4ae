"""What the format readers return, and the errors that refuse a file.

Readers fill a `BookMetadata` with whatever the file offers; `finish()` fills the gaps (title
from the file name, sort keys) so the importer always gets a usable record.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from bookorbit_desktop.descriptions import clean_description
from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.metadata.identifiers import IdentifierSet, collect_identifiers
from bookorbit_desktop.library.metadata.languages import normalize_languages
from bookorbit_desktop.library.metadata.naming import (
    clean_text,
    creator_name,
    title_from_filename,
)

# The formats we import, as stored in BookFile.format.
FORMATS = ("epub", "pdf", "cbz", "mobi", "azw", "azw3", "fb2", "fb2.zip")

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")


class BookReadError(Exception):
    """A file that cannot be imported. `str()` is a one-line reason for the import summary."""


class NotAnEbookError(BookReadError):
    """The file is not in any ebook format we know."""


class DamagedFileError(BookReadError):
    """The file is an ebook container that is corrupt or truncated."""


class DrmError(BookReadError):
    """The book is encrypted with DRM; no reader on the user's device could open it either."""


@dataclass
class Creator:
    """One author (or other contributor) as the file lists them."""

    name: str
    role: str = "aut"  # MARC relator code
    file_as: str | None = None

    @property
    def sort_name(self) -> str:
        return clean_text(self.file_as) or author_sort(self.name)


@dataclass
class BookMetadata:
    """Everything a file told us about its book. Strings are cleaned; any may be None."""

    format: str
    title: str | None = None
    creators: list[Creator] = field(default_factory=list)
    language: str | None = None  # the first of `languages` once finished
    languages: list[str] = field(default_factory=list)  # every language, in the file's order
    raw_identifiers: list[tuple[str | None, str]] = field(default_factory=list)
    series: str | None = None
    series_index: float | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date, possibly partial
    description: str | None = None
    sort_title: str | None = None  # only when the file carries one (calibre:title_sort)
    cover: bytes | None = None  # the cover image as stored in the file
    ids: IdentifierSet = field(default_factory=IdentifierSet)

    def finish(self, path: Path) -> BookMetadata:
        """Clean every field, sort the identifiers and fall back to the file name for a title."""
        self.title = clean_text(self.title) or title_from_filename(path.name)
        self.languages = normalize_languages(self.languages or [self.language])
        self.language = self.languages[0] if self.languages else None
        self.series = clean_text(self.series)
        self.publisher = clean_text(self.publisher)
        self.sort_title = clean_text(self.sort_title)
        self.description = clean_description(self.description)
        seen: set[str] = set()
        creators: list[Creator] = []
        for creator in self.creators:
            name, written_role = creator_name(clean_text(creator.name) or "")
            role = creator.role or "aut"
            if written_role and role == "aut":  # "Jay Rubin (Translator)" as an author
                role = written_role
            if name and name.casefold() not in seen and name.casefold() != "unknown":
                seen.add(name.casefold())
                creators.append(Creator(name, role, clean_text(creator.file_as)))
        # Authors first, in file order; editors, translators and illustrators after them.
        creators.sort(key=lambda creator: creator.role != "aut")
        self.creators = creators
        self.ids = collect_identifiers(self.raw_identifiers)
        return self

    @property
    def authors(self) -> list[str]:
        return [creator.name for creator in self.creators if creator.role == "aut"]


def parse_series_index(value: str | None) -> float | None:
    """A series position from text ("2", "2.5", "02"); None when not a number."""
    if value is None:
        return None
    text = value.strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number < 0 or number > 100_000:  # NaN or nonsense
        return None
    return number


def parse_published(value: str | None) -> str | None:
    """An ISO date ("2019", "2019-05" or "2019-05-03") from a file's date text, else None.

    Calibre writes "0101-01-01" for "no date"; years before 1000 are never an ebook's
    publication date and are dropped.
    """
    if not value:
        return None
    match = _ISO_DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    if int(year) < 1000:
        return None
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return year
    if day is None:
        return f"{year}-{int(month):02d}"
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return f"{year}-{int(month):02d}"
