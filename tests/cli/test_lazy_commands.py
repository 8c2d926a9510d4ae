"""A command loads only its own feature: `books` and `book` start without Qt, aiohttp, the
Hardcover stack or the ebook readers, and the table of features matches the full parser."""

from __future__ import annotations

import argparse
import json
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
