"""Find Duplicates and Merge for the window and the command line: the groups of likely copies
(`library.merge.candidates`, with the metadata sources' title rule), two books side by side
with the choice per field, and the merge as one undoable step (`library.merge.store`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.hardcover.matching.normalize import parse_person
from bookorbit_desktop.library.journal.edits import whole
from bookorbit_desktop.library.journal.rules import field_label
from bookorbit_desktop.library.merge import candidates, fields, store
from bookorbit_desktop.library.merge.reading import FIELDS as READING_FIELDS
from bookorbit_desktop.library.reading.values import percent
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.tags.store import book_tags
from bookorbit_desktop.metadata_sources.editions import edition_difference
from bookorbit_desktop.metadata_sources.source import same_title

KEEP, OTHER = fields.KEEP, fields.OTHER


@dataclass(frozen=True)
class Copy:
    """One book of a group, as the list shows it."""

    id: int
    title: str
    authors: str
    formats: str  # "epub, pdf"


@dataclass(frozen=True)
class Row:
    """One field side by side: its label, each copy's value as text, and the choice."""

    name: str
    label: str
    keep: str
    other: str
    choice: str  # KEEP or OTHER; for the reading state, the rule's merged value instead
    same: bool  # both copies hold the same value: nothing to choose


@dataclass(frozen=True)
class SideBySide:
    keep: int
    other: int
    titles: tuple[str, str]
    files: tuple[tuple[str, ...], tuple[str, ...]]
    tags: tuple[tuple[str, ...], tuple[str, ...]]  # each copy's; the merged book has both's
    rows: tuple[Row, ...]  # the book's fields, each with a choice
    reading: tuple[Row, ...]  # the reading state: each copy's, and the merged one as `choice`
    refusal: str | None


def _text(name: str, value: Any, size: tuple[int, int] | None = None) -> str:
    """A value as the side-by-side view shows it: in full (two descriptions or long titles
    that differ only near their ends must be told apart), a cover by its size and the progress
    as a percentage. The window and the command line shorten it to fit."""
    if name == "cover":
        return f"{size[0]} × {size[1]} pixels" if size else "(none)"
    if name == "progress":
        return percent(value)
    return whole(name, value)


def author_key(name: str) -> str | None:
    """One key for the forms of one name, as Hardcover matching reads them: "Austen, Jane",
    "Jane Austen" and "JANE AUSTEN" alike, "Tolkien, J.R.R." and "J. R. R. Tolkien" too."""
    person = parse_person(name)
    return person.compact if person is not None else None


def editions_differ(a: candidates.Listed, b: candidates.Listed) -> bool:
    """Whether two books are two editions by the rule the metadata dialog flags a record of
    another edition with (`editions.edition_difference`): never offered as one book."""
    values = [{"title": book.title, "language": book.language} for book in (a, b)]
    return edition_difference(*values) is not None


class MergeService:
    def __init__(self, paths: Paths, *, clock: Callable[[], float] = time.time) -> None:
        self.paths = paths
        self.clock = clock

    def groups(self) -> list[tuple[Copy, ...]]:
        """The groups of books that look like copies of one book, in id order."""
        listed = candidates.listed_books()
        groups = candidates.group_copies(listed, same_title, author_key, editions_differ)
        by_id = {book.id: book for book in listed}
        formats = candidates.formats_of([book_id for group in groups for book_id in group])
        return [
            tuple(
                Copy(
                    book_id,
                    by_id[book_id].title,
                    " & ".join(by_id[book_id].authors),
                    formats.get(book_id, ""),
                )
                for book_id in group
            )
            for group in groups
        ]

    async def groups_async(self) -> list[tuple[Copy, ...]]:
        """`groups`, read off the window's thread (a large library takes a second or two)."""
        return await off_loop(self.groups)

    def side_by_side(self, keep: int, other: int) -> SideBySide:
        """The two books' values and the merge's choices; NotFoundError for a missing book."""
        seen = store.preview(keep, other, self.paths)
        mine, theirs = seen.values
        rows = tuple(
            Row(
                name,
                field_label(name),
                _text(name, fields.value_of(name, mine), seen.covers[0]),
                _text(name, fields.value_of(name, theirs), seen.covers[1]),
                seen.chosen[name],
                fields.value_of(name, mine) == fields.value_of(name, theirs),
            )
            for name in fields.FIELDS
        )
        reading = tuple(
            Row(
                name,
                field_label(name),
                _text(name, mine[name]),
                _text(name, theirs[name]),
                _text(name, seen.reading[name]),
                mine[name] == theirs[name],
            )
            for name in READING_FIELDS
        )
        titles = (mine["title"][0], theirs["title"][0])
        tags = book_tags([keep, other])
        both = (tuple(tags[keep]), tuple(tags[other]))
        return SideBySide(keep, other, titles, seen.files, both, rows, reading, seen.refusal)

    def merge(self, keep: int, other: int, overrides: Mapping[str, str] | None = None) -> str:
        """Merge `other` into `keep` (one undoable step); what to tell the user (each caller
        says how to undo it: Edit ▸ Undo, `bookorbit-desktop undo`).
        InvalidValueError when they cannot be merged (two Hardcover books, one book)."""
        store.merge_books(keep, other, self.paths, self.clock(), overrides)
        return f"Merged book {other} into book {keep}."
