"""Hardcover actions from the window, the book panel and the tray, one at a time.

The keyring is never read on this (the UI) thread: `check_account` asks it once, on a worker
thread, at start-up; refreshes show what it said, and connect, disconnect and each action that
opens a client keep that up to date. Connect checks the pasted token before keeping it (and
the expiry typed beside it, if any).
"Sync Now" gets Hardcover's changes, matches the library and pushes it (`ui.sync.manual`; one
run at a time: a second request brings the running one's dialog into view). Pick, Re-match and
Exclude (also from the Pick dialog and the report) are the user's corrections. Every result
ends up on screen, and the status hub (tray icon, status bar) follows the account's state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.hardcover import service as hardcover
from bookorbit_desktop.services.hardcover.dashboard.rows import PageListing, other_copies, states_of
from bookorbit_desktop.services.library.records import BookRow
from bookorbit_desktop.ui.asyncqt import error_text, run_dialog, show_error, spawn
from bookorbit_desktop.ui.hardcover.account_parts import connect_failure
from bookorbit_desktop.ui.hardcover.held import wire_held
from bookorbit_desktop.ui.hardcover.notices import FailedBooksNotice
from bookorbit_desktop.ui.hardcover.page import HardcoverView
from bookorbit_desktop.ui.hardcover.page_reads import Counted, page_wanted, rows_now
from bookorbit_desktop.ui.hardcover.pick_dialog import Cover, PickDialog
from bookorbit_desktop.ui.hardcover.questions import confirm
from bookorbit_desktop.ui.row_covers import CoverFiles
from bookorbit_desktop.ui.status import AppStatus, StatusHub
from bookorbit_desktop.ui.sync.manual import DIALOG_DELAY_SECONDS, ManualSync

# What the status bar and the tray say while Hardcover refuses the saved token; the Hardcover
# page explains what to do.
TOKEN_REFUSED = "Hardcover token expired or revoked"
STOP_WAIT_SECONDS = 10.0  # Quit during a sync: how long the book being sent may take


class HardcoverController(QObject):
    matches_changed = Signal()  # a book's match changed: the library table should refresh
    message = Signal(str)  # a one-line result for the status bar
    pick_opened = Signal(object)  # the Pick dialog, once it is on screen
    question_opened = Signal(object)  # a confirmation box, once it is on screen
    dialog_opened = Signal(object)  # the sync progress or review dialog, once on screen
    notify = Signal(str, str)  # a desktop notification (title, text)

    def __init__(
        self,
        service: hardcover.HardcoverService,
        hub: StatusHub,
        view: HardcoverView,
        books: Callable[[], Sequence[BookRow]],
        window: QWidget,
        cover_for: Callable[[int], str | None] = lambda book_id: None,
        remote_cover: Cover | None = None,
        cover_files: CoverFiles | None = None,
    ) -> None:
        """`remote_cover(url)`: a Hardcover cover for Pick and the review (None: no covers);
        `cover_files(book_ids)`: the local covers for the page's rows (None: rows without)."""
        super().__init__(window)
        self.service = service
        self.hub = hub
        self.view = view
        self._books = books
        self._cover_for = cover_for
        self._remote_cover = remote_cover
        self._window = window
        self.sync_task: asyncio.Task[None] | None = None
        self.manual: ManualSync | None = None  # the last Sync Now, its dialog and report
        self.dialog_delay = DIALOG_DELAY_SECONDS
        self.check_task: asyncio.Task[None] | None = None
        self.status: hardcover.HardcoverStatus | None = None  # as last shown
        self.token_refused = False  # Hardcover refused the saved token: sync is paused
        self.busy_books: set[int] = set()
        self._reload_task: asyncio.Task[None] | None = None
        self._reload_wanted = False  # a reload was asked for since the last one began
        self._reload_matches = False  # ... and it must read the matches too
        self._acted = 0  # refreshes and the user's own changes: a read begun before is older
        self.counted = Counted()  # whether the counts shown are still the library's
        self.failed_notice = FailedBooksNotice(view, hub)
        view.connect_requested.connect(self.connect_token)
        view.disconnect_requested.connect(self.disconnect_account)
        view.sync_requested.connect(self.sync_now)
        view.pick_requested.connect(self.pick)
        view.rematch_requested.connect(self.rematch)
        view.remove_entry_requested.connect(self.remove_entry)
        view.add_again_requested.connect(partial(self._local_action, self.service.add_again))
        view.lead_requested.connect(partial(self._local_action, self.service.lead))
        view.exclude_requested.connect(self.exclude)
        view.send_position_requested.connect(self.send_position)
        view.sync_book_requested.connect(lambda book_id: self.sync_now([book_id]))
        wire_held(view.held, service, window, self.sync_now, self._changed, self.question_opened)
        view.selection_changed.connect(self.show_log)
        view.copies_of = other_copies
        hub.changed.connect(view.show_sync_status)
        if cover_files is not None:
            view.show_covers(cover_files)

    # -- state ------------------------------------------------------------------------------

    def refresh(self, books: Sequence[BookRow] | None = None) -> None:
        """The page's rows as stored now, at once (`books` is not needed); after a write, the
        account and the counts are read off the window's thread (`reload_soon`)."""
        self._acted += 1
        try:
            listing = rows_now(self.view)
        except BookOrbitError as error:
            show_error(self._window, error)
            return
        self._show_listing(listing)
        if not self.counted.current():
            self.reload_soon(tuple, matches=True)

    def refresh_status(self) -> asyncio.Task[None]:
        """Show the account's state here and in the tray after the user's own change, read
        off the window's thread (the sync's waiting work is counted over the whole library);
        a read begun before is read again. The task ends once it is shown."""
        self._acted += 1
        return self.reload_soon(tuple, matches=False)

    def reload_soon(
        self, books: Callable[[], Sequence[BookRow]], *, matches: bool
    ) -> asyncio.Task[None]:
        """`refresh` (with `matches`) or `refresh_status`, read off the window's thread, for
        changes made elsewhere (`books` is not needed: the page reads its rows itself).
        Requests during a read are folded into one more."""
        self._reload_matches = self._reload_matches or matches
        self._reload_wanted = True
        if self._reload_task is None or self._reload_task.done():
            self._reload_task = spawn(self._reload(), self._window)
        return self._reload_task

    async def _reload(self) -> None:
        while self._reload_wanted:
            matches, self._reload_matches, self._reload_wanted = self._reload_matches, False, False
            acted, began = self._acted, self.counted.now()
            wanted = page_wanted(self.view) if matches else {}
            try:
                page = await self.service.page_later(matches=matches, **wanted)
            except BookOrbitError as error:
                show_error(self._window, error)
                continue  # a request made meanwhile still gets its read
            if acted != self._acted:  # the user acted meanwhile: this read may be older
                self._reload_matches |= matches
                self._reload_wanted = True
                continue
            self._show_page(page)
            if matches:
                self.counted.shown(began)

    def _show_page(self, page: hardcover.HardcoverPage) -> None:
        status = self.status = page.status
        self.view.show_account(status)
        self.token_refused = bool(status.connected and status.paused_reason)
        self.hub.update(
            sync_available=status.connected,
            sync_paused=not status.sync_enabled,
            sync_problem=TOKEN_REFUSED if self.token_refused else None,
            token_expiry=status.token_expiry if status.token_expiry_soon else None,
            last_sync=status.last_sync,
            **AppStatus.waits_fields(status.waits),
        )
        self.view.show_sync_status(self.hub.status)
        if page.listing is not None:  # not the account only
            self._show_listing(page.listing)

    def _show_listing(self, listing: PageListing) -> None:
        self.failed_notice.follow(states_of)
        self.view.show_listing(listing)
        self.show_log(self.view.selected_book_id())

    def show_log(self, book_id: int | None) -> None:
        """The sync log of the selected book, or of every book."""
        try:
            entries = self.service.sync_log(book_id)
        except BookOrbitError as error:
            show_error(self._window, error)
            return
        title = self._title(book_id) if book_id is not None else None
        self.view.log_panel.show_entries(entries, title)

    def check_account(self) -> asyncio.Task[None] | None:
        """Ask the keyring, off the UI thread, whether a token is saved; then show it."""
        if self.check_task is not None and not self.check_task.done():
            return None
        self.check_task = spawn(self._check_account(), self._window)
        return self.check_task

    async def _check_account(self) -> None:
        await self.service.check_keyring()
        # Read off the window's thread: with a large library the counts take a moment.
        await self.reload_soon(tuple, matches=False)

    def check_again_if_unreadable(self) -> asyncio.Task[None] | None:
        """The user refreshed: read the keyring again if it could not be read last time
        (it may be unlocked by now)."""
        if self.status is None or not self.status.keyring_unreadable:
            return None
        return self.check_account()

    def _changed(self, text: str) -> None:
        """A match or the account changed: say so; whoever shows books refreshes."""
        self.message.emit(text)
        self.refresh_status()
        self.matches_changed.emit()

    # -- account ----------------------------------------------------------------------------

    def connect_token(self, token: str, expires: str = "") -> asyncio.Task[None]:
        return spawn(self._connect(token, expires), self._window)

    async def _connect(self, token: str, expires: str) -> None:
        self.view.set_busy(True)
        self.view.show_message("Checking the token with Hardcover…")
        try:
            user = await self.service.account.connect(token, expires=expires or None)
        except BookOrbitError as error:
            self.view.show_message(connect_failure(error, self.status), error=True)
            return
        finally:
            self.view.set_busy(False)
        who = f" as @{user.username}" if user is not None else ""
        self.view.expiry_edit.clear()
        self.view.show_message("")  # the account box now says who is connected
        self._changed(f"Hardcover connected{who}.")

    def disconnect_account(self) -> asyncio.Task[None]:
        return spawn(self._disconnect(), self._window)

    async def _disconnect(self) -> None:
        if not await confirm(
            self._window,
            "Disconnect Hardcover?",
            "BookOrbit forgets the token and stops sending your reading to Hardcover. Your "
            "books' links are kept for when you connect again.",
            "Disconnect",
            self.question_opened.emit,
        ):
            return
        await self.service.disconnect()
        self.view.show_message("Disconnected.")
        self._changed("Hardcover disconnected.")

    def set_paused(self, paused: bool) -> None:
        self.service.set_sync_enabled(not paused)
        self.hub.update(sync_paused=paused)  # at once; the rest of the account follows
        self.refresh_status()
        self.message.emit("Hardcover sync paused." if paused else "Hardcover sync resumed.")

    # -- Sync Now ---------------------------------------------------------------------------

    def sync_now(self, book_ids: list[int] | None = None) -> asyncio.Task[None] | None:
        """Get Hardcover's changes, match the library, then push every changed book (or only
        `book_ids`); a run already going is brought into view instead."""
        if self.sync_task is not None and not self.sync_task.done():
            self.message.emit("Hardcover sync is already running.")
            if self.manual is not None:
                self.manual.bring_to_front()
            return None
        self.manual = ManualSync(
            self.service,
            self.hub,
            self._window,
            cover_for=self._cover_for,
            show_line=self.view.sync_label.setText,
            notify=self.notify.emit,
            on_dialog=self.dialog_opened.emit,
            delay=self.dialog_delay,
            remote_cover=self._remote_cover,
        )
        self.manual.dialog.pick_requested.connect(self.pick)
        self.manual.dialog.rematch_requested.connect(self.rematch)
        self.manual.dialog.exclude_requested.connect(lambda book_id: self.exclude(book_id, True))
        self.manual.dialog.retry_requested.connect(lambda book_id: self.sync_now([book_id]))
        self.sync_task = spawn(self._sync(self.manual, book_ids), self._window)
        return self.sync_task

    async def _sync(self, manual: ManualSync, book_ids: list[int] | None) -> None:
        self.hub.update(syncing=True, sync_problem=None, sync_done=0, sync_total=0)
        try:
            report = await manual.run(book_ids)
        except BookOrbitError as error:
            title, message = error_text(error)
            self.hub.update(syncing=False)
            await self.refresh_status()
            if self.token_refused:
                self.view.show_message("")  # the account box already says what to do
                return
            self.hub.update(sync_problem=title)
            self.view.show_message(f"{title}: {message}", error=True)
            return
        finally:
            self.hub.update(syncing=False, sync_done=0, sync_total=0)
        await self.refresh_status()
        if report is None:  # cancelled at the review: nothing was sent, what it showed held
            self._changed(manual.declined)
            return
        if self.token_refused:
            self.view.show_message("")
            return
        self.failed_notice.show(report)
        self._changed(report.text)

    async def shutdown(self) -> None:
        if self.sync_task is not None and not self.sync_task.done():
            if self.manual is not None:
                self.manual.cancel.set()  # stop between books, then give up waiting
            try:
                async with asyncio.timeout(STOP_WAIT_SECONDS):
                    await asyncio.shield(self.sync_task)
            except (TimeoutError, BookOrbitError):
                self.sync_task.cancel()
                await asyncio.gather(self.sync_task, return_exceptions=True)

    def _title(self, book_id: int) -> str:
        row = self.view.model.book(book_id)  # a book the page shows: read with its rows
        if row is not None:
            return str(row.book["title"]) or "untitled book"
        titles = (b["title"] for b in self._books() if b["id"] == book_id)
        return next(titles, "") or "untitled book"  # the id is no name for the user

    def _start(self, book_id: int, work: Callable[[], object]) -> asyncio.Task[None] | None:
        if book_id in self.busy_books:
            return None
        self.busy_books.add(book_id)

        async def run() -> None:
            try:
                await work()  # type: ignore[misc]
            finally:
                self.busy_books.discard(book_id)

        return spawn(run(), self._window)

    def pick(self, book_id: int) -> asyncio.Task[None] | None:
        return self._start(book_id, lambda: self._pick(book_id))

    async def _pick(self, book_id: int) -> None:
        dialog = PickDialog(
            self._title(book_id),
            self.service.stored_candidates(book_id),
            lambda query: self.service.search(book_id, query),
            self.service.editions,
            self._window,
            current=self.service.match_info(book_id).get("hc_book_id"),
            cover=self._remote_cover,
        )
        try:
            accepted = await run_dialog(dialog, lambda: self.pick_opened.emit(dialog))
            chosen, excluded = dialog.chosen, dialog.not_on_hardcover
        finally:
            dialog.deleteLater()
        if accepted and excluded:
            return await self._exclude(book_id, True)
        if not accepted or chosen is None:
            return
        message = await self.service.pick(book_id, *chosen)
        self._settle_report_row(book_id, "Picked", message)
        self._changed(message)

    def rematch(self, book_id: int) -> asyncio.Task[None] | None:
        return self._start(book_id, lambda: self._rematch(book_id))

    async def _rematch(self, book_id: int) -> None:
        self._changed(await self.service.rematch(book_id))

    def send_position(self, book_id: int) -> asyncio.Task[None] | None:
        return self._start(book_id, lambda: self._send_position(book_id))

    async def _send_position(self, book_id: int) -> None:
        report = await self.service.send_position(book_id)
        self.view.show_message(report.text, error=report.failed)
        self._changed(report.text)

    def _local_action(self, action: Callable[[int], str], book_id: int) -> None:
        """Lead (copies disagree: this one speaks for the book), Add to Hardcover Again."""
        try:
            self._changed(action(book_id))
        except BookOrbitError as error:
            show_error(self._window, error)

    def exclude(self, book_id: int, exclude: bool) -> asyncio.Task[None] | None:
        return self._start(book_id, lambda: self._exclude(book_id, exclude))

    async def _exclude(self, book_id: int, exclude: bool) -> None:
        if not exclude:
            self._changed(self.service.include(book_id))
            return
        message = await self.service.exclude(book_id)
        self._settle_report_row(book_id, "Excluded", message)
        self._changed(message)

    def _settle_report_row(self, book_id: int, result: str, message: str) -> None:
        if self.manual is not None:  # the last report says what became of the book
            self.manual.dialog.settle(book_id, result, message)

    def remove_entry(self, book_id: int) -> asyncio.Task[None] | None:
        return self._start(book_id, lambda: self._remove_entry(book_id))

    async def _remove_entry(self, book_id: int) -> None:
        """Removing a Hardcover entry takes its status, rating and reads: say which, ask."""
        contents = self.service.entry_contents(book_id)
        if contents is None:
            return
        if not await confirm(
            self._window,
            "Remove from Hardcover",
            f"Remove “{self._title(book_id)}” from your Hardcover library? This deletes "
            f"{contents} from your profile. Hardcover cannot undo it.",
            "&Remove from Hardcover",
            self.question_opened.emit,
            destructive=True,
        ):
            return
        self._changed(await self.service.remove_entry(book_id))
