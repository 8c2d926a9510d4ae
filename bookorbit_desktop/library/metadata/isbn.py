"""ISBN rules: checksums, normalisation and ISBN-10 to ISBN-13 conversion.

Pure functions. Ebook files carry ISBNs as `urn:isbn:978-…`, `isbn:…`, `ISBN 0-19-…` or bare
digits, often with hyphens or spaces, and sometimes with a wrong check digit; only values whose
checksum holds are treated as ISBNs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Prefixes seen in front of ISBN values, longest first so "urn:isbn:" wins over "isbn:".
_PREFIX = re.compile(r"^\s*(?:urn:isbn:|isbn(?:[-\s]?1[03])?\s*[:=]?)\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]+")
# Inside a scheme-tagged value, an ISBN may be followed by remarks such as "(pbk.)".
_EMBEDDED = re.compile(r"(?<![0-9])(97[89][0-9]{10}|[0-9]{9}[0-9X])(?![0-9X])")


@dataclass(frozen=True)
class Isbn:
    """A valid ISBN in both forms; `isbn10` is None for 979-prefixed ISBNs, which have none."""

    isbn13: str
    isbn10: str | None


def isbn10_check_digit(first9: str) -> str:
    """The check character ("0".."9" or "X") completing nine ISBN-10 digits."""
    total = sum((10 - position) * int(digit) for position, digit in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first12: str) -> str:
    """The check digit completing twelve ISBN-13 digits."""
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(first12))
    return str((10 - total % 10) % 10)


def _repdigit(value: str) -> bool:
    # "0000000000" and "1111111111" pass the ISBN-10 checksum but are placeholders.
    return len(set(value)) == 1


def is_valid_isbn10(value: str) -> bool:
    """True for ten characters (nine digits then a digit or X) with a correct checksum."""
    if len(value) != 10 or not value[:9].isdigit() or not value[:9].isascii():
        return False
    if not (value[9].isdigit() or value[9] == "X") or _repdigit(value):
        return False
    return isbn10_check_digit(value[:9]) == value[9]


def is_valid_isbn13(value: str) -> bool:
    """True for 13 digits in the ISBN ranges (978/979) with a correct checksum."""
    if len(value) != 13 or not value.isdigit() or not value.isascii():
        return False
    if not value.startswith(("978", "979")):
        return False
    return isbn13_check_digit(value[:12]) == value[12]


def isbn10_to_13(isbn10: str) -> str:
    """The ISBN-13 of a valid ISBN-10 (978 prefix, new check digit)."""
    core = "978" + isbn10[:9]
    return core + isbn13_check_digit(core)


def isbn13_to_10(isbn13: str) -> str | None:
    """The ISBN-10 of a 978-prefixed ISBN-13; None for 979 ISBNs, which have no ISBN-10."""
    if not isbn13.startswith("978"):
        return None
    core = isbn13[3:12]
    return core + isbn10_check_digit(core)


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", _PREFIX.sub("", value)).upper()


def _from_compact(value: str) -> Isbn | None:
    if is_valid_isbn13(value):
        return Isbn(value, isbn13_to_10(value))
    if is_valid_isbn10(value):
        return Isbn(isbn10_to_13(value), value)
    return None


def parse_isbn(value: str, *, tagged: bool = False) -> Isbn | None:
    """The ISBN in `value`, validated and normalised, or None.

    Without `tagged` the whole value (after removing an ISBN prefix, hyphens and spaces) must
    be the ISBN, so a 13-digit run inside a uuid or a phone number is not mistaken for one.
    With `tagged` (the file said this value is an ISBN) remarks around it are tolerated.
    """
    if not value:
        return None
    compact = _compact(value)
    found = _from_compact(compact)
    if found is not None or not tagged:
        return found
    for candidate in _EMBEDDED.findall(compact):
        found = _from_compact(candidate)
        if found is not None:
            return found
    return None
