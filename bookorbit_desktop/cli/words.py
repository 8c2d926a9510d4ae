"""The words several commands print: counted words ("1 book", "2 books", "1,204 copies") and
the hints that name another command (how to take a change back, how to make the sync account).

It imports nothing, so a short command that prints one of them stays short."""

from __future__ import annotations


def counted(count: int, word: str, plural: str | None = None) -> str:
    """`count` and `word`, in the plural (`word` + "s" unless given) for any count but 1."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


UNDO_HINT = "Take it back with `bookorbit-desktop undo`."

NO_ACCOUNT_HINT = (
    "No sync account yet. Create one with `bookorbit-desktop kosync set-user NAME "
    '--password-stdin`, or let KOReader\'s "Register" create it after '
    "`bookorbit-desktop kosync allow-registration on`."
)
