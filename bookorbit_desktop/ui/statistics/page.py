"""The Statistics page: a passive view of `services.statistics.StatisticsData`.

Totals and streaks on top, reading time per day / week / month as bars, a year as a calendar
heat map, and every book KOReader recorded with its time, pages, sessions, pace and, for the
books being read, an estimated finish. Books whose KOReader digest matches no library book are
marked "not linked" (Unlinked Documents attaches them). "Import statistics…" (in the empty
page and above the figures) offers a statistics file or a KOReader folder from the reader.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.statistics.service import StatisticsData, period_totals
from bookorbit_desktop.ui.statistics.books_table import BookTableModel, books_view
from bookorbit_desktop.ui.statistics.charts import BarChart
from bookorbit_desktop.ui.statistics.heatmap import CalendarHeatMap
from bookorbit_desktop.ui.statistics.importing import FILE, FOLDER
from bookorbit_desktop.ui.statistics.text import duration_text
from bookorbit_desktop.ui.widgets import empty_state

EMPTY_TEXT = (
    "No reading statistics yet.\n\n"
    "In KOReader open Reading statistics → Settings → Cloud sync, add a WebDAV server with this "
    "computer's sync address followed by /dav/ (for example http://192.168.1.20:8765/dav/) and "
    "the sync account's user name and password, choose a folder, then tap Reading statistics → "
    "Synchronize now. Or connect the reader with its USB cable and use Import statistics below."
)
IMPORT_TEXT = "&Import statistics…"
IMPORT_TIP = "Merge KOReader's statistics.sqlite3, from the reader or a copy, into the library"
# (button, periods shown, label format under a bar, name format in a tooltip)
PERIOD_VIEWS = {
    "day": ("Days", 30, "%d %b", "%a %d %b %Y"),
    "week": ("Weeks", 26, "%d %b", "Week of %d %b %Y"),
    "month": ("Months", 24, "%b %y", "%B %Y"),
}


class StatisticsPage(QWidget):
    import_requested = Signal(str)  # FILE or FOLDER

    def __init__(self) -> None:
        super().__init__()
        self.import_menu = QMenu("Import Reading &Statistics", self)
        self.import_file_action = self.import_menu.addAction("From a &statistics file…")
        self.import_file_action.triggered.connect(lambda: self.import_requested.emit(FILE))
        self.import_folder_action = self.import_menu.addAction("From a &KOReader folder…")
        self.import_folder_action.setToolTip(
            "The reader's koreader folder (.adds/koreader on a Kobo), connected over USB"
        )
        self.import_folder_action.triggered.connect(lambda: self.import_requested.emit(FOLDER))
        self.import_button = self._import_button()
        self.empty_import_button = self._import_button()
        self._data: StatisticsData | None = None
        self._period = "day"
        self.summary = QLabel()
        self.summary.setObjectName("statisticsSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.chart = BarChart()
        self.heatmap = CalendarHeatMap()
        self.book_model = BookTableModel(self)
        self.books = books_view(self.book_model)
        self.period_buttons = QButtonGroup(self)
        chart_box = QGroupBox("Reading time")
        chart_layout = QVBoxLayout(chart_box)
        switch = QHBoxLayout()
        for period, (label, *_rest) in PERIOD_VIEWS.items():
            button = QPushButton(label)
            button.setCheckable(True)
            button.setChecked(period == self._period)
            button.clicked.connect(lambda _checked, p=period: self.show_period(p))
            self.period_buttons.addButton(button)
            switch.addWidget(button)
        switch.addStretch(1)
        chart_layout.addLayout(switch)
        chart_layout.addWidget(self.chart)
        heat_box = QGroupBox("The last twelve months (shades: any reading, 15 min, 30 min, 1 h)")
        QVBoxLayout(heat_box).addWidget(self.heatmap, 0, Qt.AlignmentFlag.AlignLeft)
        books_box = QGroupBox("Books")
        QVBoxLayout(books_box).addWidget(self.books)
        body = QWidget()
        layout = QVBoxLayout(body)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        layout.addWidget(chart_box)
        layout.addWidget(heat_box)
        layout.addWidget(books_box, 1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        self.empty = empty_state(EMPTY_TEXT)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty)
        empty_layout.addWidget(self.empty_import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(1)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(empty_page)
        self._stack.addWidget(scroll)

    def _import_button(self) -> QPushButton:
        button = QPushButton(IMPORT_TEXT)
        button.setToolTip(IMPORT_TIP)
        button.clicked.connect(lambda: self._offer_import(button))
        return button

    def _offer_import(self, button: QPushButton) -> None:
        """The file-or-folder menu under `button` (a popup: no nested event loop)."""
        self.import_menu.popup(button.mapToGlobal(QPoint(0, button.height())))

    def set_importing(self, importing: bool) -> None:
        """While an import runs, the import controls wait for it."""
        for control in (self.import_button, self.empty_import_button, self.import_menu):
            control.setEnabled(not importing)
        text = "Importing statistics…" if importing else IMPORT_TEXT
        self.import_button.setText(text)
        self.empty_import_button.setText(text)

    @property
    def showing_data(self) -> bool:
        return self._stack.currentIndex() == 1

    def show_statistics(self, data: StatisticsData) -> None:
        self._data = data
        self._stack.setCurrentIndex(1 if data.books else 0)
        self.summary.setText(_summary_html(data))
        self.heatmap.set_days({day.date: day.read_seconds for day in data.days}, data.today)
        self.show_period(self._period)
        self.book_model.set_books(data.books)

    def show_period(self, period: str) -> None:
        self._period = period
        for button in self.period_buttons.buttons():
            button.setChecked(button.text() == PERIOD_VIEWS[period][0])
        if self._data is None:
            return
        _, count, label, title = PERIOD_VIEWS[period]
        totals = period_totals(
            ((day.date, day.read_seconds) for day in self._data.days),
            period,
            self._data.today,
            count,
        )
        self.chart.set_bars(
            [(start.strftime(label), start.strftime(title), seconds) for start, seconds in totals]
        )

    def book_rows(self) -> list[list[str]]:
        """The book list's texts as shown, top to bottom."""
        view = self.books.model()
        return [
            [view.index(row, column).data() for column in range(view.columnCount())]
            for row in range(view.rowCount())
        ]


def _summary_html(data: StatisticsData) -> str:
    week = sum(day.read_seconds for day in data.days if (data.today - day.date).days < 7)
    facts = [
        ("Total", duration_text(data.total_seconds)),
        ("Last 7 days", duration_text(week)),
        ("Days read", str(len(data.days))),
        ("Current streak", _days(data.current_streak)),
        ("Longest streak", _days(data.longest_streak)),
        ("Books", str(len(data.books))),
    ]
    cells = "".join(
        f"<td style='padding-right:28px'><span style='font-size:large'><b>{value}</b></span>"
        f"<br>{name}</td>"
        for name, value in facts
    )
    return f"<table><tr>{cells}</tr></table>"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
