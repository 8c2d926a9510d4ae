"""A cap on how much exports may add to the library, for every book, known or not (pure).

Without a pairing secret anyone on the Wi-Fi may post an export, and one naming a book that is
in the library was stored whole: four posts of 12,000 highlights grew the library from 0.6 MB
to 40 MB in three seconds. So what an export would add is measured after its merge is planned
and before anything of it is written (`merging.store_export`, one merge at a time), and spent
from a budget of bytes per address and one for all addresses together, refilled over a day.
An export the budget cannot pay is refused whole with a 429 whose sentence says so
(`GrowthRefused`), and nothing of it is stored.

| budget | per address | all addresses |
|---|---|---|
| bytes added, at once and then per day | 8 MiB | 16 MiB |

An export costs its new highlights' text, notes, chapters and pages (a waiting one's title and
authors too), what its updates grow by with the texts they keep, and `ROW_BYTES` for each new
highlight's row. A book of 5,000 highlights costs about 3 MiB: a device's export of a whole
book, or of a whole library of a few thousand highlights, arrives whole. An export that adds
nothing (the same export sent again) costs nothing and is never refused. A library exported
for the first time with more than the budget goes on the next day (what arrived is not
added again). The budgets live as long as the receiver.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from bookorbit_desktop.guards.rate import AddressRate

MIB = 1024 * 1024
ADDRESS_BYTES = 8 * MIB
TOTAL_BYTES = 16 * MIB
REFILL_SECONDS = 24 * 3600  # a budget spent comes back whole in a day
ROW_BYTES = 256  # a highlight's row and index entries beside its text, in the file and its log


class GrowthRefused(Exception):
    """An export the budget cannot pay: the message says why, `retry_after` when to retry."""

    def __init__(self, message: str, retry_after: int | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def cost(added: int, grown_bytes: int) -> int:
    """What an export adding `added` highlights and growing texts by `grown_bytes` costs."""
    return grown_bytes + ROW_BYTES * added


def growth_budget(clock: Callable[[], float] = time.monotonic) -> AddressRate:
    """The bytes each address, and all of them, may add (see the module docstring)."""
    return AddressRate(
        ADDRESS_BYTES / REFILL_SECONDS,
        ADDRESS_BYTES,
        total_rate=TOTAL_BYTES / REFILL_SECONDS,
        total_burst=TOTAL_BYTES,
        clock=clock,
    )


def spend(budget: AddressRate, address: str, amount: int) -> None:
    """Spend `amount` bytes for `address`, or raise `GrowthRefused` spending nothing."""
    if amount <= 0:
        return  # an export that adds nothing is never refused
    short = budget.spend(address, amount)
    if short is None:
        return
    limit = f"{(TOTAL_BYTES if short.total else ADDRESS_BYTES) // MIB} MiB a day"
    limit += " in all" if short.total else " from this device"
    if math.isinf(short.seconds):
        raise GrowthRefused(
            f"This export would add {amount / MIB:.1f} MiB of highlights, more than the "
            f"{limit} that are taken.",
            None,
        )
    hours = max(1, math.ceil(short.seconds / 3600))
    raise GrowthRefused(
        f"Highlights are taken up to {limit}; export again in {hours} "
        f"hour{'s' if hours != 1 else ''}.",
        math.ceil(short.seconds),
    )
