"""A few books of one fetch asked in one request (Open Library's Books API, Hardcover's
editions batch): the first of them to be looked up sends it, the others wait for it and read
its answer. When the request fails, each of them fails the same way without asking again in
this fetch; a cancelled request leaves the chunk to the next of its books."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bookorbit_desktop.metadata_sources.records import SourceError

K = TypeVar("K")  # what identifies one book in the request
A = TypeVar("A")  # the request's answer


class Chunk(Generic[K, A]):
    def __init__(self, keys: list[K]) -> None:
        self.keys = keys
        self._lock = asyncio.Lock()
        self._outcome: tuple[A] | SourceError | None = None

    async def answer(self, ask: Callable[[list[K]], Awaitable[A]]) -> A:
        """The answer to `ask(keys)`, asked by the first book only; its SourceError for each
        book when it failed."""
        async with self._lock:
            if self._outcome is None:
                try:
                    self._outcome = (await ask(self.keys),)
                except SourceError as error:
                    self._outcome = error
            outcome = self._outcome
        if isinstance(outcome, SourceError):
            raise outcome
        return outcome[0]
