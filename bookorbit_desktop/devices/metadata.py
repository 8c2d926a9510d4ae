"""The metadata a book carries to the device: only what KOReader keeps.

KOReader rewrites its whole `metadata.calibre` after every book it receives and keeps just
uuid, lpath, last_modified, size, title, authors, author_sort, tags, series and series_index;
anything more (covers, descriptions) only costs the device memory. The uuid is the library's
(`library.store.devices.book_uuid`), which is how a later connection recognises the book.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bookorbit_desktop.library.store.devices import SendItem


def timestamp(seconds: float) -> str:
    """calibre's date format: ISO 8601 in UTC with its offset."""
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def author_sort(authors: tuple[str, ...]) -> str:
    """ "Last, First" for each author, joined as calibre joins them."""
    sorted_names = []
    for name in authors:
        words = name.split()
        sorted_names.append(f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else name)
    return " & ".join(sorted_names)


def slim_metadata(
    item: SendItem, lpath: str, size: int, last_modified: str, tags: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "uuid": item.uuid,
        "lpath": lpath,
        "last_modified": last_modified,
        "size": size,
        "title": item.title,
        "authors": list(item.authors),
        "author_sort": author_sort(item.authors),
        "tags": list(tags),
        "series": item.series,
        "series_index": item.series_index,
    }
