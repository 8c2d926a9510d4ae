"""`stats year YEAR [--json]`: the year in review (reads finished, re-reads, top authors, and
KOReader's time figures), as the Year page shows it."""

from __future__ import annotations

import argparse
import json

from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import counted

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def year(ctx: CliContext, args: argparse.Namespace) -> int:
    """the year in review: books and pages finished, re-reads, top authors, time read

    Every read finished in YEAR counts once (a re-read counts again, in the year it was
    finished); done reads without a finish date are listed apart. Time read per month, weekday
    and hour, and the longest streak, come from KOReader's statistics."""
    from bookorbit_desktop.library.year.gather import year_review
    from bookorbit_desktop.library.year.report import as_json, hours_text, pages_text

    figures = year_review(args.year)
    if args.json:
        print(json.dumps(as_json(figures), indent=2, ensure_ascii=False))
        return 0
    print(
        f"{figures.year}: {counted(len(figures.finished), 'book')} finished "
        f"({pages_text(figures, unit=True)}), {counted(figures.rereads, 're-read')}, "
        f"{counted(figures.abandoned, 'book')} abandoned"
    )
    if figures.average_rating is not None:
        print(f"Average rating {figures.average_rating:.1f} of 5 ({figures.rated} rated)")
    for name, read in (
        ("Longest", figures.longest),
        ("Shortest", figures.shortest),
    ):
        if read is not None:
            print(f"{name}: {read.title} ({counted(read.pages or 0, 'page')})")
    if figures.fastest is not None:
        print(f"Fastest: {figures.fastest.title} ({counted(figures.fastest.days or 0, 'day')})")
    for name, top in (
        ("Top authors", figures.top_authors),
        ("Top tags", figures.top_tags),
        ("Languages", figures.top_languages),
    ):
        if top:
            print(f"{name}: " + ", ".join(f"{label} ({count})" for label, count in top))
    print(f"Highlights made: {figures.highlights:,}")
    print(_table("Books", figures.books_per_month))
    print(_table("Pages", figures.pages_per_month))
    koreader = figures.koreader
    if koreader is None:
        print("No KOReader statistics for this year: time read is not known.")
    else:
        print(
            f"From KOReader's statistics: {hours_text(koreader.seconds)} on "
            f"{counted(koreader.days_read, 'day')}, longest streak "
            f"{counted(koreader.longest_streak, 'day')}"
        )
        print(_table("Hours", [round(seconds / 3600) for seconds in koreader.months]))
    for read in figures.finished:
        again = " (re-read)" if read.reread else ""
        print(f"  {read.finished}  {read.title}{again}")
    if figures.no_date:
        print(f"Done, no finish date ({len(figures.no_date)}, not counted):")
        for read in figures.no_date:
            print(f"  {read.title}")
    return 0


def _table(name: str, values: list[int] | tuple[int, ...]) -> str:
    months = ", ".join(f"{month} {value:,}" for month, value in zip(MONTHS, values, strict=True))
    return f"{name} per month: {months}"
