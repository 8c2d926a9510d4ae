"""The receiver's log lines, each kind within a budget per address a minute (`guards.log_budget`).

A device exporting a whole library posts hundreds of books in a minute, and a stranger can
post, be refused or make a post fail as fast as the rate allows: a line for each would push
everything useful out of the log. So refusals get one line an address a minute, stored exports
`RECEIVED_LINES_PER_MINUTE`, posts that failed on our side `FAILURE_LINES_PER_MINUTE` (with
their traceback); the rest are summed up once the minute is over.
"""

from __future__ import annotations

import logging

from bookorbit_desktop.guards.log_budget import BudgetedLog, LineBudget

log = logging.getLogger("bookorbit_desktop.server.highlights.receiver")

RECEIVED_LINES_PER_MINUTE = 20  # a person's export of a shelf is logged book by book
FAILURE_LINES_PER_MINUTE = 3


def refusal_lines() -> BudgetedLog:
    return BudgetedLog(
        log,
        logging.INFO,
        "Refused %d more highlights posts from %s in the last minute (one line per address a"
        " minute)",
    )


def received_lines() -> BudgetedLog:
    return BudgetedLog(
        log,
        logging.INFO,
        "Received %d more exports from %s in the last minute (the first "
        f"{RECEIVED_LINES_PER_MINUTE} a minute are logged one by one)",
        LineBudget(burst=RECEIVED_LINES_PER_MINUTE),
    )


def failure_lines() -> BudgetedLog:
    return BudgetedLog(
        log,
        logging.ERROR,
        "%d more highlights posts from %s failed in the last minute (the first "
        f"{FAILURE_LINES_PER_MINUTE} a minute are logged with their cause)",
        LineBudget(burst=FAILURE_LINES_PER_MINUTE),
    )
