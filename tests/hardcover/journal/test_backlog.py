"""What is left to go to the reading journal, and why, as a table (pure)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.journal.backlog import (
    CHECK,
    NEW,
    NO_ANSWER,
    REFUSED_BY_HARDCOVER,
    SLOW_DOWN,
    TOKEN,
    UPDATE,
    WAITING_AGAIN,
    WAITING_FOR_CHECK,
    backlog,
)
from bookorbit_desktop.hardcover.journal.plan import (
    QUOTE,
    REFUSED,
    SENDING,
    SENT,
    WAITING,
    Sent,
    Wanted,
)

FEAR = "Fear is the mind-killer."
AT = 1_000_000.0
ENTRY = Wanted(1, QUOTE, FEAR, 50, 60, 12, 400, 0)


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (None, (NEW, None, None, None)),
        (Sent(1, QUOTE, 9, FEAR, SENT), None),
        (Sent(1, QUOTE, 9, "before", SENT), (UPDATE, None, None, None)),
        (Sent(1, QUOTE, 9, "before", SENT, 2, AT), (UPDATE, NO_ANSWER, None, AT)),
        (
            Sent(1, QUOTE, 9, "before", SENT, 1, AT, "Too long"),
            (UPDATE, "Refused by Hardcover: Too long", "Too long", AT),
        ),
        (Sent(1, QUOTE, 9, "before", SENT, 0, AT, SLOW_DOWN), (UPDATE, SLOW_DOWN, None, AT)),
        (Sent(1, QUOTE, None, FEAR, SENDING, 1, AT), (CHECK, WAITING_FOR_CHECK, None, AT)),
        (
            Sent(1, QUOTE, None, FEAR, REFUSED, 3, AT, "Book not found"),
            (REFUSED_BY_HARDCOVER, "Refused by Hardcover: Book not found", "Book not found", AT),
        ),
        (Sent(1, QUOTE, None, FEAR, WAITING, 1, AT, TOKEN), (WAITING_AGAIN, TOKEN, None, AT)),
        (Sent(1, QUOTE, None, FEAR, WAITING, 2, AT), (WAITING_AGAIN, NO_ANSWER, None, AT)),
        # edited since it was refused: it goes with the next pass
        (
            Sent(1, QUOTE, None, "before", REFUSED, 3, AT, "x"),
            (REFUSED_BY_HARDCOVER, "Refused by Hardcover: x", "x", None),
        ),
    ],
)
def test_what_is_left_and_why(done, expected):
    sent = {} if done is None else {(1, QUOTE): done}
    left = backlog([ENTRY], sent)
    if expected is None:
        assert left == []
    else:
        assert [(x.state, x.reason, x.refused, x.next_attempt_at) for x in left] == [expected]
        assert left[0].entry == ENTRY
