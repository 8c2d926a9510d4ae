"""A library file damaged where its header and schema still read: for the tests of the checks
that refuse it (at open, later in the desktop app, or when a read meets the damage)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book


def scribbled(
    path: Path, *, older_schema: bool = False, settings: Iterable[tuple[str, object]] = ()
) -> bytes:
    """A library of one book ("Alpha", with these settings) whose last pages (an index of a
    table nothing but the check reads) are scribbled over; its bytes. With `older_schema`, it
    claims the schema before the current one, so opening it would migrate it."""
    open_database(path)
    add_book("Alpha")
    for key, value in settings:
        set_setting(key, value)
    database.execute_sql("CREATE TABLE filler (x TEXT)")
    database.connection().executemany(
        "INSERT INTO filler VALUES (?)", [(f"{n:05d}" + "x" * 500,) for n in range(2000)]
    )
    database.execute_sql("CREATE INDEX filler_x ON filler (x)")
    if older_schema:
        database.execute_sql("UPDATE schema_version SET version = version - 1")
    close_database()
    damaged = bytearray(path.read_bytes())
    for offset in range(len(damaged) - 20 * 4096, len(damaged) - 2 * 4096, 7):
        damaged[offset] = 0xA5
    path.write_bytes(bytes(damaged))
    return bytes(damaged)
