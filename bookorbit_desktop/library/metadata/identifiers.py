"""Book identifiers as files carry them, sorted into schemes, ISBNs and Hardcover references.

Pure functions. Identifiers lie: `unknown`, one uuid shared by unrelated books, ISBNs with or
without `urn:isbn:`/`isbn:` prefixes, with or without an `opf:scheme`. A uuid is kept for
reference but never used to decide that two files are the same book.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bookorbit_desktop.library.metadata.isbn import Isbn, parse_isbn

# Placeholder values generators write when they have no identifier.
_PLACEHOLDERS = frozenset({"unknown", "none", "null", "n/a", "na", "-", "0", "undefined", "isbn"})
_UUID = re.compile(
    r"^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$", re.IGNORECASE
)
# "scheme:value" prefixes; "urn:x:" is unwrapped to x. URLs are values, not schemes.
_PREFIXED = re.compile(r"^(?:urn:)?([a-z][a-z0-9_.-]{0,30}):\s*(.+)$", re.IGNORECASE | re.DOTALL)
_NOT_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "file", "data", "tag", "urn"})
# Other spellings of the same scheme.
_SCHEME_ALIASES = {
    "isbn13": "isbn",
    "isbn-13": "isbn",
    "isbn10": "isbn",
    "isbn-10": "isbn",
    "ean": "isbn",
    "gtin": "isbn",
    "mobi-asin": "asin",
    "amazon": "asin",
    "calibre_id": "calibre",
    "hardcover_id": "hardcover-id",
    "hardcover_slug": "hardcover-slug",
    "hardcover_edition": "hardcover-edition",
    # ONIX codelist 5 numbers used as EPUB 3 identifier-type values.
    "15": "isbn",
    "02": "isbn",
    "03": "isbn",
    "06": "doi",
}
_OTHER = "other"


@dataclass(frozen=True)
class IdentifierSet:
    """What a file's identifiers say, sorted out."""

    identifiers: dict[str, str] = field(default_factory=dict)
    isbn: Isbn | None = None
    hardcover_id: int | None = None
    hardcover_slug: str | None = None


def normalize_scheme(scheme: str | None) -> str | None:
    """A lower-case scheme name with known aliases folded (`ISBN13` -> `isbn`)."""
    if not scheme:
        return None
    key = scheme.strip().casefold().removeprefix("onix:codelist5:")
    if not key:
        return None
    return _SCHEME_ALIASES.get(key, key)


def classify(value: str, scheme: str | None = None) -> tuple[str, str] | None:
    """(scheme, value) for one identifier, or None for placeholders such as `unknown`."""
    text = value.strip()
    if not text or text.casefold() in _PLACEHOLDERS:
        return None
    declared = normalize_scheme(scheme)
    match = _PREFIXED.match(text)
    if match and match.group(1).casefold() not in _NOT_SCHEMES:
        # The value's own prefix is more specific than a scheme attribute, which tools copy
        # from templates (`opf:scheme="uuid"` on an `urn:isbn:` value happens).
        declared, text = normalize_scheme(match.group(1)), match.group(2).strip()
    if not text or text.casefold() in _PLACEHOLDERS:
        return None
    if declared is None:
        if _UUID.match(text):
            declared = "uuid"
        elif parse_isbn(text) is not None:
            declared = "isbn"
        else:
            declared = _OTHER
    return declared, text


def collect_identifiers(raw: Iterable[tuple[str | None, str]]) -> IdentifierSet:
    """Sort (scheme or None, value) pairs in file order into an `IdentifierSet`.

    The first value of each scheme is kept. The ISBN is the first value, in file order, that is
    tagged as an ISBN (or is a bare 10/13-digit value) and passes the checksum.
    """
    identifiers: dict[str, str] = {}
    isbn: Isbn | None = None
    hardcover_id: int | None = None
    slug: str | None = None
    for scheme, value in raw:
        if value is None:
            continue
        classified = classify(value, scheme)
        if classified is None:
            continue
        key, text = classified
        identifiers.setdefault(key, text)
        if key == "isbn" and isbn is None:
            isbn = parse_isbn(text, tagged=True)
        elif key == "hardcover-id" and hardcover_id is None and text.isdigit():
            hardcover_id = int(text)
        elif key == "hardcover-slug" and slug is None:
            slug = text
        elif key == "hardcover" and slug is None and not text.isdigit():
            # `hardcover:<slug>`; a numeric value is an old-style edition id, kept only as-is.
            slug = text
    return IdentifierSet(
        identifiers=identifiers,
        isbn=isbn,
        hardcover_id=hardcover_id,
        hardcover_slug=slug,
    )
