"""The plain shapes the window gets for books: a row of the library table (`BookRow`), one
book's details (`BookDetails`) with its files, reading state and Hardcover match. The table's
rows (`rows`), the library facade (`service`) and the Hardcover page all answer in these.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from bookorbit_desktop.library.custom.kinds import Column


class BookRow(TypedDict, total=False):
    id: int
    title: str
    sort_title: str | None
    authors: list[str]
    series: str | None
    series_index: float | None
    status: str
    progress: float
    rating: float | None
    formats: list[str]
    hardcover: str
    pages: int | None  # pages of the linked Hardcover edition, when known
    added_at: float  # Unix seconds
    publisher: str | None
    language: str | None  # every language, as shown: "en, fr"
    size: int  # the book's files, in bytes
    last_read: float | None  # when a device last pushed progress for the book
    tags: list[str]
    hc_rating: float | None  # the linked Hardcover book's readers' average rating
    book_pages: int | None  # the book's own printed pages (`book.pages`, the search's `pages:`)


class FileInfo(TypedDict):
    path: str
    format: str
    size: int
    missing: bool
    partial_md5: str


class ReadingInfo(TypedDict):
    status: str
    progress: float
    started: str | None
    finished: str | None
    rating: float | None
    # Where each date came from (`library.reading.sources`); absent: not known.
    started_source: NotRequired[str | None]
    finished_source: NotRequired[str | None]


class MatchInfo(TypedDict, total=False):
    state: str
    reason: str | None
    summary: str | None  # "Dune (ebook, 2019, 412 pages)" when linked
    hc_book_id: int | None
    hc_edition_id: int | None
    pinned: bool
    edition_pages: int | None  # pages of the linked edition, when known
    url: str | None  # the linked book's page on hardcover.app
    cover_url: str | None  # the linked book's cover on Hardcover's image server, if stored
    sync_state: str | None  # synced | ahead | kept | removed | failed | blocked, once pushed
    sync_reason: str | None
    own_entry: bool  # BookOrbit created the book's Hardcover entry (the user may remove it)


class BookDetails(TypedDict, total=False):
    id: int
    title: str
    subtitle: str | None
    authors: list[str]
    series: str | None
    series_index: float | None
    language: str | None  # every language, as shown: "en, fr"
    publisher: str | None
    published: str | None
    description: str | None
    isbn13: str | None
    isbn10: str | None
    pages: int | None  # the book's printed pages (`book.pages`)
    cover_file: str | None  # absolute path of the cover image shown
    cover_generated: bool  # the cover is generated (the book has none of its own)
    files: list[FileInfo]
    reading: ReadingInfo
    hardcover_match: MatchInfo | None
    custom: list[tuple[Column, Any]]  # the custom columns holding a value, by name, with it
