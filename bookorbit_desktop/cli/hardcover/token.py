"""Which token a `hardcover` command uses: `--token-file`, else `BOOKORBIT_HARDCOVER_TOKEN`,
else the library's entry in the keyring. A file or environment token is read for this run
only: it is never saved, and never printed or logged."""

from __future__ import annotations

import argparse

from bookorbit_desktop.hardcover.api.credentials import TOKEN_ENV, supplied_token
from bookorbit_desktop.services.hardcover.account import HardcoverAccount

# Actions that never use a token for a run: connect saves the one it reads, disconnect
# forgets the saved one, expires notes the saved one's expiry.
_NO_RUN_TOKEN = ("connect", "disconnect", "expires")


def add_token_option(parser: argparse.ArgumentParser, *, default: object = None) -> None:
    parser.add_argument(
        "--token-file",
        metavar="FILE",
        default=default,
        help=f"use the token in FILE for this run instead of the keyring (also: {TOKEN_ENV}); "
        "it is not saved",
    )


def account_for(args: argparse.Namespace) -> HardcoverAccount:
    """The account for this command, with the token given for the run, if any."""
    token_file = getattr(args, "token_file", None)
    if token_file is None:
        return HardcoverAccount()  # the environment, then the keyring
    return HardcoverAccount(supplied=supplied_token(token_file))


def add_token_option_to_actions(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Accept `--token-file` after the action too (`hardcover match --token-file F`)."""
    for name, parser in actions.choices.items():
        if name not in _NO_RUN_TOKEN:
            add_token_option(parser, default=argparse.SUPPRESS)  # keeps one given before it
