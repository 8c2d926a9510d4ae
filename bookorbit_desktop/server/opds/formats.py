"""Book file formats as the catalog announces them: MIME types and KOReader's file extensions.

KOReader picks the extension of a downloaded file from the download URL when it has a reader
for that extension, otherwise from the link's MIME type (its first registered extension for
that type). A wrong or generic type makes it save books with a wrong extension, so every format
gets its exact type here, chosen among the types KOReader registers.
"""

from __future__ import annotations

from dataclasses import dataclass

GENERIC_MIME = "application/octet-stream"


@dataclass(frozen=True)
class Format:
    mime: str
    label: str  # shown by KOReader on the download button
    # The extension KOReader gives the saved file when it differs from the format's own.
    koreader_ext: str | None = None


FORMATS: dict[str, Format] = {
    "epub": Format("application/epub+zip", "EPUB"),
    "pdf": Format("application/pdf", "PDF"),
    "cbz": Format("application/vnd.comicbook+zip", "CBZ"),
    "cbr": Format("application/vnd.comicbook-rar", "CBR"),
    "cbt": Format("application/vnd.comicbook+tar", "CBT"),
    "mobi": Format("application/x-mobipocket-ebook", "MOBI"),
    # KOReader has no reader registered for ".azw3"; it opens KF8 files as ".azw", the
    # extension it maps this type to, so that is the name the download is saved under.
    "azw3": Format("application/vnd.amazon.mobi8-ebook", "AZW3", koreader_ext="azw"),
    "azw": Format("application/vnd.amazon.ebook", "AZW"),
    "fb2": Format("application/x-fictionbook+xml", "FB2"),
    "djvu": Format("image/vnd.djvu", "DJVU"),
    "djv": Format("image/vnd.djvu", "DJVU"),
    "txt": Format("text/plain", "TXT"),
    "rtf": Format("application/rtf", "RTF"),
    "doc": Format("application/msword", "DOC"),
    "docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    ),
    "odt": Format("application/vnd.oasis.opendocument.text", "ODT"),
    "chm": Format("application/vnd.ms-htmlhelp", "CHM"),
    "html": Format("text/html", "HTML"),
    "htm": Format("text/html", "HTML"),
    "xhtml": Format("application/xhtml+xml", "XHTML"),
    "htmlz": Format("application/html+zip", "HTMLZ"),
    "md": Format("text/markdown", "MD"),
    "pdb": Format("application/vnd.palm", "PDB"),
    "prc": Format("application/vnd.palm", "PRC"),
    "xps": Format("application/oxps", "XPS"),
    "oxps": Format("application/oxps", "OXPS"),
}

# Acquisition links are listed in this order: plain EPUB first (clients that take the first
# link should get the most useful file), then the other reflowable formats, then fixed layout.
PREFERRED_ORDER = ("epub", "azw3", "mobi", "azw", "fb2", "pdf", "cbz", "djvu")


def format_info(fmt: str) -> Format:
    """What the catalog announces for a file of format `fmt` (its lowercase extension)."""
    key = fmt.lower()
    return FORMATS.get(key, Format(GENERIC_MIME, key.upper()))


def koreader_extension(fmt: str) -> str:
    """The extension KOReader gives a download of this format."""
    key = fmt.lower()
    info = FORMATS.get(key)
    if info is not None and info.koreader_ext:
        return info.koreader_ext
    return key


def format_rank(fmt: str) -> int:
    key = fmt.lower()
    return PREFERRED_ORDER.index(key) if key in PREFERRED_ORDER else len(PREFERRED_ORDER)
