"""Books the tidy tests move: imported EPUBs, each with its KOReader notes folder beside it."""

from __future__ import annotations

from pathlib import Path

from tests.factories import add_book, make_epub


def add_with_notes(folder: Path, titles: tuple[str, ...] = ("Dune", "Emma")) -> None:
    """Each of `titles` as a book whose EPUB is in `folder`, with `<name>.sdr` notes beside it."""
    for title in titles:
        path = make_epub(folder / f"{title}.epub", title)
        add_book(title, ["A"], file=path)
        path.with_suffix(".sdr").mkdir()
        (path.with_suffix(".sdr") / "metadata.epub.lua").write_text(title)
