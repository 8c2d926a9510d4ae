"""A year of reading days as a calendar heat map drawn with QPainter: one column per week
(Monday on top), darker for more reading, month names above, the day's time as a tooltip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from bookorbit_desktop.ui.statistics.text import day_text, duration_text

WEEKS = 53
CELL, GAP, LEFT, TOP = 13, 3, 30, 18
# Minutes a day that reach each shade: 0, some, 15 min, 30 min, an hour and more.
LEVELS = (1, 15 * 60, 30 * 60, 60 * 60)


def level(seconds: int) -> int:
    """0 (no reading) to len(LEVELS)."""
    return sum(seconds >= threshold for threshold in LEVELS)


def mix(low: QColor, high: QColor, share: float) -> QColor:
    return QColor(
        round(low.red() + (high.red() - low.red()) * share),
        round(low.green() + (high.green() - low.green()) * share),
        round(low.blue() + (high.blue() - low.blue()) * share),
    )


class CalendarHeatMap(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self._seconds: Mapping[dt.date, int] = {}
        self._today = dt.date.today()

    def sizeHint(self) -> QSize:
        return QSize(LEFT + WEEKS * (CELL + GAP) + 8, TOP + 7 * (CELL + GAP) + 24)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def set_days(self, seconds: Mapping[dt.date, int], today: dt.date) -> None:
        self._seconds, self._today = seconds, today
        self.update()

    def first_day(self) -> dt.date:
        """The Monday of the first column: the last column holds today."""
        monday = self._today - dt.timedelta(days=self._today.weekday())
        return monday - dt.timedelta(weeks=WEEKS - 1)

    def _cell(self, day: dt.date) -> QRectF:
        offset = (day - self.first_day()).days
        return QRectF(
            LEFT + offset // 7 * (CELL + GAP), TOP + offset % 7 * (CELL + GAP), CELL, CELL
        )

    def day_at(self, x: float, y: float) -> dt.date | None:
        column, row = int((x - LEFT) // (CELL + GAP)), int((y - TOP) // (CELL + GAP))
        if not (0 <= column < WEEKS and 0 <= row < 7):
            return None
        day = self.first_day() + dt.timedelta(days=column * 7 + row)
        return day if day <= self._today else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        empty = palette.color(QPalette.ColorRole.AlternateBase).darker(108)
        full = palette.color(QPalette.ColorRole.Highlight)
        shades = [empty] + [mix(empty, full, (n + 1) / len(LEVELS)) for n in range(len(LEVELS))]
        text = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(text)
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            painter.drawText(
                QRectF(0, TOP + row * (CELL + GAP) - 2, LEFT - 4, CELL + 4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        day = self.first_day()
        while day <= self._today:
            cell = self._cell(day)
            if day.day <= 7 and day.weekday() == 0:  # the first Monday of a month
                painter.setPen(text)
                painter.drawText(QRectF(cell.left(), 0, 40, TOP - 2), day.strftime("%b"))
            painter.fillRect(cell, shades[level(self._seconds.get(day, 0))])
            day += dt.timedelta(days=1)
        legend_y = TOP + 7 * (CELL + GAP) + 6
        right = LEFT + WEEKS * (CELL + GAP)
        painter.setPen(text)
        painter.drawText(
            QRectF(right - 40, legend_y - 2, 40, CELL + 4),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "More",
        )
        first = right - 44 - len(shades) * (CELL + GAP)
        for index, shade in enumerate(shades):
            painter.fillRect(QRectF(first + index * (CELL + GAP), legend_y, CELL, CELL), shade)
        painter.drawText(
            QRectF(first - 44, legend_y - 2, 40, CELL + 4),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "Less",
        )

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent):
            day = self.day_at(event.pos().x(), event.pos().y())
            if day is not None:
                spent = self._seconds.get(day, 0)
                what = duration_text(spent) if spent else "no reading"
                QToolTip.showText(event.globalPos(), f"{day_text(day)}: {what}", self)
                return True
        return super().event(event)
