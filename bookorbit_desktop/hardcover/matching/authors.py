"""The other names Hardcover keeps for an author, asked for only when they can change a decision.

A file may name "Lev Tolstoy" or "Лев Толстой" where Hardcover's main name is "Leo Tolstoy";
Hardcover lists such forms in `authors.alternate_names`. They are not part of the candidate
query (most books never need them): the matcher collects the authors of close candidates whose
only trouble is the author's name form, and asks for all of them in one `AuthorNames` request
per hundred authors. Each author is asked about once per run.
"""

from __future__ import annotations

from dataclasses import replace

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.records import to_text
from bookorbit_desktop.hardcover.matching.catalog import HardcoverBook, alternate_names
from bookorbit_desktop.hardcover.matching.scoring import STRONG_TITLE_MIN, Decision

AUTHORS_PER_REQUEST = 100  # Hardcover pages hold 100 rows
# Penalties an author's other name (a transliteration, the original script) may clear.
NAME_FORM_PENALTIES = frozenset({"authors", "author_script"})


class AuthorNames:
    """Alternate names of the authors asked about so far, by Hardcover author id."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[str, tuple[str, ...]]] = {}

    def to_ask(self, decision: Decision) -> set[int]:
        """Authors, not asked about yet, of candidates whose title matches and whose only
        author trouble may be a name form."""
        wanted: set[int] = set()
        for scored in decision.ranked:
            keys = {p.key for p in scored.penalties}
            if scored.title >= STRONG_TITLE_MIN and keys & NAME_FORM_PENALTIES:
                wanted |= {i for i in scored.book.author_ids if i not in self._known}
        return wanted

    async def fetch(self, client: HardcoverClient, ids: set[int]) -> None:
        """Ask Hardcover for the alternate names of `ids`, a hundred per request."""
        wanted = sorted(i for i in ids if i not in self._known)
        for start in range(0, len(wanted), AUTHORS_PER_REQUEST):
            chunk = wanted[start : start + AUTHORS_PER_REQUEST]
            data = await client.execute("AuthorNames", {"ids": chunk})
            for row in data.get("authors") or []:
                name = to_text(row.get("name")) or ""
                self._known[int(row["id"])] = (name, alternate_names(row.get("alternate_names")))
            for author_id in chunk:  # absent from Hardcover: not asked about again
                self._known.setdefault(author_id, ("", ()))

    def apply(self, book: HardcoverBook) -> HardcoverBook:
        """`book` with its authors' alternate names, when any are known."""
        pairs = tuple(
            (name, alias)
            for author_id in book.author_ids
            for name, aliases in [self._known.get(author_id, ("", ()))]
            if name
            for alias in aliases
        )
        return replace(book, author_aliases=pairs) if pairs else book
