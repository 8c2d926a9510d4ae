"""The window's restore through `services.library.backups`: a failure of the disk is a
refusal that says why, and a backup's date is read from its manifest or not at all."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.backup import backup_library
from bookorbit_desktop.services.library import backups
from tests.factories import add_book


async def test_a_restore_the_disk_refuses_says_why(library, tmp_path):
    add_book("Dune")
    archive = backup_library(library, tmp_path / "saved.zip").archive
    (tmp_path / "a-file").write_text("not a folder")
    nowhere = resolve_paths(tmp_path / "a-file" / "data")  # its data folder cannot be made
    said = re.escape(
        f"Could not write in {nowhere.data_dir} (Not a directory). Nothing was changed."
    )
    with pytest.raises(backups.RestoreError, match=f"^{said}$"):
        await backups.restore(nowhere, archive, backups.restore_stamp())


@pytest.mark.parametrize(
    ("created", "made"),
    [
        (
            "2026-11-26T15:30:00+0100",
            datetime(2026, 11, 26, 15, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("", None),
        ("yesterday", None),
    ],
)
def test_the_date_a_backup_was_made(created, made):
    assert backups.made_at(created) == made
