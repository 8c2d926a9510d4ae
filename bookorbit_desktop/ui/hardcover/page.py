"""The Hardcover page: connect the account with a token, and see where every book stands.

The token is pasted once (with its expiry, optional: `account_parts`), checked with Hardcover
and kept in the OS keyring; it is never shown again. Conflicts with hardcover.app show as a
count with Review Conflicts… (`conflicts`). The list is a sync dashboard: filters with counts
(synced, pending, needs review, not matched, failed, excluded; `dashboard`), each book's
reading, its sync state and reason and the linked Hardcover book and edition, with the last
sync and what waits always in view, and the sync log below (`sync_log`). Pick, Re-match and
Exclude fix the ones matching got wrong or could not decide; Open on Hardcover and Sync This
Book act on the linked book. This widget only displays and asks; the `HardcoverController`
does the work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.hardcover.dashboard.rows import (
    PageListing,
    PageQuery,
    PageRow,
    read_rows,
)
from bookorbit_desktop.services.hardcover.service import GET_TOKEN_URL, HardcoverStatus
from bookorbit_desktop.services.library.records import MatchInfo
from bookorbit_desktop.ui.hardcover import dashboard
from bookorbit_desktop.ui.hardcover.account_parts import account_html, expiry_edit
from bookorbit_desktop.ui.hardcover.conflicts import ConflictsLine
from bookorbit_desktop.ui.hardcover.held import HeldLine
from bookorbit_desktop.ui.hardcover.row_icons import ViewCovers
from bookorbit_desktop.ui.hardcover.rows_model import HEADERS, HardcoverRowsModel
from bookorbit_desktop.ui.hardcover.rows_view import HardcoverRowsView
from bookorbit_desktop.ui.hardcover.sync_log import SyncLogPanel
from bookorbit_desktop.ui.opening import Opener, desktop_opener, open_or_show
from bookorbit_desktop.ui.row_covers import CoverFiles
from bookorbit_desktop.ui.status import (
    SYNC_NOW_TIP,
    AppStatus,
    can_sync_now,
    sync_details,
    sync_summary,
    sync_unavailable_reason,
)
from bookorbit_desktop.ui.sync.progress_text import books
from bookorbit_desktop.ui.text import plain_label
from bookorbit_desktop.ui.widgets import (
    ERROR_COLOUR,
    bare,
    button_row,
    message_label,
    one_line,
    push_button,
    secret_edit,
)


class HardcoverView(QWidget):
    connect_requested = Signal(str, str)  # the token, its expiry as typed ("" for none)
    disconnect_requested = Signal()
    sync_requested = Signal()
    pick_requested = Signal(int)
    rematch_requested = Signal(int)
    remove_entry_requested = Signal(int)
    add_again_requested = Signal(int)  # undo Remove Entry, on purpose
    lead_requested = Signal(int)
    exclude_requested = Signal(int, bool)
    send_position_requested = Signal(int)
    sync_book_requested = Signal(int)
    selection_changed = Signal(object)  # the selected book id, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opener: Opener = desktop_opener  # how Open on Hardcover reaches the browser
        self.counts: dict[str, int] = {}  # shown books per state, as last read
        self.query = PageQuery()  # what the list shows
        self.copies_of: Callable[[int], list[int]] = lambda book_id: []  # Use This Copy
        self._connected = False
        self.covers: ViewCovers | None = None  # each row's cover, once `show_covers` is called

        account = QGroupBox("Hardcover account")
        account_layout = QVBoxLayout(account)
        self.account_label = QLabel()
        self.account_label.setObjectName("hardcoverAccount")
        self.account_label.setWordWrap(True)
        self.account_label.setOpenExternalLinks(True)
        account_layout.addWidget(self.account_label)
        self.token_row, token_layout = bare(QHBoxLayout)
        self.token_edit = secret_edit()
        self.token_edit.setPlaceholderText("Paste your Hardcover API token here")
        self.token_edit.setAccessibleName("Hardcover API token")
        self.token_edit.returnPressed.connect(self._connect_clicked)
        self.get_token_button = push_button(
            "&Get Token…", self.open_token_page, tip="Open Hardcover's token page in your browser"
        )
        self.connect_button = push_button("C&onnect", self._connect_clicked)
        self.expiry_edit = expiry_edit()
        self.expiry_edit.returnPressed.connect(self._connect_clicked)
        token_layout.addWidget(self.token_edit, 1)
        token_layout.addWidget(QLabel("Expires:"))
        token_layout.addWidget(self.expiry_edit)
        token_layout.addWidget(self.get_token_button)
        token_layout.addWidget(self.connect_button)
        account_layout.addWidget(self.token_row)
        self.account_message = message_label("hardcoverMessage")
        account_layout.addWidget(self.account_message)
        self.conflicts = ConflictsLine()
        account_layout.addWidget(self.conflicts)
        self.held = HeldLine()
        account_layout.addWidget(self.held)
        actions = QHBoxLayout()
        self.sync_label = one_line(plain_label())  # shows book titles while matching
        self.sync_button = push_button(
            "&Sync Now", self.sync_requested.emit, tip="Match your books on Hardcover now"
        )
        self.disconnect_button = push_button("&Disconnect", self.disconnect_requested.emit)
        self.details_label = plain_label()  # last sync and what waits
        self.details_label.setObjectName("syncDetails")
        actions.addWidget(self.sync_label, 1)
        actions.addWidget(self.details_label)
        actions.addWidget(self.sync_button)
        actions.addWidget(self.disconnect_button)
        account_layout.addLayout(actions)

        matches = QGroupBox("Your books on Hardcover")
        matches_layout = QVBoxLayout(matches)
        top = QHBoxLayout()
        self.filter_combo = QComboBox()
        self.filter_combo.setAccessibleName("Books shown")
        for state, label in dashboard.STATES:
            self.filter_combo.addItem(label, state)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.show_query())
        self.count_label = QLabel()
        self.search_edit = QLineEdit()  # title or author; accents and case ignored
        self.search_edit.setPlaceholderText("Search title or author")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search title or author")
        self.search_edit.textChanged.connect(lambda _text: self.show_query())
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.filter_combo)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)
        matches_layout.addLayout(top)
        self.model = HardcoverRowsModel(read_rows)
        self.tree = HardcoverRowsView(self.model)
        self.tree.setAccessibleName("Your books on Hardcover")
        self.tree.horizontalHeader().sectionClicked.connect(self._header_clicked)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.tree.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit(self.selected_book_id())
        )
        matches_layout.addWidget(self.tree, 1)
        selected = self._selected_book_button
        self.pick_button = selected("&Pick…", self.pick_requested)
        self.tree.activated.connect(self._activated)
        self.rematch_button = selected("&Re-match", self.rematch_requested)
        self.exclude_button = push_button("E&xclude", self._exclude_clicked)
        self.remove_button = push_button(
            "Re&move Entry…",
            self._remove_clicked,
            tip="Remove from Hardcover: delete the entry BookOrbit added to your Hardcover "
            "library, with its status, rating and reads (it says what goes and asks first); "
            "once removed, no sync adds it back until you choose Add to Hardcover Again",
        )
        self.lead_button = selected(
            "Use This &Copy",
            self.lead_requested,
            "Copies of this book disagree: let this one give Hardcover its status and dates",
        )
        self.send_position_button = selected(
            "Send This &Position Anyway",
            self.send_position_requested,
            "Hardcover shows a later page than this library; send the library's page anyway.",
        )
        self.open_button = push_button(
            "&Open on Hardcover",
            self.open_selected,
            tip="Open the linked book on hardcover.app in your browser",
        )
        self.sync_book_button = selected(
            "S&ync This Book", self.sync_book_requested, "Send this book's reading to Hardcover now"
        )
        buttons = button_row(
            self.open_button,
            self.sync_book_button,
            self.send_position_button,
            self.pick_button,
            self.rematch_button,
            self.exclude_button,
            self.remove_button,
            self.lead_button,
        )
        matches_layout.addLayout(buttons)

        self.log_panel = SyncLogPanel()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(matches)
        split.addWidget(self.log_panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(account)
        layout.addWidget(split, 1)
        self.show_account(None)
        self._update_buttons()
        # Buttons hidden before the page is first shown leave the row's cached size as if they
        # were there: measure it again without them.
        buttons.invalidate()

    # -- account ----------------------------------------------------------------------------

    def show_account(self, status: HardcoverStatus | None) -> None:
        self._connected = bool(status and status.connected)
        checking = bool(status and status.checking)
        self.token_row.setVisible(
            not checking and (not self._connected or bool(status and status.paused_reason))
        )
        self.disconnect_button.setVisible(self._connected)
        self.sync_button.setVisible(self._connected)
        self.sync_label.setVisible(self._connected)
        self.details_label.setVisible(self._connected)
        self.account_label.setText(account_html(status))
        if self._connected:
            self.conflicts.refresh()
        else:
            self.conflicts.hide()
        self._update_buttons()

    def show_sync_status(self, status: AppStatus) -> None:
        line = sync_summary(status)  # the account box already says "Connected as": news only
        self.sync_label.setText(
            "" if line == sync_summary(AppStatus(sync_available=True)) else line
        )
        self.details_label.setText(sync_details(status, time.time()) or "")
        self.held.show_count(status.held if status.sync_available else 0)
        self.sync_button.setEnabled(can_sync_now(status))
        self.sync_button.setToolTip(sync_unavailable_reason(status) or SYNC_NOW_TIP)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.account_message.setText(text)
        self.account_message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.account_message.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        self.connect_button.setEnabled(not busy)
        self.token_edit.setEnabled(not busy)
        self.expiry_edit.setEnabled(not busy)

    def open_token_page(self) -> QDialog | None:
        return open_or_show(self, QUrl(GET_TOKEN_URL), self.opener)

    def _connect_clicked(self) -> None:
        token = self.token_edit.text().strip()
        if not token:
            self.show_message("Paste the token from Hardcover first.", error=True)
            return
        self.token_edit.clear()  # the token is never kept in the widget
        self.connect_requested.emit(token, self.expiry_edit.text().strip())

    # -- matches ----------------------------------------------------------------------------

    def show_covers(self, files: CoverFiles) -> None:
        """Show each book's cover on its row, read with `files` for the rows in view."""
        self.covers = ViewCovers(self.tree, files)

    def current_query(self) -> PageQuery:
        """What the filters ask for now."""
        return replace(
            self.query, state=self.filter_combo.currentData(), search=self.search_edit.text()
        )

    def show_listing(self, listing: PageListing) -> None:
        """The rows of the page as read (its first rows, the counts per state); when the
        rows are the ones shown, only the rows whose book changed are redrawn."""
        self.counts = listing.counts
        total = sum(listing.counts.values())
        for index, (state, label) in enumerate(dashboard.STATES):
            count = total if state is None else listing.counts.get(state, 0)
            self.filter_combo.setItemText(index, dashboard.filter_label(label, count))
        if self.current_query() != self.query:  # the filters changed during the read
            self.show_query()
            return
        self.model.show_stream(listing.stream, listing.fresh)
        self._shown(listing.shown)

    def show_query(self) -> None:
        """Show the rows the filters ask for now (the first screen read at once, the rest as
        the list scrolls)."""
        self.query = self.current_query()
        stream = self.query.stream()
        self.model.show_stream(stream)
        self._shown(self.query.count(self.counts, stream))

    def _shown(self, shown: int) -> None:
        self.count_label.setText(f"{shown:,} of {books(sum(self.counts.values()))}")
        self._update_buttons()
        if self.covers is not None:  # a cover may have changed on disk
            self.covers.schedule()

    def _header_clicked(self, column: int) -> None:
        """The title's header turns the library's order around (the list's only order)."""
        if column == 0:
            self.query = replace(self.query, descending=not self.query.descending)
            self.tree.show_order(self.query.descending)
            self.show_query()

    def _activated(self, index: QModelIndex) -> None:
        if self.model.book_at(index.row()) is not None:
            self.pick_button.click()

    def selected_book_id(self) -> int | None:
        rows = self.tree.selectionModel().selectedRows()
        return self.model.book_at(rows[0].row()) if rows else None

    def select_book(self, book_id: int) -> bool:
        row = self.model.row_of_book(book_id)
        while row is None and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())  # a book further down the list
            row = self.model.row_of_book(book_id)
        if row is None:
            return False
        self.tree.setCurrentIndex(self.model.index(row, 0))
        self.tree.scrollTo(self.model.index(row, 0))
        return True

    def row_texts(self, row: int) -> list[str]:
        """What a row says in each column."""
        return [self.model.index(row, column).data() or "" for column in range(len(HEADERS))]

    def _row_of(self, book_id: int | None) -> PageRow | None:
        return self.model.book(book_id) if book_id is not None else None

    def _sync_state_of(self, book_id: int | None) -> str | None:
        row = self._row_of(book_id)
        return row.match.get("sync_state") if row is not None else None

    def _state_of(self, book_id: int | None) -> str | None:
        row = self._row_of(book_id)
        return (row.match.get("state") or "unmatched") if row is not None else None

    def _update_buttons(self) -> None:
        state = self._state_of(self.selected_book_id())
        usable = self._connected and state is not None
        self.pick_button.setEnabled(usable and state != "excluded")
        self.rematch_button.setEnabled(usable and state not in ("excluded", "unmatched"))
        self.exclude_button.setEnabled(state is not None)
        self.exclude_button.setText("Inclu&de" if state == "excluded" else "E&xclude")
        url = self._match_of(self.selected_book_id()).get("url")
        self.open_button.setEnabled(bool(url))
        self.sync_book_button.setEnabled(usable and state == "linked")
        ahead = self._sync_state_of(self.selected_book_id()) == "ahead"
        self.send_position_button.setVisible(ahead)
        self.send_position_button.setEnabled(usable and ahead and state == "linked")
        own = bool(self._match_of(self.selected_book_id()).get("own_entry"))
        removed = state == "removed"
        self.remove_button.setEnabled(usable and (own or removed))
        self.remove_button.setText("&Add to Hardcover Again" if removed else "Re&move Entry…")
        selected = self.selected_book_id()
        copies = self.copies_of(selected) if selected is not None and usable else []
        self.lead_button.setVisible(bool(copies))
        self.lead_button.setEnabled(usable and bool(copies))

    def _match_of(self, book_id: int | None) -> MatchInfo:
        row = self._row_of(book_id)
        return row.match if row is not None else MatchInfo()

    def open_selected(self) -> QDialog | None:
        url = self._match_of(self.selected_book_id()).get("url")
        return open_or_show(self, QUrl(url), self.opener) if url else None

    def _selected_book_button(
        self, text: str, signal: SignalInstance, tip: str | None = None
    ) -> QPushButton:
        """A button that sends the selected book's id with `signal` (while it is enabled)."""

        def clicked() -> None:
            book_id = self.selected_book_id()
            if book_id is not None and button.isEnabled():
                signal.emit(book_id)

        button = push_button(text, clicked, tip=tip)
        return button

    def _remove_clicked(self) -> None:
        book_id = self.selected_book_id()
        if book_id is not None and self.remove_button.isEnabled():
            removed = self._state_of(book_id) == "removed"
            (self.add_again_requested if removed else self.remove_entry_requested).emit(book_id)

    def _exclude_clicked(self) -> None:
        book_id = self.selected_book_id()
        if book_id is not None:
            self.exclude_requested.emit(book_id, self._state_of(book_id) != "excluded")
