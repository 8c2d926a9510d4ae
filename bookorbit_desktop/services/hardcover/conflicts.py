"""Every open conflict with hardcover.app at once, for the Hardcover page: each is the book
panel's choice (`pulled.Choice`: a field changed both here and on Hardcover since the last
sync) with its book's title. Settled with `pulled.resolve_async`, as the book panel does.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.hardcover import pulled
from bookorbit_desktop.services.library.titles import read_titles


@dataclass(frozen=True)
class OpenConflict:
    title: str
    choice: pulled.Choice


def open_conflicts() -> list[OpenConflict]:
    """The open conflicts by book id (a blocking read: see `open_conflicts_later`)."""
    choices = pulled.all_conflicts()
    titles = read_titles([choice.book_id for choice in choices])
    return [
        OpenConflict(titles.get(choice.book_id) or f"Book {choice.book_id}", choice)
        for choice in choices
    ]


async def open_conflicts_later() -> list[OpenConflict]:
    return await off_loop(open_conflicts)
