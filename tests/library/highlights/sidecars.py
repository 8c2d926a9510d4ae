"""KOReader sidecars written in tests: the current `annotations` layout and the older
`highlight`/`bookmarks` one, as KOReader saves them (a Lua table in `<book>.sdr`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.library.highlights.lua_writer import lua_file


def current_table(
    digest: str | None, title: str = "Dune", authors: str = "Frank Herbert", **extra: Any
) -> dict[str, Any]:
    table: dict[str, Any] = {
        "doc_props": {"title": title, "authors": authors, "language": "en"},
        "percent_finished": 0.42,
        "annotations": [
            {
                "datetime": "2024-03-01 20:15:00",
                "drawer": "lighten",
                "color": "yellow",
                "text": "Fear is the mind-killer.",
                "chapter": "Book One",
                "pageno": 12,
                "pos0": "/body/DocFragment[3]/body/p[4]/text().0",
                "pos1": "/body/DocFragment[3]/body/p[4]/text().24",
                "page": "/body/DocFragment[3]/body/p[4]/text().0",
            },
            {"datetime": "2024-03-01 20:16:00", "page": 14, "pageno": 14, "text": "Page 14"},
            {
                "datetime": "2024-03-02 08:00:05",
                "datetime_updated": "2024-03-03 09:00:00",
                "drawer": "underscore",
                "text": "The spice must flow.",
                "note": "Not in the book, actually.",
                "chapter": "Book Two",
                "pageno": 101,
                "pageref": "xii",
                "pos0": "a",
                "pos1": "b",
            },
        ],
        "summary": {
            "status": "complete",
            "rating": 5,
            "note": "Loved it",
            "modified": "2024-03-04",
        },
    }
    if digest is not None:
        table["partial_md5_checksum"] = digest
    table.update(extra)
    return table


def legacy_table(digest: str | None, title: str = "Emma", authors: str = "Jane Austen") -> dict:
    return {
        "partial_md5_checksum": digest,
        "doc_props": {"title": title, "authors": authors},
        "highlight": {
            7: [
                {
                    "datetime": "2021-05-06 10:00:00",
                    "text": "Badly done, Emma!",
                    "chapter": "Volume III",
                    "drawer": "lighten",
                    "pos0": {"page": 7, "x": 1},
                    "pos1": {"page": 7, "x": 9},
                }
            ],
            3: [
                {"datetime": "2021-05-05 09:00:00", "text": "Handsome, clever, and rich"},
                {"datetime": "not a time", "text": "broken"},
            ],
        },
        "bookmarks": [
            {
                "datetime": "2021-05-06 10:00:00",
                "notes": "Badly done, Emma!",
                "text": "Knightley at Box Hill",
                "highlighted": True,
                "page": 7,
            },
            {
                "datetime": "2021-05-05 09:00:00",
                "notes": "Handsome, clever, and rich",
                "text": "Page 3 Handsome, clever, and rich @ 2021-05-05 09:00:00",
                "highlighted": True,
                "page": 3,
            },
        ],
    }


def write_sidecar(book: Path, table: dict[str, Any], *, extension: str = "epub") -> Path:
    folder = book.parent / f"{book.stem}.sdr"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"metadata.{extension}.lua"
    path.write_text(lua_file(table), encoding="utf-8")
    return path
