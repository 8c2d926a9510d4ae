"""Small widget recipes the pages share: book tables, flat lists, hints, error colour, file
and folder choosers that start in the home folder, scrolling pages, dialogs that fit the screen
and fields that take the mouse wheel only once focused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QTableView,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.ui.text import show_plain

CELL_PADDING = 14  # a table cell's text margins, both sides together
FORM_CHARS = 48  # a form dialog's width, in average characters

ERROR_COLOUR = "#b3261e"


class BookTable(QTableView):
    """A table that says when the room for its rows changed (its viewport was resized: the
    window, the splitter, a scroll bar coming or going)."""

    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # the viewport's, in a scroll area
        super().resizeEvent(event)
        self.resized.emit()


def book_table(model: QAbstractItemModel) -> BookTable:
    """A sortable table of books, one selected row at a time, sorted by title to start."""
    table = BookTable()
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # edits: `cell_editing`
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(False)
    return table


def flat_list(headers: Sequence[str], *, fit_to_contents: bool = True) -> QTreeWidget:
    """A one-level, single-selection list with column headers.

    With `fit_to_contents` the first column takes the free width and the others fit their
    contents; otherwise the caller sizes the columns.
    """
    tree = QTreeWidget()
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(list(headers))
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if fit_to_contents:
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return tree


def wrapped_label(text: str = "") -> QLabel:
    """A label whose text wraps to the width it is given (hints, messages, explanations)."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def message_label(name: str) -> QLabel:
    """A wrapping label for messages, named `name` (style sheets and tests find it by that),
    hidden until there is something to say; plain text, as a message may name a book or a path."""
    label = show_plain(wrapped_label())
    label.setObjectName(name)
    label.hide()
    return label


def error_label() -> QLabel:
    """The line under a form that says what is wrong (`say_wrong`): plain, wrapped, in the
    error colour, hidden until then."""
    label = message_label("errorLabel")
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setAccessibleName("Error")
    return label


def selectable_label(name: str) -> QLabel:
    """A label named `name` whose text (an address, a fingerprint) can be selected and copied."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def push_button(
    text: str, clicked: Callable[[], object], *, tip: str | None = None, name: str | None = None
) -> QPushButton:
    """A button that calls `clicked()` when pressed (the click's checked flag is not passed);
    `tip` is its tooltip, `name` what a screen reader calls it where its text is too short."""
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    if name:
        button.setAccessibleName(name)
    button.clicked.connect(lambda: clicked())
    return button


BoxLayout = TypeVar("BoxLayout", QHBoxLayout, QVBoxLayout)


def bare(kind: type[BoxLayout]) -> tuple[QWidget, BoxLayout]:
    """A plain widget and its `kind` layout, without margins: a part placed in another
    layout (a row of a list, a column beside another)."""
    holder = QWidget()
    layout = kind(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    return holder, layout


def wide_row(wide: QWidget, *widgets: QWidget) -> QHBoxLayout:
    """`wide` taking the free width, the other widgets (its buttons) after it."""
    row = QHBoxLayout()
    row.addWidget(wide, 1)
    for widget in widgets:
        row.addWidget(widget)
    return row


def clear_layout(layout: QLayout) -> None:
    """Take every item out of `layout`, its widgets deleted once control returns to Qt (a list
    of rows shown again from new data)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()  # gone from view now, not only once Qt deletes it
            widget.deleteLater()


def interval_timer(
    parent: QObject, interval_ms: int, timeout: Callable[[], object], *, once: bool = False
) -> QTimer:
    """A timer that calls `timeout()` every `interval_ms` once started (with `once`, a single
    time `interval_ms` after its last start: a change that comes in bursts is followed once)."""
    timer = QTimer(parent, interval=interval_ms, singleShot=once)
    timer.timeout.connect(timeout)
    return timer


def form_with_buttons(dialog: QDialog, form: QLayout, error: QLabel) -> QDialogButtonBox:
    """Lay out a form dialog: `form`, the line that says what is wrong under it (`say_wrong`),
    then OK and Cancel, which accept and reject `dialog`; wide enough for a date and a
    sentence of the message per line."""
    dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * FORM_CHARS)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(buttons)
    return buttons


def say_wrong(dialog: QDialog, error: QLabel, message: str) -> None:
    """Show what is wrong under a form (`form_with_buttons`); the dialog grows to hold it,
    never squeezing the fields."""
    error.setText(message)
    error.show()
    dialog.adjustSize()


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """A row of buttons at the right edge, in the order given."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row


def secret_edit() -> QLineEdit:
    """A field whose text is hidden as it is typed (passwords, tokens)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def empty_state(text: str) -> QLabel:
    """The centred grey hint shown instead of an empty list."""
    label = wrapped_label(text)
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("color: palette(placeholder-text); padding: 40px;")
    return label


class OrEmpty(QStackedLayout):
    """`shown` (a list, a table), or in its place the hint `text` (`empty_state`, as
    `empty_label`) while it has nothing to show."""

    def __init__(self, shown: QWidget, text: str) -> None:
        super().__init__()
        self.shown = shown
        self.empty_label = empty_state(text)
        self.addWidget(shown)
        self.addWidget(self.empty_label)

    def show_empty(self, empty: bool) -> None:
        self.setCurrentWidget(self.empty_label if empty else self.shown)


def one_line(label: QLabel) -> QLabel:
    """Let `label` take the width it is given: a long text is cut, never widens the window."""
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def choose_folder(parent: QWidget, title: str, chosen: Callable[[str], object]) -> QFileDialog:
    """Open a folder chooser in the home folder without a nested event loop; `chosen(path)`
    follows a choice."""
    chooser = QFileDialog(parent, title, str(Path.home()))
    chooser.setFileMode(QFileDialog.FileMode.Directory)
    chooser.setOption(QFileDialog.Option.ShowDirsOnly)
    chooser.fileSelected.connect(chosen)
    chooser.finished.connect(chooser.deleteLater)
    chooser.open()
    return chooser


def choose_files(
    parent: QWidget, title: str, name_filter: str, chosen: Callable[[list[str]], object]
) -> QFileDialog:
    """Open a chooser of existing files in the home folder (never the program's folder)
    without a nested event loop; `chosen(paths)` follows a choice."""
    chooser = QFileDialog(parent, title, str(Path.home()), name_filter)
    chooser.setFileMode(QFileDialog.FileMode.ExistingFiles)
    chooser.filesSelected.connect(chosen)
    chooser.finished.connect(chooser.deleteLater)
    chooser.open()
    return chooser


class _PageScroll(QScrollArea):
    """A scroll area that asks for its page's whole size: a dialog shows the page without
    scroll bars where the screen has room, and scrolls it where it has not (`fit_to_screen`)."""

    def sizeHint(self) -> QSize:
        page = self.widget()
        if page is None:
            return super().sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return page.sizeHint() + QSize(bar + 2 * self.frameWidth(), 2 * self.frameWidth())


def scrolling(page: QWidget) -> QScrollArea:
    """`page` in a frameless scroll area that only scrolls when the window is too small."""
    area = _PageScroll()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


# Room the window manager's title bar and frame take around a dialog, and a panel's edge.
FRAME_ALLOWANCE = QSize(24, 72)


def fit_to_screen(window: QWidget) -> None:
    """Size `window` to what it asks for, but never beyond its screen's free area (less the
    title bar), so a 1280x720 or 1366x768 screen shows the whole dialog and its buttons."""
    screen = window.screen().availableGeometry().size() - FRAME_ALLOWANCE
    wanted = window.sizeHint().expandedTo(window.minimumSizeHint())
    window.resize(wanted.boundedTo(screen))


class _WheelNeedsFocus(QObject):
    """Lets the mouse wheel change a field only while the field has the keyboard focus;
    otherwise the wheel scrolls what the field sits in, as the user meant."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False
        area = _scroll_area_around(watched)
        if area is not None:  # the page the field is on scrolls
            QApplication.sendEvent(area.verticalScrollBar(), event)
        else:
            event.ignore()  # Qt hands an ignored wheel event on to the parent widgets
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def wheel_needs_focus(root: QWidget) -> None:
    """Every spin box and combo box under `root` takes the wheel only once focused (a click
    or Tab focuses it; the wheel alone never does)."""
    guard = _WheelNeedsFocus(root)
    fields: list[QWidget] = [*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox)]
    for field in fields:
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.installEventFilter(guard)


COPIED_MS = 2000


def show_copied(button: QAbstractButton) -> None:
    """Say on the button that pressing it copied something, for COPIED_MS."""
    if button.property("plainText") is None:
        button.setProperty("plainText", button.text())
    button.setText("Copied ✓")
    QTimer.singleShot(COPIED_MS, button, lambda: button.setText(button.property("plainText")))
