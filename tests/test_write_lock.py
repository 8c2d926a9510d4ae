"""The guard every test's library runs under (`tests/write_lock.py`): it notes a transaction the
project began without the write lock that reads, then writes, and nothing else."""

from __future__ import annotations

import sqlite3

import pytest

from tests import write_lock

READ = "SELECT count(*) FROM t"
WRITE = "INSERT INTO t VALUES (1)"


@pytest.mark.parametrize(
    ("statements", "noted"),
    [
        (["BEGIN", READ, WRITE, "COMMIT"], True),
        (["BEGIN DEFERRED", READ, "UPDATE t SET x = 2", "COMMIT"], True),
        (["SAVEPOINT a", READ, WRITE, "RELEASE a"], True),  # a transaction of its own
        (["BEGIN", "WITH n AS (SELECT 1) SELECT * FROM n", WRITE, "COMMIT"], True),
        (["BEGIN", READ, "WITH n AS (SELECT 2) INSERT INTO t SELECT * FROM n", "COMMIT"], True),
        (["BEGIN IMMEDIATE", READ, WRITE, "COMMIT"], False),
        (["BEGIN EXCLUSIVE", READ, WRITE, "COMMIT"], False),
        (["BEGIN IMMEDIATE", "SAVEPOINT a", READ, WRITE, "RELEASE a", "COMMIT"], False),
        (["BEGIN", WRITE, READ, WRITE, "COMMIT"], False),  # it held the write lock from its start
        (["BEGIN", READ, READ, "COMMIT"], False),  # it only read
        ([READ, WRITE], False),  # each statement a transaction of its own
        (["BEGIN", READ, "COMMIT", "BEGIN", WRITE, "COMMIT"], False),
        (["BEGIN", READ, "ROLLBACK", WRITE], False),
    ],
)
def test_the_guard_notes_a_deferred_read_then_write(monkeypatch, statements, noted):
    monkeypatch.setattr(write_lock, "_caller", lambda: "library/store/x.py:1 f")
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("CREATE TABLE t (x)")
    watcher = write_lock.ReadThenWrite(connection)
    connection.set_trace_callback(watcher)
    for sql in statements:
        connection.execute(sql)
    assert bool(watcher.found) == noted


def test_a_transaction_a_test_began_itself_is_left_to_it():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("CREATE TABLE t (x)")
    watcher = write_lock.ReadThenWrite(connection)
    connection.set_trace_callback(watcher)
    for sql in ["BEGIN", READ, WRITE, "COMMIT"]:
        connection.execute(sql)
    assert watcher.found == []
