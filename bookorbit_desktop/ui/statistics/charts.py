"""A bar chart drawn with QPainter: one bar per period, a scale on the left, a label under every
few bars so they never overlap, the exact figure as a tooltip. Every chart of the app is one of
these (reading time by default; `COUNTS` for books and pages) or the calendar heat map."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from bookorbit_desktop.ui.statistics.text import duration_text, hours_axis

LEFT, BOTTOM, TOP = 56, 22, 10
STEPS = (60, 300, 900, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600, 48 * 3600)


def nice_step(largest: float, lines: int = 4) -> int:
    """A round grid step (minutes or hours) so about `lines` grid lines cover `largest`."""
    for step in STEPS:
        if largest <= step * lines:
            return step
    return math.ceil(largest / lines / 86_400) * 86_400


def count_step(largest: float, lines: int = 4) -> int:
    """A round grid step (1, 2, 5, 10, 20, 50, ...) so about `lines` grid lines cover `largest`."""
    step = 1
    while largest > step * lines:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


@dataclass(frozen=True)
class Scale:
    step: Callable[[float], int]  # the grid step for the largest value
    axis: Callable[[float], str]  # a grid line's label
    tip: Callable[[int], str]  # a bar's exact figure
    empty: str  # said when every bar is 0


TIME = Scale(nice_step, hours_axis, duration_text, "No reading in this time")
COUNTS = Scale(count_step, lambda value: f"{value:,.0f}", lambda value: f"{value:,}", "None")


class BarChart(QWidget):
    def __init__(self, scale: Scale = TIME) -> None:
        super().__init__()
        self._scale = scale
        self._bars: list[tuple[str, str, int]] = []  # axis label, tooltip title, seconds
        self.setMinimumHeight(180)

    def sizeHint(self) -> QSize:
        return QSize(640, 220)

    def set_bars(self, bars: Sequence[tuple[str, str, int]]) -> None:
        """(label under the bar, name in its tooltip, seconds) per bar, oldest first."""
        self._bars = list(bars)
        self.update()

    def _plot(self) -> QRectF:
        return QRectF(
            LEFT, TOP, max(self.width() - LEFT - 8, 1), max(self.height() - TOP - BOTTOM, 1)
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        plot = self._plot()
        largest = max((seconds for _, _, seconds in self._bars), default=0)
        step = self._scale.step(max(largest, 1))
        top = step * max(1, math.ceil(largest / step))
        text = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = palette.color(QPalette.ColorRole.Mid)
        for line in range(int(top // step) + 1):
            y = plot.bottom() - plot.height() * line * step / top
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - 8, LEFT - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._scale.axis(line * step),
            )
        if largest == 0:
            painter.setPen(text)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self._scale.empty)
        if not self._bars:
            return
        width = plot.width() / len(self._bars)
        every = max(1, math.ceil(48 / width))  # a label needs about 48 pixels
        bar_colour = palette.color(QPalette.ColorRole.Highlight)
        for index, (label, _, seconds) in enumerate(self._bars):
            x = plot.left() + index * width
            height = plot.height() * seconds / top
            painter.fillRect(
                QRectF(x + width * 0.15, plot.bottom() - height, width * 0.7, height), bar_colour
            )
            if (len(self._bars) - 1 - index) % every == 0:  # the newest bar is always labelled
                painter.setPen(text)
                painter.drawText(
                    QRectF(x + width / 2 - 40, plot.bottom() + 3, 80, BOTTOM - 3),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    label,
                )

    def bar_at(self, x: float) -> int | None:
        plot = self._plot()
        if not self._bars or not plot.left() <= x < plot.right():
            return None
        return int((x - plot.left()) / (plot.width() / len(self._bars)))

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent):
            index = self.bar_at(event.pos().x())
            if index is not None:
                _, title, seconds = self._bars[index]
                QToolTip.showText(event.globalPos(), f"{title}: {self._scale.tip(seconds)}", self)
                return True
        return super().event(event)
