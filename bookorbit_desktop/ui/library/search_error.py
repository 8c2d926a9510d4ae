"""Under the library's filter box: why its search cannot be read ("Unknown field 'ratng' — did
you mean rating?", "Unclosed quote"), while the table keeps the books of the last search that
could (or, while the broken term is typed, those from before it). Hidden while the search
reads."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from bookorbit_desktop.services.library.table_window import SearchError
from bookorbit_desktop.ui.library.lazy_model import LazyLibraryModel
from bookorbit_desktop.ui.widgets import ERROR_COLOUR, message_label


def search_error_label(model: LazyLibraryModel) -> QLabel:
    """A label that follows `model.search_error`."""
    label = message_label("searchError")
    label.setAccessibleName("Search problem")
    label.setStyleSheet(f"color: {ERROR_COLOUR};")

    def show(error: SearchError | None) -> None:
        if error is None:
            label.hide()
            label.clear()
            return
        label.setText(f"{error.message} (at character {error.start + 1})")
        label.show()

    model.search_error.connect(show)
    return label
