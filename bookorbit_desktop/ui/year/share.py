"""The year's share picture: one PNG a reader can post, a phone story (1080x1920) or a wide
one (1920x1080), drawn with QPainter like every chart of the app.

It shows the covers of the books finished and the headline figures, and nothing private: no
file name, no title of a document, no highlight, unless the user ticks "Include highlights"
(then the latest ones are quoted). Every text drawn is kept with the picture (`texts`), so what
it says can be checked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter

from bookorbit_desktop.services.year.service import YearFigures, headlines

SIZES = {"story": QSize(1080, 1920), "wide": QSize(1920, 1080)}
MOST_COVERS = 60
BACKGROUND = (QColor("#1d2b3a"), QColor("#3b2f4a"))
INK, SOFT = QColor("#ffffff"), QColor("#c9d3de")


@dataclass
class SharePicture:
    image: QImage
    texts: list[str] = field(default_factory=list)  # every text drawn, in order

    def save(self, path: Path) -> None:
        if not self.image.save(str(path), "PNG"):  # type: ignore[call-overload]
            raise OSError(f"Could not write {path}")


def share_picture(
    figures: YearFigures,
    covers: Mapping[int, str],
    size: str = "story",
    highlights: Sequence[str] = (),
) -> SharePicture:
    """The picture of `figures` at `size` ("story" or "wide"), with the books' `covers` (book id
    -> cover file) and the quoted `highlights` (none unless the user asked for them)."""
    dimensions = SIZES[size]
    width, height = dimensions.width(), dimensions.height()
    picture = SharePicture(QImage(dimensions, QImage.Format.Format_RGB32))
    painter = QPainter(picture.image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, BACKGROUND[0])
    gradient.setColorAt(1, BACKGROUND[1])
    painter.fillRect(QRectF(0, 0, width, height), gradient)
    margin = round(min(width, height) * 0.06)
    if height > width:  # the figures above the covers
        text_box = QRectF(margin, margin, width - 2 * margin, height * 0.42 - margin)
        cover_box = QRectF(margin, height * 0.42, width - 2 * margin, height * 0.58 - 2 * margin)
    else:  # the figures left of the covers
        text_box = QRectF(margin, margin, width * 0.46 - margin, height - 2 * margin)
        cover_box = QRectF(width * 0.48, margin, width * 0.52 - margin, height - 2 * margin)
    _figures(painter, picture, figures, text_box, highlights)
    books = list(dict.fromkeys(read.book_id for read in figures.finished))
    _covers(painter, picture, [covers[b] for b in books if b in covers], cover_box)
    painter.end()
    return picture


def _draw(
    painter: QPainter, picture: SharePicture, box: QRectF, text: str, pixels: float, bold: bool
) -> float:
    """`text` at the top of `box`, wrapped, `pixels` high; the height it took."""
    font = QFont()
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    painter.setFont(font)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    used = painter.boundingRect(box, flags, text)
    painter.drawText(box, flags, text)
    picture.texts.append(text)
    return used.height()


def _figures(
    painter: QPainter,
    picture: SharePicture,
    figures: YearFigures,
    box: QRectF,
    highlights: Sequence[str],
) -> None:
    """The title, the headline figures two to a row, then the quoted highlights."""
    unit = _unit(picture)
    painter.setPen(INK)
    y = box.top() + _draw(painter, picture, box, f"My {figures.year} in books", unit * 6, True)
    y += unit * 3
    column = box.width() / 2
    big = min(unit * 5, column / 8)  # "13 h 20 min" fits a column
    row_height = big * 1.3 + unit * (2.6 * 1.4 + 2.5)
    for index, (name, value) in enumerate(headlines(figures)):
        top = y + index // 2 * row_height
        if top + row_height > box.bottom():
            break
        cell = QRectF(box.left() + index % 2 * column, top, column - unit * 2, row_height)
        painter.setClipRect(cell)  # a long name is cut, never drawn over its neighbours
        painter.setPen(INK)
        used = _draw(painter, picture, cell, value, big, True)
        painter.setPen(SOFT)
        _draw(painter, picture, _below(cell, top + used), name, unit * 2.6, False)
        painter.setClipping(False)
    y += math.ceil(len(headlines(figures)) / 2) * row_height
    painter.setPen(SOFT)
    for text in highlights:
        if y + unit * 6 > box.bottom():
            break
        y += _draw(painter, picture, _below(box, y), f"“{text}”", unit * 2.4, False) + unit * 1.5


def _below(box: QRectF, y: float) -> QRectF:
    return QRectF(box.left(), y, box.width(), max(box.bottom() - y, 1))


def _unit(picture: SharePicture) -> float:
    """A hundredth of the picture's shorter side: every size on it is a multiple."""
    return min(picture.image.width(), picture.image.height()) / 100


def _covers(painter: QPainter, picture: SharePicture, files: Sequence[str], box: QRectF) -> None:
    """Up to MOST_COVERS covers in the grid that makes them largest (2:3 cells), and how many
    more there are under them."""
    shown = files[:MOST_COVERS]
    if not shown:
        return
    more = len(files) - len(shown)
    line = _unit(picture) * 4 if more else 0
    grid = QRectF(box.left(), box.top(), box.width(), box.height() - line)
    best = (0.0, 1)
    for columns in range(1, len(shown) + 1):
        rows = math.ceil(len(shown) / columns)
        best = max(best, (min(grid.width() / columns, grid.height() / rows * 2 / 3), columns))
    cell, columns = best
    gap = cell * 0.06
    left = grid.left() + (grid.width() - columns * cell) / 2  # the grid centred
    for index, file in enumerate(shown):
        row, column = divmod(index, columns)
        target = QRectF(
            left + column * cell + gap / 2,
            grid.top() + row * cell * 1.5 + gap / 2,
            cell - gap,
            cell * 1.5 - gap,
        )
        image = QImage(file)
        if image.isNull():
            painter.fillRect(target, SOFT)
        else:
            painter.drawImage(target, image)
    if more:
        painter.setPen(INK)
        bottom = grid.top() + math.ceil(len(shown) / columns) * cell * 1.5 + line / 4
        below = QRectF(left, bottom, grid.width(), line)
        _draw(painter, picture, below, f"and {more:,} more", line / 2, True)
