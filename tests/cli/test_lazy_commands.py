"""A command loads only its own feature: `books` and `book` start without Qt, aiohttp, the
Hardcover stack or the ebook readers, and the table of features matches the full parser."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from bookorbit_desktop.cli import FEATURE_MODULES, build_parser, command_word

HEAVY = ("PySide6", "aiohttp", "graphql", "PIL", "lxml", "pypdf", "qasync", "keyring")
PROBE = """
import json, sys
from bookorbit_desktop.cli import main
code = main(sys.argv[1:])
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(HEAVY)))
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def subcommands(parser: argparse.ArgumentParser) -> set[str]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(action.choices)


def test_every_command_is_in_the_feature_table():
    assert subcommands(build_parser()) == {"gui", *FEATURE_MODULES}


@pytest.mark.parametrize("command", sorted(FEATURE_MODULES))
def test_a_command_registers_its_own_feature(command):
    own = build_parser(command)
    assert command in subcommands(own)
    same_module = {c for c, module in FEATURE_MODULES.items() if module == FEATURE_MODULES[command]}
    assert subcommands(own) == {"gui", *same_module}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["books"], "books"),
        (["-v", "book", "3"], "book"),
        (["--data-dir", "books", "import", "x"], "import"),  # the option's value is no command
        (["--data-dir=/d", "hardcover", "status"], "hardcover"),
        (["--", "serve"], "serve"),
        (["-v"], None),
        (["nonsense"], "nonsense"),
    ],
)
def test_command_word(argv, expected):
    assert command_word(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["books"],
        ["books", "--json"],
        ["book", "1"],
        ["book", "1", "2", "--status", "read"],
        ["book", "--where", "status=unread", "--progress", "10%"],
    ],
)
def test_library_commands_start_without_the_heavy_libraries(tmp_path, argv):
    probe = PROBE.replace("HEAVY", repr(json.dumps(HEAVY)))
    result = subprocess.run(
        [sys.executable, "-c", probe, "--data-dir", str(tmp_path), *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["heavy"] == []
    # In an empty library: 2 for one missing book, 1 for books missing among several.
    assert report["code"] in (0, 1, 2)


def test_an_unknown_command_still_gets_the_full_usage(capsys):
    from bookorbit_desktop.cli import main

    with pytest.raises(SystemExit) as raised:
        main(["nonsense"])
    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in error
    assert "hardcover" in error and "books" in error


# Records every file the command opens under the books folder and which of the import's
# heavy parts it loaded: an unchanged import needs a stat() per file and one query, nothing more.
IMPORT_PROBE = """
import json, sys
books = sys.argv.pop(1)
opened = []

def watch(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].startswith(books):
        opened.append(args[0])

sys.addaudithook(watch)
from bookorbit_desktop.cli import main
code = main(sys.argv[1:])
parts = ("peewee", "multiprocessing", "concurrent.futures.process", "lxml", "PIL",
         "bookorbit_desktop.library.metadata.reader", "bookorbit_desktop.library.importer.run")
loaded = [name for name in parts if name in sys.modules]
print(json.dumps({"code": code, "opened": opened, "loaded": loaded}), file=sys.stderr)
"""


def probe_import(data_dir, books):
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, books, "--data-dir", data_dir, "import", books],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout, json.loads(result.stderr.strip().splitlines()[-1])


def test_an_unchanged_import_reads_no_book_and_starts_no_worker(tmp_path):
    from tests.factories import make_epub

    books = tmp_path / "books"
    for number in range(20):  # enough for worker processes, were any file read
        make_epub(books / f"b{number:02d}.epub", f"Book {number}")
    out, first = probe_import(tmp_path / "data", books)
    assert first["code"] == 0 and "20 new books imported" in out
    assert "multiprocessing" in first["loaded"]  # read by worker processes

    out, again = probe_import(tmp_path / "data", books)
    assert "0 new books imported, 20 unchanged" in out
    assert again == {"code": 0, "opened": [], "loaded": []}

    # Touched: this one file is read, in this process, and the probe sees it.
    os.utime(books / "b07.epub", (1_000_000_000, 1_000_000_000))
    out, touched = probe_import(tmp_path / "data", books)
    assert "20 unchanged" in out
    assert touched["opened"] == [str(books / "b07.epub")] * len(touched["opened"])
    assert touched["opened"] and "peewee" in touched["loaded"]
