"""Metadata of PDF, CBZ and FB2 books: whatever each format offers, never more.

PDF: the document information dictionary (title, author), else XMP. CBZ: ComicInfo.xml when
present and the first page as cover. FB2: the `<description>` block, parsed with a recovering
parser after finding the real text encoding, because FB2 files often declare the wrong one.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import logging
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from bookorbit_desktop.library.metadata.epub import (
    MAX_COVER_BYTES,
    MAX_XML_BYTES,
    Entries,
    local,
    parse_xml,
    text_of,
)
from bookorbit_desktop.library.metadata.model import (
    BookMetadata,
    Creator,
    DamagedFileError,
    NotAnEbookError,
    parse_published,
    parse_series_index,
)
from bookorbit_desktop.library.metadata.naming import strip_extension

if TYPE_CHECKING:
    from pypdf import PdfReader

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
_DIGITS = re.compile(r"(\d+)")
# Titles that PDF producers fill in when the author gave none.
_JUNK_PDF_TITLE = re.compile(
    r"^(?:untitled(?:[-\s]?\d+)?|document\d*|unknown|title|presentation\d*|slide \d+|"
    r"[^/\\]+\.(?:docx?|odt|rtf|pdf|tex|dvi|indd|qxd|pages|txt|html?|xml))$",
    re.IGNORECASE,
)
_WORD_PREFIX = re.compile(r"^Microsoft (?:Word|PowerPoint) - ", re.IGNORECASE)
# ComicInfo.xml credit fields and the MARC relator codes they stand for.
_COMIC_ROLES = (
    ("Writer", "aut"),
    ("Penciller", "ill"),
    ("Inker", "ill"),
    ("CoverArtist", "cov"),
    ("Editor", "edt"),
    ("Translator", "trl"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def useful_pdf_title(title: str | None, file_name: str) -> str | None:
    """The PDF's title unless it is a producer's placeholder or just the file name."""
    if not title:
        return None
    text = _WORD_PREFIX.sub("", title.strip()).strip()
    if not text or _JUNK_PDF_TITLE.match(text):
        return None
    if text.casefold() == strip_extension(file_name).casefold():
        return None
    return text


def _pdf_authors(author: str | None) -> list[Creator]:
    if not author:
        return []
    parts = [part.strip() for part in author.split(";")] if ";" in author else [author.strip()]
    return [Creator(part) for part in parts if part]


def read_pdf(path: Path) -> BookMetadata:
    """Title, author and language from a PDF's document information (or XMP)."""
    # pypdf loads with the first PDF: it is most of a reader process's memory and start-up.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    metadata = BookMetadata(format="pdf")
    with path.open("rb") as handle:  # an open handle keeps pypdf from loading the whole file
        try:
            reader = PdfReader(handle, strict=False)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
            raise DamagedFileError(f"damaged PDF ({_short(error)})") from error
        try:
            _pdf_fields(reader, metadata, path.name)
        except Exception as error:  # pypdf raises many kinds of errors on odd files
            log.warning("PDF metadata of %s not read: %s", path, _short(error))
    return metadata


def _pdf_fields(reader: PdfReader, metadata: BookMetadata, file_name: str) -> None:
    if reader.is_encrypted and not reader.decrypt(""):
        return  # a user password protects it: KOReader will ask for it; we know nothing
    info = reader.metadata
    if info is not None:
        metadata.title = useful_pdf_title(info.title, file_name)
        metadata.creators = _pdf_authors(info.author)
    if metadata.title is None or not metadata.creators:
        xmp = reader.xmp_metadata
        if xmp is not None:
            titles: dict[str, Any] = xmp.dc_title or {}
            metadata.title = metadata.title or useful_pdf_title(
                titles.get("x-default") or next(iter(titles.values()), None), file_name
            )
            metadata.creators = metadata.creators or [Creator(n) for n in xmp.dc_creator or []]
    root = reader.trailer.get("/Root")
    language = root.get_object().get("/Lang") if root is not None else None
    if isinstance(language, str):
        metadata.language = language


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:120]


def _natural_key(name: str) -> list[Any]:
    return [int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(name)]


def read_cbz(path: Path, archive: zipfile.ZipFile) -> BookMetadata:
    """ComicInfo.xml fields when present, and the front cover (or first page) image."""
    entries = Entries(archive)
    pages = sorted(
        (
            name
            for name in entries.names
            if name.casefold().endswith(IMAGE_SUFFIXES)
            and not name.startswith("__MACOSX/")
            and not name.rsplit("/", 1)[-1].startswith(".")
        ),
        key=_natural_key,
    )
    info_name = entries.find("ComicInfo.xml") or next(
        (name for name in entries.names if name.casefold().endswith("/comicinfo.xml")), None
    )
    if not pages and info_name is None:
        raise NotAnEbookError("a ZIP archive, but neither an EPUB nor a comic book (no images)")
    metadata = BookMetadata(format="cbz")
    cover_index = 0
    if info_name is not None:
        root = parse_xml(entries.read(info_name, MAX_XML_BYTES))
        if root is not None:
            cover_index = _comic_info(root, metadata)
    if pages:
        page = pages[cover_index] if cover_index < len(pages) else pages[0]
        try:
            metadata.cover = entries.read(page, MAX_COVER_BYTES)
        except (DamagedFileError, NotAnEbookError) as error:
            log.warning("Cover of %s not read: %s", path, error)
    return metadata


def _comic_info(root: etree._Element, metadata: BookMetadata) -> int:
    """Fill `metadata` from ComicInfo.xml; return the index of the front-cover page."""
    fields: dict[str, str] = {}
    cover_index = 0
    for element in root.iter(tag=etree.Element):
        name = local(element)
        if name == "Page" and (element.get("Type") or "").casefold() == "frontcover":
            image = parse_series_index(element.get("Image"))
            cover_index = int(image) if image is not None else 0
        elif element is not root and name not in fields:
            fields[name] = text_of(element)
    series, number = fields.get("Series"), fields.get("Number")
    metadata.title = fields.get("Title") or (f"{series} #{number}" if series and number else None)
    metadata.series = series
    metadata.series_index = parse_series_index(number)
    metadata.publisher = fields.get("Publisher")
    metadata.description = fields.get("Summary")
    metadata.language = fields.get("LanguageISO")
    year, month, day = fields.get("Year"), fields.get("Month"), fields.get("Day")
    if year:
        date = f"{year}-{month}-{day}" if month and day else f"{year}-{month}" if month else year
        metadata.published = parse_published(date)
    for field_name, role in _COMIC_ROLES:
        for name in (fields.get(field_name) or "").split(","):
            if name.strip():
                metadata.creators.append(Creator(name.strip(), role))
    if fields.get("GTIN"):
        metadata.raw_identifiers.append(("isbn", fields["GTIN"]))
    return cover_index


def decode_fb2(data: bytes) -> bytes:
    """FB2 bytes re-encoded as UTF-8 (declaration dropped), whatever encoding they claim.

    Text that is UTF-8 apart from a few stray bytes is taken as UTF-8 even when the declaration
    says otherwise: non-ASCII text in a single-byte encoding is almost never valid UTF-8, so
    its bytes would nearly all be invalid. Otherwise the declared encoding is used, then
    windows-1251, the usual encoding of FB2 files that lie. Control characters XML forbids
    are dropped.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        text = _decode_single(data)
    body = _XML_DECLARATION.sub("", text, count=1)
    return _CONTROL.sub("", body).encode("utf-8", errors="replace")


def _decode_single(data: bytes) -> str:
    as_utf8 = data.decode("utf-8", errors="replace")
    invalid = as_utf8.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    non_ascii = len(data.translate(None, bytes(range(128))))
    if invalid * 20 <= non_ascii:  # under 5 % of the non-ASCII bytes are invalid UTF-8
        return as_utf8
    declared = _DECLARED_ENCODING.match(data)
    for encoding in (declared.group(1).decode() if declared else None, "cp1251"):
        try:
            if encoding is None or codecs.lookup(encoding).name == "utf-8":
                continue
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


_FB2_PARSER = etree.XMLParser(
    recover=True,
    resolve_entities=False,
    no_network=True,
    remove_comments=True,
    encoding="utf-8",
    huge_tree=True,  # embedded base64 images make large text nodes
)


def read_fb2(path: Path, data: bytes, file_format: str = "fb2") -> BookMetadata:
    """Metadata and cover of an FB2 book given its bytes."""
    try:
        root = etree.fromstring(decode_fb2(data), _FB2_PARSER)
    except etree.XMLSyntaxError:
        root = None
    description = _child(root, "description") if root is not None else None
    if (
        root is None
        or local(root) != "FictionBook"
        or (description is None and _child(root, "body") is None)
    ):
        raise DamagedFileError("not a readable FB2 book (its XML is too damaged)")
    metadata = BookMetadata(format=file_format)
    if description is None:
        return metadata
    title_info = _child(description, "title-info")
    publish_info = _child(description, "publish-info")
    cover_href = None
    if title_info is not None:
        metadata.title = _text(title_info, "book-title")
        metadata.language = _text(title_info, "lang")
        metadata.description = _fb2_annotation(title_info)
        metadata.creators = _fb2_people(title_info, "author", "aut") + _fb2_people(
            title_info, "translator", "trl"
        )
        sequence = _child(title_info, "sequence")
        if sequence is not None and (sequence.get("name") or "").strip():
            metadata.series = sequence.get("name")
            metadata.series_index = parse_series_index(sequence.get("number"))
        date = _child(title_info, "date")
        if date is not None:
            metadata.published = parse_published(date.get("value") or text_of(date))
        coverpage = _child(title_info, "coverpage")
        image = _child(coverpage, "image") if coverpage is not None else None
        if image is not None:
            cover_href = next((v for k, v in image.attrib.items() if k.endswith("href")), None)
    if publish_info is not None:
        metadata.publisher = _text(publish_info, "publisher")
        metadata.published = parse_published(_text(publish_info, "year")) or metadata.published
        isbn = _text(publish_info, "isbn")
        if isbn:
            metadata.raw_identifiers.append(("isbn", isbn))
    if cover_href:
        metadata.cover = _fb2_binary(root, cover_href.lstrip("#"))
    return metadata


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element.iterchildren(tag=etree.Element):
        if local(child) == name:
            return child
    return None


def _text(element: etree._Element, name: str) -> str | None:
    child = _child(element, name)
    return text_of(child) or None if child is not None else None


def _fb2_people(title_info: etree._Element, tag: str, role: str) -> list[Creator]:
    people: list[Creator] = []
    for person in title_info.iterchildren(tag=etree.Element):
        if local(person) != tag:
            continue
        first, middle, last = (
            _text(person, part) for part in ("first-name", "middle-name", "last-name")
        )
        name = " ".join(part for part in (first, middle, last) if part) or _text(person, "nickname")
        if name:
            given = " ".join(part for part in (first, middle) if part)
            file_as = f"{last}, {given}" if last and given else None
            people.append(Creator(name, role, file_as))
    return people


def _fb2_annotation(title_info: etree._Element) -> str | None:
    annotation = _child(title_info, "annotation")
    if annotation is None:
        return None
    paragraphs = [text_of(element) for element in annotation.iterchildren(tag=etree.Element)]
    return "\n\n".join(p for p in paragraphs if p) or text_of(annotation) or None


def _fb2_binary(root: etree._Element, binary_id: str) -> bytes | None:
    for element in root.iterchildren(tag=etree.Element):
        if local(element) == "binary" and element.get("id") == binary_id:
            try:
                data = base64.b64decode("".join(element.itertext()), validate=False)
            except (binascii.Error, ValueError):
                return None
            return data if 0 < len(data) <= MAX_COVER_BYTES else None
    return None


def read_fb2_zip(path: Path, archive: zipfile.ZipFile) -> BookMetadata:
    """An FB2 book packed alone in a ZIP (`.fb2.zip`)."""
    entries = Entries(archive)
    member = next((n for n in sorted(entries.names) if n.casefold().endswith(".fb2")), None)
    if member is None:
        raise NotAnEbookError("a ZIP archive without an FB2 book in it")
    return read_fb2(path, entries.read(member, 256 * 1024 * 1024), "fb2.zip")
