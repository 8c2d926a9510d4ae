"""`open_database(check_later=True)`: a library at the current schema opens once its header
and schema read, and `check_library` gives the verdict the check at open would have given; a
library to migrate, or one whose schema cannot be read, is still refused at open."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store.db import (
    LibraryOpenError,
    check_library,
    close_database,
    open_database,
)
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book
from tests.library.store.damaged import scribbled


def test_a_damaged_library_opens_for_later_and_the_later_check_refuses_it_as_the_open_does(
    tmp_path,
):
    path = tmp_path / "library.sqlite3"
    damaged = scribbled(path)
    with pytest.raises(LibraryOpenError) as at_open:
        open_database(path)

    open_database(path, check_later=True)
    try:
        assert database.execute_sql("SELECT title FROM book").fetchone() == ("Alpha",)
        with pytest.raises(LibraryOpenError) as later:
            check_library(path)
    finally:
        close_database()
    assert later.value.message == at_open.value.message
    assert "damaged" in later.value.message and "\n" not in later.value.message
    assert path.read_bytes() == damaged


def test_a_sound_library_passes_the_later_check(tmp_path):
    path = tmp_path / "library.sqlite3"
    open_database(path)
    add_book("Alpha")
    close_database()
    open_database(path, check_later=True)
    try:
        check_library(path)
    finally:
        close_database()


def test_a_library_to_migrate_is_checked_before_it_opens(tmp_path):
    path = tmp_path / "library.sqlite3"
    damaged = scribbled(path, older_schema=True)
    with pytest.raises(LibraryOpenError, match="is damaged"):
        open_database(path, check_later=True)
    assert path.read_bytes() == damaged  # never migrated, never backed up
    assert not list(tmp_path.glob("*.bak"))


def test_a_library_whose_schema_cannot_be_read_is_refused_at_open(tmp_path):
    path = tmp_path / "library.sqlite3"
    open_database(path)
    close_database()
    data = bytearray(path.read_bytes())
    data[108:4096] = b"\xa5" * (4096 - 108)  # the schema's page, past the file's header
    path.write_bytes(bytes(data))
    with pytest.raises(LibraryOpenError, match="is damaged, so BookOrbit will not use it"):
        open_database(path, check_later=True)
