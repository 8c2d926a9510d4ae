"""The catalog's pure rules: KOReader's download names, formats, text cleaning, search folding,
request-line repair and Basic credentials."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from bookorbit_desktop.library.metadata.koreader_hash import filename_md5
from bookorbit_desktop.server.lenient_http import needs_repair, normalise_request_line
from bookorbit_desktop.server.opds.auth import parse_basic
from bookorbit_desktop.server.opds.downloads import content_disposition
from bookorbit_desktop.server.opds.feeds import series_label
from bookorbit_desktop.server.opds.formats import format_info, format_rank, koreader_extension
from bookorbit_desktop.server.opds.koreader_names import (
    download_file_names,
    koreader_file_name,
    legacy_koreader_file_name,
    replace_all_invalid_chars,
)
from bookorbit_desktop.server.opds.text import (
    entry_title,
    feed_line,
    fold,
    plain_summary,
    search_terms,
    xml_safe,
)
from bookorbit_desktop.sizes import file_size


@pytest.mark.parametrize(
    ("title", "authors", "ext", "expected"),
    [
        ("Leaves of Grass", ["Walt Whitman"], "epub", "Walt Whitman - Leaves of Grass.epub"),
        ("Good Omens", ["Terry Pratchett", "Neil Gaiman"], "epub", "Neil Gaiman - Good Omens.epub"),
        ("Anonymous", [], "pdf", "Unknown Author - Anonymous.pdf"),
        ('a\\b/c:d*e?f"g<h>i|j', ["X"], "epub", "X - a_b_c_d_e_f_g_h_i_j.epub"),
        ("Wait...", ["X"], "EPUB", "X - Wait.epub"),
        ("Trailing   ", ["X"], "mobi", "X - Trailing.mobi"),
        ("Commas, kept", ["Y"], "fb2", "Y - Commas, kept.fb2"),
        ("&lt;b&gt;Bold", ["Z"], "epub", "Z - Bold.epub"),  # looks like encoded HTML to KOReader
        ("Война и мир", ["Лев Толстой"], "epub", "Лев Толстой - Война и мир.epub"),
    ],
)
def test_koreader_file_name(title, authors, ext, expected):
    assert koreader_file_name(title, authors, ext) == expected


def test_the_documented_example_digest():
    name = koreader_file_name("Leaves of Grass", ["Walt Whitman"], "epub")
    assert filename_md5(name) == "660b0385474ff58b8c3a83f449770598"


def test_names_are_cut_to_240_bytes_without_breaking_utf8():
    name = koreader_file_name("é" * 200, ["AB"], "epub")  # "AB - " + 400 bytes
    stem, ext = name.rsplit(".", 1)
    assert ext == "epub"
    assert stem == "AB - " + "é" * 117  # 239 bytes: the half character at the cut is dropped
    assert len(stem.encode()) == 239


def test_a_cut_ending_in_a_space_differs_between_storage_kinds():
    title = "x" * 235 + " tail"  # "A - " and 235 x's are 239 bytes: the cut ends in the space
    strict = koreader_file_name(title, ["A"], "epub", strict_fs=True)
    lax = koreader_file_name(title, ["A"], "epub", strict_fs=False)
    assert lax == "A - " + "x" * 235 + " .epub"
    assert strict == "A - " + "x" * 235 + ".epub"
    assert download_file_names(title, ["A"], "epub")[:2] == [strict, lax]


@pytest.mark.parametrize(
    ("strict", "expected"),
    [
        (True, "A_ B - T_ 1_2.epub"),  # before v2025.08 VFAT also lost commas
        (False, "A, B - T: 1_2.epub"),  # elsewhere only "/" was replaced
    ],
)
def test_legacy_names(strict, expected):
    assert legacy_koreader_file_name("T: 1/2", ["A, B"], "epub", strict_fs=strict) == expected


def test_download_file_names_are_unique_and_current_first():
    names = download_file_names("T: 1/2", ["A"], "epub")
    assert names[0] == "A - T_ 1_2.epub"
    assert "A - T: 1_2.epub" in names
    assert len(names) == len(set(names))


@given(st.text(max_size=400), st.lists(st.text(max_size=80), max_size=3))
def test_names_never_contain_a_slash_and_respect_the_limit(title, authors):
    for name in download_file_names(title, authors, "epub"):
        assert "/" not in name
        stem, _dot, ext = name.rpartition(".")
        assert ext == "epub" or len(name.encode()) <= 240
        assert len(stem.encode()) <= 240


def test_replace_all_invalid_chars_trims_only_the_end():
    assert replace_all_invalid_chars(" .a. ") == " .a"


@pytest.mark.parametrize(
    ("fmt", "mime", "koreader_ext"),
    [
        ("epub", "application/epub+zip", "epub"),
        ("EPUB", "application/epub+zip", "epub"),
        ("pdf", "application/pdf", "pdf"),
        ("cbz", "application/vnd.comicbook+zip", "cbz"),
        ("mobi", "application/x-mobipocket-ebook", "mobi"),
        ("azw3", "application/vnd.amazon.mobi8-ebook", "azw"),
        ("fb2", "application/x-fictionbook+xml", "fb2"),
        ("djvu", "image/vnd.djvu", "djvu"),
        ("txt", "text/plain", "txt"),
        ("weird", "application/octet-stream", "weird"),
    ],
)
def test_formats(fmt, mime, koreader_ext):
    assert format_info(fmt).mime == mime
    assert koreader_extension(fmt) == koreader_ext


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (999, "999 bytes"),
        (1000, "1 KB"),
        (48_213, "48.2 KB"),
        (99_940, "99.9 KB"),
        (99_960, "100 KB"),
        (999_499, "999 KB"),
        (999_951, "1 MB"),
        (1_234_567, "1.2 MB"),
        (123_456_789, "123 MB"),
        (2_000_000_000, "2 GB"),
        (5 * 10**15, "5000 TB"),
    ],
)
def test_file_size(size, text):
    assert file_size(size) == text


def test_epub_is_listed_first():
    assert sorted(["pdf", "cbz", "zzz", "epub", "mobi"], key=format_rank) == [
        "epub",
        "mobi",
        "pdf",
        "cbz",
        "zzz",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("A - B.epub", "attachment; filename=\"A - B.epub\"; filename*=UTF-8''A%20-%20B.epub"),
        (
            "Й - 100%.pdf",
            'attachment; filename="%D0%99 - 100%25.pdf"; '
            "filename*=UTF-8''%D0%99%20-%20100%25.pdf",
        ),
        ('a"b\\c.txt', "attachment; filename=\"a%22b%5Cc.txt\"; filename*=UTF-8''a%22b%5Cc.txt"),
    ],
)
def test_content_disposition(name, expected):
    assert content_disposition(name) == expected
    assert content_disposition(name).isascii()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Élan VITAL", "elan vital"),
        ("Straße", "strasse"),
        ("Søren Ærø Œuvre Łódź", "soren aero oeuvre lodz"),
        ("ВОЙНА", "воина"),  # й loses its breve like any accent; queries fold the same way
        ("東京", "東京"),
        ("ｔｏｋｙｏ", "tokyo"),  # full-width letters
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_search_terms():
    assert search_terms("  Les  Misérables\t") == ["les", "miserables"]
    assert search_terms("") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Plain", "Plain"),
        ("  padded\n title \r\n x\t", "padded  title   x"),
        ("bell\x07\x00", "bell"),
        ("\ufffe\uffffok", "ok"),
        (None, ""),
    ],
)
def test_feed_line(raw, expected):
    assert feed_line(raw) == expected


def test_entry_title_never_empty():
    assert entry_title("\x00 \n") == "Untitled"


@given(st.text())
def test_cleaned_text_is_always_serialisable_xml(text):
    element = etree.Element("t")
    element.text = xml_safe(text)
    element.set("a", feed_line(text))
    assert etree.fromstring(etree.tostring(element)).text in (xml_safe(text), None)


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("<p>One <b>bold</b></p><p>Two</p>", "One bold\n\nTwo"),
        ("Plain &amp; simple", "Plain &amp; simple"),  # not HTML: kept as written
        ("a <br/>b", "a\nb"),
        ("<div>broken <p>markup", "broken\n\nmarkup"),
        ("<style>p {}</style><script>alert(1)</script><p>Words<img src='/dev/zero'></p>", "Words"),
        ("<p>Shown as text: &lt;img src=x&gt;</p><!-- hidden -->", "Shown as text: <img src=x>"),
        ("   ", ""),
        (None, ""),
    ],
)
def test_plain_summary(description, expected):
    assert plain_summary(description) == expected


def test_plain_summary_is_capped():
    text = plain_summary("word " * 2000, limit=100)
    assert len(text) == 100 and text.endswith("…")


@pytest.mark.parametrize(
    ("series", "index", "expected"),
    [("Dune", 1.0, "Dune #1"), ("Dune", 2.5, "Dune #2.5"), ("Dune", None, "Dune"), (None, 3, "")],
)
def test_series_label(series, index, expected):
    assert series_label(series, index) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /s?q=Café HTTP/1.1".encode(), b"GET /s?q=Caf%C3%A9 HTTP/1.1"),
        (b"GET /s?q=a b c HTTP/1.1", b"GET /s?q=a%20b%20c HTTP/1.1"),
        (b"GET /s?q=Caf%C3%A9 HTTP/1.1", b"GET /s?q=Caf%C3%A9 HTTP/1.1"),
        (b"GET /s HTTP/1.1", b"GET /s HTTP/1.1"),
        ("GET /é NOTHTTP".encode(), "GET /é NOTHTTP".encode()),
        (b"GARBAGE", b"GARBAGE"),
        (b"", b""),
    ],
)
def test_normalise_request_line(line, expected):
    assert normalise_request_line(line) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("GET /s?q=é HTTP/1.1\r\nHost: x\r\n".encode(), True),
        ("GET /s?q=é HT".encode(), True),  # the rest of the line has not arrived yet
        (b"GET /s?q=a b HT", True),
        (b"GET /s?q=ok HTTP/1.1\r\n", False),
        (b"GET /s?q=\x01 HTTP/1.1\r\n", False),
        (b"GARBAGE\r\n", False),
    ],
)
def test_needs_repair(data, expected):
    assert needs_repair(data) is expected


@given(st.binary(max_size=200))
def test_repaired_targets_are_plain_ascii(target):
    line = b"GET /" + target.replace(b"\r", b"").replace(b"\n", b"") + b" HTTP/1.1"
    repaired = normalise_request_line(line)
    assert repaired.startswith(b"GET /") and repaired.endswith(b" HTTP/1.1")
    middle = repaired[len(b"GET ") : -len(b" HTTP/1.1")]
    assert middle.isascii() and b" " not in middle


def _header(text: bytes) -> str:
    return "Basic " + base64.b64encode(text).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (_header(b"reader:secret"), ("reader", "secret")),
        (_header("r\u00e9ader:p\u00e4ss:word".encode()), ("réader", "päss:word")),
        (_header("r\u00e9ader:x".encode("latin-1")), ("réader", "x")),
        (_header(b":"), ("", "")),
        ("basic " + base64.b64encode(b"a:b").decode(), ("a", "b")),
        (_header(b"no-colon"), None),
        ("Basic not base64!", None),
        ("Bearer abc", None),
        ("Basic", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_basic(header, expected):
    assert parse_basic(header) == expected


@given(
    st.text(max_size=300),
    st.lists(st.text(max_size=60), max_size=3),
    st.one_of(st.none(), st.text(max_size=300)),
    st.one_of(st.none(), st.text(max_size=40)),
)
def test_any_metadata_makes_a_well_formed_entry_koreader_reads_back(
    title, authors, description, series
):
    from bookorbit_desktop.server.opds.feeds import (
        ACQUISITION_TYPE,
        CatalogUrls,
        FeedMeta,
        acquisition_feed,
    )
    from bookorbit_desktop.server.opds.queries import BookEntry, FileEntry
    from bookorbit_desktop.server.opds.text import entry_authors

    book = BookEntry(
        id=7, title=title, subtitle=description, authors=tuple(authors), languages=("x\x00",),
        series=series, series_index=1.5, publisher=None, published=None,
        description=description, isbn13=None, pages=None, cover_path="covers/7.jpg",
        added_at=0.0, updated_at=1.0,
        files=(FileEntry(3, "epub", 10),),
    )  # fmt: skip
    meta = FeedMeta("urn:x", title, "/opds/books", ACQUISITION_TYPE, 0.0)
    root = etree.fromstring(acquisition_feed(meta, [book], CatalogUrls()))
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == entry_title(title)
    names = [
        author.findtext("{http://www.w3.org/2005/Atom}name")
        for author in entry.findall("{http://www.w3.org/2005/Atom}author")
    ]
    assert names == entry_authors(authors)
