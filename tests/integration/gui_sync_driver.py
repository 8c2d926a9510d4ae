"""Runs the real app (`run_gui`) and drives it like a user: connect Hardcover on its page, press
Sync Now, answer the review of the big first sync, watch the progress dialog and its report.

Started by `test_gui_sync_xvfb.py` as `python gui_sync_driver.py DATA_DIR TOKEN OUT_DIR` on an
Xvfb display. Screenshots of the whole screen go to OUT_DIR, with `summary.json` saying what the
window showed; the app then quits as from its menu.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bookorbit_desktop import app as desktop_app
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.ui.sync.review_dialog import ReviewDialog

STEP_TIMEOUT = 90.0


async def until(condition: Callable[[], Any], what: str) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STEP_TIMEOUT
    while loop.time() < deadline:
        result = condition()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


async def grab(out: Path, name: str) -> None:
    # Painting happens on the loop: never processEvents() inside a task (qasync would wake
    # another task inside this one).
    await asyncio.sleep(0.1)
    screen = QApplication.primaryScreen()
    assert screen.grabWindow(0).save(str(out / name)), name


async def drive(desktop: desktop_app.Desktop, token: str, out: Path) -> None:
    summary: dict[str, Any] = {}
    try:
        window = desktop.window
        await until(window.isVisible, "the window")
        hardcover = desktop.hardcover_controller
        view = hardcover.view
        window.tabs.setCurrentWidget(view)
        await until(lambda: not (hardcover.status and hardcover.status.checking), "keyring")
        view.token_edit.setText(token)
        view.connect_button.click()
        await until(lambda: desktop.hub.status.sync_available, "the account to connect")
        await grab(out, "1-hardcover-connected.png")

        reviews: list[ReviewDialog] = []
        hardcover.dialog_opened.connect(
            lambda dialog: reviews.append(dialog) if isinstance(dialog, ReviewDialog) else None
        )
        hardcover.dialog_delay = 0.5
        tray = desktop.tray
        if tray is not None:  # a real tray on the display: Sync Now from its menu
            summary["tray_embedded"] = tray.icon.isVisible() and not tray.icon.geometry().isEmpty()
            tray.rebuild_menu()
            tray.action("sync").trigger()
        else:
            view.sync_button.click()
        review = await until(lambda: reviews and reviews[0].isVisible() and reviews[0], "review")
        summary["review_rows"] = review.tree.topLevelItemCount()
        review.tree.topLevelItem(0).setCheckState(0, Qt.CheckState.Unchecked)
        summary["review_send"] = review.send_button.text()
        await grab(out, "2-review-before-sending.png")
        review.accept()
        await until(
            lambda: hardcover.manual is not None and hardcover.manual.dialog.isVisible(),
            "the progress dialog",
        )
        assert hardcover.manual is not None
        dialog = hardcover.manual.dialog
        await until(  # past the matching, two books into the sending
            lambda: dialog.step_label.text().startswith("Sending") and dialog.bar.value() >= 2,
            "progress",
        )
        summary["progress_step"] = dialog.step_label.text()
        if tray is not None:
            summary["tray_tooltip_syncing"] = tray.icon.toolTip()
        await grab(out, "3-sync-progress.png")
        await until(lambda: hardcover.sync_task is not None and hardcover.sync_task.done(), "end")
        summary["report_title"] = dialog.report_title.text()
        summary["report_summary"] = dialog.report_summary.text()
        await grab(out, "4-sync-report.png")
        dialog.hide()
        await asyncio.sleep(0.2)
        summary["filters"] = [
            view.filter_combo.itemText(i) for i in range(view.filter_combo.count())
        ]
        summary["log_rows"] = view.log_panel.tree.topLevelItemCount()
        covers = view.covers
        assert covers is not None
        placeholder = covers.placeholder.cacheKey()

        def rows_with_covers() -> int:
            return sum(
                covers.icon(book_id).cacheKey() != placeholder
                for _row, book_id in covers.rows_in_view()
            )

        summary["rows_with_covers"] = await until(rows_with_covers, "the rows' covers")
        await grab(out, "5-dashboard.png")
        if tray is not None:
            await until(lambda: not desktop.hub.status.syncing, "the tray to leave syncing")
            summary["tray_tooltip_after"] = tray.icon.toolTip()
            tray.rebuild_menu()
            summary["tray_sync_enabled"] = tray.action("sync").isEnabled()
            summary["tray_sync_tip"] = tray.action("sync").toolTip()
    except Exception as error:  # the test reads the summary and the output, not a traceback
        summary["error"] = f"{type(error).__name__}: {error}"
    finally:
        (out / "summary.json").write_text(json.dumps(summary, indent=2))
        desktop.request_quit()


def main() -> int:
    data_dir, token, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    original_show = desktop_app.Desktop.show

    def show_then_drive(self: desktop_app.Desktop, start_hidden: bool) -> None:
        original_show(self, start_hidden)
        asyncio.get_running_loop().create_task(drive(self, token, out))

    desktop_app.Desktop.show = show_then_drive  # type: ignore[method-assign]
    paths = resolve_paths(data_dir)
    paths.ensure()
    return desktop_app.run_gui(paths)


if __name__ == "__main__":
    raise SystemExit(main())
