"""`bookorbit-desktop stats year YEAR [--json]` through the real entry point, on a library
holding a generated year (`tests.library.year.generated`)."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.library.year.generated import PRIVATE_FILE, YEAR, generate_year
from tests.logging_support import restore_root_logger  # noqa: F401


@pytest.fixture
def generated(tmp_path):
    data_dir = tmp_path / "data"
    open_database(resolve_paths(data_dir).db_file)
    plan = generate_year(tmp_path / "books")
    close_database()
    yield data_dir, plan
    close_database()


def test_json_holds_the_years_figures(generated, capsys):
    data_dir, plan = generated
    assert main(["--data-dir", str(data_dir), "stats", "year", str(YEAR), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["year"], found["books"], found["rereads"]) == (YEAR, 181, 31)
    assert [(r["book_id"], r["finished"]) for r in found["finished"]] == [
        (book_id, day.isoformat()) for book_id, day, _ in plan.counted
    ]
    assert found["books_per_month"] == plan.per_month
    assert len(found["no_date"]) == len(plan.no_date) and found["abandoned"] == 30
    assert found["highlights"] == 12
    assert found["koreader"]["seconds"] == sum(plan.koreader_days.values())
    assert found["koreader"]["longest_streak"] == 5
    assert found["top_languages"][0] == {"name": "en", "reads": 61}


def test_text_names_the_figures_and_where_they_come_from(generated, capsys):
    data_dir, _ = generated
    assert main(["--data-dir", str(data_dir), "stats", "year", str(YEAR)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{YEAR}: 181 books finished (44,800 pages), 31 re-reads, 30 books")
    assert "From KOReader's statistics: 13 h 20 min on 40 days, longest streak 5 days" in out
    assert "Done, no finish date (30, not counted):" in out and PRIVATE_FILE not in out
    assert main(["--data-dir", str(data_dir), "stats", "year", str(YEAR - 1)]) == 0
    before = capsys.readouterr().out
    assert before.startswith(f"{YEAR - 1}: 30 books finished")
    assert "No KOReader statistics for this year" in before
