"""`import --calibre-library` through the real command line, on a calibre-made library."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bookorbit_desktop.cli import main
from tests.logging_support import restore_root_logger  # noqa: F401

DATA = Path(__file__).parents[1] / "data" / "calibre"


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def test_a_calibre_library_comes_in_again_and_undoes_in_one_step(tmp_path, capsys):
    calibre = shutil.copytree(DATA / "library", tmp_path / "calibre")

    assert (
        run(tmp_path, "import", "--calibre-library", str(calibre), "--status-column", "#read") == 0
    )
    out = capsys.readouterr().out
    assert "3 new books imported" in out
    assert "calibre: 3 books read, 3 books given calibre's fields (one undo step)." in out
    assert (
        "1 book marked read without a finish date: no date column was named (--finished-column)."
        in out
    )
    assert run(tmp_path, "books", "--json") == 0
    books = {b["title"]: b for b in json.loads(capsys.readouterr().out)}
    assert books["Dune"]["reading"]["status"] == "read"
    assert books["Dune"]["reading"]["finished"] is None

    assert run(tmp_path, "import", "--calibre-library", str(calibre)) == 0
    assert "3 books read, 0 books given calibre's fields." in capsys.readouterr().out

    assert run(tmp_path, "undo") == 0
    assert "Add calibre Library (3 books)" in capsys.readouterr().out


def test_a_broken_library_says_what_is_wrong(tmp_path, capsys):
    broken = shutil.copytree(DATA / "broken", tmp_path / "broken")

    assert run(tmp_path, "import", "--calibre-library", str(broken)) == 1
    out = capsys.readouterr().out
    assert "1 file calibre lists could not be found:" in out
    assert "Emma - Jane Austen.epub" in out
    assert run(tmp_path, "import", "--calibre-library", str(DATA / "truncated")) == 2
    assert "cannot be read as a calibre library" in capsys.readouterr().err
    assert run(tmp_path, "import", "--calibre-library", str(broken), "somewhere") == 2


def test_the_finish_column_dates_the_books_marked_read(tmp_path, capsys):
    calibre = shutil.copytree(DATA / "library", tmp_path / "calibre")
    args = ["--calibre-library", str(calibre), "--status-column", "#read"]

    assert run(tmp_path, "import", *args, "--finished-column", "#date_read") == 0
    assert "without a finish date" not in capsys.readouterr().out
    assert run(tmp_path, "books", "--json") == 0
    books = {b["title"]: b for b in json.loads(capsys.readouterr().out)}
    assert books["Dune"]["reading"]["status"] == "read"
    assert books["Dune"]["reading"]["finished"] == "2021-05-06"

    assert run(tmp_path, "import", *args, "--finished-column", "#shelf") == 2
    assert "The column #shelf holds no dates." in capsys.readouterr().err
