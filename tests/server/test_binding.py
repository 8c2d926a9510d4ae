"""Every listener reads a failed bind the same way."""

from __future__ import annotations

import errno

import pytest

from bookorbit_desktop.server.binding import bind_problem, port_taken


def _error(number: int, winerror: int | None = None) -> OSError:
    error = OSError(number, "strerror text")
    if winerror is not None:
        error.winerror = winerror  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("error", "taken", "expected"),
    [
        (_error(errno.EADDRINUSE), True, "Port 8765 is already in use on this computer. Stop it."),
        (_error(0, winerror=10048), True, "Port 8765 is already in use on this computer. Stop it."),
        (_error(errno.EACCES), False, "does not allow BookOrbit to listen on port 8765"),
        (_error(errno.EPERM), False, "Choose a port above 1024."),
        (_error(errno.EADDRNOTAVAIL), False, "The address 10.0.0.9 does not belong"),
        (_error(errno.ENOMEM), False, "Could not listen on 10.0.0.9 port 8765: strerror text."),
    ],
)
def test_a_bind_error_in_words(error: OSError, taken: bool, expected: str) -> None:
    assert port_taken(error) is taken
    assert expected in bind_problem(error, "10.0.0.9", 8765, taken_advice="Stop it.")


def test_the_highlights_receiver_explains_a_refused_port_like_the_server() -> None:
    from bookorbit_desktop.server.highlights.receiver import _bind_error

    message = _bind_error(_error(errno.EACCES), "0.0.0.0", 80).message
    assert "does not allow BookOrbit to listen on port 80" in message
