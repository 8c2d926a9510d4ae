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

What is kept is each document's pull answer, encoded (bytes), not its `Position`: a pull is
answered without building and encoding its JSON again, and the cache holds nothing the cycle
collector tracks. (It held the positions themselves once: each push replaced an old, long-lived
one with a new one, which left the collector's count of new objects unchanged while the
youngest generation filled with positions, so a server kept under pushes paused for a few
milliseconds each time it finally scanned them, and more often ever longer as they aged into
the older generations.)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from bookorbit_desktop.library.reading.rows import Position
from bookorbit_desktop.server.kosync.protocol import encode, position_body

CAPACITY = 20_000


def answer_of(position: Position | None) -> bytes:
    """The pull answer (the response body) for a document whose newest position is this
    (None: never pushed)."""
    return encode(position_body(position))


NEVER_PUSHED = answer_of(None)


class PositionCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._answers: OrderedDict[str, bytes] = OrderedDict()
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
                if position.document not in self._answers:
                    self._answers[position.document] = answer_of(position)
                    self._answers.move_to_end(position.document, last=False)
            self._complete = complete and len(self._answers) <= self._capacity
            self._trim()

    def stored(self, position: Position) -> None:
        """Record a committed push (called from the writer thread)."""
        answer = answer_of(position)
        with self._lock:
            self._answers[position.document] = answer
            self._answers.move_to_end(position.document)
            self._forgotten.discard(position.document)
            self._trim()

    def forget(self, documents: Iterable[str]) -> None:
        """Answer these documents from the library until a push stores them again."""
        with self._lock:
            for document in documents:
                self._answers.pop(document, None)
                self._forgotten.add(document)

    def lookup(self, document: str) -> bytes | None:
        """The document's pull answer, or None when only the library can tell."""
        with self._lock:
            if document in self._forgotten:
                return None
            answer = self._answers.get(document)
            if answer is None and self._complete:
                return NEVER_PUSHED
            return answer

    def _trim(self) -> None:
        while len(self._answers) > self._capacity:
            self._answers.popitem(last=False)
            self._complete = False

    def __len__(self) -> int:
        return len(self._answers)
