"""`hardcover conflicts` and `hardcover resolve` on a conflict made through the fake."""

from __future__ import annotations

import json

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.store.db import open_database
from bookorbit_desktop.library.store.models import ReadingState
from tests.fakes.hardcover_shelves import edit_entry


async def test_conflicts_are_listed_and_resolved_from_the_command_line(world, library, capsys):
    book = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], rating=5.0)
    world.edit("a", rating=1.5)
    await world.sync()
    capsys.readouterr()

    assert main(["hardcover", "conflicts", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["book_id"], row["field"], row["local"], row["hardcover"]) == (
        book,
        "rating",
        1.5,
        5.0,
    )
    assert main(["hardcover", "conflicts"]) == 0
    assert "1.5★" in capsys.readouterr().out

    assert main(["hardcover", "resolve", str(book), "--field", "status", "--keep", "local"]) == 2
    assert "no conflict on status" in capsys.readouterr().err

    assert (
        main(["hardcover", "resolve", str(book), "--field", "rating", "--keep", "hardcover"]) == 0
    )
    assert "kept Hardcover's rating" in capsys.readouterr().out
    open_database(library.db_file)
    assert ReadingState.get_by_id(book).rating == 5.0
    assert main(["hardcover", "conflicts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
