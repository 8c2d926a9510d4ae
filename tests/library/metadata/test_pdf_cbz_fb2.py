"""PDF, CBZ, MOBI/AZW3 and FB2 metadata, including damaged and encrypted files."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from bookorbit_desktop.library.metadata.isbn import Isbn
from bookorbit_desktop.library.metadata.pdf_cbz_fb2 import decode_fb2, useful_pdf_title
from bookorbit_desktop.library.metadata.reader import (
    BookReadError,
    DamagedFileError,
    DrmError,
    NotAnEbookError,
    read_metadata,
)
from tests.library.books import build_mobi, fb2_text, jpeg


def write_pdf(path, metadata=None, *, password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=300)
    if metadata:
        writer.add_metadata(metadata)
    if password:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


# -- PDF ------------------------------------------------------------------------------------


def test_pdf_with_document_info(tmp_path):
    path = write_pdf(
        tmp_path / "x.pdf", {"/Title": "Thinking in Systems", "/Author": "Donella Meadows"}
    )
    meta = read_metadata(path)
    assert (meta.format, meta.title, meta.authors) == (
        "pdf",
        "Thinking in Systems",
        ["Donella Meadows"],
    )


def test_pdf_with_several_authors(tmp_path):
    path = write_pdf(tmp_path / "x.pdf", {"/Title": "Joint Work", "/Author": "Ann One; Bob Two"})
    assert read_metadata(path).authors == ["Ann One", "Bob Two"]


def test_pdf_without_info_uses_the_file_name(tmp_path):
    meta = read_metadata(write_pdf(tmp_path / "Gödel_Escher_Bach.pdf"))
    assert meta.title == "Gödel Escher Bach"
    assert meta.creators == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Microsoft Word - thesis.docx", None),
        ("Microsoft Word - The Real Title", "The Real Title"),
        ("untitled", None),
        ("Untitled-1", None),
        ("Document1", None),
        ("chapter3.tex", None),
        ("my file", None),  # the file name itself
        ("A Real Title", "A Real Title"),
        (None, None),
    ],
)
def test_useful_pdf_title(title, expected):
    assert useful_pdf_title(title, "my file.pdf") == expected


def test_pdf_with_a_user_password_is_imported_with_its_file_name(tmp_path):
    path = write_pdf(tmp_path / "Locked Report.pdf", {"/Title": "Secret"}, password="pw")
    meta = read_metadata(path)
    assert meta.title == "Locked Report"


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_truncated_pdf(tmp_path, cut):
    whole = write_pdf(tmp_path / "w.pdf", {"/Title": "Whole"})
    data = whole.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: int(len(data) * cut)])
    try:
        meta = read_metadata(broken)
    except DamagedFileError as error:
        assert "damaged PDF" in str(error)
    else:  # pypdf rebuilt what it could; the book is imported under its file name
        assert meta.title in ("Whole", "broken")


def test_pdf_header_then_garbage(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    with pytest.raises(DamagedFileError, match="damaged PDF"):
        read_metadata(path)


# -- CBZ ------------------------------------------------------------------------------------


def write_cbz(path, pages, comic_info=None):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in pages.items():
            archive.writestr(name, data)
        if comic_info is not None:
            archive.writestr("ComicInfo.xml", comic_info)
    return path


def test_cbz_with_comic_info(tmp_path):
    info = """<?xml version="1.0"?><ComicInfo><Title>The Long Night</Title>
      <Series>Saga</Series><Number>3</Number><Writer>Brian K. Vaughan</Writer>
      <Penciller>Fiona Staples</Penciller><Publisher>Image</Publisher><Year>2013</Year>
      <Month>4</Month><LanguageISO>en</LanguageISO><Summary>Space opera.</Summary>
      <GTIN>978-1-60706-692-7</GTIN>
      <Pages><Page Image="1" Type="FrontCover"/></Pages></ComicInfo>"""
    red, blue = jpeg(colour=(255, 0, 0)), jpeg(colour=(0, 0, 255))
    path = write_cbz(tmp_path / "saga.cbz", {"p10.jpg": red, "p2.jpg": blue, "p1.jpg": red}, info)
    meta = read_metadata(path)
    assert meta.format == "cbz"
    assert meta.title == "The Long Night"
    assert (meta.series, meta.series_index) == ("Saga", 3.0)
    assert meta.authors == ["Brian K. Vaughan"]
    assert [c.role for c in meta.creators] == ["aut", "ill"]
    assert meta.published == "2013-04"
    assert meta.ids.isbn == Isbn("9781607066927", "1607066920")
    assert meta.cover == blue  # page index 1 in natural order: p1, p2, p10


def test_cbz_without_comic_info_takes_the_first_page(tmp_path):
    first = jpeg(colour=(1, 2, 3))
    path = write_cbz(
        tmp_path / "Old_Comic_[scan].cbz",
        {"b/02.png": b"x", "a/01.jpg": first, "__MACOSX/._a.jpg": b"x"},
    )
    meta = read_metadata(path)
    assert meta.title == "Old Comic"
    assert meta.cover == first


def test_cbz_without_images(tmp_path):
    path = write_cbz(tmp_path / "notes.cbz", {"readme.txt": b"hi"})
    with pytest.raises(NotAnEbookError, match="no images"):
        read_metadata(path)


# -- MOBI / AZW3 ----------------------------------------------------------------------------


def test_mobi_header_and_exth(tmp_path):
    cover = jpeg()
    path = build_mobi(
        tmp_path / "book.mobi",
        full_name="Full Name Title",
        exth=[
            (100, b"Ann Author"),
            (100, b"Bob Writer"),
            (101, b"Kindle House"),
            (103, b"<p>A description.</p>"),
            (104, b"978-0-306-40615-7"),
            (106, b"2011-09-01"),
            (113, b"B00TESTASIN"),
            (503, "Updated Title — ½".encode()),
            (524, b"en-GB"),
            (524, b"es"),  # a bilingual book: a language record each
        ],
        cover=cover,
    )
    meta = read_metadata(path)
    assert meta.format == "mobi"
    assert meta.title == "Updated Title — ½"
    assert meta.authors == ["Ann Author", "Bob Writer"]
    assert meta.publisher == "Kindle House"
    assert meta.description == "<p>A description.</p>"
    assert meta.ids.isbn == Isbn("9780306406157", "0306406152")
    assert meta.ids.identifiers["asin"] == "B00TESTASIN"
    assert meta.published == "2011-09-01"
    assert (meta.language, meta.languages) == ("en", ["en", "es"])
    assert meta.cover == cover


def test_azw3_without_exth_uses_the_full_name(tmp_path):
    path = build_mobi(tmp_path / "k.azw3", full_name="Café Stories", text_encoding=1252, version=8)
    meta = read_metadata(path)
    assert (meta.format, meta.title, meta.cover) == ("azw3", "Café Stories", None)


@pytest.mark.parametrize(
    ("exth", "before_cover"),
    [
        ([], ()),  # no EXTH block at all
        ([(100, b"Debian Project")], ()),  # an EXTH without a cover record
        ([], (b"FONT" + b"\0" * 40, b"RESC\0\0\0\x10<resources/>")),  # data before the image
    ],
)
def test_mobi_without_an_exth_cover_takes_the_first_image(tmp_path, exth, before_cover):
    cover = jpeg(colour=(10, 90, 200))
    path = build_mobi(
        tmp_path / "paketmanagement.mobi",
        exth=exth,
        cover=cover,
        exth_cover=False,
        before_cover=before_cover,
    )
    assert read_metadata(path).cover == cover


def test_an_exth_cover_that_is_no_image_falls_back_to_the_first_image(tmp_path):
    cover = jpeg()
    path = build_mobi(tmp_path / "odd.mobi", cover=cover, before_cover=(b"not an image",))
    # The EXTH names the record after "not an image": point it at that record instead.
    data = bytearray(path.read_bytes())
    at = data.index(b"\x00\x00\x00\xc9\x00\x00\x00\x0c")  # EXTH record 201, 12 bytes long
    data[at + 8 : at + 12] = (0).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    assert read_metadata(path).cover == cover


def test_kf8_with_an_unknown_extension_is_azw3(tmp_path):
    path = build_mobi(tmp_path / "k.bin", full_name="Kf8", version=8)
    assert read_metadata(path).format == "azw3"


def test_mobi_with_drm_is_refused(tmp_path):
    path = build_mobi(tmp_path / "locked.azw", encryption=2)
    with pytest.raises(DrmError, match="Kindle DRM"):
        read_metadata(path)


@pytest.mark.parametrize("size", [70, 100, 200])
def test_truncated_mobi(tmp_path, size):
    path = build_mobi(tmp_path / "cut.mobi", cover=jpeg(), truncate_to=size)
    with pytest.raises(DamagedFileError, match="Kindle book"):
        read_metadata(path)


def test_kfx_drm_is_refused(tmp_path):
    path = tmp_path / "x.azw"
    path.write_bytes(b"\xeaDRMION\xee" + b"\0" * 100)
    with pytest.raises(DrmError, match="KFX"):
        read_metadata(path)


# -- FB2 ------------------------------------------------------------------------------------


def test_fb2_utf8(tmp_path):
    cover = jpeg()
    path = tmp_path / "war.fb2"
    path.write_text(fb2_text(cover=cover, isbn="978-5-389-07435-4"), encoding="utf-8")
    meta = read_metadata(path)
    assert meta.format == "fb2"
    assert meta.title == "Война и мир"
    assert meta.authors == ["Лев Толстой"]
    assert meta.creators[0].sort_name == "Толстой, Лев"
    assert meta.language == "ru"
    assert (meta.series, meta.series_index) == ("Эпопея", 2.0)
    assert meta.description == "Роман-эпопея.\n\nВторой абзац."
    assert meta.publisher == "Азбука"
    assert meta.published == "2012"
    assert meta.ids.isbn is not None and meta.ids.isbn.isbn13 == "9785389074354"
    assert meta.cover == cover


def test_fb2_declared_cp1251_but_written_in_utf8(tmp_path):
    text = fb2_text(declaration='<?xml version="1.0" encoding="windows-1251"?>')
    path = tmp_path / "lie.fb2"
    path.write_bytes(text.encode("utf-8"))
    assert read_metadata(path).title == "Война и мир"


def test_fb2_declared_utf8_but_written_in_cp1251(tmp_path):
    text = fb2_text(declaration='<?xml version="1.0" encoding="UTF-8"?>')
    path = tmp_path / "lie2.fb2"
    path.write_bytes(text.encode("cp1251"))
    meta = read_metadata(path)
    assert meta.title == "Война и мир"
    assert meta.authors == ["Лев Толстой"]


def test_fb2_malformed_with_stray_bytes(tmp_path):
    text = fb2_text(broken_tail=True).replace("<genre>", "<genre>\x0b\x01")
    path = tmp_path / "broken.fb2"
    path.write_bytes(text.encode("utf-8") + b"\xff\xfe\x00junk")
    meta = read_metadata(path)
    assert meta.title == "Война и мир"


def test_fb2_in_a_zip(tmp_path):
    path = tmp_path / "war.fb2.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("war.fb2", fb2_text().encode("utf-8"))
    meta = read_metadata(path)
    assert (meta.format, meta.title) == ("fb2.zip", "Война и мир")


def test_fb2_that_is_not_xml_at_all(tmp_path):
    path = tmp_path / "bad.fb2"
    path.write_bytes(b"<FictionBook" + bytes(range(1, 9)) * 10)
    with pytest.raises(DamagedFileError, match="FB2"):
        read_metadata(path)


def test_decode_fb2_prefers_valid_utf8_over_the_declaration():
    data = '<?xml version="1.0" encoding="koi8-r"?><a>Ж</a>'.encode()
    assert decode_fb2(data) == "<a>Ж</a>".encode()


# -- any bytes at all -------------------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from(
        [b"", b"PK\x03\x04", b"%PDF-1.4\n", b"<?xml?><FictionBook>", b"\0" * 60 + b"BOOKMOBI"]
    ),
    body=st.binary(max_size=400),
    suffix=st.sampled_from([".epub", ".pdf", ".fb2", ".mobi", ".cbz", ".bin"]),
)
def test_random_bytes_never_crash_the_readers(tmp_path, prefix, body, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(prefix + body)
    try:
        meta = read_metadata(path)
    except BookReadError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert meta.title


def test_random_zip_members_never_crash(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/container.xml", b"\x00\x01not xml")
        archive.writestr("a.opf", b"<package><metadata><title>")
    path = tmp_path / "odd.epub"
    path.write_bytes(buffer.getvalue())
    assert read_metadata(path).title == "odd"


def test_decode_fb2_with_an_unknown_declared_encoding():
    data = '<?xml version="1.0" encoding="x-nonsense"?><a>Ж</a>'.encode("cp1251")
    assert decode_fb2(data) == "<a>Ж</a>".encode()
