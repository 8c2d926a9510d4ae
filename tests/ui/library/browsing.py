"""Reading and driving the library browser in a test as a user does: the rows under a
category as shown ("Owned (2)"), a click (or right-click) on one."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from bookorbit_desktop.ui.library.browser import LibraryBrowser


def category_index(browser: LibraryBrowser, kind: str) -> QModelIndex:
    """The category's own row (`kind`: a built-in one's, a custom column's `custom:<id>`)."""
    model = browser.model
    [index] = [
        model.index(row, 0)
        for row in range(model.rowCount())
        if model.kind_at(model.index(row, 0)) == kind
    ]
    return index


def opened(browser: LibraryBrowser, kind: str) -> QModelIndex:
    """The category's row, opened as a user opens it (which reads it: at once outside the
    window's loop)."""
    index = category_index(browser, kind)
    browser.tree.expand(index)
    return category_index(browser, kind)  # (read: the model was reset)


def rows(browser: LibraryBrowser, kind: str, parent: QModelIndex | None = None) -> list[str]:
    """The values under a category (opened) or a tag (`parent`) as shown: "name (count)"."""
    model = browser.model
    parent = opened(browser, kind) if parent is None else parent
    return [
        f"{model.index(row, 0, parent).data()} ({model.index(row, 1, parent).data()})"
        for row in range(model.rowCount(parent))
    ]


def row_index(browser: LibraryBrowser, kind: str, text: str) -> QModelIndex:
    """The row shown as `text` ("Owned (2)"), anywhere under the category."""
    model = browser.model
    pending = [opened(browser, kind)]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if f"{index.data()} ({model.index(row, 1, parent).data()})" == text:
                return index
            pending.append(index)
    raise AssertionError(f"no row {text!r} under {kind}: {rows(browser, kind)}")


def click(qtbot, browser: LibraryBrowser, index: QModelIndex, button=Qt.MouseButton.LeftButton):
    """Open the rows above `index` and click it (as the user does)."""
    tree = browser.tree
    parent = index.parent()
    while parent.isValid():
        tree.expand(parent)
        parent = parent.parent()
    tree.scrollTo(index)
    rect = tree.visualRect(index)
    assert rect.isValid(), "the row is not on screen"
    qtbot.mouseClick(tree.viewport(), button, pos=rect.center())


def click_row(qtbot, browser: LibraryBrowser, kind: str, text: str, **kwargs) -> None:
    click(qtbot, browser, row_index(browser, kind, text), **kwargs)


def click_all_books(qtbot, browser: LibraryBrowser) -> None:
    click(qtbot, browser, browser.model.index(0, 0))
