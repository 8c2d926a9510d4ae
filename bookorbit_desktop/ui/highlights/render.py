"""Highlights as the rich text the book box and the search page show (pure, no widgets)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from bookorbit_desktop.services.highlights.service import HighlightView


def where(view: HighlightView) -> str:
    """ "Chapter 3 · p. 41 · 2024-03-01": what the device said about its place and day."""
    parts = [view.chapter, f"p. {view.page}" if view.page else "", view.date]
    return " · ".join(part for part in parts if part)


def highlights_html(
    views: Sequence[HighlightView],
    *,
    with_title: bool = False,
    journal: Mapping[int, str] | None = None,
) -> str:
    """`journal`: highlight id -> why it is not in Hardcover's reading journal ("Refused by
    Hardcover: <reason>"), shown under the highlight."""
    blocks = []
    for view in views:
        head = html.escape(where(view))
        if with_title:
            head = f"<b>{html.escape(view.book_title)}</b> · {head}"
        text = html.escape(view.text).replace("\n", "<br>")
        block = (
            f'<p style="color: palette(placeholder-text); margin-bottom: 2px">{head}</p>'
            f'<blockquote style="margin: 0 0 4px 12px">{text}</blockquote>'
        )
        if view.note:
            note = html.escape(view.note).replace("\n", "<br>")
            block += f'<p style="margin: 0 0 10px 12px"><i>Note:</i> {note}</p>'
        if view.earlier:
            count = f"{view.earlier} earlier text{'s' if view.earlier != 1 else ''}"
            block += (
                '<p style="color: palette(placeholder-text); margin: 0 0 10px 12px">'
                f"Changed since it arrived: {count} kept (Earlier Texts…)</p>"
            )
        if journal and view.id in journal:
            refused = html.escape(journal[view.id])
            block += (
                f'<p style="color: palette(placeholder-text); margin: 0 0 10px 12px">{refused}</p>'
            )
        blocks.append(block)
    return "".join(blocks)
