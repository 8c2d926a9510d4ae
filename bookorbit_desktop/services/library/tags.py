"""The window's side of tags: the names the Edit dialog completes, and rename (merging into an
existing tag) and delete through the library's journaled changes (`library.tags.changes`), so
that the window and the `tags` command check and store the same way."""

from __future__ import annotations

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.tags.changes import delete_tag, rename_tag
from bookorbit_desktop.library.tags.names import SEPARATOR as SEPARATOR
from bookorbit_desktop.library.tags.names import check_tag, key
from bookorbit_desktop.library.tags.names import joined as joined
from bookorbit_desktop.library.tags.names import parse_tags as parse_tags
from bookorbit_desktop.library.tags.store import TagCount, books_with, find_tag

__all__ = ["TagCount", "TagService"]


class TagService:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def merges_into(self, old: str, new: str) -> str | None:
        """The existing tag that renaming `old` to `new` merges it into (None: a plain rename);
        InvalidValueError when `new` is no valid name."""
        found = find_tag(check_tag(new))
        return found if found is not None and key(found) != key(old) else None

    def check(self, name: str) -> str:
        """The tag name `name` stands for; InvalidValueError saying why when it is none."""
        return check_tag(name)

    def books_of(self, name: str) -> int:
        """How many books carry the tag."""
        return len(books_with([name]))

    def rename(self, old: str, new: str) -> int:
        """Rename (or merge) as one undoable step; the number of books changed."""
        return rename_tag(old, new, self.paths)

    def delete(self, name: str) -> int:
        """Take the tag away from every book as one undoable step; the number of books."""
        return delete_tag(name, self.paths)
