"""The newest position of recently pushed documents, so a pull is answered from memory.

KOReader pulls a document's position right after opening it and usually right after another
device pushed it. The writer thread puts each push here right after the commit that stored it
(in commit order), so what a pull answers from here is always durable; a document not here is
read from the library. The cache holds at most `capacity` documents, least recently used out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from bookorbit_desktop.library.reading.rows import Position

CAPACITY = 20_000


class PositionCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._positions: OrderedDict[str, Position] = OrderedDict()

    def stored(self, position: Position) -> None:
        """Record a committed push (called from the writer thread)."""
        with self._lock:
            self._positions[position.document] = position
            self._positions.move_to_end(position.document)
            while len(self._positions) > self._capacity:
                self._positions.popitem(last=False)

    def get(self, document: str) -> Position | None:
        with self._lock:
            return self._positions.get(document)

    def __len__(self) -> int:
        return len(self._positions)
