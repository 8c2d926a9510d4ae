"""The rules for values a device sends (`devices.checks`), as tables."""

from __future__ import annotations

import pytest

from bookorbit_desktop.devices import checks


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("Author/Title.epub", "Author/Title.epub"),
        ("Title.epub", "Title.epub"),
        ("Série/Été – ça.epub", "Série/Été – ça.epub"),
        ("../x.epub", None),
        ("a/../../x.epub", None),
        ("a/./x.epub", None),
        ("a//x.epub", None),
        ("a\\..\\x.epub", None),
        ("/etc/passwd", None),
        ("\\\\server\\share", None),
        ("C:\\x.epub", None),
        ("c:x.epub", None),
        ("nul\x00.epub", None),
        ("line\nbreak.epub", None),
        ("bidi\u202e.epub", None),
        ("x" * checks.MAX_LPATH_BYTES, "x" * checks.MAX_LPATH_BYTES),
        ("x" * (checks.MAX_LPATH_BYTES + 1), None),
        ("é" * (checks.MAX_LPATH_BYTES // 2 + 1), None),  # bytes, not characters
        ("", None),
        (None, None),
        (["a"], None),
        (12, None),
    ],
)
def test_lpath(value, kept):
    assert checks.lpath(value) == kept


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("KOReader (Kobo Libra 2)", "KOReader (Kobo Libra 2)"),
        ("<img src=x>", "<img src=x>"),  # kept as text: the window shows it plainly
        ("a\nb\r\x1b[31mc\u202e\u2028d", "a b [31mc d"),  # line breaks are spaces
        ("  spaced \t out  ", "spaced out"),
        ("x" * 500, "x" * checks.MAX_NAME_CHARS),
        ("\x00\x01", "fallback"),
        ("", "fallback"),
        (None, "fallback"),
        ({"name": "x"}, "fallback"),
    ],
)
def test_device_name(value, shown):
    assert checks.device_name(value, "fallback") == shown


@pytest.mark.parametrize(
    ("value", "largest", "kept"),
    [
        (0, 10, 0),
        (10, 10, 10),
        (11, 10, None),
        (-1, 10, None),
        (True, 10, None),
        (2.0, 10, None),
        ("3", 10, None),
        (None, 10, None),
    ],
)
def test_number(value, largest, kept):
    assert checks.number(value, largest) == kept


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("8f1c3b4e-0000-4000-8000-000000000001", "8f1c3b4e-0000-4000-8000-000000000001"),
        ("{abc_123}", "{abc_123}"),
        ("x" * 65, None),
        ("a b", None),
        ("../x", None),
        ("", None),
        (5, None),
    ],
)
def test_store_uuid(value, kept):
    assert checks.store_uuid(value) == kept


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("Title", "Title"),
        ("x" * checks.MAX_TEXT_CHARS, "x" * checks.MAX_TEXT_CHARS),
        ("x" * (checks.MAX_TEXT_CHARS + 1), None),
        ("a\x00b", None),
        (["a"], None),
        (None, None),
    ],
)
def test_text(value, kept):
    assert checks.text(value) == kept


def test_authors_and_extensions():
    assert checks.authors(["A", 5, "B\x00", "C"]) == ("A", "C")
    assert checks.authors("A") == ()
    assert checks.authors(["A"] * (checks.MAX_AUTHORS + 1)) == ()
    assert checks.extensions(["EPUB", "pdf", "../x", "", 7, "kepub"]) == ["epub", "pdf", "kepub"]
    assert checks.extensions("epub") == []
