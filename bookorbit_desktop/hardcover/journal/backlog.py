"""Which journal entries are not in Hardcover's journal as they should be, and why (pure).

| local map says                  | the highlight now | left as    | why                    |
|---------------------------------|-------------------|------------|------------------------|
| nothing                         | has the text      | NEW        | never sent             |
| "sent", same text               | unchanged         | (not left) |                        |
| "sent", other text              | edited            | UPDATE     | the last update failed |
| "sending": the answer was lost  | anything          | CHECK      | read back, then resend |
| "refused" by Hardcover          | anything          | REFUSED    | Hardcover's reason     |
| "waiting": Hardcover stored none| anything          | WAITING    | slow down, token, ...  |

Each one carries when it may go next (None: with the next pass).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bookorbit_desktop.hardcover.journal.plan import (
    REFUSED,
    SENT,
    WAITING,
    Sent,
    Wanted,
    edited_while_out,
)

NEW = "new"
UPDATE = "update waiting"
CHECK = "waiting for a check"
REFUSED_BY_HARDCOVER = "refused by Hardcover"
WAITING_AGAIN = "waiting to be sent again"

# Reasons BookOrbit records itself (not Hardcover's refusals).
SLOW_DOWN = "Hardcover asked BookOrbit to slow down."
TOKEN = "Hardcover did not accept the saved token; connect a new one."
NO_ANSWER = "Hardcover did not answer the last try."
WAITING_FOR_CHECK = (
    "May have reached Hardcover without an answer; it is checked by reading the journal "
    "back before it is sent again (the token needs read:journal)."
)
_OURS = frozenset({SLOW_DOWN, TOKEN})


@dataclass(frozen=True)
class Left:
    """One journal entry still to go."""

    entry: Wanted  # what it should be (the highlight's text now)
    state: str  # NEW, UPDATE, CHECK, REFUSED_BY_HARDCOVER or WAITING_AGAIN
    reason: str | None  # a sentence for the user; None for a new entry or a plain edit
    refused: str | None  # Hardcover's own reason, when it refused the last try
    next_attempt_at: float | None  # None: with the next pass


def why(done: Sent) -> tuple[str | None, str | None]:
    """(a sentence for the user, Hardcover's own reason) of the last failed try of `done`."""
    if done.refused in _OURS:
        return done.refused, None
    if done.refused:
        return f"Refused by Hardcover: {done.refused}", done.refused
    return (NO_ANSWER if done.attempts else None), None


def backlog(wanted: Iterable[Wanted], sent: Mapping[tuple[int, str], Sent]) -> list[Left]:
    """Every wanted entry that is not in the journal with its current text."""
    left = []
    for entry in wanted:
        done = sent.get((entry.highlight_id, entry.kind))
        if done is None:
            left.append(Left(entry, NEW, None, None, None))
            continue
        if done.state == SENT and done.journal_id is not None:
            if done.text == entry.text:
                continue
            state = UPDATE
            reason, refused = why(done)
        elif done.state == REFUSED:
            state = REFUSED_BY_HARDCOVER
            reason, refused = why(done)
        elif done.state == WAITING:
            state = WAITING_AGAIN
            reason, refused = why(done)
        else:
            state, reason, refused = CHECK, WAITING_FOR_CHECK, None
        due = None if edited_while_out(done, entry) else done.next_attempt_at
        left.append(Left(entry, state, reason, refused, due))
    return left
