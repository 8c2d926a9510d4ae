"""How the Year page words the reads' figures and the lines of its book lists."""

from __future__ import annotations

import html

from bookorbit_desktop.services.year.service import YearFigures, YearRead

SOURCES = {"library": "this library", "koreader": "KOReader", "hardcover": "hardcover.app"}


def read_line(read: YearRead) -> str:
    """`12 Mar 2026  Dune — Frank Herbert (re-read, 412 pages, 9 days, on Kobo)`."""
    when = read.finished.strftime("%d %b %Y").lstrip("0") if read.finished else "no date"
    facts = ["re-read"] if read.reread else []
    if read.pages:
        facts.append(_pages(read))
    if read.days is not None:
        facts.append(_days(read))
    facts.append(f"from {SOURCES.get(read.source, read.source)}")
    if read.device:
        facts.append(f"on {read.device}")
    by = f" — {', '.join(read.authors)}" if read.authors else ""
    return f"{when}  {read.title}{by} ({', '.join(facts)})"


def details_html(figures: YearFigures) -> str:
    """The reads' figures, one line each, the highlights saying they come from KOReader."""
    lines = [
        f"<b>{figures.rereads:,}</b> re-read{'' if figures.rereads == 1 else 's'}, "
        f"<b>{figures.abandoned:,}</b> abandoned",
    ]
    if figures.average_rating is not None:
        lines.append(
            f"Average rating <b>{figures.average_rating:.1f}</b> of 5 "
            f"({figures.rated:,} book{'' if figures.rated == 1 else 's'} rated)"
        )
    for name, read, size in (
        ("Longest", figures.longest, _pages),
        ("Shortest", figures.shortest, _pages),
        ("Fastest", figures.fastest, _days),
    ):
        if read is not None:
            lines.append(f"{name}: <b>{html.escape(read.title)}</b> ({size(read)})")
    for name, top in (
        ("Top authors", figures.top_authors),
        ("Top tags", figures.top_tags),
        ("Languages", figures.top_languages),
    ):
        if top:
            found = ", ".join(f"{html.escape(label)} ({count:,})" for label, count in top)
            lines.append(f"{name}: {found}")
    lines.append(f"Highlights made (from KOReader): <b>{figures.highlights:,}</b>")
    return "<br>".join(lines)


def _pages(read: YearRead) -> str:
    return f"{read.pages or 0:,} pages"


def _days(read: YearRead) -> str:
    return "1 day" if read.days == 1 else f"{read.days or 0:,} days"
