"""A cover for a book that has none: its title, authors and series on a colour of its own.

The colour comes from the title (a hash of its folded text, never Python's per-run `hash`), so
a book keeps its colour from run to run and on every device. The text is wrapped to the
cover's width between words and set as large as fits with every word whole; only at the
smallest size is a word longer than a line broken between letters, hyphenated (CJK titles,
written without spaces, break between any letters at any size). It is drawn in a font that
has its letters (`cover_fonts`), and right-to-left scripts are shaped and ordered by Pillow's
text layout where it has one.

A generated cover is never the book's own: `Book.cover_path` stays empty, so nothing writes it
into the book's file. The image is made once per title, authors and series and kept in the
cache folder under a name made from them: an edit of any of them gives a new name, so the
cover follows the edit (the cache folder may be emptied at any time; covers are made again).
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.metadata.cover_fonts import font, font_for
from bookorbit_desktop.library.metadata.covers import COVER_MAX, JPEG_QUALITY, write_atomically

if TYPE_CHECKING:
    from PIL import ImageFont

    Fitted = tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, list[str], int]

FOLDER = "generated-covers"
VERSION = 2  # part of each cover's name: a change of the drawing makes every cover anew
WIDTH, HEIGHT = COVER_MAX
MARGIN = 48
TEXT = (255, 255, 255)
SOFT_TEXT = (235, 235, 235)
# The boxes each part of the text must fit in (left, top, right, bottom), and its sizes.
Box = tuple[int, int, int, int]
TITLE_BOX: Box = (MARGIN, 150, WIDTH - MARGIN, 560)
SERIES_BOX = (MARGIN, 590, WIDTH - MARGIN, 680)
AUTHORS_BOX = (MARGIN, 700, WIDTH - MARGIN, HEIGHT - MARGIN)
TITLE_SIZES = (72, 28)
SMALL_SIZES = (40, 20)
LINE_SPACING = 1.2


def cover_colour(title: str) -> tuple[int, int, int]:
    """The cover's colour: a hue from the folded title, dark enough for white text."""
    digest = hashlib.sha256(" ".join(title.casefold().split()).encode()).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    red, green, blue = colorsys.hls_to_rgb(hue, 0.36, 0.5)
    return round(red * 255), round(green * 255), round(blue * 255)


def cover_name(title: str, authors: Sequence[str], series: str | None) -> str:
    """The cache file name of the cover for these texts."""
    key = json.dumps([VERSION, title, list(authors), series or ""], ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()[:32] + ".jpg"


def series_text(series: str | None, index: float | None) -> str:
    if not series:
        return ""
    return f"{series} {index:g}" if index is not None else series


def breaks_freely(word: str) -> bool:
    """A word of a script written without spaces (Chinese, Japanese): a line may end after
    any of its letters, no hyphen marking the break."""
    return all(unicodedata.east_asian_width(letter) in "WF" for letter in word)


def wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """`text` in lines that each pass `fits(line)`, broken between words; a word too long for
    a line is broken between letters, with a hyphen at the end of each part but the last
    (none in a script written without spaces)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if fits(joined):
            line = joined
            continue
        if line:
            lines.append(line)
        mark = "" if breaks_freely(word) else "-"
        while not fits(word) and len(word) > 1:
            cut = 1
            while cut < len(word) - 1 and fits(word[: cut + 1] + mark):
                cut += 1
            lines.append(word[:cut] + mark)
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def words_whole(text: str, fits: Callable[[str], bool]) -> bool:
    """Every word of `text` fits a line of its own (none has to be broken), but for the words
    that may break anywhere (`breaks_freely`)."""
    return all(fits(word) or breaks_freely(word) for word in text.split())


def _fits(face: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int, line: str) -> bool:
    return face.getlength(line) <= width


def fitted(text: str, path: Path | None, box: Box, sizes: tuple[int, int]) -> Fitted:
    """(font, lines, line height): the largest size in `sizes` (largest, smallest) at which
    `text` fits `box` with no word broken (`words_whole`); at the smallest, the lines that
    fit, the last one cut with …"""
    width, height = box[2] - box[0], box[3] - box[1]
    largest, smallest = sizes
    for size in range(largest, smallest - 1, -2):
        face = font(path, size)
        fits = functools.partial(_fits, face, width)
        lines = wrap(text, fits)
        step = round(size * LINE_SPACING)
        if (len(lines) * step <= height and words_whole(text, fits)) or size <= smallest:
            break
    room = max(1, height // step)
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return face, lines, step


def render(title: str, authors: Sequence[str], series: str = "") -> bytes:
    """The cover as JPEG bytes (COVER_MAX)."""
    from PIL import Image, ImageDraw

    title = " ".join(title.split()) or "Untitled"
    byline = ", ".join(" ".join(a.split()) for a in authors if a.strip())
    path = font_for(" ".join((title, byline, series)))
    colour = cover_colour(title)
    image = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(image)
    # A darker band behind the authors, and a thin rule: a cover, not a coloured card.
    band = tuple(round(c * 0.7) for c in colour)
    draw.rectangle((0, AUTHORS_BOX[1] - 16, WIDTH, HEIGHT), fill=band)
    draw.rectangle((MARGIN, 110, WIDTH - MARGIN, 114), fill=SOFT_TEXT)
    parts = (
        (title, TITLE_BOX, TITLE_SIZES, TEXT),
        (series, SERIES_BOX, SMALL_SIZES, SOFT_TEXT),
        (byline, AUTHORS_BOX, SMALL_SIZES, TEXT),
    )
    for text, box, sizes, fill in parts:
        if not text:
            continue
        face, lines, step = fitted(text, path, box, sizes)
        top = box[1] + (box[3] - box[1] - len(lines) * step) / 2  # centred in its box
        for n, line in enumerate(lines):
            centre = ((box[0] + box[2]) / 2, top + n * step + step / 2)
            draw.text(centre, line, font=face, fill=fill, anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def generated_cover(
    paths: Paths, title: str, authors: Sequence[str], series: str | None = None
) -> Path:
    """The generated cover file for these texts, made now if it was not made before."""
    target = paths.cache_dir / FOLDER / cover_name(title, authors, series)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, render(title, authors, series or ""))
    return target


def generated_covers(paths: Paths, book_ids: Sequence[int]) -> dict[int, Path]:
    """The generated cover of each of `book_ids` (made now where it was not yet), read on
    the calling thread's library connection. A book not in the library is left out."""
    from bookorbit_desktop.library.store.models import database

    found: dict[int, Path] = {}
    ids = sorted(set(book_ids))
    for start in range(0, len(ids), 500):  # well under SQLite's limit of bound values
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        authors: dict[int, list[str]] = {}
        for book_id, name in database.execute_sql(
            "SELECT ba.book_id, a.name FROM book_author ba JOIN author a ON a.id = ba.author_id"
            f" WHERE ba.book_id IN ({marks}) ORDER BY ba.book_id, ba.position",
            chunk,
        ):
            authors.setdefault(book_id, []).append(name)
        for book_id, title, series, index in database.execute_sql(
            f"SELECT id, title, series, series_index FROM book WHERE id IN ({marks})", chunk
        ):
            texts = (title or "", authors.get(book_id, []), series_text(series, index))
            found[book_id] = generated_cover(paths, *texts)
    return found
