"""The window's side of the library browser: the categories there are (the built-in ones and
the custom columns listed, `library.categories.custom`) and the values of those asked for with
their counts, read together in a worker thread; the search that finds a value's books; and
renames, merges (and a tag's delete), each one undoable step. Tags go through `tags` so that
the browser, the Edit dialog and the `tags` command check and store them the same way; a custom
column's values through `custom_renames`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.categories import custom_renames, renames
from bookorbit_desktop.library.categories.counts import TITLES, Category, Row
from bookorbit_desktop.library.categories.custom import Head, any_category, heads
from bookorbit_desktop.library.categories.terms import label
from bookorbit_desktop.library.categories.tree import Value
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.kinds import Column, column_of
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.library.tags import TagService

__all__ = ["TITLES", "Browsed", "Category", "CategoryService", "Head", "Row", "Value", "label"]

NOUNS = {**renames.NOUNS, "tags": "Tag"}  # the built-in categories whose values are renamed


def renamed(category: Category) -> bool:
    """Whether the category's values can be renamed."""
    column = category.column
    return category.kind in NOUNS if column is None else column.kind in custom_renames.RENAMED


@dataclass(frozen=True)
class Browsed:
    """What the browser shows: every category's kind and title, in order, and the values of
    those read."""

    heads: tuple[Head, ...]
    categories: tuple[Category, ...]


class CategoryService:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.tags = TagService(paths)

    def browse(self, kinds: Collection[str] | None = None) -> Browsed:
        """Every category, and the values' counts of `kinds` (None: of every one), as the
        library has them now (a custom column deleted has none)."""
        listed = tuple(heads())
        wanted = [kind for kind, _title in listed if kinds is None or kind in kinds]
        found = (any_category(kind) for kind in wanted)
        return Browsed(listed, tuple(category for category in found if category is not None))

    async def browse_later(self, kinds: Collection[str] | None = None) -> Browsed:
        """`browse` read in a worker thread on a connection of its own."""
        return await off_loop(self.browse, kinds)

    def noun(self, kind: str) -> str:
        """What a value of the category is called ("Series", a custom column's name)."""
        column = self._column(kind)
        return NOUNS[kind] if column is None else column.name

    def _column(self, kind: str) -> Column | None:
        """The custom column a category lists (None: a built-in one); NotFoundError when it
        is gone."""
        column_id = column_of(kind)
        if column_id is None:
            return None
        column = store.column(column_id)
        if column is None:
            raise NotFoundError("The custom column was deleted meanwhile.")
        return column

    def merges_into(self, kind: str, old: str, new: str) -> str | None:
        """The other value renaming `old` to `new` merges it into (None: a plain rename);
        InvalidValueError when `new` is no valid name."""
        if kind == "tags":
            return self.tags.merges_into(old, new)
        column = self._column(kind)
        if column is not None:
            return custom_renames.merges_into(column, old, new)
        return renames.merges_into(kind, old, new)

    def books_of(self, kind: str, name: str) -> int:
        """How many books have the value."""
        if kind == "tags":
            return self.tags.books_of(name)
        column = self._column(kind)
        if column is not None:
            return len(custom_renames.books_of(column, name))
        return len(renames.books_of(kind, name))

    def rename(self, kind: str, old: str, new: str) -> int:
        """Rename (or merge) as one undoable step; the number of books changed."""
        if kind == "tags":
            return self.tags.rename(old, new)
        column = self._column(kind)
        if column is not None:
            return custom_renames.rename(column, old, new, self.paths)
        return renames.rename(kind, old, new, self.paths)

    def checked(self, kind: str, new: str) -> str:
        """The name `new` stands for; InvalidValueError saying why when it is none."""
        if kind == "tags":
            return self.tags.check(new)
        column = self._column(kind)
        if column is not None:
            return custom_renames.checked(column, new)
        return renames.checked(kind, new)

    def delete_tag(self, name: str) -> int:
        """Take the tag away from every book as one undoable step; the number of books."""
        return self.tags.delete(name)
