"""The book panel's facts: subtitle, languages (by name), publisher, pages, identifiers and the
book's files, as an escaped HTML table (every value from outside goes through `html.escape`)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from bookorbit_desktop.services.library.service import SHOWN_APART, language_label

if TYPE_CHECKING:
    from bookorbit_desktop.services.library.records import BookDetails


def facts_html(book: BookDetails) -> str:
    rows: list[tuple[str, str]] = []
    for label, key in (
        ("Subtitle", "subtitle"),
        ("Language", "language"),
        ("Publisher", "publisher"),
        ("Published", "published"),
        ("Pages", "pages"),
        ("ISBN", "isbn13"),
        ("ISBN-10", "isbn10"),
    ):
        value = book.get(key)
        if value and key == "language":  # by name: "French, English", not "fr, en"
            codes = str(value).split(SHOWN_APART)
            names = [language_label(code) for code in codes]
            rows.append(("Languages" if len(codes) > 1 else label, SHOWN_APART.join(names)))
        elif value:
            rows.append((label, str(value)))
    for file in book.get("files", []):
        note = "  (missing from disk)" if file.get("missing") else ""
        rows.append((str(file["format"]).upper(), f"{file['path']}{note}"))
    return (
        "<table>"
        + "".join(
            f"<tr><td style='padding-right:10px;color:gray'>{html.escape(label)}</td>"
            f"<td>{html.escape(value)}</td></tr>"
            for label, value in rows
        )
        + "</table>"
    )
