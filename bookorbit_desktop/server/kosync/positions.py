"""The newest position of every pushed document, so a pull is answered from memory.

KOReader pulls a document's position right after opening it and usually right after another
device pushed it. At start the server loads the newest position of each document (up to
`capacity` of them); the writer thread then puts each push here right after the commit that
stored it (in commit order), so what a pull answers from here is always durable. While the
cache holds every document the library has positions for ("complete"), a document not here has
never been pushed and is answered without touching the library; once it had to drop a document
(least recently used out), a document not here is read from the library. A document whose
position the library changed by itself (a reset, maybe from another process) is `forget`-ten:
it is read from the library until a push stores it here again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from bookorbit_desktop.library.reading.rows import Position

CAPACITY = 20_000


class PositionCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._positions: OrderedDict[str, Position] = OrderedDict()
        self._complete = False
        self._forgotten: set[str] = set()

    @property
    def capacity(self) -> int:
        return self._capacity

    def load(self, newest: Iterable[Position], *, complete: bool) -> None:
        """Fill with positions read from the library, newest first; `complete`: they are all
        the documents the library has positions for. Pushes stored meanwhile are kept."""
        with self._lock:
            for position in newest:
                if position.document not in self._positions:
                    self._positions[position.document] = position
                    self._positions.move_to_end(position.document, last=False)
            self._complete = complete and len(self._positions) <= self._capacity
            self._trim()

    def stored(self, position: Position) -> None:
        """Record a committed push (called from the writer thread)."""
        with self._lock:
            self._positions[position.document] = position
            self._positions.move_to_end(position.document)
            self._forgotten.discard(position.document)
            self._trim()

    def forget(self, documents: Iterable[str]) -> None:
        """Answer these documents from the library until a push stores them again."""
        with self._lock:
            for document in documents:
                self._positions.pop(document, None)
                self._forgotten.add(document)

    def lookup(self, document: str) -> tuple[bool, Position | None]:
        """(known, position): known is False when only the library can tell."""
        with self._lock:
            position = self._positions.get(document)
            if document in self._forgotten:
                return False, None
            return position is not None or self._complete, position

    def _trim(self) -> None:
        while len(self._positions) > self._capacity:
            self._positions.popitem(last=False)
            self._complete = False

    def __len__(self) -> int:
        return len(self._positions)
