"""The library's metadata written into an OPF: what is replaced, what stays, EPUB 2 and 3, and
what the importer's reader then reads back."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from bookorbit_desktop.library.metadata.epub import read_opf
from bookorbit_desktop.library.metadata.epub_write import (
    Author,
    NotWritableError,
    OpfValues,
    rewrite_epub,
    rewrite_opf,
)
from bookorbit_desktop.library.metadata.reader import read_metadata
from tests.factories import make_epub

EPUB2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>Dnue</dc:title>
    <dc:creator opf:role="aut" opf:file-as="Hebert, Frank">Frank Hebert</dc:creator>
    <dc:creator opf:role="ill">John Schoenherr</dc:creator>
    <dc:identifier id="uid">urn:isbn:9780306406157</dc:identifier>
    <dc:identifier opf:scheme="ISBN">9780306406157</dc:identifier>
    <dc:identifier opf:scheme="calibre">1234</dc:identifier>
    <dc:date opf:event="publication">1965</dc:date>
    <dc:date opf:event="modification">2020-01-01</dc:date>
    <dc:language>en</dc:language>
    <dc:publisher>Chilton</dc:publisher>
    <meta name="calibre:series" content="Wrong"/>
    <meta name="calibre:series_index" content="9"/>
    <meta name="cover" content="img"/>
  </metadata>
  <manifest><item id="img" href="cover.jpg" media-type="image/jpeg"/></manifest>
  <spine/>
</package>"""

EPUB3 = b"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:1</dc:identifier>
    <dc:title id="t1">Dnue</dc:title>
    <meta refines="#t1" property="title-type">main</meta>
    <dc:creator id="c1">Frank Hebert</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
    <dc:creator id="c2">An Editor</dc:creator>
    <meta refines="#c2" property="role" scheme="marc:relators">edt</meta>
    <dc:language>en</dc:language>
    <meta property="belongs-to-collection" id="s1">Wrong</meta>
    <meta refines="#s1" property="collection-type">series</meta>
    <meta property="dcterms:modified">2020-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="img" href="cover.jpg" media-type="image/jpeg" properties="cover-image"/>
  </manifest>
  <spine/>
</package>"""

DUNE = OpfValues(
    title="Dune",
    subtitle="Book One",
    authors=(Author("Frank Herbert", "Herbert, Frank"),),
    series="Dune Chronicles",
    series_index=1.0,
    description="Spice.",
    publisher="Ace",
    published="1990-09-01",
    languages=("en",),
    isbn13="9780441013593",
    modified="2026-11-25T10:00:00Z",
)


def _read(data: bytes):
    return read_opf(etree.fromstring(data))[0].finish(Path("book.epub"))


@pytest.mark.parametrize("opf", [EPUB2, EPUB3], ids=["epub2", "epub3"])
def test_the_written_values_read_back(opf):
    read = _read(rewrite_opf(opf, DUNE))
    assert read.title == "Dune"
    assert read.authors == ["Frank Herbert"]
    assert (read.series, read.series_index) == ("Dune Chronicles", 1.0)
    assert (read.description, read.publisher, read.published) == ("Spice.", "Ace", "1990-09-01")
    assert read.ids.isbn is not None and read.ids.isbn.isbn13 == "9780441013593"


@pytest.mark.parametrize("opf", [EPUB2, EPUB3], ids=["epub2", "epub3"])
def test_every_language_is_written_in_order_in_place_of_the_file_s(opf):
    written = rewrite_opf(opf, OpfValues(title="Dune", languages=("fr", "en")))
    root = etree.fromstring(written)
    languages = [e.text for e in root.iter("{http://purl.org/dc/elements/1.1/}language")]
    assert languages == ["fr", "en"]
    assert _read(written).languages == ["fr", "en"]
    kept = rewrite_opf(opf, OpfValues(title="Dune"))  # none held: the file's stays
    assert _read(kept).languages == ["en"]


def test_epub2_keeps_what_is_not_the_library_s():
    written = rewrite_opf(EPUB2, DUNE).decode()
    assert "John Schoenherr" in written and 'opf:role="ill"' in written  # an illustrator stays
    assert 'opf:scheme="calibre">1234' in written  # other identifiers stay
    assert '<dc:identifier id="uid">urn:isbn:9780306406157' in written  # the unique id stays
    assert 'opf:scheme="ISBN">9780306406157' not in written  # the old ISBN goes
    assert 'opf:event="modification">2020-01-01' in written
    assert ">1965<" not in written and "Wrong" not in written and "Chilton" not in written
    assert 'opf:file-as="Herbert, Frank"' in written
    assert "Book One" not in written  # EPUB 2 has no subtitle
    assert "ns0" not in written and "dcterms:modified" not in written


def test_epub3_refines_its_titles_creators_and_series():
    written = rewrite_opf(EPUB3, DUNE).decode()
    root = etree.fromstring(written.encode())
    metas = {
        (m.get("refines"), m.get("property")): m.text
        for m in root.iter("{http://www.idpf.org/2007/opf}meta")
    }
    assert "An Editor" in written and ("#c2", "role") in metas  # the editor stays
    assert "Frank Hebert" not in written and ("#c1", "role") not in metas
    assert ("#t1", "title-type") not in metas  # the old title's refinement went with it
    subtitles = [k for k, v in metas.items() if k[1] == "title-type" and v == "subtitle"]
    assert len(subtitles) == 1 and "Book One" in written
    assert metas[(None, "dcterms:modified")] == "2026-11-25T10:00:00Z"
    assert "2020-01-01T00:00:00Z" not in written
    assert metas[(None, "belongs-to-collection")] == "Dune Chronicles"
    positions = [v for k, v in metas.items() if k[1] == "group-position"]
    assert positions == ["1"]


def test_a_value_the_library_lacks_stays_unless_the_user_cleared_it():
    bare = OpfValues(title="Dune", languages=("en",))
    kept = rewrite_opf(EPUB2, bare).decode()
    assert "Chilton" in kept and "Frank Hebert" in kept and "Wrong" in kept
    cleared = OpfValues(title="Dune", cleared=frozenset({"publisher", "series", "authors", "isbn"}))
    gone = rewrite_opf(EPUB2, cleared).decode()
    assert "Chilton" not in gone and "Wrong" not in gone and "Frank Hebert" not in gone
    assert 'opf:scheme="ISBN"' not in gone and "John Schoenherr" in gone


def test_a_new_cover_replaces_the_cover_references():
    written = rewrite_opf(EPUB3, DUNE, cover_href="bookorbit-cover.jpg").decode()
    root = etree.fromstring(written.encode())
    items = {i.get("id"): i for i in root.iter("{http://www.idpf.org/2007/opf}item")}
    assert items["img"].get("properties") is None  # the old image is no longer the cover
    assert items["bookorbit-cover"].get("properties") == "cover-image"
    assert '<meta name="cover" content="bookorbit-cover"/>' in written


@pytest.mark.parametrize(
    "opf, reason",
    [
        (b"<package><metadata><dc:title>x</metadata>", "not well-formed"),
        (b'<package version="2.0"><metadata><dc-metadata/></metadata></package>', "no EPUB"),
        (b"<oeb/>", "OEB 1"),
    ],
)
def test_a_package_that_cannot_be_written_safely_is_refused(opf, reason):
    with pytest.raises(NotWritableError, match=reason):
        rewrite_opf(opf, DUNE)


@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_a_rewritten_book_is_a_valid_container_the_reader_reads(tmp_path, version):
    source = make_epub(tmp_path / "in.epub", "Dnue", ("Frank Hebert",), version=version)
    target = tmp_path / "out.epub"
    rewrite_epub(source, target, DUNE, cover=b"\xff\xd8\xff\xe0 not really a jpeg")
    with zipfile.ZipFile(target) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.testzip() is None
        with zipfile.ZipFile(source) as before:
            old = {i.filename for i in before.infolist()}
        assert old < {i.filename for i in archive.infolist()}  # every member kept, cover added
    read = read_metadata(target)
    assert (read.title, read.series, read.authors) == ("Dune", "Dune Chronicles", ["Frank Herbert"])
    assert read.ids.isbn is not None and read.ids.isbn.isbn13 == "9780441013593"


def _package(languages: str, metadata_ns: str = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'):
    return f"""<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata {metadata_ns}>
    <dc:identifier id="uid">urn:uuid:1</dc:identifier><dc:title>Dnue</dc:title>{languages}
    <dc:subject>Science fiction</dc:subject><dc:rights>Public domain</dc:rights>
  </metadata>
  <manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="a"/></spine>
</package>""".encode()


ODD_LANGUAGES = {
    "empty": _package("<dc:language/><dc:language> </dc:language>"),
    "twice": _package("<dc:language>en</dc:language><dc:language>en</dc:language>"),
    "region": _package("<dc:language>en-US</dc:language><dc:language>en</dc:language>"),
    "xml:lang": _package('<dc:language xml:lang="fr">fr</dc:language>'),
    "refined": _package(
        '<dc:language id="l">de</dc:language><meta refines="#l" property="x">y</meta>'
    ),
    "none": _package(""),
    "other prefix": _package(
        "<purl:language>de</purl:language>", 'xmlns:purl="http://purl.org/dc/elements/1.1/"'
    ).replace(b"dc:", b"purl:"),
    "default namespace": _package(
        '<language xmlns="http://purl.org/dc/elements/1.1/">de</language>'
    ),
}


THIRTY = "fr en de es it pt nl sv da no fi pl cs sk hu ro bg el tr ru uk ja zh ko ar he hi th vi id"


@pytest.mark.parametrize("opf", ODD_LANGUAGES.values(), ids=ODD_LANGUAGES.keys())
@pytest.mark.parametrize(
    "languages",
    [("fr", "en"), ("pt-BR", "pt"), tuple(THIRTY.split())],
    ids=["two", "region that matters", "thirty"],
)
def test_odd_language_entries_give_way_to_the_library_s_in_order(opf, languages):
    """Whatever language entries the package had, the written one is well-formed, holds the
    library's languages (tidy tags, each once) in order, as the reader reads them back, and
    keeps the rest of its metadata."""
    written = rewrite_opf(opf, OpfValues(title="Dune", languages=languages))
    root = etree.fromstring(written)
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert [e.text for e in root.iter(f"{dc}language")] == list(languages)
    assert [e.text for e in root.iter(f"{dc}subject", f"{dc}rights")] == [
        "Science fiction",
        "Public domain",
    ]
    assert [e.text for e in root.iter(f"{dc}identifier")] == ["urn:uuid:1"]
    assert not [e for e in root.iter("{*}meta") if e.get("refines") == "#l"]
    assert _read(written).languages == list(languages)
