"""The comparison table: one row per field, the book's own value and each source's side by
side, a radio button per value so the user ticks which one the book takes (its own by default).

A value that differs from the book's is marked with "≠" and bold text, and says so to screen
readers ("differs from the book's"), never by colour alone; one that differs in capitals only
is marked "case", so the user can fix them. A source whose record is another edition says so
in its column's header. Fields the library cannot save yet are shown with their buttons off
and a tooltip saying why. Covers are drawn in boxes of one size with their pixel dimensions
under them; a cover can be ticked only once its picture has loaded.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.descriptions import display_html
from bookorbit_desktop.services.metadata.books import BookCandidates
from bookorbit_desktop.services.metadata.values import FIELDS
from bookorbit_desktop.ui.metadata.texts import (
    CASE,
    DIFFERS,
    EMPTY,
    FIELD_LABELS,
    source_label,
    value_text,
)
from bookorbit_desktop.ui.mnemonic import no_mnemonic

LOCAL = "local"
COVER_BOX = QSize(100, 150)  # every cover is scaled into a box of this size
NOT_APPLIABLE = (
    "Shown only: the library cannot save this field yet, so it is left as it is whatever is ticked."
)
COVER_LOADING = "The cover can be taken once its picture has loaded."
COVER_FAILED = "The cover did not load, so it cannot be taken."
DIFFERS_NOTE = ", differs from the book's"
CASE_NOTE = ", differs from the book's in capitals only"


class DiffTable(QTableWidget):
    """Fields down, the book and the sources across; `picks()` is what the user ticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Metadata from each source")
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.sources: tuple[str, ...] = ()
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[tuple[str, str], QRadioButton] = {}
        self.cover_labels: dict[str, QLabel] = {}
        self.appliable: frozenset[str] = frozenset()
        self.shown: BookCandidates | None = None
        # Per field, the sources whose value differs and the one Best ticks: the comparison's,
        # until the pictures tell more about the covers (`same_cover`, `set_best`).
        self.differs: dict[str, frozenset[str]] = {}
        self.best: dict[str, str | None] = {}

    def show_book(self, shown: BookCandidates, appliable: Collection[str]) -> None:
        """Fill the table with `shown`'s fields; every row starts on the book's own value."""
        self.clear()
        self.shown = shown
        self.appliable = frozenset(appliable)
        self.sources = tuple(a.source for a in shown.sources if a.candidates)
        columns = (LOCAL, *self.sources)
        self.setColumnCount(len(columns))
        self.setRowCount(len(FIELDS))
        self.setHorizontalHeaderLabels([self._header(c) for c in columns])
        self.setVerticalHeaderLabels([FIELD_LABELS[n] for n in FIELDS])
        self.groups, self.buttons, self.cover_labels = {}, {}, {}
        rows = {row.name: row for row in shown.fields}
        self.differs = {row.name: row.differs for row in shown.fields}
        self.best = {row.name: row.best for row in shown.fields}
        for index, name in enumerate(FIELDS):
            group = QButtonGroup(self)
            self.groups[name] = group
            row = rows.get(name)
            for column, source in enumerate(columns):
                mark = ""
                if source == LOCAL:
                    value = shown.local.get(name)
                else:
                    value = row.values.get(source) if row is not None else None
                    if row is not None and source in row.differs:
                        mark = DIFFERS
                    elif row is not None and source in row.case_only:
                        mark = CASE
                button = self._button(name, source, value, mark)
                group.addButton(button)
                self.buttons[(name, source)] = button
                self.setCellWidget(index, column, self._cell(name, source, button))
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.AccessibleTextRole, button.accessibleName())
                self.setItem(index, column, item)
            self.buttons[(name, LOCAL)].setChecked(True)

    def _header(self, column: str) -> str:
        if column == LOCAL:
            return "This book"
        other = self.shown.other_editions.get(column) if self.shown else None
        return f"{source_label(column)}\n({other})" if other else source_label(column)

    def _button(self, name: str, source: str, value: object, mark: str) -> QRadioButton:
        text = "" if name == "cover" else value_text(name, value)
        if name == "cover" and value in (None, ""):
            text = EMPTY
        shown = no_mnemonic(text)
        button = QRadioButton(f"{mark} {shown}" if mark else shown)
        said = "the book's own" if source == LOCAL else source_label(source)
        spoken = "empty" if text == EMPTY else (text or "a cover")
        note = {DIFFERS: DIFFERS_NOTE, CASE: CASE_NOTE}.get(mark, "")
        button.setAccessibleName(f"{FIELD_LABELS[name]}, {said}: {spoken}{note}")
        if mark:
            font = button.font()
            font.setBold(True)
            button.setFont(font)
        if name == "description" and value:
            # A tooltip renders what looks like HTML, images included: show it cleaned.
            button.setToolTip(display_html(str(value)))
        if name not in self.appliable:
            button.setEnabled(False)
            button.setToolTip(NOT_APPLIABLE)
        elif source != LOCAL and text == EMPTY:
            button.setEnabled(False)  # nothing to take
            button.setToolTip(f"{source_label(source)} has no value for this field.")
        elif source != LOCAL and name == "cover":
            button.setEnabled(False)  # until its picture has loaded (`set_cover`)
            button.setToolTip(COVER_LOADING)
        return button

    def _cell(self, name: str, source: str, button: QRadioButton) -> QWidget:
        cell = QWidget()
        layout = QVBoxLayout(cell)
        layout.setContentsMargins(4, 2, 4, 2)
        if name == "cover":
            picture = QLabel()
            picture.setFixedSize(COVER_BOX)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setFrameShape(QLabel.Shape.Box)
            picture.setAccessibleName(f"Cover, {source_label(source)}")
            self.cover_labels[source] = picture
            layout.addWidget(picture)
        layout.addWidget(button)
        if name not in self.appliable:
            cell.setToolTip(NOT_APPLIABLE)
        return cell

    def set_cover(self, source: str, image: QImage | None, size: tuple[int, int] | None) -> None:
        """Draw `source`'s cover in its box, its size in pixels under it; a cover that did not
        load stays off (it cannot be taken)."""
        picture = self.cover_labels.get(source)
        button = self.buttons.get(("cover", source))
        if picture is None or button is None:
            return
        loaded = image is not None and not image.isNull()
        if image is not None and loaded:
            scaled = image.scaled(
                COVER_BOX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            picture.setPixmap(QPixmap.fromImage(scaled))
            size = size or (image.width(), image.height())
        else:
            picture.setText("No cover" if size is None else "Not loaded")
        if source != LOCAL and "cover" in self.appliable and self._has_cover(source):
            button.setEnabled(loaded)
            button.setToolTip("" if loaded else COVER_FAILED)
        text = f"{size[0]} × {size[1]} px" if size else EMPTY
        self._say_cover(source, text)

    def _has_cover(self, source: str) -> bool:
        rows = self.shown.fields if self.shown else ()
        return any(row.name == "cover" and source in row.values for row in rows)

    def _say_cover(self, source: str, text: str) -> None:
        button = self.buttons[("cover", source)]
        marker = source in self.differs.get("cover", ())
        button.setText(f"{DIFFERS} {text}" if marker else text)
        font = button.font()
        font.setBold(marker)
        button.setFont(font)
        name = button.accessibleName().split(": ", 1)[0]
        button.setAccessibleName(f"{name}: {text}{DIFFERS_NOTE if marker else ''}")

    def same_cover(self, source: str) -> None:
        """`source`'s cover shows the book's own picture: no "≠", and nothing for Best."""
        button = self.buttons.get(("cover", source))
        if button is None:
            return
        self.differs["cover"] = self.differs.get("cover", frozenset()) - {source}
        text = button.text().removeprefix(f"{DIFFERS} ")
        self._say_cover(source, text)

    def set_best(self, name: str, source: str | None) -> None:
        """The source Best ticks for `name` (the covers' once their pictures are known)."""
        self.best[name] = source

    # -- the user's choice ------------------------------------------------------------------

    def picks(self) -> dict[str, str]:
        """Field -> the source ticked, for the fields not left on the book's own value."""
        chosen = {}
        for (name, source), button in self.buttons.items():
            if source != LOCAL and button.isChecked() and button.isEnabled():
                chosen[name] = source
        return chosen

    def pick(self, name: str, source: str) -> bool:
        """Tick `source`'s value of `name`; False when it cannot be taken."""
        button = self.buttons.get((name, source))
        if button is None or not button.isEnabled():
            return False
        button.setChecked(True)
        return True

    def take_all(self, source: str) -> int:
        """Tick every value `source` has that differs from the book's; how many."""
        self.keep_all()
        return sum(
            self.pick(name, source) for name in FIELDS if source in self.differs.get(name, ())
        )

    def take_best(self) -> int:
        """Tick, per field, the source the "best value" rule picks, where it differs."""
        self.keep_all()
        return sum(
            self.pick(name, source)
            for name, source in self.best.items()
            if source is not None and source in self.differs.get(name, ())
        )

    def keep_all(self) -> None:
        for name in FIELDS:
            button = self.buttons.get((name, LOCAL))
            if button is not None:
                button.setChecked(True)
