"""The window's side of the library browser: every category's values with their counts
(`library.categories.counts`), read in a worker thread; the search that finds a value's books;
and renames, merges (and a tag's delete), each one undoable step. Tags go through `tags` so that
the browser, the Edit dialog and the `tags` command check and store them the same way."""

from __future__ import annotations

from collections.abc import Iterable

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.categories import renames
from bookorbit_desktop.library.categories.counts import (
    TITLES,
    Category,
    Row,
    category,
)
from bookorbit_desktop.library.categories.terms import label, value_search
from bookorbit_desktop.library.categories.tree import Value
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.library.tags import TagService

__all__ = ["TITLES", "Category", "CategoryService", "Row", "Value", "label", "value_search"]

RENAMED = frozenset(renames.NOUNS) | {"tags"}  # the categories whose values can be renamed
NOUNS = {**renames.NOUNS, "tags": "Tag"}


class CategoryService:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.tags = TagService(paths)

    def categories(self, kinds: Iterable[str] = TITLES) -> list[Category]:
        """The categories `kinds` with their values' counts, as the library has them now."""
        return [category(kind) for kind in kinds]

    async def categories_later(self, kinds: Iterable[str] = TITLES) -> list[Category]:
        """`categories` read in a worker thread on a connection of its own."""
        return await off_loop(self.categories, list(kinds))

    def merges_into(self, kind: str, old: str, new: str) -> str | None:
        """The other value renaming `old` to `new` merges it into (None: a plain rename);
        InvalidValueError when `new` is no valid name."""
        if kind == "tags":
            return self.tags.merges_into(old, new)
        return renames.merges_into(kind, old, new)

    def books_of(self, kind: str, name: str) -> int:
        """How many books have the value."""
        if kind == "tags":
            return self.tags.books_of(name)
        return len(renames.books_of(kind, name))

    def rename(self, kind: str, old: str, new: str) -> int:
        """Rename (or merge) as one undoable step; the number of books changed."""
        if kind == "tags":
            return self.tags.rename(old, new)
        return renames.rename(kind, old, new, self.paths)

    def checked(self, kind: str, new: str) -> str:
        """The name `new` stands for; InvalidValueError saying why when it is none."""
        return self.tags.check(new) if kind == "tags" else renames.checked(kind, new)

    def delete_tag(self, name: str) -> int:
        """Take the tag away from every book as one undoable step; the number of books."""
        return self.tags.delete(name)
