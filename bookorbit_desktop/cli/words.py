"""The words several commands print: counted words ("1 book", "2 books", "1,204 copies") and
the hints that name another command (how to take a change back, how to make the sync account).

It imports nothing, so a short command that prints one of them stays short."""

from __future__ import annotations


def counted(count: int, word: str, plural: str | None = None) -> str:
    """`count` and `word`, in the plural (`word` + "s" unless given) for any count but 1."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def undo_hint(data_dir: str | None, step: str | None = None) -> str:
    """How to take a change back (the undo `step`, if named): `undo` on the same library,
    with the --data-dir the command was given (None: none was)."""
    where = ""
    if data_dir is not None:
        from shlex import quote  # (only then: a short command stays short)

        where = f" --data-dir {quote(data_dir)}"
    named = "" if step is None else f" ({step})"
    return f"Take it back with `bookorbit-desktop{where} undo`{named}."
    from shlex import quote  # (only then: a short command stays short)

    return f"Take it back with `bookorbit-desktop --data-dir {quote(data_dir)} undo`."


NO_ACCOUNT_HINT = (
    "No sync account yet. Create one with `bookorbit-desktop kosync set-user NAME "
    '--password-stdin`, or let KOReader\'s "Register" create it after '
    "`bookorbit-desktop kosync allow-registration on`."
)
