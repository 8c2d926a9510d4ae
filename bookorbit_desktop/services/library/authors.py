"""The window's side of filing authors (Edit ▸ Authors…): the authors as filed, and the user's
sort texts saved as one undoable step (`library.editing.author_sorts`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from bookorbit_desktop.library.editing.author_sorts import FiledAuthor, file_authors, filed_authors

__all__ = ["AuthorsService", "FiledAuthor"]


class AuthorsService:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock

    def authors(self) -> list[FiledAuthor]:
        """The authors of the library's books, in the order they are filed in."""
        return filed_authors()

    def file(self, typed: Mapping[int, str]) -> int:
        """Save the sort texts typed (author id -> text; empty: the rule's) as one step;
        how many authors were filed anew."""
        return file_authors(typed, self.clock())
