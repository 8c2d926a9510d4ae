"""A file size as people read it, the same in the catalog's entries and the library table."""

from __future__ import annotations

_SIZE_UNITS = ("KB", "MB", "GB", "TB")


def file_size(size: int) -> str:
    """A file size as people read it: "812 bytes", "48.2 KB", "1.2 MB" (powers of 1000)."""
    if size < 1000:
        return "1 byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in _SIZE_UNITS:
        value /= 1000
        if round(value) < 1000 or unit == _SIZE_UNITS[-1]:
            break
    number = f"{value:.0f}" if value >= 99.95 else f"{value:.1f}".removesuffix(".0")
    return f"{number} {unit}"
