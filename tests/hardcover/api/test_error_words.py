"""The core's Hardcover errors speak in neutral words: what happened and what to do, never a
command of one front end (each front end adds its own way to act on `remedy`; the command
line's is checked in tests/cli/test_hardcover_match.py)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import CONNECT
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    NotConnectedError,
    SuppliedTokenRejectedError,
)

COMMAND_WORDS = ("bookorbit-desktop", "`", "--token", "hardcover connect", "hardcover match")


@pytest.mark.parametrize(
    ("error", "remedy"),
    [
        (NotConnectedError(), CONNECT),
        (AuthError("jwt expired"), CONNECT),
        (SuppliedTokenRejectedError("token file t.txt"), None),
    ],
    ids=["not connected", "token refused", "token for one run refused"],
)
def test_errors_name_no_command_and_say_their_remedy(error, remedy):
    assert not [word for word in COMMAND_WORDS if word in error.message]
    assert error.remedy == remedy
