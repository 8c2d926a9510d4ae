"""The Year page: a passive view of one year's `YearFigures`.

The headline figures on top; books and pages finished per month; the reads' figures (re-reads,
abandoned, rating, longest, shortest and fastest reads, top authors, tags and languages,
highlights made); then, in a box that says they come from KOReader's statistics, time read per
month, weekday and hour of the day, the calendar and the longest streak (a year without
KOReader statistics says so there and still shows the rest); last the books finished, and the
done reads without a finish date, listed apart. Every chart is the app's QPainter `BarChart`.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.year.service import YearFigures, headlines
from bookorbit_desktop.ui.statistics.charts import COUNTS, BarChart
from bookorbit_desktop.ui.statistics.heatmap import CalendarHeatMap
from bookorbit_desktop.ui.year.goal_box import GoalBox
from bookorbit_desktop.ui.year.text import details_html, read_line

MONTHS = [dt.date(2000, month, 1) for month in range(1, 13)]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NO_KOREADER = (
    "No KOReader statistics for this year, so the time read is not known: the figures above "
    "come from the reads. Import statistics on the Statistics page to add them."
)


class YearPage(QWidget):
    year_changed = Signal(int)
    share_requested = Signal()

    def __init__(self, year: int) -> None:
        super().__init__()
        self.figures: YearFigures | None = None
        self.year = QSpinBox()
        self.year.setRange(1970, 2100)
        self.year.setValue(year)
        self.year.setAccessibleName("Year")
        self.year.valueChanged.connect(self.year_changed.emit)
        self.share_button = QPushButton("&Share…")
        self.share_button.setToolTip("Save a picture of the year to post (PNG)")
        self.share_button.clicked.connect(self.share_requested.emit)
        self.goal_box = GoalBox()
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.books_chart = BarChart(COUNTS)
        self.pages_chart = BarChart(COUNTS)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.month_chart = BarChart()
        self.weekday_chart = BarChart()
        self.hour_chart = BarChart()
        self.heatmap = CalendarHeatMap()
        self.koreader_summary = QLabel()
        self.koreader_summary.setWordWrap(True)
        self.finished = QListWidget()
        self.finished.setAccessibleName("Books finished this year")
        self.no_date = QListWidget()
        self.no_date.setAccessibleName("Books done with no finish date")
        self.no_date_box = QGroupBox("Done, no finish date (not counted in any month)")
        body = QWidget()
        layout = QVBoxLayout(body)
        header = QHBoxLayout()
        label = QLabel("&Year:")
        label.setBuddy(self.year)
        header.addWidget(label)
        header.addWidget(self.year)
        header.addStretch(1)
        header.addWidget(self.share_button)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.goal_box)
        reads = QHBoxLayout()
        reads.addWidget(_boxed("Books finished per month", self.books_chart))
        reads.addWidget(_boxed("Pages finished per month", self.pages_chart))
        layout.addLayout(reads)
        layout.addWidget(_boxed("The reads", self.details))
        self.koreader_box = QGroupBox("From KOReader's statistics")
        koreader = QVBoxLayout(self.koreader_box)
        koreader.addWidget(self.koreader_summary)
        times = QHBoxLayout()
        times.addWidget(_boxed("Time read per month", self.month_chart), 2)
        times.addWidget(_boxed("Per weekday", self.weekday_chart), 1)
        koreader.addLayout(times)
        koreader.addWidget(_boxed("Per hour of the day (when a session started)", self.hour_chart))
        koreader.addWidget(self.heatmap, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.koreader_box)
        QVBoxLayout(self.no_date_box).addWidget(self.no_date)
        layout.addWidget(_boxed("Books finished", self.finished))
        layout.addWidget(self.no_date_box)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        QVBoxLayout(self).addWidget(scroll)

    def show_year(self, figures: YearFigures, today: dt.date) -> None:
        self.figures = figures
        if self.year.value() != figures.year:
            self.year.blockSignals(True)
            self.year.setValue(figures.year)
            self.year.blockSignals(False)
        self.summary.setText(_summary_html(figures))
        self.books_chart.set_bars(_months(figures.year, figures.books_per_month))
        self.pages_chart.set_bars(_months(figures.year, figures.pages_per_month))
        self.details.setText(details_html(figures))
        self.share_button.setEnabled(bool(figures.finished))
        koreader = figures.koreader
        for chart in (self.month_chart, self.weekday_chart, self.hour_chart, self.heatmap):
            chart.setVisible(koreader is not None)
        if koreader is None:
            self.koreader_summary.setText(NO_KOREADER)
        else:
            self.koreader_summary.setText(
                f"{_days(koreader.days_read)} with reading, {koreader.pages:,} pages turned, "
                f"longest streak {_days(koreader.longest_streak)}."
            )
            self.month_chart.set_bars(_months(figures.year, koreader.months))
            self.weekday_chart.set_bars(
                list(zip(WEEKDAYS, WEEKDAY_NAMES, koreader.weekdays, strict=True))
            )
            self.hour_chart.set_bars(
                [(f"{hour}h", f"{hour}:00-{hour}:59", s) for hour, s in enumerate(koreader.hours)]
            )
            last = min(dt.date(figures.year, 12, 31), today)
            self.heatmap.set_days(dict(koreader.days), last)
        self.finished.clear()
        self.finished.addItems([read_line(read) for read in reversed(figures.finished)])
        self.no_date.clear()
        self.no_date.addItems([read_line(read) for read in figures.no_date])
        self.no_date_box.setVisible(bool(figures.no_date))


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


def _months(year: int, values: tuple[int, ...]) -> list[tuple[str, str, int]]:
    return [
        (month.strftime("%b"), f"{month.strftime('%B')} {year}", value)
        for month, value in zip(MONTHS, values, strict=True)
    ]


def _summary_html(figures: YearFigures) -> str:
    cells = "".join(
        f"<td style='padding-right:28px'><span style='font-size:large'><b>"
        f"{html.escape(value)}</b></span><br>{html.escape(name)}</td>"
        for name, value in headlines(figures)
    )
    return f"<table><tr>{cells}</tr></table>"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count:,} days"
