"""The changes of tags the user asks for, each one undoable step of the change journal: tags
added to and removed from books, a tag renamed (into an existing one: the two merge), a tag
deleted. A tag is a journaled value of each book (`journal.book_values`), so undo gives every
book back exactly the tags it had.

A tag added by a name that differs only in case from an existing tag joins that tag, spelled
as the library spells it; only a rename changes a tag's spelling.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.journal.rules import books_label
from bookorbit_desktop.library.store.found import check_found
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.tags.names import check_tag, key, ordered, unique
from bookorbit_desktop.library.tags.store import book_tags, books_with, find_tag, set_book_tags


def _titles(book_ids: list[int]) -> dict[int, str]:
    query = Book.select(Book.id, Book.title).where(Book.id.in_(book_ids))
    return {book.id: book.title for book in query}


def _rewrite(
    label: str,
    book_ids: list[int],
    change: Callable[[list[str]], list[str]],
    paths: Paths,
    clock: Callable[[], float],
    step: int | None = None,
) -> int:
    """Give each book the tags `change` makes of its own, as one step (or part of `step`);
    the number of books changed."""
    changed = 0
    now = clock()
    with (
        recording(label, book_ids, paths=paths, covers=False, step=step, clock=clock),
        database.atomic(),
    ):
        for book_id, names in book_tags(book_ids).items():
            wanted = ordered(unique(change(names)))
            if wanted != names:
                set_book_tags(book_id, wanted, now)
                changed += 1
    return changed


def change_tags(
    book_ids: Sequence[int],
    paths: Paths,
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    clock: Callable[[], float] = time.time,
    step: int | None = None,
) -> int:
    """Add the tags `add` to every book of `book_ids` and take `remove` away from them (names
    checked here), as one step or part of `step`; the number of books that changed.
    NotFoundError when a book does not exist, InvalidValueError when a name is wrong or nothing
    is asked; nothing is written then."""
    ids = list(dict.fromkeys(book_ids))
    added = unique(find_tag(name) or name for name in (check_tag(n) for n in add))
    removed = {key(check_tag(name)) for name in remove}
    if not ids or not (added or removed):
        raise InvalidValueError("Nothing to change. Give at least one book and one tag.")
    titles = _titles(ids)
    check_found(ids, titles)
    both = [name for name in added if key(name) in removed]
    if both:
        raise InvalidValueError(f"“{both[0]}” is both added and removed. Choose one.")

    def change(names: list[str]) -> list[str]:
        return [name for name in names if key(name) not in removed] + added

    label = books_label("Change Tags of", [titles[book_id] for book_id in ids])
    return _rewrite(label, ids, change, paths, clock, step)


def _existing(name: str) -> str:
    found = find_tag(check_tag(name))
    if found is None:
        raise NotFoundError(f"There is no tag “{name.strip()}”. List the tags with `tags`.")
    return found


def rename_tag(old: str, new: str, paths: Paths, *, clock: Callable[[], float] = time.time) -> int:
    """Rename the tag `old` to `new` on every book that carries it; when a tag `new` exists
    already (in another case too), the two merge into it. The number of books changed."""
    source = _existing(old)
    target = check_tag(new)
    other = find_tag(target)
    if other is not None and key(other) != key(source):
        target = other
        label = f"Merge Tag “{source}” into “{target}”"
    else:
        label = f"Rename Tag “{source}” to “{target}”"
    if target == source:
        return 0

    def change(names: list[str]) -> list[str]:
        return [target if key(name) == key(source) else name for name in names]

    return _rewrite(label, books_with([source]), change, paths, clock)


def delete_tag(name: str, paths: Paths, *, clock: Callable[[], float] = time.time) -> int:
    """Take the tag `name` away from every book; the number of books that carried it."""
    source = _existing(name)

    def change(names: list[str]) -> list[str]:
        return [name for name in names if key(name) != key(source)]

    return _rewrite(f"Delete Tag “{source}”", books_with([source]), change, paths, clock)
