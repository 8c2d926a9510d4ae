"""Ctrl-C during a write that runs the search index's fold lands after the write, whole."""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest

from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_value, interrupts_put_off


def test_a_ctrl_c_inside_the_fold_fails_a_write_unless_put_off(ctrl_c_interrupts):
    db = sqlite3.connect(":memory:")
    calls = []

    def fold_and_get_interrupted(value: object) -> str:
        if not calls:
            os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C right now
        calls.append(value)
        return fold_value(value)

    db.create_function(SQL_FOLD, 1, fold_and_get_interrupted)
    with pytest.raises(sqlite3.OperationalError, match="user-defined function raised"):
        db.execute(f"SELECT {SQL_FOLD}('Élan')").fetchone()
    calls.clear()
    with pytest.raises(KeyboardInterrupt), interrupts_put_off():
        assert db.execute(f"SELECT {SQL_FOLD}('Élan')").fetchone() == ("elan",)
        written = True
    assert written  # the write ended whole; the interruption came after it
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
