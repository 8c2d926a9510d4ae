"""The Year page's reading goals: each goal whose dates meet the year shown, with how far along
it is (a bar and the rules' sentence), Hardcover's own count where it keeps the goal, and the
books that count; Set a Goal… and Change… open `GoalDialog`, Delete… asks first. Every text
from outside (titles, a goal's name) is shown as plain text."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.goals.service import GoalView
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import clear_layout, wrapped_label

NO_GOAL = "No reading goal for this year. Set one to see how far along you are."
NAMED = 10  # the no-date reads named; the rest counted


class GoalBox(QGroupBox):
    set_requested = Signal(object)  # the goal's id to change, or None for a new goal
    delete_requested = Signal(int)  # the goal's id
    pull_requested = Signal()

    def __init__(self) -> None:
        super().__init__("Reading goal")
        self.goals = QVBoxLayout()
        self.add_button = QPushButton("Set a &Goal…")
        self.add_button.clicked.connect(lambda: self.set_requested.emit(None))
        self.pull_button = QPushButton("Read Goals from &Hardcover")
        self.pull_button.clicked.connect(self.pull_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.pull_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.goals)
        layout.addLayout(buttons)
        self.views: list[GoalView] = []
        self.show_goals([])

    def show_goals(self, views: list[GoalView]) -> None:
        self.views = views
        clear_layout(self.goals)
        if not views:
            self.goals.addWidget(_wrapped(NO_GOAL))
        for view in views:
            self.goals.addWidget(self._goal(view))

    def _goal(self, view: GoalView) -> QWidget:
        goal, progress = view.progress.goal, view.progress
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        name = f"{goal.description}: " if goal.description else ""
        heading.addWidget(_wrapped(f"{name}{view.headline}"), 1)
        change = QPushButton("&Change…")
        change.setAccessibleName(f"Change the goal {view.headline}")
        change.clicked.connect(lambda: self.set_requested.emit(view.stored.id))
        heading.addWidget(change)
        delete = QPushButton("&Delete…")
        delete.setAccessibleName(f"Delete the goal {view.headline}")
        delete.clicked.connect(lambda: self.delete_requested.emit(view.stored.id))
        heading.addWidget(delete)
        layout.addLayout(heading)
        bar = QProgressBar()
        bar.setRange(0, goal.target)
        bar.setValue(min(progress.done, goal.target))
        bar.setFormat(f"{progress.done:,} of {goal.target:,}")
        bar.setAccessibleName("Goal progress")
        layout.addWidget(bar)
        layout.addWidget(_wrapped(view.text))
        if view.stored.hardcover_progress is not None:
            count = f"{view.stored.hardcover_progress:g}"
            layout.addWidget(_wrapped(f"Kept with Hardcover, which counts {count}."))
        if view.books:
            books = QListWidget()
            books.setAccessibleName("Books that count for the goal")
            books.addItems(list(view.books))
            books.setMaximumHeight(120)
            layout.addWidget(books)
        if view.no_date:
            apart = ", ".join(view.no_date[:NAMED])
            more = len(view.no_date) - NAMED
            apart += f" and {more} more" if more > 0 else ""
            layout.addWidget(_wrapped(f"Finished with no date (not counted): {apart}"))
        return box


def _wrapped(text: str) -> QLabel:
    """Outside text (titles, a goal's name) as plain text, wrapped to the page's width."""
    return show_plain(wrapped_label(text))
