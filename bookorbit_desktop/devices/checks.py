"""What a device's values must be before the session keeps them: names, paths, numbers.

Anyone on the Wi-Fi who knows (or, once throttled, guesses) the password speaks as a device,
and even a real KOReader sends what its files say. Every value a session keeps passes one of
these rules; a value that fails is dropped (`None`), never cleaned into something else, except
a name, which is shown and so is made plain:

| value | kept when | else |
|---|---|---|
| device name | text; hidden characters removed, spaces collapsed, `MAX_NAME_CHARS` | fallback |
| store uuid | 1-64 of `A-Z a-z 0-9 - _ { }` | None (a new one is made) |
| lpath | `MAX_LPATH_BYTES` at most, relative (no `/`, `\\`, `C:` first), no empty, | None (the |
|  | `.` or `..` part, no control character | book is left out) |
| title, author, book uuid, date | text of at most `MAX_TEXT_CHARS`, no control character | None |
| authors | a list of at most `MAX_AUTHORS` such texts | () |
| count of books | an int from 0 to `MAX_BOOKS` | None (the session ends) |
| free space | an int from 0 to `MAX_BYTES` | None |
| priKey | an int from 0 to `MAX_BOOKS` | None (its details are not asked for) |
| extension | 1-10 letters or digits | left out |

A bool is not a number here, though Python counts it as one.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 64  # "KOReader (Kobo Libra 2)" with room to spare
MAX_LPATH_BYTES = 1024  # calibre's own templates stay far below; file systems allow 4096
MAX_TEXT_CHARS = 1000
MAX_AUTHORS = 50
MAX_BOOKS = 100_000  # a device with more books than this is not a reader
MAX_BYTES = 2**50  # a petabyte: more than any e-reader's storage
_STORE_UUID = re.compile(r"[A-Za-z0-9_{}-]{1,64}")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
_DRIVE = re.compile(r"[A-Za-z]:")
# Control and format characters (including line and paragraph separators and bidi overrides),
# surrogates and private-use characters.
_HIDDEN = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))


def _has_hidden(text: str) -> bool:
    return any(unicodedata.category(char) in _HIDDEN for char in text)


def device_name(value: object, fallback: str) -> str:
    """The name a device gives itself, as plain visible text of bounded length."""
    if not isinstance(value, str):
        return fallback
    head = value[: MAX_NAME_CHARS * 4]
    text = "".join(" " if c.isspace() else c for c in head if c.isspace() or not _has_hidden(c))
    text = " ".join(unicodedata.normalize("NFC", text).split())[:MAX_NAME_CHARS].strip()
    return text or fallback


def store_uuid(value: object) -> str | None:
    return value if isinstance(value, str) and _STORE_UUID.fullmatch(value) else None


def lpath(value: object) -> str | None:
    """A path on the device, relative to its library, that leads nowhere else."""
    if not isinstance(value, str) or not value or _has_hidden(value):
        return None
    if len(value.encode("utf-8", errors="replace")) > MAX_LPATH_BYTES:
        return None
    if value.startswith(("/", "\\")) or _DRIVE.match(value):
        return None
    parts = re.split(r"[/\\]", value)
    if any(part in ("", ".", "..") for part in parts):
        return None
    return value


def text(value: object) -> str | None:
    """A title, an author, a book's uuid or a date as the device sent it."""
    if not isinstance(value, str) or len(value) > MAX_TEXT_CHARS or _has_hidden(value):
        return None
    return value


def authors(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_AUTHORS:
        return ()
    return tuple(name for name in map(text, value) if name is not None)


def number(value: object, largest: int) -> int | None:
    """An int from 0 to `largest` (not a bool, a float or a numeral in text)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= largest:
        return None
    return value


def extensions(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    found = [item.lower() for item in value[:100] if isinstance(item, str)]
    return [item for item in found if _EXTENSION.fullmatch(item)]
