"""The file names a folder import picks up, apart from the readers so that finding the files
(and an import with nothing new to read) loads none of them."""

from __future__ import annotations

from pathlib import Path

# File names a folder import picks up; other files in a folder (covers, .opf sidecars, notes)
# are ignored rather than reported as failures. Files named explicitly are always tried.
SUPPORTED_EXTENSIONS = (
    ".epub",
    ".kepub",
    ".pdf",
    ".cbz",
    ".mobi",
    ".prc",
    ".azw",
    ".azw3",
    ".fb2",
    ".fb2.zip",
)


def has_supported_extension(path: Path) -> bool:
    """True when `path`'s name ends in an ebook extension (in any case)."""
    return name_has_supported_extension(path.name)


def name_has_supported_extension(name: str) -> bool:
    """True when the file name `name` ends in an ebook extension (in any case)."""
    return name.casefold().endswith(SUPPORTED_EXTENSIONS)
