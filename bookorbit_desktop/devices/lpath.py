"""The path a book gets on the device, relative to KOReader's inbox folder.

KOReader writes `inbox/<lpath>` exactly as told, so the path must be safe everywhere a device
may keep books (FAT and exFAT cards included). The rules, in order, for each of the two parts
(`Author/Title.ext`):

| rule | why |
|---|---|
| Unicode NFC | one spelling of "é" on every file system |
| tabs, line breaks and runs of spaces become one space | names stay readable |
| `\\ / : * ? " < > |` and control characters become `_` | FAT/exFAT refuse them; `/` nests |
| no leading or trailing dots or spaces | no `..`, no hidden files, no names Windows trims |
| reserved DOS names (`CON`, `NUL`, `COM1`, ...) get a leading `_` | FAT refuses them |
| empty becomes "Unknown" | a folder or file needs a name |
| at most `MAX_PART_BYTES` UTF-8 bytes, cut between characters | names over 255 bytes crash |

The whole path stays under `MAX_LPATH_BYTES`. A `suffix` (" (12)") tells apart two books that
would otherwise share a path.
"""

from __future__ import annotations

import re
import unicodedata

MAX_PART_BYTES = 80
MAX_LPATH_BYTES = 180
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{kind}{n}" for kind in ("COM", "LPT") for n in range(1, 10)]
)


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, never inside a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")


def safe_part(text: str, limit: int = MAX_PART_BYTES) -> str:
    """One path component under the rules above."""
    part = " ".join(unicodedata.normalize("NFC", text).split())
    part = _UNSAFE.sub("_", part)
    part = part.strip(" .")
    if part.split(".")[0].upper() in _RESERVED:
        part = "_" + part
    part = _cut(part, limit).rstrip(" .")
    return part or "Unknown"


def make_lpath(title: str, authors: tuple[str, ...], extension: str, suffix: str = "") -> str:
    """`Author/Title<suffix>.ext`, safe for KOReader's inbox on any file system."""
    ext = safe_part(extension.lower().lstrip("."), 10)
    author = safe_part(authors[0] if authors else "")
    room = MAX_PART_BYTES - len(ext.encode()) - 1 - len(suffix.encode())
    name = safe_part(title, room) + suffix
    lpath = f"{author}/{name}.{ext}"
    assert is_safe(lpath), lpath
    return lpath


def is_safe(lpath: str) -> bool:
    """True for a relative path with no `..`, no empty or hidden part, within the limits."""
    if not lpath or len(lpath.encode("utf-8")) > MAX_LPATH_BYTES or lpath.startswith("/"):
        return False
    parts = lpath.split("/")
    return all(
        part
        and not part.startswith((".", " "))
        and len(part.encode("utf-8")) <= MAX_PART_BYTES
        and not _UNSAFE.search(part)
        for part in parts
    )
