"""EPUB metadata from the OPF: tidy files, EPUB 2 and 3 conventions, and the messy ones."""

from __future__ import annotations

import zipfile

import pytest
from ebooklib import epub

from bookorbit_desktop.library.metadata.isbn import Isbn
from bookorbit_desktop.library.metadata.reader import (
    DamagedFileError,
    DrmError,
    NotAnEbookError,
    read_metadata,
)
from tests.factories import make_epub
from tests.library.books import build_epub, jpeg, opf2, opf3, simple_opf2


def test_ebooklib_epub3(tmp_path):
    path = make_epub(
        tmp_path / "hobbit.epub", "The Hobbit", ("J. R. R. Tolkien",), isbn="978-0-306-40615-7"
    )
    meta = read_metadata(path)
    assert meta.format == "epub"
    assert meta.title == "The Hobbit"
    assert meta.authors == ["J. R. R. Tolkien"]
    assert meta.creators[0].sort_name == "Tolkien, J. R. R."
    assert meta.language == "en"
    assert meta.ids.isbn == Isbn("9780306406157", "0306406152")


def test_ebooklib_epub2_flavour(tmp_path):
    path = make_epub(tmp_path / "b.epub", "Second", ("Bea Writer", "Cy Writer"), version="2.0")
    meta = read_metadata(path)
    assert meta.title == "Second"
    assert meta.authors == ["Bea Writer", "Cy Writer"]


def test_epub2_calibre_conventions(tmp_path):
    opf = opf2(
        """<dc:title>The Fellowship of the Ring</dc:title>
        <dc:creator opf:role="aut"
          opf:file-as="Tolkien, John Ronald Reuel">J. R. R. Tolkien</dc:creator>
        <dc:creator opf:role="ill">Alan Lee</dc:creator>
        <dc:contributor opf:role="bkp">calibre (6.13.0)</dc:contributor>
        <dc:identifier id="bookid"
          opf:scheme="uuid">0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10</dc:identifier>
        <dc:identifier opf:scheme="calibre">0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10</dc:identifier>
        <dc:identifier opf:scheme="ISBN">0-261-10235-4</dc:identifier>
        <dc:identifier opf:scheme="hardcover-slug">the-fellowship-of-the-ring</dc:identifier>
        <dc:date opf:event="modification">2020-01-01</dc:date>
        <dc:date opf:event="publication">1954-07-29T00:00:00+00:00</dc:date>
        <dc:publisher>Allen &amp; Unwin</dc:publisher>
        <dc:language>eng</dc:language>
        <dc:description>&lt;p&gt;The first part.&lt;/p&gt;
          &lt;p&gt;Of three.&lt;/p&gt;</dc:description>
        <meta name="calibre:series" content="The Lord of the Rings"/>
        <meta name="calibre:series_index" content="1.0"/>
        <meta name="calibre:title_sort" content="Fellowship of the Ring, The"/>
        <meta name="cover" content="cover-img"/>""",
        manifest='<item id="cover-img" href="images/cover.jpg" media-type="image/jpeg"/>',
    )
    cover = jpeg()
    path = build_epub(tmp_path / "lotr.epub", opf, files={"OEBPS/images/cover.jpg": cover})
    meta = read_metadata(path)
    assert meta.title == "The Fellowship of the Ring"
    assert [(c.name, c.role, c.sort_name) for c in meta.creators] == [
        ("J. R. R. Tolkien", "aut", "Tolkien, John Ronald Reuel"),
        ("Alan Lee", "ill", "Lee, Alan"),
    ]
    assert meta.authors == ["J. R. R. Tolkien"]
    assert meta.language == "en"
    assert meta.ids.isbn == Isbn("9780261102354", "0261102354")
    assert meta.ids.hardcover_slug == "the-fellowship-of-the-ring"
    assert meta.ids.identifiers["calibre"] == "0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10"
    assert meta.published == "1954-07-29"
    assert meta.publisher == "Allen & Unwin"
    assert meta.description == "<p>The first part.</p>\n          <p>Of three.</p>"
    assert (meta.series, meta.series_index) == ("The Lord of the Rings", 1.0)
    assert meta.sort_title == "Fellowship of the Ring, The"
    assert meta.cover == cover


def test_a_description_keeps_its_text_markup_and_loses_what_could_load_or_run(tmp_path):
    """calibre writes the description as escaped HTML; what it says is cleaned on import, and
    markup the description shows as text (escaped twice) stays text."""
    opf = opf2(
        """<dc:title>Loaded</dc:title>
        <dc:description>&lt;p&gt;&lt;b&gt;Bold&lt;/b&gt; start.&lt;img src="/dev/zero"&gt;
          &lt;img src="file:///etc/passwd"&gt;&lt;script&gt;alert(1)&lt;/script&gt;
          &lt;a href="file:///etc/passwd"&gt;local&lt;/a&gt;
          &lt;a href="https://example.org/" onclick="x()"&gt;web&lt;/a&gt;
          &amp;lt;img src="/dev/zero"&amp;gt;&lt;/p&gt;</dc:description>"""
    )
    meta = read_metadata(build_epub(tmp_path / "loaded.epub", opf))
    assert meta.description == (
        "<p><b>Bold</b> start.\n          \n          "
        '<a rel="noopener noreferrer nofollow">local</a>\n          '
        '<a href="https://example.org/" rel="noopener noreferrer nofollow">web</a>\n'
        '          &lt;img src="/dev/zero"&gt;</p>'
    )


def test_epub3_refinements(tmp_path):
    opf = opf3(
        """<dc:title id="t2">A Subtitle Listed First</dc:title>
        <dc:title id="t1">Main Title</dc:title>
        <meta refines="#t1" property="title-type">main</meta>
        <meta refines="#t2" property="title-type">subtitle</meta>
        <dc:creator id="c2">Second Author</dc:creator>
        <meta refines="#c2" property="display-seq">2</meta>
        <dc:creator id="c1">First Author</dc:creator>
        <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
        <meta refines="#c1" property="file-as">Author, First</meta>
        <meta refines="#c1" property="display-seq">1</meta>
        <dc:creator id="c3">Tra Nslator</dc:creator>
        <meta refines="#c3" property="role" scheme="marc:relators">trl</meta>
        <dc:identifier id="bookid">urn:uuid:0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10</dc:identifier>
        <dc:identifier id="isbn">9780306406157</dc:identifier>
        <meta refines="#isbn" property="identifier-type" scheme="onix:codelist5">15</meta>
        <dc:language>pt-BR</dc:language>
        <dc:date>2019-05</dc:date>
        <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
        <meta property="belongs-to-collection" id="set">A Boxed Set</meta>
        <meta refines="#set" property="collection-type">set</meta>
        <meta property="belongs-to-collection" id="s1">The Cycle</meta>
        <meta refines="#s1" property="collection-type">series</meta>
        <meta refines="#s1" property="group-position">2.5</meta>""",
        manifest='<item id="img" href="img/front.png" media-type="image/png" '
        'properties="cover-image"/>',
    )
    path = build_epub(tmp_path / "e3.epub", opf, files={"OEBPS/img/front.png": b"png-bytes"})
    meta = read_metadata(path)
    assert meta.title == "Main Title"
    assert meta.authors == ["First Author", "Second Author"]
    assert meta.creators[0].sort_name == "Author, First"
    assert meta.creators[2].role == "trl"
    assert meta.ids.isbn == Isbn("9780306406157", "0306406152")
    assert meta.language == "pt-BR"
    assert meta.published == "2019-05"
    assert (meta.series, meta.series_index) == ("The Cycle", 2.5)
    assert meta.cover == b"png-bytes"


def _ebooklib_refuses(path) -> bool:
    try:
        epub.read_epub(str(path))
    except Exception:
        return True
    return False


def test_manifest_pointing_at_missing_files_and_fragments(tmp_path):
    """ebooklib raises on these (as on many real books); the OPF still tells us everything."""
    opf = opf2(
        """<dc:title>Broken Manifest</dc:title><dc:creator>Ann Author</dc:creator>
        <dc:identifier id="bookid">unknown</dc:identifier><dc:language>en</dc:language>""",
        manifest="""<item id="gone" href="missing.xhtml" media-type="application/xhtml+xml"/>
        <item id="frag" href="text.xhtml#part2" media-type="application/xhtml+xml"/>
        <item id="dash" href="chapter–1.xhtml" media-type="application/xhtml+xml"/>""",
    )
    ncx = """<?xml version="1.0"?>
      <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
      <navMap><navPoint id="n1"><navLabel><text>One</text></navLabel>
      <content src="nowhere.xhtml#x"/></navPoint></navMap></ncx>"""
    path = build_epub(tmp_path / "broken.epub", opf, files={"OEBPS/toc.ncx": ncx})
    assert _ebooklib_refuses(path)
    meta = read_metadata(path)
    assert meta.title == "Broken Manifest"
    assert meta.authors == ["Ann Author"]
    assert meta.ids.identifiers == {}  # "unknown" is no identifier


def test_mimetype_not_first_and_no_container(tmp_path):
    path = build_epub(
        tmp_path / "m.epub",
        simple_opf2("Late Mimetype"),
        mimetype_first=False,
        container="",  # an empty container.xml: fall back to the .opf in the archive
    )
    assert read_metadata(path).title == "Late Mimetype"


@pytest.mark.parametrize(
    "title",
    ["반지의 제왕", "ノルウェイの森", "Война и мир", "ഖസാക്കിന്റെ ഇതിഹാസം", "الأيام"],
)
def test_non_latin_titles_survive(tmp_path, title):
    meta = read_metadata(build_epub(tmp_path / "x.epub", simple_opf2(title, "Автор Книги")))
    assert meta.title == title
    assert meta.authors == ["Автор Книги"]


def test_missing_title_uses_the_cleaned_file_name(tmp_path):
    opf = opf2("<dc:creator>Ann Author</dc:creator><dc:title>  </dc:title>")
    meta = read_metadata(build_epub(tmp_path / "The_Lost_Book_(2011).epub", opf))
    assert meta.title == "The Lost Book"


def test_wrong_namespaces_and_malformed_xml_are_read(tmp_path):
    opf = """<?xml version="1.0" encoding="UTF-8"?>
    <package version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.0/">
    <dc:title>Sloppy &amp; Unclosed</dc:title><dc:creator role="aut">Ann Author
    <dc:language>fr</dc:language></metadata><manifest></manifest>"""
    meta = read_metadata(build_epub(tmp_path / "s.epub", opf))
    assert meta.title == "Sloppy & Unclosed"
    assert meta.language == "fr"


def test_entities_are_not_expanded(tmp_path):
    opf = """<?xml version="1.0"?><!DOCTYPE package [<!ENTITY x SYSTEM "file:///etc/hostname">]>
    <package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata
    xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Safe &x;</dc:title>
    </metadata></package>"""
    meta = read_metadata(build_epub(tmp_path / "x.epub", opf))
    assert meta.title.startswith("Safe")
    assert "\n" not in meta.title and len(meta.title) < 10


def test_cover_from_guide_page_with_odd_case_and_escapes(tmp_path):
    opf = opf2(
        "<dc:title>Guide Cover</dc:title>",
        manifest='<item id="cp" href="Cover%20Page.xhtml" media-type="application/xhtml+xml"/>',
        extra='<guide><reference type="cover" href="Cover%20Page.xhtml" title="Cover"/></guide>',
    )
    page = '<html><body><div><img src="../Images/Front.JPG" alt=""/></div></body></html>'
    cover = jpeg()
    path = build_epub(
        tmp_path / "g.epub",
        opf,
        files={"OEBPS/Cover Page.xhtml": page, "images/front.jpg": cover},
    )
    assert read_metadata(path).cover == cover


def test_cover_meta_pointing_nowhere_is_ignored(tmp_path):
    opf = opf2('<dc:title>No Cover</dc:title><meta name="cover" content="nothing-here"/>')
    assert read_metadata(build_epub(tmp_path / "n.epub", opf)).cover is None


def encryption_xml(algorithm: str, uri: str) -> str:
    """META-INF/encryption.xml declaring one encrypted member."""
    return f"""<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
      xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
      <enc:EncryptionMethod Algorithm="{algorithm}"/>
      <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
      </enc:EncryptedData></encryption>"""


def test_font_obfuscation_is_not_drm(tmp_path):
    encryption = encryption_xml("http://www.idpf.org/2008/embedding", "OEBPS/font.otf")
    path = build_epub(
        tmp_path / "f.epub", simple_opf2("Fonts"), files={"META-INF/encryption.xml": encryption}
    )
    assert read_metadata(path).title == "Fonts"


def test_adobe_drm_is_refused(tmp_path):
    encryption = encryption_xml("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "OEBPS/text.xhtml")
    path = build_epub(
        tmp_path / "d.epub",
        simple_opf2("Locked"),
        files={"META-INF/encryption.xml": encryption, "META-INF/rights.xml": "<rights/>"},
    )
    with pytest.raises(DrmError, match="Adobe DRM"):
        read_metadata(path)


def test_lcp_drm_is_refused(tmp_path):
    path = build_epub(
        tmp_path / "l.epub", simple_opf2("LCP"), files={"META-INF/license.lcpl": "{}"}
    )
    with pytest.raises(DrmError, match="LCP"):
        read_metadata(path)


def test_truncated_epub(tmp_path):
    whole = make_epub(tmp_path / "whole.epub", "Whole", body="x" * 5000)
    cut = tmp_path / "cut.epub"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(DamagedFileError, match="truncated or damaged ZIP"):
        read_metadata(cut)


def test_corrupt_member_data(tmp_path):
    path = build_epub(tmp_path / "c.epub", simple_opf2("Corrupt Body"))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("OEBPS/content.opf")
    start = info.header_offset + 30 + len(info.filename)
    data[start : start + 40] = b"\xff" * 40  # scramble the compressed OPF
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedFileError, match="damaged ZIP data"):
        read_metadata(path)


def test_zip_without_any_package_document(tmp_path):
    path = tmp_path / "empty.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("OEBPS/text.xhtml", "<html/>")
    with pytest.raises(DamagedFileError, match="no package document"):
        read_metadata(path)


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("notes.epub", b"just some text, not a book", DamagedFileError, "not a valid EPUB"),
        ("notes.txt", b"just some text, not a book", NotAnEbookError, "not an ebook"),
        ("empty.epub", b"", DamagedFileError, "empty file"),
        ("picture.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, NotAnEbookError, "not an ebook"),
        ("garbage.epub", b"PK\x03\x04" + b"\x13" * 200, DamagedFileError, "ZIP"),
    ],
)
def test_files_that_are_not_books(tmp_path, name, content, error, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=message):
        read_metadata(path)


def test_other_zip_archives_are_not_books(tmp_path):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(NotAnEbookError, match="not an EPUB, CBZ or zipped FB2"):
        read_metadata(path)
