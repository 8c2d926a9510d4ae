"""`stats goal` and `stats goal set` through the real command line on a real library (without
Hardcover: `--offline`; the goals kept with Hardcover's are `tests/hardcover/goals`)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.reads.edits import add_read
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.logging_support import restore_root_logger  # noqa: F401
from tests.new_library import new_library


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def test_a_goal_is_set_shown_and_changed(tmp_path, capsys):
    db = tmp_path / "data" / "library.sqlite3"
    db.parent.mkdir(parents=True)
    new_library(db)
    open_database(db)
    try:
        dune, emma = add_book("Dune").id, add_book("Emma").id
        add_read(dune, started="2026-01-02", finished="2026-02-01")
        add_read(dune, started="2026-03-01", finished="2026-03-20")  # a re-read counts again
        add_read(emma, started="2026-04-01", finished=None)  # finished, no date
    finally:
        close_database()

    assert run(tmp_path, "stats", "goal", "--offline") == 0
    assert "No reading goal yet. Set one with: stats goal set 24" in capsys.readouterr().out
    span = ["--from", "2026-01-01", "--to", "2026-12-31"]
    assert run(tmp_path, "stats", "goal", "set", "12", *span, "--offline") == 0
    assert capsys.readouterr().out == (
        "Goal 1 kept in the library (it goes to Hardcover when Hardcover's goals are next read,"
        " once connected).\n"
    )
    assert run(tmp_path, "stats", "goal", "--offline", "--json") == 0
    (goal,) = json.loads(capsys.readouterr().out)
    assert (goal["done"], goal["target"], goal["metric"]) == (2, 12, "books")
    assert goal["books"] == ["2026-02-01  Dune", "2026-03-20  Dune"]
    assert goal["no_date"] == ["Emma"]
    due = 12 * ((min(dt.date.today(), dt.date(2026, 12, 31)) - dt.date(2026, 1, 1)).days + 1)
    assert goal["due"] == min(due // 365, 12)

    assert run(tmp_path, "stats", "goal", "set", "1000", "--pages", "--goal", "1", "--offline") == 0
    capsys.readouterr()
    assert run(tmp_path, "stats", "goal", "--offline") == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Goal 1: 0 of 1,000 pages, 2026-01-01 to 2026-12-31\n")
    assert "Finished, no date (not counted): Emma" in shown

    assert run(tmp_path, "stats", "goal", "delete", "1", "--offline") == 0
    assert capsys.readouterr().out == "Goal 1 deleted.\n"
    assert run(tmp_path, "stats", "goal", "delete", "1", "--offline") == 2
    assert "There is no goal 1." in capsys.readouterr().err


def test_a_goal_that_cannot_be_is_refused_and_nothing_kept(tmp_path, capsys):
    span = ["--from", "2026-06-01", "--to", "2026-01-01"]
    assert run(tmp_path, "stats", "goal", "set", "12", *span, "--offline") == 2
    assert "The goal ends (2026-01-01) before it starts (2026-06-01)." in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:  # argparse's own refusal
        run(tmp_path, "stats", "goal", "set", "0", "--offline")
    assert refused.value.code == 2
    assert "'0' is not a number of books or pages" in capsys.readouterr().err
    assert run(tmp_path, "stats", "goal", "--offline", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
