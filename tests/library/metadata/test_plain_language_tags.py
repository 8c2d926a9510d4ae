"""The common languages' codes are tagged without loading langcodes, exactly as langcodes tags
them (pure function, table-driven against langcodes itself)."""

from __future__ import annotations

import sys

import pytest

from bookorbit_desktop.library.metadata import languages
from bookorbit_desktop.library.metadata.languages import _ENGLISH_NAMES, normalize_language

TWO_LETTER = sorted(code for code in _ENGLISH_NAMES if len(code) == 2)
FORMS = [
    "{code}",
    "{upper}",
    " {code} ",
    "{code}-GB",
    "{code}_br",
    "{code}-TW",
    "{code}-419",
    "{code}-",
    "{code}-Latn",
    "{code}-x-private",
    "{code}-GB-oxendict",
    "{code}-ÉÉ",
]


@pytest.mark.parametrize("code", TWO_LETTER)
@pytest.mark.parametrize("form", FORMS)
def test_a_plain_tag_is_the_tag_langcodes_gives(code, form, monkeypatch):
    text = form.format(code=code, upper=code.upper())
    plain = normalize_language(text)
    monkeypatch.setattr(languages, "_plain_tag", lambda _text: None)  # langcodes reads all
    assert plain == normalize_language(text)


@pytest.mark.parametrize(
    ("text", "tag"),
    [("English", "en"), ("en", "en"), ("de-AT", "de"), ("FR_ca", "fr"), ("nb", "nb")],
)
def test_a_common_language_is_tagged_without_loading_langcodes(text, tag, monkeypatch):
    monkeypatch.setitem(sys.modules, "langcodes", None)  # importing it now fails
    assert normalize_language(text) == tag
