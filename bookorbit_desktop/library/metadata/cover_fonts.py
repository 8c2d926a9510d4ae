"""The font a generated cover is drawn in: one that has every letter of the book's title,
authors and series, found among the fonts the computer has (BookOrbit ships none).

Fonts that cover many scripts come first (Noto Sans, DejaVu Sans, the desktop systems' own
sans fonts), then CJK and Arabic ones, then any other. A font "has" a letter when it draws
something other than its missing-letter box. When no font has every letter, the one with the
most is used (the rest show as boxes); without any font file, Pillow's own (Latin) font.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

# Stems (lower case) in order of preference: bold faces read best on a cover.
PREFERRED = (
    "notosans-bold",
    "dejavusans-bold",
    "notosans-regular",
    "dejavusans",
    "segoeuib",
    "arialbd",
    "arial unicode",
    "arialuni",
    "helvetica",
    "notosanscjk-bold",
    "notosanscjksc-bold",
    "notosanscjk-regular",
    "notosanscjksc-regular",
    "sourcehansans",
    "wqy-zenhei",
    "wqy-microhei",
    "msyh",
    "yugothb",
    "malgunbd",
    "pingfang",
    "hiragino sans",
    "applesdgothicneo",
    "notosansarabic-bold",
    "notonaskharabic-bold",
    "notosansarabic-regular",
    "geezapro",
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_MISSING = "\uffff"  # never a letter: every font draws its missing-letter box for it
_PROBE_SIZE = 24


def font_folders() -> list[Path]:
    """Where this computer keeps fonts (Linux, macOS, Windows), user folders first."""
    home = Path.home()
    windows = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
    local = Path(os.environ.get("LOCALAPPDATA", home)) / "Microsoft" / "Windows" / "Fonts"
    return [
        home / ".local" / "share" / "fonts",
        home / ".fonts",
        home / "Library" / "Fonts",
        Path("/usr/local/share/fonts"),
        Path("/usr/share/fonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        local,
        windows,
    ]


def ranked(files: Iterable[Path]) -> list[Path]:
    """`files` best first: the PREFERRED stems in their order, then the rest by name."""

    def rank(path: Path) -> tuple[int, str]:
        stem = path.stem.lower()
        found = (n for n, prefix in enumerate(PREFERRED) if stem.startswith(prefix))
        return next(found, len(PREFERRED)), stem

    return sorted(files, key=rank)


@functools.cache
def font_files() -> tuple[Path, ...]:
    """Every font file in `font_folders`, best first (read once a run)."""
    found = []
    for folder in font_folders():
        if not folder.is_dir():
            continue
        for directory, _folders, names in os.walk(folder):
            found += [Path(directory, n) for n in names if n.lower().endswith(FONT_SUFFIXES)]
    return tuple(ranked(found))


@functools.cache
def _font(path: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def font(path: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font in `path` (None: Pillow's own) at `size` pixels."""
    return _font(path, size)


@functools.cache
def _drawn(path: Path, letter: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (_PROBE_SIZE * 2, _PROBE_SIZE * 2))
    ImageDraw.Draw(image).text((2, 2), letter, font=font(path, _PROBE_SIZE), fill=255)
    return image.tobytes()


def missing_letters(path: Path, text: str) -> int:
    """How many different letters of `text` the font in `path` has no glyph for."""
    box = _drawn(path, _MISSING)
    letters = {letter for letter in text if not letter.isspace()}
    return sum(1 for letter in letters if _drawn(path, letter) == box)


def font_for(text: str, files: Iterable[Path] | None = None) -> Path | None:
    """The best font file for `text` (see the module's note); None: Pillow's own font."""
    best: tuple[int, Path] | None = None
    for path in font_files() if files is None else files:
        try:
            missing = missing_letters(path, text)
        except OSError:  # not a font Pillow can read
            continue
        if missing == 0:
            return path
        if best is None or missing < best[0]:
            best = (missing, path)
    return None if best is None else best[1]
