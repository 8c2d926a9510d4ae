"""Counted sentences come from the translation file, singular and plural, verbs agreeing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.config import resources_dir
from bookorbit_desktop.ui.text import counted

ROOT = Path(__file__).resolve().parents[2]
TS = resources_dir() / "translations" / "bookorbit_en.ts"


@pytest.mark.parametrize(
    ("source", "count", "args", "text"),
    [
        ("%n book(s)", 1, (), "1 book"),
        ("%n book(s)", 0, (), "0 books"),
        ("%n book(s)", 12345, (), "12,345 books"),
        (
            "%n file(s) share a KOReader document id with another file; if a device syncs one "
            "of them, link it under Unlinked Documents.",
            1,
            (),
            "1 file shares a KOReader document id with another file; if a device syncs it, "
            "link it under Unlinked Documents.",
        ),
        (
            "%n file(s) that are not ebooks were skipped.",
            1,
            (),
            "1 file that is not an ebook was skipped.",
        ),
        (
            "%n file(s) that are not ebooks were skipped.",
            3,
            (),
            "3 files that are not ebooks were skipped.",
        ),
        ("%n result(s) for “%1”.", 1, ("dune",), "1 result for “dune”."),
        ("%n copy(ies) of known books added", 2, (), "2 copies of known books added"),
    ],
)
def test_counted(source, count, args, text):
    assert counted(source, count, *args) == text


def sources_in_code() -> set[str]:
    """Every literal sentence given to `counted` in the app's code."""
    found = set()
    for path in (ROOT / "bookorbit_desktop").rglob("*.py"):
        code = path.read_text()
        for call in re.finditer(r"counted\(\s*((?:\"[^\"]*\"\s*)+)", code):
            found.add("".join(re.findall(r"\"([^\"]*)\"", call.group(1))))
    return found


def test_every_counted_sentence_has_its_forms():
    translated = set(re.findall(r"<source>([^<]*)</source>", TS.read_text()))
    translated = {t.replace("&amp;", "&") for t in translated}
    assert sources_in_code() - translated == set()
    # status.when_text passes its sentences through a table
    assert {"%n day(s) ago", "%n hour(s) ago", "%n minute(s) ago"} <= translated


def test_the_compiled_file_matches_its_source(tmp_path):
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed")
    built = tmp_path / "bookorbit_en.qm"
    subprocess.run([str(lrelease), str(TS), "-qm", str(built)], check=True, capture_output=True)
    assert built.read_bytes() == TS.with_suffix(".qm").read_bytes(), (
        "run: pyside6-lrelease resources/translations/bookorbit_en.ts"
    )
