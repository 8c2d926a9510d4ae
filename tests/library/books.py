"""Hand-built ebook files for the library tests: the messy shapes real files come in.

ebooklib (tests/factories.py) writes tidy EPUBs; these builders write what ebooklib itself
refuses to read: manifests pointing at missing files or fragments, `mimetype` not first, OPF 2
with `opf:` attributes, DRM markers, MOBI headers, FB2 with a lying encoding declaration.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path

from PIL import Image

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""


def jpeg(width: int = 60, height: int = 90, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(output, "JPEG")
    return output.getvalue()


def png(width: int = 60, height: int = 90) -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 0, 255, 128)).save(output, "PNG")
    return output.getvalue()


def opf2(metadata: str, manifest: str = "", extra: str = "") -> str:
    """An EPUB 2 package document around the given <metadata> children."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="bookid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    {metadata}
  </metadata>
  <manifest>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="text" href="text.xhtml" media-type="application/xhtml+xml"/>
    {manifest}
  </manifest>
  <spine toc="ncx"><itemref idref="text"/></spine>
  {extra}
</package>"""


def opf3(metadata: str, manifest: str = "") -> str:
    """An EPUB 3 package document around the given <metadata> children."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    {metadata}
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="text" href="text.xhtml" media-type="application/xhtml+xml"/>
    {manifest}
  </manifest>
  <spine><itemref idref="text"/></spine>
</package>"""


def build_epub(
    path: Path,
    opf: str,
    *,
    opf_path: str = "OEBPS/content.opf",
    files: Mapping[str, bytes | str] | None = None,
    mimetype_first: bool = True,
    container: str | None = None,
) -> Path:
    """Write an EPUB zip exactly as told (nothing is checked or completed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries: list[tuple[str, bytes | str]] = [
        (
            "META-INF/container.xml",
            container if container is not None else CONTAINER.format(opf=opf_path),
        ),
        (opf_path, opf),
        ("OEBPS/text.xhtml", "<html><body><p>Text.</p></body></html>"),
    ]
    entries.extend((files or {}).items())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype_first:
            archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        for name, data in entries:
            archive.writestr(name, data)
        if not mimetype_first:
            archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
    return path


def simple_opf2(title: str = "Plain Book", author: str = "Ann Author", extra: str = "") -> str:
    return opf2(
        f"""<dc:title>{title}</dc:title>
        <dc:creator opf:role="aut">{author}</dc:creator>
        <dc:language>en</dc:language>
        <dc:identifier id="bookid">urn:uuid:0b5e2f9e-1f6b-4a43-9b0c-7d4c5c7e2a10</dc:identifier>
        {extra}"""
    )


# -- MOBI ---------------------------------------------------------------------------------

MOBI_HEADER_LENGTH = 232


def _exth(records: list[tuple[int, bytes]]) -> bytes:
    body = b"".join(struct.pack(">II", kind, len(data) + 8) + data for kind, data in records)
    exth = b"EXTH" + struct.pack(">II", 12 + len(body), len(records)) + body
    return exth + b"\0" * (-len(exth) % 4)


def build_mobi(
    path: Path,
    *,
    full_name: str = "A Kindle Book",
    exth: list[tuple[int, bytes]] | None = None,
    encryption: int = 0,
    text_encoding: int = 65001,
    version: int = 6,
    cover: bytes | None = None,
    truncate_to: int | None = None,
    exth_cover: bool = True,
    before_cover: tuple[bytes, ...] = (),
) -> Path:
    """A minimal but well-formed MOBI: PalmDB header, record 0, one text record, a cover.

    The image records start with `before_cover`; the EXTH cover record (201) names the cover
    unless `exth_cover` is false (many real books have none)."""
    records_exth = list(exth or [])
    if cover is not None and exth_cover:
        # cover = first image record + its position among them
        records_exth.append((201, struct.pack(">I", len(before_cover))))
    exth_block = _exth(records_exth) if records_exth else b""
    name_bytes = full_name.encode("utf-8" if text_encoding == 65001 else "cp1252")
    mobi = bytearray(MOBI_HEADER_LENGTH)
    mobi[0:4] = b"MOBI"
    struct.pack_into(">III", mobi, 4, MOBI_HEADER_LENGTH, 2, text_encoding)
    struct.pack_into(">I", mobi, 20, version)
    name_offset = 16 + MOBI_HEADER_LENGTH + len(exth_block)
    struct.pack_into(">II", mobi, 84 - 16, name_offset, len(name_bytes))
    first_image = 2 if cover is not None else 0xFFFFFFFF
    struct.pack_into(">I", mobi, 108 - 16, first_image)
    struct.pack_into(">I", mobi, 128 - 16, 0x40 if exth_block else 0)
    text = b"<html><body>Hello</body></html>"
    palmdoc = struct.pack(">HHIHHHH", 1, 0, len(text), 1, 4096, encryption, 0)
    record0 = palmdoc + bytes(mobi) + exth_block + name_bytes + b"\0\0"
    records = [record0, text] + ([*before_cover, cover] if cover is not None else [])
    header = bytearray(78)
    header[0:32] = full_name.encode("ascii", "replace")[:31].ljust(32, b"\0")
    header[60:68] = b"BOOKMOBI"
    struct.pack_into(">H", header, 76, len(records))
    offset = 78 + 8 * len(records) + 2
    table = b""
    for index, record in enumerate(records):
        table += struct.pack(">II", offset, index * 2)
        offset += len(record)
    data = bytes(header) + table + b"\0\0" + b"".join(records)
    if truncate_to is not None:
        data = data[:truncate_to]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- FB2 ----------------------------------------------------------------------------------


def fb2_text(
    title: str = "Война и мир",
    *,
    first: str = "Лев",
    last: str = "Толстой",
    lang: str = "ru",
    sequence: str = '<sequence name="Эпопея" number="2"/>',
    cover: bytes | None = None,
    isbn: str | None = None,
    declaration: str = '<?xml version="1.0" encoding="utf-8"?>',
    broken_tail: bool = False,
) -> str:
    import base64

    coverpage = '<coverpage><image l:href="#cover.jpg"/></coverpage>' if cover else ""
    binary = (
        '<binary id="cover.jpg" content-type="image/jpeg">'
        f"{base64.b64encode(cover).decode()}</binary>"
        if cover
        else ""
    )
    isbn_element = f"<isbn>{isbn}</isbn>" if isbn else ""
    publish = (
        f"<publish-info><publisher>Азбука</publisher><year>2012</year>{isbn_element}</publish-info>"
    )
    tail = (
        "<p>Конец" if broken_tail else "<p>Конец</p></section></body>" + binary + "</FictionBook>"
    )
    return (
        f"{declaration}\n"
        '<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0" '
        'xmlns:l="http://www.w3.org/1999/xlink">'
        "<description><title-info><genre>prose</genre>"
        f"<author><first-name>{first}</first-name><last-name>{last}</last-name></author>"
        f"<book-title>{title}</book-title>"
        "<annotation><p>Роман-эпопея.</p><p>Второй абзац.</p></annotation>"
        f'<date value="1869-01-01">1869</date>{coverpage}<lang>{lang}</lang>{sequence}'
        f"</title-info>{publish}</description>"
        f"<body><section>{tail}"
    )
