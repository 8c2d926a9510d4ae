"""Language names shown to people, table-driven: every language by its English name, whatever
code a book or a source gives it (pure function)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.metadata.languages import language_label, language_name


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("de", "German"),
        ("ger", "German"),
        ("en-GB", "English"),
        ("nb", "Norwegian Bokmål"),
        ("nob", "Norwegian Bokmål"),
        ("nn", "Norwegian Nynorsk"),
        ("no", "Norwegian"),
        ("he", "Hebrew"),
        ("iw", "Hebrew"),
        ("in", "Indonesian"),
        ("cmn", "Mandarin Chinese"),
        ("zh-Hant", "Chinese"),
        ("pt-BR", "Portuguese"),
        ("und", None),
        (None, None),
    ],
)
def test_a_language_is_named_in_words(tag, name):
    assert language_name(tag) == name


@pytest.mark.parametrize(
    ("tag", "shown"),
    [
        ("fr", "French"),
        ("pt-BR", "Portuguese (BR)"),  # the region the library keeps for Portuguese
        ("pt", "Portuguese"),
        ("zh-Hant", "Chinese (Hant)"),
        ("sr-Latn", "Serbian (Latn)"),
        ("nb", "Norwegian Bokmål"),
        ("tlh", "tlh"),  # no name known: the code
    ],
)
def test_a_stored_language_is_labelled_by_name_with_what_its_tag_keeps(tag, shown):
    assert language_label(tag) == shown
