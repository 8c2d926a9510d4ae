"""What a description may contain: the cleaning rule, table-driven, and a property test over
random and hostile HTML.

The property tests run a bounded number of examples (a few seconds). Set
BOOKORBIT_PROPERTY_EXAMPLES to run more, e.g. `BOOKORBIT_PROPERTY_EXAMPLES=20000 pytest
tests/test_descriptions.py`.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.descriptions import (
    ATTRIBUTES,
    MAX_CHARACTERS,
    TAGS,
    clean_description,
    display_html,
    is_html,
    is_web_link,
    plain_text,
)

EXAMPLES = int(os.environ.get("BOOKORBIT_PROPERTY_EXAMPLES", "300"))
REL = 'rel="noopener noreferrer nofollow"'


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("<p>One <b>bold</b></p><p>Two<br>lines</p>", "<p>One <b>bold</b></p><p>Two<br>lines</p>"),
        ('<img src="/dev/zero">Text', "<p>Text</p>"),
        ('<p><img src="file:///etc/passwd"></p>', "<p></p>"),
        ('<img src="/dev/zero">', None),
        ("<script>alert(1)</script><style>p{}</style><p>Hi</p>", "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', f"<a {REL}>x</a>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', f"<a {REL}>x</a>"),
        ('<a href="file:///etc/passwd">x</a>', f"<a {REL}>x</a>"),
        ('<a href="/etc/passwd">x</a>', f"<a {REL}>x</a>"),
        ('<a href="https:no-host">x</a>', f"<a {REL}>x</a>"),
        ('<a href="https://example.org/a?b=1&c=2" target="_self" rel="opener">x</a>',
         f'<a href="https://example.org/a?b=1&amp;c=2" {REL}>x</a>'),
        ('<p style="color:red" onclick="x()" class="c">Styled</p>', "<p>Styled</p>"),
        ("<div><span>Plain</span> <font>words</font></div>", "<p>Plain words</p>"),
        ("<iframe src='https://example.org'>inside</iframe><p>after</p>", "<p>after</p>"),
        ("<p>&lt;img src=/dev/zero&gt;</p>", "<p>&lt;img src=/dev/zero&gt;</p>"),  # text
        ("<b>x</b><!-- a comment -->", "<b>x</b>"),
        ("Plain   text\r\n\n\n\nmore ", "Plain text\n\nmore"),
        ("a < b > c", "a < b > c"),  # plain text, never parsed
        ("Tom &amp; Jerry", "Tom &amp; Jerry"),  # plain text, as written
        ("   ", None),
        (None, None),
    ],
)  # fmt: skip
def test_clean_description(raw, stored):
    assert clean_description(raw) == stored


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("http://[::1", False),
        ("https:no-host", False),
        (" https://example.org/", False),
        ("//example.org/", False),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("mailto:a@example.org", False),
        ("", False),
    ],
)
def test_only_web_links_are_links(url, kept):
    assert is_web_link(url) is kept


def test_display_cleans_a_stored_description_and_escapes_plain_text():
    assert display_html('<p>Hi<img src="/dev/zero"></p>') == "<p>Hi</p>"
    assert display_html("1 < 2 & 3\nnext") == (
        "<p style='white-space:pre-wrap'>1 &lt; 2 &amp; 3\nnext</p>"
    )


@pytest.mark.parametrize(
    ("description", "words"),
    [
        ("<p>One <b>bold</b></p><p>Two</p>", "One bold\n\nTwo"),
        ("a <br/>b", "a\nb"),
        ("<script>alert(1)</script><style>p{}</style><p>Hi</p>", "Hi"),
        ("<img src=x>", ""),
        ("Plain &amp; simple", "Plain &amp; simple"),
        ("<p>Bell\x07 and\x00 null\x1b</p>", "Bell and null"),
    ],
)
def test_plain_text(description, words):
    assert plain_text(description) == words


class _Seen(HTMLParser):
    """Every tag, attribute and link an HTML string holds, as a browser's parser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add((tag, name))
            if name in ("href", "src"):
                self.links.append(value or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tags.add(tag)


_NAMES = st.sampled_from(
    [*sorted(TAGS), "img", "script", "style", "iframe", "object", "svg", "math", "form",
     "input", "link", "meta", "base", "video", "audio", "source", "table", "td", "div",
     "span", "title", "textarea", "noscript", "template", "xmp", "plaintext"]
)  # fmt: skip
_URLS = st.one_of(
    st.sampled_from(
        ["/dev/zero", "file:///etc/passwd", "javascript:alert(1)", "JaVaScRiPt:x", "data:,x",
         "&#106;avascript:x", "java\tscript:x", "https://example.org/", "http://a.b/c?d=1&e=2",
         "//example.org", "https:nohost", " https://x.org", "qrc:/x", "ftp://x.org", "", "#top"]
    ),
    st.text(max_size=20),
)  # fmt: skip
_ATTRIBUTES = st.sampled_from(
    ["href", "src", "title", "style", "onclick", "onerror", "class", "rel", "target", "srcset",
     "background", "xlink:href", "action", "formaction"]
)  # fmt: skip


@st.composite
def _element(draw, children):
    name = draw(_NAMES)
    attributes = draw(st.lists(st.tuples(_ATTRIBUTES, _URLS), max_size=3))
    quoted = "".join(f' {key}="{value}"' for key, value in attributes)
    inner = "".join(draw(st.lists(children, max_size=3)))
    close = draw(st.sampled_from([f"</{name}>", "", f"</{name}"]))
    return f"<{name}{quoted}>{inner}{close}"


_TEXT = st.one_of(
    st.text(max_size=15),
    st.sampled_from(["&lt;img src=/dev/zero&gt;", "&amp;", "<!-- x -->", "<![CDATA[x]]>", "<",
                     ">", "&", "</p>", "<br/>", "\r\n", "\x00", "<?php x ?>", "<!doctype html>"]),
)  # fmt: skip
HOSTILE_HTML = st.recursive(_TEXT, lambda children: _element(children), max_leaves=12).map(str)
ANY_DESCRIPTION = st.one_of(HOSTILE_HTML, st.text(max_size=200))
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _holds_only(shown: str, allowed: set[tuple[str, str]]) -> None:
    seen = _Seen()
    seen.feed(shown)
    seen.close()
    assert seen.tags <= TAGS, shown
    assert seen.attributes <= allowed, shown
    for link in seen.links:
        assert is_web_link(link), shown
        assert urlsplit(link).scheme.lower() in ("http", "https"), shown


LINK_ATTRIBUTES = {(tag, name) for tag, names in ATTRIBUTES.items() for name in names}


@PROPERTY
@given(st.lists(ANY_DESCRIPTION, min_size=1, max_size=4).map("".join))
def test_a_cleaned_description_holds_only_allowed_markup_and_web_links(raw):
    _holds_only(clean_description(raw) or "", LINK_ATTRIBUTES | {("a", "rel")})
    # A plain text shown as rich text: one paragraph that keeps its line breaks.
    _holds_only(display_html(raw), LINK_ATTRIBUTES | {("a", "rel"), ("p", "style")})


@PROPERTY
@given(st.lists(ANY_DESCRIPTION, min_size=1, max_size=4).map("".join))
def test_the_words_of_any_description_are_plain_text(raw):
    words = plain_text(raw)
    assert words == words.strip()
    assert "\n\n\n" not in words
    if not is_html(raw):
        assert words == clean_description(raw) or (words == "" and clean_description(raw) is None)


@PROPERTY
@given(st.lists(ANY_DESCRIPTION, min_size=1, max_size=4).map("".join))
def test_cleaning_is_idempotent_and_keeps_the_kind_of_text(raw):
    stored = clean_description(raw)
    assert clean_description(stored) == stored
    if stored is not None:
        assert is_html(stored) == is_html(raw)
        if is_html(stored):  # showing a cleaned description changes nothing in it
            assert display_html(stored) == stored


_BLANKS = "\t\f\v\u00a0 "
# Plain texts made of what the rule treats apart: blanks, line ends, other Unicode spaces
# (which only the ends of a line lose), control characters and words.
PLAIN = (
    st.lists(st.sampled_from([*_BLANKS, "\n", "\r", "\r\n", "\u2003", "\x1c", "\x85", "a", "é"]))
    .map("".join)
    .filter(lambda text: not is_html(text))
)


def _tidy_line_by_line(text: str) -> str:
    """The rule for plain text as first written: each line on its own."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tidy = ["".join(" " if c in _BLANKS else c for c in line) for line in lines]
    tidy = [" ".join(part for part in line.split(" ") if part != "").strip() for line in tidy]
    text = "\n".join(tidy)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


@PROPERTY
@given(PLAIN)
def test_plain_text_is_tidied_as_each_line_on_its_own_would_be(raw):
    assert plain_text(raw) == _tidy_line_by_line(raw)


@PROPERTY
@given(st.lists(ANY_DESCRIPTION, min_size=1, max_size=4).map("".join))
def test_markup_one_cleaning_leaves_as_it_was_is_stable(raw):
    stored = clean_description(raw)
    if stored is not None and is_html(stored):
        assert clean_description(f"  {stored}\n") == stored


_PAST = "a" * (MAX_CHARACTERS + 5)
_LONG_P = "<p>" + "b" * (MAX_CHARACTERS - 5)


@pytest.mark.parametrize(
    ("raw", "stored", "said"),
    [
        # nested deeper than MAX_DEPTH: cut where the 65th level opens, the rest never cleaned
        ("<p>Intro</p>" + "<div>" * 100_000 + "x", "<p>Intro</p>…", "was cut"),
        ("<blockquote>" * 70 + "z", "<blockquote>" * 64 + "…" + "</blockquote>" * 64, "deep"),
        ("<div>" * 64 + "kept", "<p>kept</p>", None),
        # void elements and closed ones open no level
        ("<br>" * 200 + "<b>x</b>" * 200, "<br>" * 200 + "<b>x</b>" * 200, None),
        # longer than MAX_CHARACTERS: cut to it, never inside a tag
        (_PAST, _PAST[:MAX_CHARACTERS] + "…", f"{MAX_CHARACTERS + 5} characters was cut"),
        (_LONG_P + "<b>bold</b>", _LONG_P + "…</p>", f"was cut to {MAX_CHARACTERS - 2}"),
    ],
)
def test_a_description_past_the_limits_is_cut_before_cleaning(raw, stored, said, caplog):
    assert clean_description(raw) == stored
    if said:
        assert said in caplog.text
    else:
        assert not caplog.text
