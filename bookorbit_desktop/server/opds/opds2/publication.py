"""One book as an OPDS 2.0 publication: metadata, acquisition links and cover images.

Text comes from the same cleaning rules as the Atom entries (`text`), so both renderings show
the same title, authors and summary. Values the schemas constrain (language tags, dates, URIs,
sizes) are only written when they fit; a book never fails its feed for a bad field.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bookorbit_desktop.server.opds.formats import format_info
from bookorbit_desktop.server.opds.model import CatalogUrls, cover_type, ordered_files, rfc3339
from bookorbit_desktop.server.opds.queries import BookEntry
from bookorbit_desktop.server.opds.text import entry_authors, entry_title, feed_line, plain_summary

REL_ACQUISITION = "http://opds-spec.org/acquisition"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
BOOK_TYPE = "http://schema.org/Book"
# A plain BCP 47 tag (language, script, region): what book languages are; anything else,
# such as a free-text "English", is left out rather than written as a broken tag.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?")
_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISBN = re.compile(r"[0-9]{9}[0-9Xx]|[0-9]{13}")


def publication(book: BookEntry, urls: CatalogUrls) -> dict[str, Any]:
    """The publication object of `book` (it has at least one file, so one acquisition link)."""
    result: dict[str, Any] = {"metadata": _metadata(book), "links": _acquisitions(book, urls)}
    # Every book has a cover: its own, or one generated from its title (a JPEG).
    result["images"] = [
        {"rel": REL_IMAGE, "href": urls.cover(book), "type": cover_type(book.cover_path or ".jpg")},
        {"rel": REL_THUMBNAIL, "href": urls.thumbnail(book), "type": "image/jpeg"},
    ]
    return result


def _language(code: str) -> str | None:
    language = feed_line(code)
    return language if language and _LANGUAGE.fullmatch(language) else None


def _metadata(book: BookEntry) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "@type": BOOK_TYPE,
        "identifier": f"urn:bookorbit:book:{book.id}",
        "title": entry_title(book.title),
        "modified": rfc3339(book.updated_at),
    }
    if subtitle := feed_line(book.subtitle):
        metadata["subtitle"] = subtitle
    if book.pages:
        metadata["numberOfPages"] = book.pages
    if authors := entry_authors(book.authors):
        metadata["author"] = [{"name": name} for name in authors]
    if isbn := _isbn(book.isbn13):
        metadata["altIdentifier"] = [f"urn:isbn:{isbn}"]
    tags = [tag for code in book.languages if (tag := _language(code))]
    if tags:  # one as a tag, several as the list of them (the main one first)
        metadata["language"] = tags[0] if len(tags) == 1 else tags
    if publisher := feed_line(book.publisher):
        metadata["publisher"] = [{"name": publisher}]
    if published := _full_date(book.published):
        metadata["published"] = published
    if series := feed_line(book.series):
        member: dict[str, Any] = {"name": series}
        if book.series_index is not None:
            index = float(book.series_index)
            member["position"] = int(index) if index.is_integer() else index
        metadata["belongsTo"] = {"series": [member]}
    if summary := plain_summary(book.description):
        metadata["description"] = summary
    return metadata


def _acquisitions(book: BookEntry, urls: CatalogUrls) -> list[dict[str, Any]]:
    links = []
    for file in ordered_files(book):
        info = format_info(file.format)
        link: dict[str, Any] = {
            "rel": REL_ACQUISITION,
            "href": urls.download(file),
            "type": info.mime,
            "title": info.label,
        }
        if file.size > 0:
            link["size"] = file.size
        links.append(link)
    return links


def _isbn(value: str | None) -> str:
    text = feed_line(value).replace("-", "")
    return text if _ISBN.fullmatch(text) else ""


def _full_date(value: str | None) -> str:
    """A publication date the schema accepts (YYYY-MM-DD, a real day), else ""."""
    text = feed_line(value)
    if not _FULL_DATE.fullmatch(text):
        return ""
    try:
        date.fromisoformat(text)
    except ValueError:
        return ""
    return text
